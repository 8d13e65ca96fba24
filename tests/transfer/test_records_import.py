"""Importing support records: every row or nothing, with every error explained."""

from datetime import date, time, timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.transfer.conftest import record_row, records_file, run_import
from tsunagu.audit.models import AuditEntry
from tsunagu.lib.tabular import write_csv, write_xlsx
from tsunagu.records.models import NOTE_MAX_LENGTH, AgencyAction, ImportBatch, Place, SupportRecord
from tsunagu.transfer.formats import RECORD_COLUMNS, RECORD_CORE_COLUMNS
from tsunagu.transfer.importers.base import ImportRefused


def refused(data: bytes, filename: str = "t.csv") -> ImportRefused:
    with pytest.raises(ImportRefused) as error:
        run_import("records", data, filename)
    assert not SupportRecord.objects.exists()
    assert not ImportBatch.objects.exists()
    return error.value


def test_a_consultation_imports_with_its_categories_agencies_and_area(world, admin_user) -> None:  # type: ignore[no-untyped-def]
    data = records_file(
        record_row(
            活動種別="相談対応",
            相談者区分="地域活動団体",
            相談内容="活動費・助成金・会計|ﾁﾗｼ・広報作成",
            関係機関="子ども政策課｜みどり台地域包括支援センター（紹介・つなぎ）",
            働きかけ="〇",
            同意="はい",
            メモ="会計の引き継ぎ、\n「次回」確認",
        )
    )
    result = run_import("records", data, by=admin_user)
    assert result.message == "支援記録 1件を取り込みました。"
    record = SupportRecord.objects.get()
    assert record.date == date(2020, 6, 1) and record.fiscal_year == 2020
    assert record.staff and record.staff.username == "shokuin"
    assert record.activity_kind == world["kinds"][2020, "相談対応"]
    assert record.place == Place.OUTREACH
    assert record.target_group == world["hidamari"] and record.target_region is None
    assert (record.zone, record.region) == (world["east"], world["honcho"])
    assert [c.name for c in record.categories.order_by("order")] == [
        "活動費・助成金・会計",
        "チラシ・広報作成",
    ]
    assert {(a.agency.name, a.action) for a in record.agency_links.all()} == {
        ("子ども政策課", AgencyAction.LIAISON),
        ("みどり台地域包括支援センター", AgencyAction.REFERRAL),
    }
    assert record.initiated and record.consent
    assert record.note == "会計の引き継ぎ、\n「次回」確認"
    assert record.note_key == "会計の引き継ぎ、「次回」確認"
    assert record.import_batch == result.batch and record.created_by == admin_user
    assert result.batch.row_count == 1 and result.batch.imported_by == admin_user
    entry = AuditEntry.objects.get(action="transfer.imported")
    assert entry.actor == admin_user
    assert entry.changes == {"kind": "records", "filename": "t.csv", "rows": 1}


def test_empty_optional_cells_and_a_region_target(world) -> None:  # type: ignore[no-untyped-def]
    run_import(
        "records",
        records_file(
            record_row(
                担当職員="", 支援先="境南地域社協", 場所="電話", 活動種別="話し合いへの参加"
            ),
            record_row(
                支援先="", 地域="本町地域社協", 相談者区分="市民社協の事業", 活動種別="相談対応"
            ),
            record_row(日付="R2.6.2", 支援先="", 関係機関="旧福祉課"),
        ),
    )
    first, second, third = SupportRecord.objects.order_by("id")
    assert first.staff is None and first.target_region == world["kyonan"]
    assert (first.zone, first.region) == (world["west"], world["kyonan"])
    assert second.target is None and (second.zone, second.region) == (
        world["east"],
        world["honcho"],
    )
    assert second.consulter_type and second.consulter_type.name == "市民社協の事業"
    # an inactive agency is fine in an import of past years
    assert third.date == date(2020, 6, 2) and third.agencies.get() == world["old"]
    assert third.zone is None and third.region is None


def test_optional_columns_set_time_duration_follow_up_and_zone(world) -> None:  # type: ignore[no-untyped-def]
    row = dict(zip(RECORD_CORE_COLUMNS, record_row(支援先=""), strict=True))
    row |= {"圏域": "西部圏域", "時刻": "１０：３０", "所要時間": "45", "フォローアップ": "〇"}
    row |= {"フォローアップ期日": "2020/6/15"}
    run_import("records", write_csv(RECORD_COLUMNS, [[row.get(c) for c in RECORD_COLUMNS]]))
    record = SupportRecord.objects.get()
    assert record.zone == world["west"] and record.region is None
    assert record.time == time(10, 30) and record.duration_minutes == 45
    assert record.follow_up and record.follow_up_due == date(2020, 6, 15)


def support_kind_file(*values: str) -> bytes:
    rows = []
    for value in values:
        row = dict(zip(RECORD_CORE_COLUMNS, record_row(), strict=True))
        rows.append([(row | {"個別・地域の区分": value}).get(c) for c in RECORD_COLUMNS])
    return write_csv(RECORD_COLUMNS, rows)


def test_the_support_kind_column_sets_or_leaves_the_choice(world) -> None:  # type: ignore[no-untyped-def]
    run_import("records", support_kind_file("個別支援", "地域支援", "", "地域支援　", "自動"))
    assert list(SupportRecord.objects.order_by("id").values_list("support_kind", flat=True)) == [
        "individual",
        "area",
        None,
        "area",
        None,  # 自動, as the entry form names the empty choice
    ]


def test_a_support_kind_that_is_not_one_is_refused_with_its_row(world) -> None:  # type: ignore[no-untyped-def]
    error = refused(support_kind_file("個別支援", "個別", "地域"))
    assert [(e.row, e.column, e.message) for e in error.row_errors] == [
        (
            3,
            "個別・地域の区分",
            "個別・地域の区分「個別」は使えません。「個別支援」か「地域支援」を書くか、空欄（自動）にしてください。",
        ),
        (
            4,
            "個別・地域の区分",
            "個別・地域の区分「地域」は使えません。「個別支援」か「地域支援」を書くか、空欄（自動）にしてください。",
        ),
    ]


def tomorrow() -> str:
    return (timezone.localdate() + timedelta(days=1)).isoformat()


BAD_ROWS: list[tuple[dict[str, Any], str, str]] = [
    ({"日付": ""}, "日付", "日付が空です。"),
    ({"日付": "2020-02-30"}, "日付", "「2020-02-30」は存在しない日付です。"),
    ({"日付": "TOMORROW"}, "日付", "は未来の日付です。未来の記録は取り込めません。"),
    ({"担当職員": "山田 花子"}, "担当職員", "職員「山田 花子」が見つかりません。"),
    ({"活動種別": "見学"}, "活動種別", "活動種別「見学」は令和2年度の一覧にありません。"),
    ({"日付": "2017-06-01"}, "活動種別", "平成29年度の活動種別がまだありません。"),
    (
        {"場所": "喫茶店"},
        "場所",
        "場所「喫茶店」は使えません。「出向いた先」「来所」「電話」「メール」「訪問」「その他」のどれかを書いてください。",
    ),
    (
        {"支援先": "サロンこもれび"},
        "支援先",
        "支援先「サロンこもれび」が活動団体にも地域社協にも見つかりません。",
    ),
    ({"地域": "北町地域社協"}, "地域", "地域社協「北町地域社協」が見つかりません。"),
    ({"地域": "境南地域社協"}, "地域", "支援先「サロンひだまり」の地域は「本町地域社協」です。"),
    ({"相談者区分": "住民"}, "相談者区分", "相談者区分「住民」はありません。"),
    ({"相談内容": "近況報告"}, "相談内容", "相談内容を書くときは相談者区分も書いてください。"),
    (
        {"活動種別": "相談対応", "相談者区分": "地域活動団体"},
        "相談内容",
        "「地域活動団体」の相談は、相談内容を一つ以上書いてください。",
    ),
    (
        {"活動種別": "相談対応", "相談者区分": "市民社協の事業", "相談内容": "近況報告"},
        "相談内容",
        "「市民社協の事業」の相談には相談内容の分類はありません。",
    ),
    (
        {"活動種別": "相談対応", "相談者区分": "地域活動団体", "相談内容": "近況報告"},
        "相談内容",
        "相談内容「近況報告」は令和2年度の「ニーズを抱えている個人」の分類です。",
    ),
    (
        {"活動種別": "相談対応", "相談者区分": "地域活動団体", "相談内容": "チラシ・広報"},
        "相談内容",
        "相談内容「チラシ・広報」は令和2年度の「地域活動団体」の一覧にありません（令和元年度の分類です）。",
    ),
    (
        {
            "活動種別": "相談対応",
            "相談者区分": "ボランティア希望（活動）者",
            "相談内容": "寄付したい",
        },
        "相談内容",
        "令和2年度の「ボランティア希望（活動）者」の分類がまだありません。",
    ),
    (
        {"活動種別": "相談対応", "相談者区分": "地域活動団体", "相談内容": "会則・会議|会則・会議"},
        "相談内容",
        "「会則・会議」が二度書かれています。",
    ),
    (
        {"活動種別": "相談対応"},
        "相談者区分",
        "活動種別「相談対応」は相談として数える種別です。相談者区分を書いてください。",
    ),
    (
        {"相談者区分": "市民社協の事業"},
        "相談者区分",
        "活動種別「出向き・参加」は相談として数えない種別です。",
    ),
    ({"関係機関": "消防署"}, "関係機関", "関係機関「消防署」が見つかりません。"),
    ({"働きかけ": "たぶん"}, "働きかけ", "「たぶん」は読み取れません。〇（はい）か空欄"),
    (
        {"メモ": "あ" * (NOTE_MAX_LENGTH + 1)},
        "メモ",
        "長すぎます（10,001文字）。10,000文字までにしてください。",
    ),
]


@pytest.mark.parametrize(("values", "column", "message"), BAD_ROWS)
def test_each_bad_value_is_named_and_nothing_is_imported(world, values, column, message) -> None:  # type: ignore[no-untyped-def]
    values = {k: tomorrow() if v == "TOMORROW" else v for k, v in values.items()}
    error = refused(records_file(record_row(), record_row(**values)))
    assert [(e.row, e.column) for e in error.row_errors] == [(3, column)]
    assert message in error.row_errors[0].message


def test_a_ten_megabyte_note_is_refused_with_its_row(world) -> None:  # type: ignore[no-untyped-def]
    error = refused(records_file(record_row(メモ="長" * 10_000_000)))
    assert error.row_errors[0].row == 2
    assert "文字数が多すぎます" in error.row_errors[0].message


def test_a_group_name_shared_by_two_zones_is_told_apart_by_the_region(world) -> None:  # type: ignore[no-untyped-def]
    from tsunagu.directory.models import ActivityGroup

    twin = ActivityGroup.objects.create(
        name="サロンひだまり", kind=world["salon"], zone=world["west"], region=world["kyonan"]
    )
    error = refused(records_file(record_row()))
    assert "「地域」の列に地域社協を書いて区別してください" in error.row_errors[0].message
    run_import("records", records_file(record_row(地域="境南地域社協")))
    assert SupportRecord.objects.get().target_group == twin


def test_a_name_shared_by_two_staff_members_asks_for_the_login_id(world) -> None:  # type: ignore[no-untyped-def]
    from tsunagu.accounts.models import User

    User.objects.create_user(username="shokuin2", last_name="職員", first_name="二郎")
    error = refused(records_file(record_row()))
    assert (
        error.row_errors[0].message
        == "「職員 二郎」という職員が2人います。ログインIDで書いてください。"
    )
    run_import("records", records_file(record_row(担当職員="shokuin2")))


def test_every_error_is_reported_with_the_list_capped(world) -> None:  # type: ignore[no-untyped-def]
    rows = [record_row(場所="喫茶店") for _ in range(250)]
    error = refused(records_file(*rows))
    assert len(error.row_errors) == 200 and error.hidden == 50 and error.count == 250
    assert error.lines()[-1] == "ほかに 50 件の問題があります。"


def test_ten_thousand_rows_with_one_bad_row_import_nothing_and_name_the_row(world) -> None:  # type: ignore[no-untyped-def]
    first_day = date(2020, 4, 1)
    rows = [
        record_row(日付=(first_day + timedelta(days=i % 365)).isoformat()) for i in range(10_000)
    ]
    rows[7_776] = record_row(活動種別="見学")
    error = refused(records_file(*rows))
    assert [(e.row, e.column) for e in error.row_errors] == [(7_778, "活動種別")]
    rows[7_776] = record_row()
    result = run_import("records", records_file(*rows))
    assert SupportRecord.objects.count() == 10_000 == result.batch.row_count
    assert (
        SupportRecord.objects.filter(fiscal_year=2020, import_batch=result.batch).count() == 10_000
    )


def test_the_same_file_twice_is_refused(world, admin_user) -> None:  # type: ignore[no-untyped-def]
    data = records_file(record_row())
    first = run_import("records", data, filename="令和2年度.csv", by=admin_user)
    with pytest.raises(ValidationError) as error:
        run_import("records", data, filename="別の名前.csv")
    when = timezone.localtime(first.batch.imported_at).strftime("%Y-%m-%d %H:%M")
    assert error.value.messages == [
        f"このファイルは {when} に 管理 一郎 さんが取り込み済みです（令和2年度.csv、1行）。"
        "同じファイルは二度取り込めません。"
    ]
    assert SupportRecord.objects.count() == 1


def test_an_xlsx_file_imports_like_a_csv(world) -> None:  # type: ignore[no-untyped-def]
    from datetime import datetime

    row = record_row(日付=None)
    row[0] = datetime(2020, 6, 1)  # noqa: DTZ001 - an Excel date cell has no time zone
    run_import("records", write_xlsx([("記録", RECORD_CORE_COLUMNS, [row])]), filename="t.xlsx")
    assert SupportRecord.objects.get().date == date(2020, 6, 1)


def test_a_bad_header_is_refused_before_any_row(world) -> None:  # type: ignore[no-untyped-def]
    data = write_csv(["日付", "活動種別", "備考"], [["2020-06-01", "出向き・参加", ""]])
    error = refused(data)
    text = "\n".join(error.messages)
    assert "使えない見出しがあります：「備考」" in text
    assert "必要な見出しがありません：「場所」。" in text


def test_reimporting_the_records_export_is_refused_and_changes_nothing(world) -> None:  # type: ignore[no-untyped-def]
    from tsunagu.transfer.exporters import export_file

    run_import("records", records_file(record_row(), record_row(日付="2020-07-01")))
    exported, rows = export_file("records", "csv")
    assert rows == 2
    error = refused_keeping(exported, count=2)
    first = SupportRecord.objects.order_by("date").first()
    assert first is not None
    assert [(e.row, e.column) for e in error.row_errors] == [(2, "記録ID"), (3, "記録ID")]
    assert error.row_errors[0].message == (
        f"記録ID {first.pk} の支援記録はすでにあります（2020-06-01・出向き・参加）。"
        "同じ記録を二重に取り込まないため、取り込みません。"
        "新しい記録として取り込むなら、記録IDを空欄にしてください。"
    )
    # One blank line more: another file to the digest check, the same records all the same.
    blank_line = exported.replace(b"\r\n", b"\r\n\r\n", 1)
    refused_keeping(blank_line, count=2)
    xlsx, _ = export_file("records", "xlsx")
    refused_keeping(xlsx, count=2, filename="r.xlsx")


def refused_keeping(data: bytes, *, count: int, filename: str = "r.csv") -> ImportRefused:
    """The import is refused and the records stay as they were."""
    batches = ImportBatch.objects.count()
    with pytest.raises(ImportRefused) as error:
        run_import("records", data, filename)
    assert SupportRecord.objects.count() == count
    assert ImportBatch.objects.count() == batches
    return error.value


def test_a_record_in_the_trash_is_refused_too_and_ids_may_not_repeat(world) -> None:  # type: ignore[no-untyped-def]
    run_import("records", records_file(record_row()))
    record = SupportRecord.objects.get()
    record.deleted_at = timezone.now()
    record.save(update_fields=["deleted_at"])
    headers = ["記録ID", *RECORD_CORE_COLUMNS]
    error = refused_keeping(write_csv(headers, [[record.pk, *record_row()]]), count=1)
    assert "の支援記録（ごみ箱の中）はすでにあります" in error.row_errors[0].message
    error = refused_keeping(
        write_csv(headers, [[900, *record_row()], [900, *record_row()], [0, *record_row()]]),
        count=1,
    )
    assert [(e.row, e.message) for e in error.row_errors] == [
        (3, "記録ID 900 は2行目にもあります。一つにしてください。"),
        (4, "記録IDは、つなぐ が出力した番号です。新しい記録では空欄にしてください。"),
    ]


def test_an_export_into_an_empty_database_keeps_its_ids_and_new_rows_follow(world) -> None:  # type: ignore[no-untyped-def]
    headers = ["記録ID", *RECORD_CORE_COLUMNS]
    data = write_csv(
        headers,
        [[5_000, *record_row()], [None, *record_row(日付="2020-07-01")], [4_000, *record_row()]],
    )
    run_import("records", data)
    ids = dict(SupportRecord.objects.values_list("pk", "date"))
    assert ids[5_000] == ids[4_000] == date(2020, 6, 1)
    (new_id,) = set(ids) - {4_000, 5_000}
    assert new_id > 5_000 and ids[new_id] == date(2020, 7, 1)
    # The database keeps numbering after them, also for records made on the screens.
    later = SupportRecord.objects.create(
        date=date(2020, 8, 1), activity_kind=world["kinds"][2020, "相談対応"], place="office"
    )
    assert later.pk > new_id
    # And the same rows again, as another file: refused, nothing doubled.
    refused_keeping(data + b"\r\n", count=4)


def test_with_update_an_existing_record_is_changed_not_copied(world, admin_user) -> None:  # type: ignore[no-untyped-def]
    from tsunagu.lib.tabular import read_table
    from tsunagu.transfer.exporters import export_file

    run_import("records", records_file(record_row(), record_row(日付="2020-07-01")))
    exported, _ = export_file("records", "csv")
    rows = [dict(row.values) for row in read_table(exported, "r.csv")]
    rows[1]["メモ"] = "電話で折り返し。"
    rows[1]["場所"] = "電話"
    data = write_csv(RECORD_COLUMNS, [[r.get(c) for c in RECORD_COLUMNS] for r in rows])
    refused_keeping(data, count=2)  # without the option: a second copy, refused
    result = run_import("records", data, by=admin_user, update=True)
    assert result.message == (
        "支援記録 0件を追加し、1件を更新しました（内容が同じで変更しなかった記録：1件）。"
    )
    assert SupportRecord.objects.count() == 2
    changed = SupportRecord.objects.get(pk=rows[1]["記録ID"])
    assert (changed.note, changed.place, changed.version) == ("電話で折り返し。", Place.PHONE, 2)
    assert changed.updated_by == admin_user
    assert SupportRecord.objects.get(pk=rows[0]["記録ID"]).version == 1
    entry = AuditEntry.objects.get(action="records.record.updated")
    assert entry.actor == admin_user and "note" in entry.changes


def test_update_needs_an_author_and_refuses_a_record_in_the_trash(world, admin_user) -> None:  # type: ignore[no-untyped-def]
    run_import("records", records_file(record_row()))
    record = SupportRecord.objects.get()
    data = write_csv(["記録ID", *RECORD_CORE_COLUMNS], [[record.pk, *record_row(メモ="追記")]])
    with pytest.raises(ValidationError) as error:
        run_import("records", data, update=True)
    assert "取り込む職員を指定してください" in error.value.messages[0]
    record.deleted_at = timezone.now()
    record.save(update_fields=["deleted_at"])
    with pytest.raises(ImportRefused) as refusal:
        run_import("records", data, by=admin_user, update=True)
    assert refusal.value.row_errors[0].message == (
        f"記録ID {record.pk} の支援記録はごみ箱の中にあります。更新するなら、先にごみ箱から戻してください。"
    )
    assert SupportRecord.objects.get().note == ""


def test_update_refuses_a_record_the_importer_may_not_edit(world, staff_user, admin_user) -> None:  # type: ignore[no-untyped-def]
    """Their export left the note of a case record out: an update must not wipe it."""
    from tsunagu.cases.models import Case
    from tsunagu.transfer.exporters import export_file

    run_import("records", records_file(record_row(メモ="ケースの相談メモ")))
    record = SupportRecord.objects.get()
    case = Case.objects.create(pseudonym="Tさん", zone=world["east"], opened_on=date(2020, 6, 1))
    case.staff.add(admin_user)
    case.records.add(record)
    exported, _ = export_file("records", "csv", for_user=staff_user)
    assert "ケースの相談メモ" not in exported.decode("utf-8-sig")
    with pytest.raises(ImportRefused) as error:
        run_import("records", exported, by=staff_user, update=True)
    assert error.value.row_errors[0].message.startswith(
        f"記録ID {record.pk} の支援記録は変更できません。記録の変更は職員と管理者が行います。"
    )
    assert SupportRecord.objects.get().note == "ケースの相談メモ"
