"""相談対応 is refused without a consulter type, in the browser (issue #13, point 3)."""

from playwright.sync_api import expect

from tests.conftest import PASSWORD
from tests.e2e.conftest import login
from tests.e2e.test_records import setting  # noqa: F401  (the shared fixture)
from tsunagu.records.models import SupportRecord


def test_a_consultation_without_a_type_is_refused(page, setting) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    assert setting["kinds"]["相談対応"].is_consultation  # named 相談…, so it counts as one
    login(page, "sato", PASSWORD)
    page.goto("/records/new/")
    page.get_by_role("radio", name="相談対応").check()
    page.get_by_role("radio", name="相談ではない").check()
    target = page.get_by_role("combobox", name="支援先")
    target.press_sequentially("ひだまり")
    page.get_by_role("option", name="いきいきサロンひだまり").click()
    page.get_by_label("メモ").fill("電話で相談を受けた")
    page.get_by_role("button", name="保存", exact=True).click()

    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("活動種別「相談対応」は相談として数える種別です。")
    expect(summary).to_contain_text("相談者区分を選んでください")
    expect(page.get_by_label("メモ")).to_have_value("電話で相談を受けた")
    expect(page.get_by_role("combobox", name="支援先")).to_have_value("いきいきサロンひだまり")
    assert not SupportRecord.objects.exists()

    page.get_by_role("radio", name="ニーズを抱えている個人").check()
    page.get_by_role("checkbox", name="近況報告など").check()
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.locator("#saved")).to_contain_text("相談対応")
    assert SupportRecord.objects.get().consulter_type.name == "ニーズを抱えている個人"
