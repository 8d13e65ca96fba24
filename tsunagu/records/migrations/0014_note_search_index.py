"""The note search's trigram index: FTS5 and triggers on SQLite, pg_trgm GIN on
PostgreSQL (tsunagu/records/note_index.py, issue #14). No model state changes."""

from django.db import migrations


def create(apps, schema_editor):  # type: ignore[no-untyped-def]
    from tsunagu.records import note_index

    note_index.create(schema_editor.connection)


def drop(apps, schema_editor):  # type: ignore[no-untyped-def]
    from tsunagu.records import note_index

    note_index.drop(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("records", "0013_record_support_kind_override"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
