from io import StringIO

from django.core.management import call_command
from playwright.sync_api import expect

from tests.e2e.conftest import login, screenshot
from tsunagu.directory.demo import DEMO_PASSWORD
from tsunagu.reports.models import YearClosure


def test_admin_reads_and_closes_the_demo_year(page, transactional_db) -> None:  # type: ignore[no-untyped-def]
    call_command("demo", last_year=2020, stdout=StringIO())
    login(page, "admin", DEMO_PASSWORD)
    page.get_by_role("link", name="実績報告").click()
    page.get_by_label("年度", exact=True).select_option(label="令和2年度")
    page.get_by_role("button", name="表示").click()
    expect(page.get_by_role("heading", name="令和2年度 地域福祉活動の実績")).to_be_visible()
    expect(
        page.get_by_text("※「近況報告など」と「その他」の合計7件は前年度比－6件")
    ).to_be_visible()
    # each chart has its data table beside it
    chart = page.get_by_role("img", name="活動内容別", exact=False).first
    expect(chart).to_be_visible()
    expect(page.get_by_role("table", name="活動内容別の件数（グラフの数値）")).to_be_visible()
    screenshot(page, "report")

    page.on("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="令和2年度を締める").click()
    expect(page.get_by_text("令和2年度を締めました。")).to_be_visible()
    expect(page.get_by_text("以下は締めたときの集計です。")).to_be_visible()
    assert YearClosure.objects.in_force().filter(fiscal_year=2020).exists()
