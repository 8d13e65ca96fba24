"""A grant from application to settlement in a real browser.

Staff (佐藤) enters the application in one browser; the administrator decides, pays,
reports and settles in another (the decider must not be the applicant); a third user
(閲覧) watches the year summary change; the audit log names the actor of every step.
The demo already has this year's grants, so the test works on next year's programme."""

from io import StringIO

from django.core.management import call_command
from playwright.sync_api import expect

from tests.e2e.conftest import login, screenshot
from tsunagu.accounts.models import User
from tsunagu.demo.directory import DEMO_PASSWORD
from tsunagu.grants.models import Grant, GrantState
from tsunagu.grants.services.programme import SourceInput, save_programme
from tsunagu.lib.fiscal import current_fiscal_year, fiscal_year_label

COUNCIL = "境南地域社協"


def summary_row(page, name: str):  # type: ignore[no-untyped-def]
    return page.get_by_role("row").filter(has=page.get_by_role("rowheader", name=name))


def test_a_grant_from_application_to_settlement(new_page, transactional_db) -> None:  # type: ignore[no-untyped-def]
    call_command("demo", last_year=2020, stdout=StringIO())
    fy = current_fiscal_year() + 1
    label = fiscal_year_label(fy)
    save_programme(
        by=User.objects.get(username="admin"),
        fiscal_year=fy,
        cap=300_000,
        sources=[
            SourceInput("歳末たすけあい地域福祉活動募金", 1_800_000),
            SourceInput("自主財源", 2_100_000),
        ],
    )
    viewer = new_page()
    login(viewer, "etsuran", DEMO_PASSWORD)
    viewer.goto(f"/grants/?fy={fy}")
    expect(viewer.get_by_role("heading", name=f"{label} 地域社協への助成金")).to_be_visible()
    expect(summary_row(viewer, COUNCIL)).to_contain_text("未申請")

    # 1. Staff enter the application, amounts typed with full-width digits.
    staff = new_page()
    login(staff, "sato", DEMO_PASSWORD)
    staff.get_by_role("link", name="助成金・募金").click()
    staff.get_by_label("年度", exact=True).select_option(label=label)
    staff.get_by_role("button", name="表示").click()
    summary_row(staff, COUNCIL).get_by_role("link", name="申請を入力").click()
    staff.get_by_label("事業計画（予定している活動）").fill(
        "高齢者サロン（月1回）、防災訓練（年1回）"
    )
    staff.get_by_label("申請額（円）").fill("３００，０００円")
    staff.get_by_label("支出予算 1行目の費目").fill("会場費")
    staff.get_by_label("支出予算 1行目の金額（円）").fill("120000")
    staff.get_by_label("支出予算 2行目の費目").fill("消耗品費")
    staff.get_by_label("支出予算 2行目の金額（円）").fill("２００，０００")
    staff.get_by_label("助成金以外の収入予算（参加費・会費など） 1行目の費目").fill("参加費")
    staff.get_by_label("助成金以外の収入予算（参加費・会費など） 1行目の金額（円）").fill(
        "20,000円"
    )
    staff.get_by_role("button", name="申請を登録").click()
    expect(staff.get_by_text(f"「{COUNCIL}」の助成金の申請を登録しました。")).to_be_visible()
    expect(staff.get_by_text("決定は管理者が行います。")).to_be_visible()

    viewer.reload()
    expect(summary_row(viewer, COUNCIL)).to_contain_text("申請中")
    expect(summary_row(viewer, COUNCIL)).to_contain_text("300,000円")

    # 2. The administrator decides, pays, enters the report and settles.
    admin = new_page()
    login(admin, "admin", DEMO_PASSWORD)
    admin.goto(f"/grants/?fy={fy}")
    summary_row(admin, COUNCIL).get_by_role("link", name=COUNCIL).click()
    expect(admin.get_by_role("heading", name="次の手続き：決定")).to_be_visible()
    expect(admin.get_by_label("決定額（円）")).to_have_value("300000")
    admin.get_by_role("button", name="決定する").click()
    expect(admin.get_by_text("決定額 300,000円 で決定しました。")).to_be_visible()

    admin.get_by_label("支払額（円）").fill("300000")
    admin.get_by_role("button", name="支払を記録").click()
    expect(admin.get_by_text("支払（300,000円）を記録しました。")).to_be_visible()

    expect(admin.get_by_label("支出（決算） 1行目の費目")).to_have_value("会場費")
    admin.get_by_label("支出（決算） 1行目の金額（円）").fill("110,000")
    admin.get_by_label("支出（決算） 2行目の金額（円）").fill("185,000")
    admin.get_by_label("助成金以外の収入（参加費・会費など） 1行目の金額（円）").fill("15000")
    admin.get_by_role("button", name="収支報告を保存").first.click()
    expect(admin.get_by_text("収支報告を保存しました。")).to_be_visible()

    # 300,000 + 15,000 − 295,000 = 20,000 to return; a wrong amount is refused.
    admin.get_by_label("返還額（円）").fill("10000")
    admin.get_by_role("button", name="精算する").click()
    expect(admin.get_by_role("alert")).to_contain_text("収支が合いません")
    expect(admin.get_by_role("alert")).to_contain_text("返還額は20,000円です")
    assert (
        Grant.objects.get(region__name=COUNCIL, programme__fiscal_year=fy).state
        == GrantState.REPORTED
    )
    admin.get_by_label("返還額（円）").fill("２００００")
    admin.get_by_role("button", name="精算する").click()
    expect(admin.get_by_text("精算しました。")).to_be_visible()
    expect(admin.get_by_text("精算済みです（返還額 20,000円、収支の差額 0円）")).to_be_visible()

    # 3. The second user sees the year summary change.
    viewer.reload()
    row = summary_row(viewer, COUNCIL)
    expect(row).to_contain_text("精算済")
    expect(row).to_contain_text("295,000円")
    expect(row).to_contain_text("20,000円")
    screenshot(viewer, "grants")
    admin.goto(
        Grant.objects.get(region__name=COUNCIL, programme__fiscal_year=fy).get_absolute_url()
    )
    screenshot(admin, "grants-detail")

    # 4. The audit log shows each step with its actor.
    admin.goto("/audit/")
    expected = [
        ("助成金の申請を入力しました", "佐藤 美咲"),
        ("助成金の額を決定しました", "管理 花子"),
        ("助成金の支払を記録しました", "管理 花子"),
        ("助成金の収支報告を入力しました", "管理 花子"),
        ("助成金を精算しました", "管理 花子"),
    ]
    for action, actor in expected:
        entry = (
            admin.get_by_role("row")
            .filter(has_text=action)
            .filter(has_text=f"{COUNCIL}（{label}）")
        )
        expect(entry).to_have_count(1)
        expect(entry).to_contain_text(actor)
