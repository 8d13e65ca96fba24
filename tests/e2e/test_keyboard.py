"""The keyboard starts where the work is: an entry form opens with its first field
focused, and a submit the server refuses puts focus on the summary of what to fix (which
a screen reader announces), so nobody Tabs through the menus to get back to the form."""

from io import StringIO

from django.core.management import call_command
from playwright.sync_api import expect

from tests.e2e.conftest import login
from tsunagu.demo.directory import DEMO_PASSWORD


def test_the_record_form_opens_on_the_date_and_a_refusal_focuses_its_summary(
    page, transactional_db
) -> None:  # type: ignore[no-untyped-def]
    call_command("demo", stdout=StringIO())
    login(page, "sato", DEMO_PASSWORD)
    page.goto("/records/new/")
    date = page.get_by_label("日付")
    expect(date).to_be_focused()
    page.keyboard.press("Control+A")
    page.keyboard.type("2026-13-40")  # typed straight away, no Tab first
    expect(date).to_have_value("2026-13-40")

    page.get_by_role("button", name="保存", exact=True).click()
    summary = page.get_by_role("alert").filter(has_text="入力内容を確認してください")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    # The summary's links lead back to the fields; what was typed is still there.
    expect(summary.get_by_role("link", name="日付")).to_be_visible()
    expect(page.get_by_label("日付")).to_have_value("2026-13-40")


def test_other_entry_forms_open_on_their_first_field(page, transactional_db) -> None:  # type: ignore[no-untyped-def]
    call_command("demo", stdout=StringIO())
    login(page, "admin", DEMO_PASSWORD)
    page.goto("/cases/new/")
    expect(
        page.locator("main form[data-autofocus] :is(input, select, textarea):visible").first
    ).to_be_focused()
    page.goto("/records/")  # a list: its filters do not take the focus
    expect(page.locator("main form :focus")).to_have_count(0)
