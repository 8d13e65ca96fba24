"""Category suggestions on the entry screens, in a real browser: typing a note shows
them, a tap ticks the category, and nothing is ticked before."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.conftest import PASSWORD, make_user
from tests.e2e.conftest import login, screenshot
from tsunagu.accounts.models import Role
from tsunagu.lib.fiscal import fiscal_year_bounds, fiscal_year_of
from tsunagu.records.defaults import ensure_consulter_types
from tsunagu.records.models import ActivityKind, Category, ConsulterType, Place, SupportRecord
from tsunagu.suggest.services import train_suggestions

NOTES = {
    "活動費・助成金・会計": ["助成金の申請書の書き方について相談。", "会計報告のまとめ方を相談。"],
    "チラシ・広報": ["チラシの作り方について相談。", "広報紙の印刷について相談。"],
    "会則・会議・役割分担": ["会則の見直しについて相談。", "役員の交代について相談。"],
    "ボランティアの募集": ["ボランティアを募集したいと相談。", "担い手の募集について相談。"],
}


@pytest.fixture
def trained(transactional_db, settings, tmp_path: Path):  # type: ignore[no-untyped-def]
    """This year's group categories and twelve past consultations of each, learnt."""
    settings.DATA_DIR = tmp_path
    ensure_consulter_types()
    make_user("sato", Role.STAFF, last_name="佐藤", first_name="美咲")
    fy = fiscal_year_of(timezone.localdate())
    kind = ActivityKind.objects.create(fiscal_year=fy, name="相談対応")
    group = ConsulterType.objects.get(name="地域活動団体")
    first_day, _ = fiscal_year_bounds(fy)
    for order, (name, notes) in enumerate(NOTES.items()):
        category = Category.objects.create(
            fiscal_year=fy, consulter_type=group, name=name, order=order
        )
        for index in range(12):
            record = SupportRecord.objects.create(
                date=first_day + timedelta(days=index),
                activity_kind=kind,
                place=Place.PHONE,
                consulter_type=group,
                note=notes[index % 2],
            )
            record.categories.add(category)
    train_suggestions(by=None, fiscal_years=[fy])


@pytest.mark.parametrize("width", [1280, 390])
def test_typing_a_note_suggests_categories_and_a_tap_ticks_one(new_page, trained, width) -> None:  # type: ignore[no-untyped-def]
    page = new_page(width=width)
    login(page, "sato", PASSWORD)
    page.goto("/records/new/")
    page.get_by_role("radio", name="地域活動団体").check()
    page.get_by_label("メモ").press_sequentially("助成金の申請と会則の見直しについて")
    suggestions = page.locator("[data-suggest] button")
    grant = suggestions.filter(has_text="活動費・助成金・会計")
    expect(grant).to_have_count(1)
    expect(suggestions.filter(has_text="会則・会議・役割分担")).to_have_count(1)
    assert suggestions.count() <= 3
    checkboxes = page.locator('.category-group:not([hidden]) input[type="checkbox"]')
    expect(checkboxes).to_have_count(4)
    for index in range(4):
        expect(checkboxes.nth(index)).not_to_be_checked()

    grant.click()
    expect(page.get_by_role("checkbox", name="活動費・助成金・会計")).to_be_checked()
    expect(grant).to_have_attribute("aria-pressed", "true")
    expect(page.get_by_role("checkbox", name="チラシ・広報")).not_to_be_checked()
    screenshot(page, "record_suggestions" if width == 1280 else "record_suggestions_390")

    # Unticking the checkbox by hand is mirrored on the button; a tap toggles.
    page.get_by_role("checkbox", name="活動費・助成金・会計").uncheck()
    expect(grant).to_have_attribute("aria-pressed", "false")
    grant.click()
    expect(page.get_by_role("checkbox", name="活動費・助成金・会計")).to_be_checked()
    grant.click()
    expect(page.get_by_role("checkbox", name="活動費・助成金・会計")).not_to_be_checked()

    # Another note, other suggestions.
    note = page.get_by_label("メモ")
    note.fill("")
    note.press_sequentially("チラシを作りたい")
    expect(suggestions.first).to_have_text("チラシ・広報")


def test_each_consultation_of_an_outing_gets_its_own_suggestions(page, trained) -> None:  # type: ignore[no-untyped-def]
    login(page, "sato", PASSWORD)
    page.goto("/records/outing/")
    first, second = (page.locator("[data-formset-row]").nth(i) for i in (0, 1))
    first.get_by_role("radio", name="地域活動団体").check()
    first.get_by_label("メモ").press_sequentially("チラシの印刷")
    second.get_by_role("radio", name="地域活動団体").check()
    second.get_by_label("メモ").press_sequentially("会則の見直し")
    expect(first.locator("[data-suggest] button").first).to_have_text("チラシ・広報")
    expect(second.locator("[data-suggest] button").first).to_have_text("会則・会議・役割分担")
    second.locator("[data-suggest] button").first.click()
    expect(second.get_by_role("checkbox", name="会則・会議・役割分担")).to_be_checked()
    expect(first.get_by_role("checkbox", name="会則・会議・役割分担")).not_to_be_checked()
