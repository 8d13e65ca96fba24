"""The note search's full-text index (issue #14).

The records list finds a note by a substring of its search key (`note_key`, made by
`tsunagu.lib.textnorm.normalize`: width, kana and ASCII case already folded). A LIKE
'%…%' can use no index and read every record of the year; a trigram index answers a
substring of three characters or more instead:

- on SQLite an FTS5 table `records_note_index` with the `trigram` tokenizer, its content
  the records table's own `note_key` (external content, no copy of the notes), kept in
  step by three triggers on the records table. `case_sensitive 1`: the key is already
  folded, and a folding tokenizer would fold more than `normalize` does (Σ and σ), so that
  it would find what the LIKE does not;
- on PostgreSQL a pg_trgm GIN index on `note_key`, which serves the very same LIKE (the
  rows it proposes are checked against the pattern, so the results are the LIKE's).

A query shorter than three characters has no trigram and keeps the LIKE on both.

Django remakes a SQLite table (new table, copy, drop, rename) for many later schema
changes, and the drop takes the triggers with it: after every migrate, `ensure_triggers`
puts back any that are missing and then rebuilds the index from the table.
"""

from typing import Any

from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.expressions import RawSQL

INDEX = "records_note_index"
TABLE = "records_supportrecord"
# The PostgreSQL index (pg_trgm, GIN).
PG_INDEX = "record_note_trgm"
# Trigram: a query must be this long (in characters) for the index to answer it.
MIN_LENGTH = 3

# The names written out (INDEX, TABLE): no SQL here is built from a value.
REBUILD = "INSERT INTO records_note_index (records_note_index) VALUES ('rebuild')"
TRIGGERS = {
    "records_note_index_insert": """
        CREATE TRIGGER IF NOT EXISTS records_note_index_insert
            AFTER INSERT ON records_supportrecord
        BEGIN
            INSERT INTO records_note_index (rowid, note_key) VALUES (new.id, new.note_key);
        END""",
    "records_note_index_delete": """
        CREATE TRIGGER IF NOT EXISTS records_note_index_delete
            AFTER DELETE ON records_supportrecord
        BEGIN
            INSERT INTO records_note_index (records_note_index, rowid, note_key)
                VALUES ('delete', old.id, old.note_key);
        END""",
    "records_note_index_update": """
        CREATE TRIGGER IF NOT EXISTS records_note_index_update
            AFTER UPDATE OF id, note_key ON records_supportrecord
        BEGIN
            INSERT INTO records_note_index (records_note_index, rowid, note_key)
                VALUES ('delete', old.id, old.note_key);
            INSERT INTO records_note_index (rowid, note_key) VALUES (new.id, new.note_key);
        END""",
}

SQLITE_CREATE = [
    """CREATE VIRTUAL TABLE IF NOT EXISTS records_note_index USING fts5(
        note_key, content='records_supportrecord', content_rowid='id',
        tokenize='trigram case_sensitive 1')""",
    *TRIGGERS.values(),
    REBUILD,
]
SQLITE_DROP = [
    *(f"DROP TRIGGER IF EXISTS {name}" for name in TRIGGERS),
    f"DROP TABLE IF EXISTS {INDEX}",
]
PG_CREATE = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    f"CREATE INDEX IF NOT EXISTS {PG_INDEX} ON {TABLE} USING gin (note_key gin_trgm_ops)",
]
# The extension is left in place: other objects may have come to use it.
PG_DROP = [f"DROP INDEX IF EXISTS {PG_INDEX}"]


def uses_index(query: str) -> bool:
    """Whether the index answers this (normalised) query: three characters or more.
    A NUL, which an FTS5 query string cannot carry, keeps the LIKE."""
    return len(query) >= MIN_LENGTH and "\x00" not in query


def matching(records: Any, query: str) -> Any:
    """`records` whose note key contains `query` (already normalised): exactly the rows
    of `note_key__contains`, through the index where it can answer."""
    if connection.vendor == "sqlite" and uses_index(query):
        # A phrase: the trigrams of the query, consecutive; a double quote is doubled.
        phrase = '"' + query.replace('"', '""') + '"'
        return records.filter(
            # The query is a parameter; the statement is a constant.
            id__in=RawSQL(
                "SELECT rowid FROM records_note_index WHERE records_note_index MATCH %s",
                (phrase,),
            )
        )
    # PostgreSQL: the GIN trigram index serves this LIKE itself.
    return records.filter(note_key__contains=query)


def create(connection: BaseDatabaseWrapper) -> None:
    statements = {"sqlite": SQLITE_CREATE, "postgresql": PG_CREATE}.get(connection.vendor, [])
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def drop(connection: BaseDatabaseWrapper) -> None:
    statements = {"sqlite": SQLITE_DROP, "postgresql": PG_DROP}.get(connection.vendor, [])
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def missing_triggers(connection: BaseDatabaseWrapper) -> list[str]:
    """The SQLite triggers that are not there (none elsewhere)."""
    if connection.vendor != "sqlite":
        return []
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        present = {row[0] for row in cursor.fetchall()}
    return [name for name in TRIGGERS if name not in present]


def ensure_triggers(connection: BaseDatabaseWrapper) -> list[str]:
    """Put back the SQLite triggers a table remake dropped, then rebuild the index (rows
    written meanwhile are not in it). Returns the names put back."""
    if connection.vendor != "sqlite":
        return []
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE name = %s", [INDEX])
        if cursor.fetchone() is None:  # before the migration that makes the index
            return []
    missing = missing_triggers(connection)
    if missing:
        with connection.cursor() as cursor:
            for name in missing:
                cursor.execute(TRIGGERS[name])
        rebuild(connection)
    return missing


def rebuild(connection: BaseDatabaseWrapper) -> str:
    """Rebuild the index from the records table; says what was done, in Japanese."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            for name in missing_triggers(connection):
                cursor.execute(TRIGGERS[name])
            cursor.execute(REBUILD)
        return "メモ検索の索引（SQLite FTS5）を記録の表から作り直しました。"
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"REINDEX INDEX {PG_INDEX}")
        return "メモ検索の索引（PostgreSQL pg_trgm）を作り直しました（REINDEX）。"
    return "このデータベースにはメモ検索の索引がありません。"
