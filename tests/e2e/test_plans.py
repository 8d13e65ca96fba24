from io import StringIO

from django.core.management import call_command
from playwright.sync_api import expect

from tests.e2e.conftest import login, screenshot
from tsunagu.accounts.models import User
from tsunagu.demo.directory import DEMO_PASSWORD
from tsunagu.demo.plans import load_demo
from tsunagu.directory.models import Region
from tsunagu.plans.models import InitiativeStatus, Status
from tsunagu.plans.queries import records_of


def test_staff_open_a_regional_council_page_from_the_plans(page, transactional_db) -> None:  # type: ignore[no-untyped-def]
    call_command("demo", last_year=2020, stdout=StringIO())
    load_demo(by=User.objects.get(username="admin"))
    region = Region.objects.get(name="境南地域社協")
    total = records_of(region).in_fiscal_year(2020).count()

    login(page, "takahashi", DEMO_PASSWORD)
    page.get_by_role("navigation", name="メインメニュー").get_by_role(
        "link", name="地域社協"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("地域社協")
    page.get_by_role("link", name="境南地域社協", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("境南地域社協")
    # The current plan (令和6年度〜) by default; choose 令和2年度 for the demo records.
    page.get_by_label("年度", exact=True).select_option(label="令和2年度")
    page.get_by_role("button", name="表示").click()
    expect(
        page.get_by_role("heading", name="エリア別計画（令和元年度〜令和5年度）")
    ).to_be_visible()
    expect(page.get_by_text("笑顔あふれる境南町!")).to_be_visible()
    expect(page.get_by_role("heading", name=f"令和2年度の支援（{total}件）")).to_be_visible()
    kinds = page.get_by_role("table", name="活動種別ごとの件数")
    expect(kinds.get_by_role("row", name="合計")).to_contain_text(str(total))
    expect(page.get_by_role("rowheader", name="境南 親子ひろば")).to_be_visible()
    screenshot(page, "region_page")

    # From the council page to its plan, and the year's progress recorded by keyboard.
    page.get_by_role("link", name="令和2年度の進捗を記録").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("令和2年度の進捗")
    status = page.get_by_label("状況：防災・減災を軸にした支え合いの仕組みづくり")
    status.focus()
    status.select_option(label="達成")
    page.get_by_label("進捗メモ：防災・減災を軸にした支え合いの仕組みづくり").fill(
        "合同防災訓練を2回実施"
    )
    page.get_by_role("button", name="保存する").click()
    expect(page.get_by_text("令和2年度の進捗を保存しました")).to_be_visible()
    expect(page.get_by_text("合同防災訓練を2回実施").first).to_be_visible()
    saved = InitiativeStatus.objects.get(
        initiative__theme="防災・減災を軸にした支え合いの仕組みづくり",
        initiative__plan__start_year=2019,
        fiscal_year=2020,
    )
    assert (saved.status, saved.updated_by.username) == (Status.ACHIEVED, "takahashi")
