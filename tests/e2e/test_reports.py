import re
from io import StringIO

from django.core.management import call_command
from playwright.sync_api import expect

from tests.e2e.conftest import login, screenshot
from tsunagu.demo.directory import DEMO_PASSWORD
from tsunagu.reports.models import YearClosure


def test_admin_reads_and_closes_the_demo_year(page, transactional_db) -> None:  # type: ignore[no-untyped-def]
    call_command("demo", last_year=2020, stdout=StringIO())
    login(page, "admin", DEMO_PASSWORD)
    page.get_by_role("link", name="実績報告").click()
    page.get_by_label("年度", exact=True).select_option(label="令和2年度")
    page.get_by_role("button", name="表示").click()
    expect(page.get_by_role("heading", name="令和2年度 地域福祉活動の実績")).to_be_visible()
    expect(
        page.get_by_text("※「4位：近況報告など」と「5位：その他」の合計7件は前年度比－6件")
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


def test_an_outing_added_to_a_closed_year_is_warned_of_and_shown_as_a_difference(
    page, transactional_db
) -> None:  # type: ignore[no-untyped-def]
    from datetime import date

    from tests.conftest import PASSWORD, make_user
    from tsunagu.accounts.models import Role
    from tsunagu.directory.models import ActivityGroup, GroupKind, Zone
    from tsunagu.records.defaults import ensure_consulter_types
    from tsunagu.records.models import ActivityKind, Place
    from tsunagu.records.services import RecordData, create_record
    from tsunagu.reports.services import close_year

    ensure_consulter_types()  # a transactional test starts from a flushed database
    staff = make_user("sato", Role.STAFF, last_name="佐藤", first_name="美咲")
    admin = make_user("kanri", Role.ADMIN, last_name="管理", first_name="一郎")
    zone = Zone.objects.create(name="東部圏域", staff=staff)
    salon = GroupKind.objects.create(name="サロン")
    group = ActivityGroup.objects.create(name="いきいきサロンひだまり", kind=salon, zone=zone)
    for fy in (2019, 2020):
        kind = ActivityKind.objects.create(fiscal_year=fy, name="出向き・参加", order=0)
    create_record(
        by=staff,
        data=RecordData(
            values={
                "date": date(2020, 6, 1),
                "activity_kind": kind,
                "place": Place.OUTREACH,
                "target_group": group,
            }
        ),
    )
    close_year(by=admin, fiscal_year=2020)

    login(page, "sato", PASSWORD)
    page.goto("/records/new/")
    warning = page.get_by_text("この日付の年度（令和2年度）は締められています。")
    expect(page.get_by_role("heading", name="記録の入力")).to_be_visible()
    expect(warning).to_have_count(0)
    page.get_by_label("日付").fill("2020-07-01")
    page.get_by_label("日付").press("Tab")
    # Said before saving, as soon as the date is typed.
    expect(warning).to_be_visible()
    expect(warning).to_contain_text("保存しても公表済みの集計は変わりません")
    page.get_by_role("radio", name="出向き・参加").press("Space")
    page.get_by_role("combobox", name="支援先").press_sequentially("ひだまり")
    expect(page.get_by_role("option", name="いきいきサロンひだまり")).to_be_visible()
    page.get_by_role("combobox", name="支援先").press("Enter")
    page.get_by_role("button", name="保存", exact=True).press("Enter")
    # Saved: the closed year's list, the new row highlighted; open it.
    saved = page.locator("#saved")
    expect(saved).to_contain_text("出向き・参加")
    saved.get_by_role("link").first.click()
    expect(page.get_by_role("heading", name="出向き・参加")).to_be_visible()
    # Deleting it asks first, and the question says the year is closed.
    questions: list[str] = []

    def decline(dialog) -> None:  # type: ignore[no-untyped-def]
        questions.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", decline)
    page.get_by_role("button", name="削除").click()
    assert questions == [
        "この記録の年度（令和2年度）は締められています。削除しても公表済みの集計は変わりません"
        "（実績報告の画面に違いとして表示されます）。この記録を削除しますか？"
        "ごみ箱から30日間は元に戻せます。"
    ]
    expect(page.get_by_role("heading", name="出向き・参加")).to_be_visible()

    page.goto("/reports/?fy=2020")
    expect(page.get_by_text("以下は締めたときの集計です。")).to_be_visible()
    differences = page.get_by_role("region", name="締めた後に記録が変更されています")
    expect(differences).to_be_visible()
    expect(differences.get_by_role("columnheader", name="活動内容別（1件）")).to_be_visible()
    # Each row is named with its table (「活動内容別：」 is there for screen readers).
    row = differences.get_by_role(
        "row", name=re.compile(r"^活動内容別：\s*出向き・参加（令和2年度）")
    )
    expect(row.get_by_role("cell")).to_have_text(["1", "2"])
    expect(
        differences.get_by_role(
            "row", name=re.compile(r"^支援先別：\s*サロン（令和2年度）")
        ).get_by_role("cell")
    ).to_have_text(["1", "2"])
    screenshot(page, "report_differences")
