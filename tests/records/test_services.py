from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tsunagu.audit.models import AuditEntry
from tsunagu.records.models import Place, SupportRecord
from tsunagu.records.services import (
    EditConflict,
    RecordData,
    create_record,
    delete_record,
    purge_expired,
    purge_record,
    record_outing,
    restore_record,
    update_record,
)


def data_like(record: SupportRecord, **changes) -> RecordData:  # type: ignore[no-untyped-def]
    values = {
        "date": record.date,
        "staff": record.staff,
        "activity_kind": record.activity_kind,
        "place": record.place,
        "target_group": record.target_group,
        "consulter_type": record.consulter_type,
        "consent": record.consent,
        "note": record.note,
    }
    categories = changes.pop("categories", list(record.categories.all()))
    values.update(changes)
    return RecordData(values=values, categories=categories)


def test_created_record_derives_area_and_fiscal_year(record, city) -> None:  # type: ignore[no-untyped-def]
    assert record.fiscal_year == 2020
    assert record.zone == city["east"] and record.region == city["honcho"]
    assert [link.get_action_display() for link in record.agency_links.all()] == ["紹介・つなぎ"]
    entry = AuditEntry.objects.get(action="records.record.created")
    assert entry.changes["note"] == "＊＊＊"  # the note itself never reaches the log


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"date": timezone.localdate() + timedelta(days=1)}, "未来の日付は記録できません。"),
        ({"date": date(2019, 6, 1)}, "活動種別「相談対応」は令和2年度のものです。"),
        ({"categories": []}, "相談内容を一つ以上選んでください。"),
    ],
)
def test_bad_records_are_refused_with_a_reason(record, lists, change, message) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as error:
        create_record(by=record.staff, data=data_like(record, **change))
    assert any(message in m for m in error.value.messages)
    assert SupportRecord.objects.count() == 1


def test_category_of_another_type_or_year_is_refused(record, lists) -> None:  # type: ignore[no-untyped-def]
    for wrong in (lists["cat2020:ボランティアしたい"], lists["cat2019:近況報告など"]):
        with pytest.raises(ValidationError) as error:
            create_record(by=record.staff, data=data_like(record, categories=[wrong]))
        assert "この記録には使えません" in error.value.messages[0]


def test_consultation_without_categories_for_total_only_type(record, lists) -> None:  # type: ignore[no-untyped-def]
    own = lists["types"]["市民社協の事業"]
    created = create_record(
        by=record.staff, data=data_like(record, consulter_type=own, categories=[])
    )
    assert created.consulter_type == own and not created.categories.exists()


def test_update_records_old_and_new_values_and_bumps_version(record, lists) -> None:  # type: ignore[no-untyped-def]
    updated = update_record(
        by=record.staff,
        record=record,
        data=data_like(record, place=Place.PHONE, note="電話で様子を確認した。"),
        expected_version=1,
    )
    assert updated.version == 2 and updated.place == Place.PHONE
    entry = AuditEntry.objects.get(action="records.record.updated")
    assert entry.changes["place"] == ["outreach", "phone"]
    assert entry.changes["note"] == ["＊＊＊", "＊＊＊"]


def test_second_save_of_the_same_version_is_refused_with_the_differences(
    record, admin_user
) -> None:  # type: ignore[no-untyped-def]
    update_record(
        by=admin_user, record=record, data=data_like(record, place=Place.PHONE), expected_version=1
    )
    with pytest.raises(EditConflict) as error:
        update_record(
            by=record.staff,
            record=record,
            data=data_like(record, place=Place.EMAIL),
            expected_version=1,
        )
    assert "管理 一郎さんが保存しました" in error.value.messages[0]
    assert ("場所", "電話", "メール") in error.value.changes
    record.refresh_from_db()
    assert record.place == Place.PHONE  # the first save is not lost


def test_delete_restore_purge(record, admin_user) -> None:  # type: ignore[no-untyped-def]
    delete_record(by=record.staff, record=record)
    assert not SupportRecord.objects.alive().exists()
    with pytest.raises(ValidationError):
        update_record(by=record.staff, record=record, data=data_like(record), expected_version=1)
    restore_record(by=admin_user, record=record)
    assert SupportRecord.objects.alive().count() == 1
    with pytest.raises(ValidationError):
        purge_record(by=admin_user, record=record)  # not in the trash
    delete_record(by=record.staff, record=record)
    purge_record(by=admin_user, record=record)
    assert not SupportRecord.objects.exists()
    actions = list(
        AuditEntry.objects.filter(action__startswith="records.record").values_list(
            "action", flat=True
        )
    )
    assert sorted(set(actions)) == sorted(
        {
            "records.record.created",
            "records.record.deleted",
            "records.record.restored",
            "records.record.purged",
        }
    )


def test_trash_is_purged_after_thirty_days(record) -> None:  # type: ignore[no-untyped-def]
    delete_record(by=record.staff, record=record)
    assert purge_expired(by=None, now=timezone.now() + timedelta(days=29)) == 0
    assert purge_expired(by=None, now=timezone.now() + timedelta(days=31)) == 1
    assert not SupportRecord.objects.exists()


def test_outing_saves_all_or_nothing(lists, city, staff_user) -> None:  # type: ignore[no-untyped-def]
    shared = {
        "date": date(2020, 7, 1),
        "staff": staff_user,
        "place": Place.OUTREACH,
        "target_group": city["hidamari"],
    }
    individual = lists["types"]["ニーズを抱えている個人"]
    good = RecordData(
        values={"activity_kind": lists["kind2020:相談対応"], "consulter_type": individual},
        categories=[lists["cat2020:その他"]],
    )
    bad = RecordData(
        values={"activity_kind": lists["kind2020:相談対応"], "consulter_type": individual}
    )
    with pytest.raises(ValidationError):
        record_outing(
            by=staff_user,
            shared=shared,
            visit={"activity_kind": lists["kind2020:出向き・参加"]},
            consultations=[good, bad],
        )
    assert not SupportRecord.objects.exists()
    records = record_outing(
        by=staff_user,
        shared=shared,
        visit={"activity_kind": lists["kind2020:出向き・参加"]},
        consultations=[good, good],
    )
    assert len(records) == 3
    assert {r.target_group for r in records} == {city["hidamari"]}
    assert SupportRecord.objects.consultations().count() == 2


def test_purge_trash_command_reports_what_it_did(record) -> None:  # type: ignore[no-untyped-def]
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("purge_trash", stdout=out)
    assert "0件" in out.getvalue()
    assert SupportRecord.objects.count() == 1
