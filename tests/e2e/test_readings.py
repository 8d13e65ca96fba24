"""Looking up by reading in the browser (issue #13, point 8): staff type how a name sounds,
in hiragana, and the picker offers the entry written in kanji."""

from playwright.sync_api import expect

from tests.conftest import PASSWORD
from tests.e2e.conftest import login
from tests.e2e.test_records import setting  # noqa: F401 (the fixture)


def test_typing_houkatsu_in_hiragana_offers_the_houkatsu_centre(page, setting) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    login(page, "sato", PASSWORD)
    page.goto("/records/new/")
    page.get_by_role("radio", name="ニーズを抱えている個人").check()
    agencies = page.get_by_role("combobox", name="関係機関")
    agencies.press_sequentially("ほうかつ")
    option = page.get_by_role("option", name="みどり台在宅介護・地域包括支援センター")
    expect(option).to_be_visible()
    agencies.press("Enter")
    expect(
        page.get_by_role("combobox", name="みどり台在宅介護・地域包括支援センターへの対応")
    ).to_be_visible()

    target = page.get_by_role("combobox", name="支援先")
    target.press_sequentially("ひだまり")
    expect(page.get_by_role("option", name="いきいきサロンひだまり")).to_be_visible()
