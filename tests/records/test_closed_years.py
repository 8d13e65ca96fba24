"""Every screen that changes a record of a closed year says so before the user saves or
confirms, in the one sentence of reports/closures.py."""

import html

from tsunagu.records.models import SupportRecord
from tsunagu.records.services import delete_record
from tsunagu.reports.closures import closed_notice, closed_years, is_closed
from tsunagu.reports.models import YearClosure

TAIL = "公表済みの集計は変わりません（実績報告の画面に違いとして表示されます）。"


def close(year: int, admin_user) -> None:  # type: ignore[no-untyped-def]
    YearClosure.objects.create(fiscal_year=year, data={}, closed_by=admin_user)


def test_the_question_and_its_sentences(db, admin_user) -> None:  # type: ignore[no-untyped-def]
    close(2019, admin_user)
    closure = YearClosure.objects.create(fiscal_year=2018, data={}, closed_by=admin_user)
    closure.reopened_at = closure.closed_at
    closure.save(update_fields=["reopened_at"])
    assert (is_closed(2019), is_closed(2018), is_closed(2020)) == (True, False, False)
    assert closed_years() == {2019}
    assert (
        closed_notice(2019, "delete")
        == f"この記録の年度（令和元年度）は締められています。削除しても{TAIL}"
    )
    assert (
        closed_notice(2019, "create")
        == f"この日付の年度（令和元年度）は締められています。保存しても{TAIL}"
    )


def test_the_delete_confirmation_says_the_year_is_closed(staff_client, record, admin_user) -> None:  # type: ignore[no-untyped-def]
    url = f"/records/{record.pk}/"
    plain = 'data-confirm="この記録を削除しますか？'
    assert plain in staff_client.get(url).content.decode()
    close(2020, admin_user)
    page = html.unescape(staff_client.get(url).content.decode())
    assert (
        f'data-confirm="この記録の年度（令和2年度）は締められています。削除しても{TAIL}'
        "この記録を削除しますか？ごみ箱から30日間は元に戻せます。" in page
    )


def test_the_restore_confirmation_says_the_year_is_closed(  # type: ignore[no-untyped-def]
    staff_client, record, staff_user, admin_user
) -> None:
    delete_record(by=staff_user, record=record)
    restore = f'action="/records/{record.pk}/restore/"'
    page = staff_client.get("/records/trash/").content.decode()
    assert f"{restore}>" in page  # an open year: restored at once, no question
    close(2020, admin_user)
    page = html.unescape(staff_client.get("/records/trash/").content.decode())
    assert (
        f'{restore} data-confirm="この記録の年度（令和2年度）は締められています。元に戻しても{TAIL}'
        '元に戻しますか？"' in page
    )
    staff_client.post(f"/records/{record.pk}/restore/")
    assert SupportRecord.objects.alive().filter(pk=record.pk).exists()


def test_the_edit_screen_warns_of_a_move_into_or_out_of_a_closed_year(  # type: ignore[no-untyped-def]
    staff_client, record, admin_user
) -> None:
    close(2019, admin_user)
    assert (
        "締められています" not in staff_client.get(f"/records/{record.pk}/edit/").content.decode()
    )
    base = {"version": record.version, "stored_year": "2020"}
    into = staff_client.post("/records/choices/", {**base, "date": "2019-06-10"}).content.decode()
    assert f"この日付の年度（令和元年度）は締められています。保存しても{TAIL}" in into
    record.date = record.date.replace(year=2019)
    record.fiscal_year = 2019
    record.save(update_fields=["date", "fiscal_year"])
    page = staff_client.get(f"/records/{record.pk}/edit/").content.decode()
    assert 'name="stored_year" value="2019"' in page
    assert f"この記録の年度（令和元年度）は締められています。直しても{TAIL}" in page
    # Moved out of the closed year: that year's figures change all the same.
    out = staff_client.post(
        "/records/choices/",
        {"version": record.version, "stored_year": "2019", "date": "2020-06-10"},
    ).content.decode()
    assert f"この記録の年度（令和元年度）は締められています。直しても{TAIL}" in out
    # A bad stored year is ignored, not an error.
    page = staff_client.post(
        "/records/choices/", {"version": "1", "stored_year": "x" * 9, "date": "2020-06-10"}
    )
    assert page.status_code == 200 and "締められています" not in page.content.decode()


def test_the_category_editor_warns_in_the_same_words(admin_client, admin_user, lists) -> None:  # type: ignore[no-untyped-def]
    close(2020, admin_user)
    page = admin_client.get("/categories/kinds/?year=2020").content.decode()
    assert closed_notice(2020, "list") in page
