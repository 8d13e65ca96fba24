"""The note search's trigram index: FTS5 and triggers on SQLite, pg_trgm GIN on
PostgreSQL (issue #14). No model state changes.

The statements are a frozen copy of what tsunagu/records/note_index.py created when this
migration was written: a migration is history and imports no live app code (see
tests/core/test_migrations_selfcontained.py). The live module repairs the triggers after
later migrations and rebuilds the index (`tsunagu rebuild_note_index`)."""

from django.db import migrations

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
CREATE = {
    "sqlite": [
        """CREATE VIRTUAL TABLE IF NOT EXISTS records_note_index USING fts5(
            note_key, content='records_supportrecord', content_rowid='id',
            tokenize='trigram case_sensitive 1')""",
        *TRIGGERS.values(),
        "INSERT INTO records_note_index (records_note_index) VALUES ('rebuild')",
    ],
    "postgresql": [
        "CREATE EXTENSION IF NOT EXISTS pg_trgm",
        "CREATE INDEX IF NOT EXISTS record_note_trgm ON records_supportrecord"
        " USING gin (note_key gin_trgm_ops)",
    ],
}
DROP = {
    "sqlite": [
        *(f"DROP TRIGGER IF EXISTS {name}" for name in TRIGGERS),
        "DROP TABLE IF EXISTS records_note_index",
    ],
    # The extension is left in place: other objects may have come to use it.
    "postgresql": ["DROP INDEX IF EXISTS record_note_trgm"],
}


def _run(statements, schema_editor):  # type: ignore[no-untyped-def]
    with schema_editor.connection.cursor() as cursor:
        for sql in statements.get(schema_editor.connection.vendor, []):
            cursor.execute(sql)


def create(apps, schema_editor):  # type: ignore[no-untyped-def]
    _run(CREATE, schema_editor)


def drop(apps, schema_editor):  # type: ignore[no-untyped-def]
    _run(DROP, schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("records", "0013_record_support_kind_override"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
