"""A shopping-help need from registration to a match, in a real browser: the staff member
records the need, asks a group at its meeting, records the answer and the match 月2回,
and the timeline shows it all; another staff member cannot open the case; the
administrator sees the reads in the audit log."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.cases.conftest import make_lists
from tests.conftest import PASSWORD, make_user
from tests.e2e.conftest import login, screenshot
from tsunagu.accounts.models import Role
from tsunagu.cases.models import Case
from tsunagu.cases.needs import ensure_need_kinds, link_defaults
from tsunagu.directory.models import ActivityGroup, GroupKind, Region, Zone
from tsunagu.lib.fiscal import fiscal_year_of


@pytest.fixture
def setting(transactional_db):  # type: ignore[no-untyped-def]
    """A flushed database: the lists, the need kinds and a small directory again."""
    make_lists(fiscal_year_of(timezone.localdate()))
    ensure_need_kinds()
    sato = make_user("sato", Role.STAFF, last_name="佐藤", first_name="美咲")
    make_user("suzuki", Role.STAFF, last_name="鈴木", first_name="大輔")
    make_user("kanri", Role.ADMIN, last_name="管理", first_name="花子")
    zone = Zone.objects.create(name="東部圏域", staff=sato)
    region = Region.objects.create(name="本町地域社協", zone=zone)
    volunteers = GroupKind.objects.create(name="ボランティア団体")
    link_defaults()
    ActivityGroup.objects.create(
        name="買い物サポート あゆみ",
        kind=volunteers,
        zone=zone,
        region=region,
        schedule="毎月第1水曜日 定例会",
    )


def test_a_shopping_need_is_asked_matched_and_followed(new_page, setting) -> None:  # type: ignore[no-untyped-def]
    page = new_page()
    login(page, "sato", PASSWORD)
    page.get_by_role("link", name="個別支援").first.click()
    page.get_by_role("link", name="個別支援を登録").click()

    page.get_by_label("仮名・イニシャル").fill("Tさん")
    page.get_by_label("年代").select_option(label="70代")
    page.get_by_label("地域社協").select_option(label="本町地域社協")
    page.get_by_role("checkbox", name="買い物支援").check()
    page.get_by_label("支援が必要な曜日・時間帯").fill("火曜の午前")
    page.get_by_label("状況・メモ").fill("視覚障害があり要支援2。月2回、買い物に付き添いがほしい。")
    expect(page.get_by_role("checkbox", name="佐藤 美咲")).to_be_checked()
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Tさん")
    expect(page.locator(".status").first).to_have_text("受付")
    case_url = page.url

    # Who could help: the group of the same region, with the reason.
    page.get_by_role("link", name="支援者を探す").click()
    row = page.get_by_role("row", name=re.compile("買い物サポート あゆみ"))
    expect(row).to_contain_text("買い物支援に合うボランティア団体")
    row.get_by_role("link", name="打診を記録").click()
    expect(page.get_by_label("打診した活動団体")).to_have_value(str(ActivityGroup.objects.get().pk))
    expect(page.get_by_label("場面")).to_have_value("定例会")
    page.get_by_label("お願いした内容").fill("月2回、火曜午前の買い物に付き添えるか")
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".messages")).to_contain_text("打診を記録しました")

    # The group answers at its next meeting.
    page.get_by_role("link", name="回答を記録").click()
    page.get_by_role("radio", name="引き受ける").check()
    page.get_by_label("回答の内容").fill("会員2人で交代して付き添う")
    page.get_by_role("button", name="保存").click()

    page.get_by_role("link", name="マッチングを記録").click()
    page.get_by_label("支援する活動団体").select_option(
        label="買い物サポート あゆみ（ボランティア団体・本町地域社協）"
    )
    page.get_by_label("応える困りごと").select_option(label="買い物支援")
    page.get_by_label("頻度").fill("月2回")
    page.get_by_role("button", name="保存").click()

    timeline = page.locator(".timeline")
    expect(timeline).to_contain_text("受付")
    expect(timeline).to_contain_text("買い物サポート あゆみに打診（定例会で）")
    expect(timeline).to_contain_text("買い物サポート あゆみの回答：引き受ける")
    expect(timeline).to_contain_text("マッチング：買い物サポート あゆみ（活動団体）・月2回")
    expect(timeline).to_contain_text("状況：支援中")
    expect(page.locator("h1 .status")).to_have_text("支援中")
    screenshot(page, "case")

    # Another staff member: the case does not exist for them.
    other = new_page()
    login(other, "suzuki", PASSWORD)
    response = other.goto(case_url)
    assert response is not None and response.status == 404
    expect(other.get_by_role("heading", level=1)).to_have_text("ページが見つかりません")
    other.goto("/cases/")
    expect(other.locator("main")).not_to_contain_text("Tさん")

    # The administrator sees who read the case.
    admin = new_page()
    login(admin, "kanri", PASSWORD)
    admin.goto("/audit/")
    admin.get_by_label("操作", exact=True).select_option(label="個別支援を閲覧しました")
    admin.get_by_role("button", name="表示").click()
    case = Case.objects.get()
    reads = admin.get_by_role("row", name=re.compile(f"個別支援 No.{case.pk}"))
    expect(reads.first).to_contain_text("佐藤 美咲")
    expect(admin.locator("tbody")).not_to_contain_text("鈴木 大輔")
