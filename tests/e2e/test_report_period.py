"""The report's period is chosen on the form: only the chosen cut's fields are shown."""

from io import StringIO

from django.core.management import call_command
from playwright.sync_api import expect

from tests.e2e.conftest import login
from tsunagu.demo.directory import DEMO_PASSWORD


def test_staff_choose_a_half_year_then_a_range_and_open_the_monthly_table(
    page, transactional_db
) -> None:  # type: ignore[no-untyped-def]
    call_command("demo", last_year=2020, stdout=StringIO())
    login(page, "sato", DEMO_PASSWORD)
    page.goto("/reports/?fy=2020")
    expect(page.get_by_label("開始日")).to_be_hidden()
    page.get_by_label("期間", exact=True).select_option(label="上半期・下半期")
    expect(page.get_by_label("半期", exact=True)).to_be_visible()
    expect(page.get_by_label("月", exact=True)).to_be_hidden()
    page.get_by_label("半期", exact=True).select_option(label="下半期（10月〜3月）")
    page.get_by_role("button", name="表示").click()
    expect(
        page.get_by_role(
            "heading", name="令和2年度 下半期（令和2年10月〜令和3年3月） 地域福祉活動の実績"
        )
    ).to_be_visible()
    expect(
        page.get_by_text("前年同期比は令和元年度 下半期（令和元年10月〜令和2年3月）との比較です。")
    ).to_be_visible()

    page.get_by_label("期間", exact=True).select_option(label="期間指定")
    page.get_by_label("開始日").fill("2020-09-01")
    page.get_by_label("終了日").fill("2020-04-30")
    page.get_by_role("button", name="表示").click()
    expect(
        page.get_by_text("期間の終わり（令和2年4月30日）が始まり（令和2年9月1日）より前です。")
    ).to_be_visible()
    expect(page.get_by_role("heading", name="令和2年度 地域福祉活動の実績")).to_be_visible()

    page.get_by_role("link", name="月別統計").click()
    expect(page.get_by_role("heading", name="令和2年度 月別統計")).to_be_visible()
    expect(page.get_by_role("row", name="合計")).to_be_visible()
