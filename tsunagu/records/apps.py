from typing import Any

from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate


def _ensure_note_index(using: str = "default", **_kwargs: Any) -> None:
    """A later migration that remakes the records table on SQLite drops the note index's
    triggers with the old table: put them back (records/note_index.py)."""
    from tsunagu.records import note_index

    note_index.ensure_triggers(connections[using])


class RecordsConfig(AppConfig):
    name = "tsunagu.records"
    label = "records"
    verbose_name = "支援記録"

    def ready(self) -> None:
        post_migrate.connect(_ensure_note_index, sender=self)
