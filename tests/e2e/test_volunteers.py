"""The volunteer centre in a browser: register a volunteer, be warned on a second,
similar registration, record a donation offer, and see both counted for the year."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.conftest import PASSWORD, make_user
from tests.e2e.conftest import login, screenshot
from tests.volunteers.conftest import make_year
from tsunagu.accounts.models import Role
from tsunagu.directory.models import Region, Zone
from tsunagu.lib.fiscal import fiscal_year_of
from tsunagu.volunteers.defaults import ensure_defaults
from tsunagu.volunteers.models import DonationOffer, Volunteer


@pytest.fixture
def setting(transactional_db):  # type: ignore[no-untyped-def]
    """This fiscal year's lists, the default skills and a small directory."""
    ensure_defaults()  # a transactional test starts from a flushed database
    make_year(fiscal_year_of(timezone.localdate()))
    staff = make_user("sato", Role.STAFF, last_name="佐藤", first_name="美咲")
    west = Zone.objects.create(name="西部圏域", staff=staff)
    Region.objects.create(name="境南地域社協", zone=west)
    return {"staff": staff}


def fill_person(page, kana: str) -> None:  # type: ignore[no-untyped-def]
    page.get_by_label("氏", exact=True).fill("見本")
    page.get_by_label("名", exact=True).fill("花子")
    page.get_by_label("氏（フリガナ）", exact=True).fill(kana)
    page.get_by_label("名（フリガナ）", exact=True).fill("ハナコ")


def test_register_warn_on_duplicate_and_record_an_offer(page, setting) -> None:  # type: ignore[no-untyped-def]
    login(page, "sato", PASSWORD)
    page.get_by_role("link", name="ボランティア", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("ボランティアセンター")

    page.get_by_role("link", name="ボランティアを登録").first.click()
    fill_person(page, "ミホン")
    page.get_by_label("生まれ年").fill("昭和35")
    page.get_by_label("見守り").check()
    page.get_by_label("境南地域社協").check()
    page.get_by_label("火曜午前").check()
    page.get_by_label("曜日・時間帯（文字で入力）").fill("金曜夜")
    page.get_by_label("活動先に紹介することに本人（団体）が同意している").check()
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("見本 花子")
    expect(page.get_by_text("火 午前／金 夜")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("「ボランティアしたい」の相談として")

    # The same person again, with the フリガナ typed in half-width kana.
    page.goto("/volunteers/registrations/new/")
    fill_person(page, "ﾐﾎﾝ")
    page.get_by_role("button", name="保存").click()
    warning = page.get_by_role("alert").filter(
        has_text="同じ方がすでに登録されているかもしれません"
    )
    expect(warning).to_be_visible()
    expect(warning.get_by_role("link", name="見本 花子（ミホン ハナコ）")).to_be_visible()
    expect(page.get_by_label("別の方として登録する")).not_to_be_checked()
    screenshot(page, "volunteers-duplicate")
    assert Volunteer.objects.count() == 1

    page.get_by_role("link", name="ボランティアセンター").click()
    page.get_by_role("navigation", name="ボランティアセンターのメニュー").get_by_role(
        "link", name="寄付・寄贈"
    ).click()
    page.get_by_role("link", name="申し出を受付").click()
    page.get_by_label("品物").fill("車いす")
    page.get_by_label("数量").fill("1台")
    page.get_by_label("電話").check()
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("status")).to_contain_text(
        "寄付・寄贈の申し出（車いす）を受け付けました"
    )
    assert DonationOffer.objects.get().record is not None

    page.get_by_role("link", name="ボランティアセンター").click()
    figures = page.get_by_role("table", name="相談件数")
    expect(figures.get_by_role("row", name="ボランティアしたい")).to_contain_text("1件")
    expect(figures.get_by_role("row", name="寄付（寄贈）したい")).to_contain_text("1件")
    screenshot(page, "volunteers")
