"""Find it again (issue #13, point 5): an outing saved with a date in an earlier fiscal
year lands on that year's list, on the page that holds it, its rows highlighted and
scrolled into view — on a phone too."""

from datetime import date, timedelta

from playwright.sync_api import expect

from tests.conftest import PASSWORD
from tests.e2e.conftest import login, screenshot
from tests.e2e.test_records import _last_years_lists, setting  # noqa: F401  (the shared fixture)
from tsunagu.core.dates import show_date
from tsunagu.lib.fiscal import fiscal_year_label
from tsunagu.records.models import ActivityKind, Place, SupportRecord
from tsunagu.records.services import RecordData, create_record


def test_an_outing_of_last_year_is_found_highlighted_on_its_page(new_page, setting) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    last = _last_years_lists(setting)
    visit_kind = ActivityKind.objects.get(fiscal_year=last, name="出向き・参加")
    # A full page of later records of that year: the outing will be on page 2.
    for day in range(55):
        create_record(
            by=setting["other"],
            data=RecordData(
                values={
                    "date": date(last, 8, 1) + timedelta(days=day),
                    "activity_kind": visit_kind,
                    "place": Place.PHONE,
                },
            ),
        )
    page = new_page(width=390, height=844)
    login(page, "sato", PASSWORD)
    page.goto("/records/outing/")
    target = page.get_by_role("combobox", name="支援先")
    target.press_sequentially("ひだまり")
    expect(page.get_by_role("option", name="いきいきサロンひだまり")).to_be_visible()
    target.press("Enter")
    page.get_by_label("日付").fill(f"{last}-06-12")
    page.get_by_label("日付").press("Tab")
    expect(page.get_by_text(f"{fiscal_year_label(last)}の分類を表示中")).to_be_visible()
    first = page.locator("[data-formset-row]").nth(0)
    first.get_by_role("radio", name="ニーズを抱えている個人").check()
    first.get_by_role("checkbox", name="近況報告など").check()
    page.get_by_role("button", name="まとめて保存").click()

    expect(
        page.get_by_role("heading", name=f"支援記録（{fiscal_year_label(last)}）")
    ).to_be_visible()
    expect(page.get_by_text("出向き先での記録を2件保存しました。")).to_be_visible()
    expect(page.get_by_text("（2／2ページ）")).to_be_visible()
    saved = page.locator("tr.row--saved")
    expect(saved).to_have_count(2)
    for pk in SupportRecord.objects.filter(target_group=setting["group"]).values_list(
        "pk", flat=True
    ):
        expect(page.locator(f'tr.row--saved a[href="/records/{pk}/"]')).to_be_visible()
    expect(page.locator("#saved")).to_be_in_viewport()
    expect(page.locator("#saved")).to_contain_text(show_date(date(last, 6, 12)))
    expect(page.locator("#saved")).to_contain_text("保存した記録")
    # The page does not scroll sideways at 390 px (the table scrolls inside its frame).
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "records_find_again")

    # 「条件をクリア」: the same year, nothing highlighted.
    page.get_by_role("link", name="条件をクリア").click()
    expect(page.locator("tr.row--saved")).to_have_count(0)


def test_a_deleted_record_is_put_back_from_its_years_list(page, setting) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    last = _last_years_lists(setting)
    record = create_record(
        by=setting["staff"],
        data=RecordData(
            values={
                "date": date(last, 11, 3),
                "staff": setting["staff"],
                "activity_kind": ActivityKind.objects.get(fiscal_year=last, name="出向き・参加"),
                "place": Place.OUTREACH,
                "target_group": setting["group"],
            },
        ),
    )
    login(page, "sato", PASSWORD)
    page.goto(f"/records/{record.pk}/")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="削除").click()
    expect(
        page.get_by_role("heading", name=f"支援記録（{fiscal_year_label(last)}）")
    ).to_be_visible()
    expect(
        page.get_by_text(
            f"{show_date(date(last, 11, 3))}の記録（出向き・参加）をごみ箱に移しました。"
        )
    ).to_be_visible()
    expect(page.get_by_text("条件に合う記録はありません")).to_be_visible()
    page.get_by_role(
        "button", name=f"{show_date(date(last, 11, 3))}の記録（出向き・参加）を元に戻す"
    ).click()
    expect(
        page.get_by_text(f"{show_date(date(last, 11, 3))}の記録を元に戻しました。")
    ).to_be_visible()
    expect(page.locator("#saved")).to_contain_text(show_date(date(last, 11, 3)))
    assert SupportRecord.objects.alive().filter(pk=record.pk).exists()
