"""The SQLite settings that let several staff write at once."""

import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection


def test_sqlite_defaults_are_safe_for_concurrent_writers() -> None:
    options = settings.SQLITE_OPTIONS
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] >= 5
    assert "journal_mode=WAL" in options["init_command"]


def test_time_zone_and_language() -> None:
    assert settings.TIME_ZONE == "Asia/Tokyo" and settings.USE_TZ
    assert settings.LANGUAGE_CODE == "ja"


WRITER = """
import os, sys
import django
django.setup()
from django.db import transaction
from tsunagu.audit.models import AuditEntry
for i in range(60):
    with transaction.atomic():
        n = AuditEntry.objects.count()
        AuditEntry.objects.create(action="test.write", target_label=f"{sys.argv[1]}-{i}-{n}")
"""


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite only")
def test_concurrent_writers_queue_instead_of_failing(tmp_path: Path) -> None:
    env = {
        "DJANGO_SETTINGS_MODULE": "tsunagu.settings",
        "TSUNAGU_DATA_DIR": str(tmp_path),
        "PATH": "/usr/bin:/bin",
    }
    subprocess.run(
        [sys.executable, "-m", "tsunagu", "migrate", "-v0"], env=env, check=True, timeout=120
    )
    writers = [
        subprocess.Popen(  # noqa: S603
            [sys.executable, "-c", WRITER, str(n)], env=env, stderr=subprocess.PIPE, text=True
        )
        for n in range(4)
    ]
    errors = [w.communicate(timeout=120)[1] for w in writers]
    assert all(w.returncode == 0 for w in writers), errors
    import sqlite3

    db = sqlite3.connect(tmp_path / "tsunagu.sqlite3")
    assert db.execute("select count(*) from audit_auditentry").fetchone()[0] == 240
    assert db.execute("pragma journal_mode").fetchone()[0] == "wal"
