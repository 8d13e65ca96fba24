"""The plans of the pages' main queries use an index on both databases (issue #14): a
full scan of the records table fails here, whatever the table's size. PostgreSQL is
asked with sequential scans disabled, so that on a tiny test table its planner still
shows whether an index can serve the query at all."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

from django.db import connection
from django.db.models import QuerySet

from tsunagu.records.models import SupportRecord

TABLE = SupportRecord._meta.db_table


@contextmanager
def no_seqscan() -> Iterator[None]:
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET enable_seqscan")


def plan(queryset: QuerySet) -> str:  # type: ignore[type-arg]
    with no_seqscan():
        return queryset.explain()


def assert_no_full_scan(text: str, index: str) -> None:
    if connection.vendor == "sqlite":
        assert f"SCAN {TABLE}" not in text, text
        assert f"INDEX {index}" in text, text
    else:
        assert f"Seq Scan on {TABLE}" not in text, text
        assert index in text, text


def test_home_follow_ups_seek_the_partial_index(record, staff_user) -> None:  # type: ignore[no-untyped-def]
    queryset = SupportRecord.objects.follow_ups_due(staff_user, date(2020, 7, 1))
    text = plan(queryset)
    assert_no_full_scan(text, "record_follow_up_due")
    if connection.vendor == "sqlite":
        # The seek narrows by the due date too, not by staff alone.
        assert "(staff_id=? AND follow_up_due<?)" in text, text
