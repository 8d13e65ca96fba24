"""The note search through its trigram index (issue #14): the records list finds exactly
what the substring search of the normalised note finds, whether the index answers (three
characters or more) or the LIKE does (one or two), and the index follows every write."""

import io
import re
from datetime import date
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tsunagu.lib.textnorm import normalize
from tsunagu.records import note_index
from tsunagu.records.apps import _ensure_note_index
from tsunagu.records.models import Place, SupportRecord
from tsunagu.records.services import delete_record, purge_record, restore_record

pytestmark = pytest.mark.django_db

sqlite_only = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="the FTS5 index and its triggers are SQLite's"
)


def shown(response: Any) -> set[int]:
    """The ids of the records the list shows (each row links to its record)."""
    assert response.status_code == 200
    return {int(pk) for pk in re.findall(r'href="/records/(\d+)/"', response.content.decode())}


def make(lists: Any, staff: Any, note: str, day: date = date(2020, 6, 1)) -> SupportRecord:
    record = SupportRecord(
        date=day,
        staff=staff,
        activity_kind=lists[f"kind{2020 if day >= date(2020, 4, 1) else 2019}:相談対応"],
        place=Place.OFFICE,
        note=note,
    )
    record.save()
    return record


def search(query: str) -> set[int]:
    """The index search of the app (records/note_index.py) over every record."""
    return set(
        note_index.matching(SupportRecord.objects.all(), normalize(query)).values_list(
            "pk", flat=True
        )
    )


def like(query: str) -> set[int]:
    """Today's search before the index: the LIKE over the note key."""
    return set(
        SupportRecord.objects.filter(note_key__contains=normalize(query)).values_list(
            "pk", flat=True
        )
    )


def integrity() -> None:
    """FTS5's own check of the index against the records table (raises if they differ)."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO records_note_index (records_note_index, rank) "
                "VALUES ('integrity-check', 1)"
            )


NOTES = [
    "いきいきサロンひだまりで買い物の困りごとを聞いた。",
    "ｻﾛﾝ　ひだまり の代表と電話。",
    "さろんヒダマリ訪問",
    "ＡＢＣ体操の会 abc",
    "Café のチラシ（１００部）を渡した",
    "Σ会議のメモ",
    '50%の参加、_下線_と"引用"',
    "",
]


@pytest.mark.parametrize(
    "query",
    [
        "サロン",
        "ｻﾛﾝ",
        "さろんひだまり",
        "サロン　ひだまり",
        "ABC",
        "ａｂｃ体操",
        "café",
        "１００部",
        "100",
        "σ会議",
        "Σ会議",
        "50%",
        "_下線_",
        '"引用"',
        "困りごと",
        "ない言葉",
        # Shorter than a trigram: the LIKE answers.
        "サ",
        "ひだ",
        "%",
        "Σ",
    ],
)
def test_the_index_finds_what_the_substring_search_finds(
    lists: Any, staff_user: Any, query: str
) -> None:
    records = {make(lists, staff_user, note).pk: note for note in NOTES}
    expected = {pk for pk, note in records.items() if normalize(query) in normalize(note)}
    assert search(query) == expected == like(query)


def test_full_width_and_katakana_find_the_same_notes(lists: Any, staff_user: Any) -> None:
    salon = {make(lists, staff_user, note).pk for note in NOTES[:3]}
    assert search("サロンひだまり") == search("ｻﾛﾝﾋﾀﾞﾏﾘ") == search("さろん ひだまり") == salon


NOTE_TEXT = st.text(alphabet="さろんサロンｻﾛﾝひだまりﾞ abcABCａｂｃ１1ー・。%_\"'Σσ　", max_size=12)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(notes=st.lists(NOTE_TEXT, min_size=1, max_size=6), query=NOTE_TEXT, pick=st.integers())
def test_any_query_finds_exactly_the_notes_that_contain_it(
    lists: Any, staff_user: Any, notes: list[str], query: str, pick: int
) -> None:
    SupportRecord.objects.all().delete()
    records = {make(lists, staff_user, note).pk: note for note in notes}
    # Half the time a piece of one of the notes, so that there is something to find.
    if pick % 2:
        note = normalize(notes[pick % len(notes)])
        start = pick % (len(note) + 1)
        query = note[start : start + 3 + pick % 4]
    expected = {pk for pk, note in records.items() if normalize(query) in normalize(note)}
    assert search(query) == expected
    assert like(query) == expected
    integrity()


def test_the_list_searches_only_the_years_live_records(
    client: Any, lists: Any, staff_user: Any
) -> None:
    found = make(lists, staff_user, "サロンひだまりで相談")
    short = make(lists, staff_user, "ひだ")
    deleted = make(lists, staff_user, "サロンひだまりの片付け")
    other_year = make(lists, staff_user, "サロンひだまり（昨年度）", day=date(2019, 6, 1))
    delete_record(by=staff_user, record=deleted)
    client.force_login(staff_user)
    assert shown(client.get("/records/?fy=2020&q=ｻﾛﾝ　ﾋﾀﾞﾏﾘ")) == {found.pk}
    assert shown(client.get("/records/?fy=2019&q=サロンひだまり")) == {other_year.pk}
    # One or two characters: the LIKE, with the same year and trash rules.
    assert shown(client.get("/records/?fy=2020&q=ひだ")) == {found.pk, short.pk}
    assert shown(client.get("/records/?fy=2020&q=ヒ")) == {found.pk, short.pk}
    restore_record(by=staff_user, record=deleted)
    assert shown(client.get("/records/?fy=2020&q=サロンひだまり")) == {found.pk, deleted.pk}


def test_edits_deletions_and_restores_keep_the_index_in_step(
    lists: Any, staff_user: Any, admin_user: Any
) -> None:
    record = make(lists, staff_user, "民生委員と打ち合わせ")
    assert search("民生委員") == {record.pk}
    record.note = "自治会長と打ち合わせ"
    record.save()
    assert search("民生委員") == set()
    assert search("自治会長") == {record.pk}
    record.save(update_fields=["note"])  # the key follows the note (with_derived_fields)
    assert search("自治会長") == {record.pk}
    SupportRecord.objects.filter(pk=record.pk).update(
        note="ボランティア", note_key=normalize("ボランティア")
    )
    assert search("ボランティア") == {record.pk}
    assert search("自治会長") == set()
    delete_record(by=staff_user, record=record)
    restore_record(by=staff_user, record=record)
    assert search("ボランティア") == {record.pk}
    integrity()
    delete_record(by=staff_user, record=record)
    purge_record(by=admin_user, record=record)
    assert search("ボランティア") == set()
    integrity()


def test_bulk_writes_below_the_orm_are_indexed(lists: Any, staff_user: Any) -> None:
    """bulk_create and the importer's executemany skip save(): the triggers still see them."""
    made = SupportRecord.objects.bulk_create(
        SupportRecord(
            date=date(2020, 7, 1),
            fiscal_year=2020,
            staff=staff_user,
            activity_kind=lists["kind2020:相談対応"],
            place=Place.OFFICE,
            note=note,
            note_key=normalize(note),
        )
        for note in ["子ども食堂の見学", "子ども食堂の会計"]
    )
    assert search("子ども食堂") == {r.pk for r in made}
    integrity()


@sqlite_only
def test_the_rebuild_command_restores_a_lost_index(lists: Any, staff_user: Any) -> None:
    record = make(lists, staff_user, "ふれあい給食の配達")
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO records_note_index (records_note_index) VALUES ('delete-all')")
    assert search("ふれあい給食") == set()
    out = io.StringIO()
    call_command("rebuild_note_index", stdout=out)
    assert out.getvalue().strip() == "メモ検索の索引（SQLite FTS5）を記録の表から作り直しました。"
    assert search("ふれあい給食") == {record.pk}
    integrity()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's REINDEX")
def test_the_rebuild_command_reindexes_on_postgresql(lists: Any, staff_user: Any) -> None:
    record = make(lists, staff_user, "ふれあい給食の配達")
    out = io.StringIO()
    call_command("rebuild_note_index", stdout=out)
    assert "REINDEX" in out.getvalue()
    assert search("ふれあい給食") == {record.pk}


@sqlite_only
def test_triggers_a_table_remake_dropped_come_back_after_migrate(
    lists: Any, staff_user: Any
) -> None:
    """Django remakes a SQLite table for many schema changes, dropping its triggers;
    post_migrate puts them back and rebuilds the index for what was written meanwhile."""
    with connection.cursor() as cursor:
        for name in note_index.TRIGGERS:
            cursor.execute(f"DROP TRIGGER {name}")
    written_meanwhile = make(lists, staff_user, "見守り活動の報告")
    assert search("見守り活動") == set()
    assert note_index.missing_triggers(connection) == list(note_index.TRIGGERS)
    _ensure_note_index(using="default")
    assert note_index.missing_triggers(connection) == []
    assert search("見守り活動") == {written_meanwhile.pk}
    later = make(lists, staff_user, "見守り活動の相談")
    assert search("見守り活動") == {written_meanwhile.pk, later.pk}
    integrity()
