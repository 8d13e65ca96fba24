"""A staff member undoes their own deletion from the trash (issue #13, point 6)."""

from django.utils import timezone
from playwright.sync_api import expect

from tests.conftest import PASSWORD
from tests.e2e.conftest import login, screenshot
from tests.e2e.test_records import setting  # noqa: F401  (the shared fixture)
from tsunagu.records.models import Category, Place, SupportRecord
from tsunagu.records.services import RecordData, create_record


def test_a_staff_member_deletes_a_record_and_restores_it(page, setting) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    record = create_record(
        by=setting["staff"],
        data=RecordData(
            values={
                "date": timezone.localdate(),
                "staff": setting["staff"],
                "activity_kind": setting["kinds"]["相談対応"],
                "place": Place.OUTREACH,
                "target_group": setting["group"],
                "consulter_type": setting["types"]["ニーズを抱えている個人"],
                "note": "消してしまったメモ",
            },
            categories=list(Category.objects.filter(name="近況報告など")),
        ),
    )
    login(page, "sato", PASSWORD)
    page.goto(f"/records/{record.pk}/")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="削除").click()
    expect(page.get_by_text("ごみ箱に移しました")).to_be_visible()

    page.get_by_role("link", name="ごみ箱を開く").click()
    row = page.get_by_role("row").filter(has_text="いきいきサロンひだまり")
    expect(row).to_be_visible()
    expect(page.get_by_role("button", name="完全に削除")).to_have_count(0)
    screenshot(page, "trash_staff")
    row.get_by_role("button", name="元に戻す").click()
    expect(page.get_by_text("の記録を元に戻しました")).to_be_visible()
    expect(page.get_by_text("ごみ箱は空です。")).to_be_visible()

    page.goto(f"/records/{record.pk}/")
    expect(page.get_by_text("消してしまったメモ")).to_be_visible()
    assert SupportRecord.objects.get(pk=record.pk).deleted_at is None
