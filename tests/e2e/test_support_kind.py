"""個別支援・地域支援 chosen on the record form moves the record between the columns of the
report's 個別支援・地域支援 table (docs/records.md; records/support_kind.py,
reports/support_split.py), in the browser (issue #10)."""

from playwright.sync_api import expect

from tests.conftest import PASSWORD
from tests.e2e.conftest import login
from tests.e2e.test_records import setting  # noqa: F401  (the shared fixture)
from tsunagu.records.models import SupportKind, SupportRecord


def split_row(page, kind: str):  # type: ignore[no-untyped-def]
    """The report's 個別支援・地域支援 row of an activity kind: 個別支援, 地域支援, 計."""
    table = page.get_by_role("table", name="活動内容ごとの個別支援と地域支援の件数", exact=False)
    return table.get_by_role("row", name=kind, exact=False).first


def test_choosing_individual_or_area_moves_the_figure_in_the_report(page, setting) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    login(page, "sato", PASSWORD)
    page.goto("/records/new/")
    page.get_by_role("radio", name="話し合いへの参加").check()
    target = page.get_by_role("combobox", name="支援先")
    target.press_sequentially("ひだまり")
    page.get_by_role("option", name="いきいきサロンひだまり").click()
    choice = page.get_by_role("group", name="個別・地域の区分")
    # 自動 follows the target: a group is 地域支援 …
    expect(choice).to_contain_text("自動の区分：地域支援（支援先が活動団体・地域社協）")
    expect(choice.get_by_role("radio", name="自動")).to_be_checked()
    # … but this meeting was about one person: the staff member says so.
    choice.get_by_role("radio", name="個別支援").check()
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.locator("#saved")).to_contain_text("話し合いへの参加")
    record = SupportRecord.objects.get()
    assert record.support_kind == SupportKind.INDIVIDUAL

    page.goto(f"/records/{record.pk}/")
    expect(page.get_by_text("個別支援（記録で指定）")).to_be_visible()

    page.goto("/reports/")
    row = split_row(page, "話し合いへの参加")
    expect(row.locator("td").nth(0)).to_have_text("1件")  # 個別支援
    expect(row.locator("td").nth(1)).to_have_text("0件")  # 地域支援
    expect(row.locator("td").nth(2)).to_have_text("1件")

    # Edited to 地域支援: the one record moves across, the total stays.
    page.goto(f"/records/{record.pk}/edit/")
    choice = page.get_by_role("group", name="個別・地域の区分")
    expect(choice.get_by_role("radio", name="個別支援")).to_be_checked()
    choice.get_by_role("radio", name="地域支援").check()
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.locator("#saved")).to_contain_text("話し合いへの参加")
    assert SupportRecord.objects.get().support_kind == SupportKind.AREA

    page.goto("/reports/")
    row = split_row(page, "話し合いへの参加")
    expect(row.locator("td").nth(0)).to_have_text("0件")
    expect(row.locator("td").nth(1)).to_have_text("1件")
    expect(row.locator("td").nth(2)).to_have_text("1件")
    total = split_row(page, "合計")
    expect(total.locator("td").nth(0)).to_have_text("0件")
    expect(total.locator("td").nth(1)).to_have_text("1件")

    # Back to 自動 without a target: the rule's 個別支援 (no target: the person met).
    page.goto(f"/records/{record.pk}/edit/")
    page.get_by_role("combobox", name="支援先").fill("")
    choice = page.get_by_role("group", name="個別・地域の区分")
    choice.get_by_role("radio", name="自動").check()
    expect(choice).to_contain_text("自動の区分：個別支援（支援先が活動団体・地域社協でない）")
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.locator("#saved")).to_contain_text("話し合いへの参加")
    saved = SupportRecord.objects.get()
    assert saved.support_kind is None and saved.target_group is None

    page.goto("/reports/")
    row = split_row(page, "話し合いへの参加")
    expect(row.locator("td").nth(0)).to_have_text("1件")
    expect(row.locator("td").nth(1)).to_have_text("0件")
