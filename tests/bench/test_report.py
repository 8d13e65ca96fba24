"""`tsunagu bench report`: its output, and that it leaves no scratch database behind.
No timing is asserted: the figures depend on the machine (docs/benchmarks.md)."""

import io
import os
import re
import tempfile
from pathlib import Path

import psycopg
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tsunagu.bench.scratch import scratch_database_name

LAST_LINE = re.compile(r"report \d+\.\d\d s · bare queries \d+\.\d\d s · ratio \d+\.\d\d")
POSTGRES_URL = os.getenv("DATABASE_URL", "")


def bench(*args: str) -> list[str]:
    out = io.StringIO()
    call_command("bench", "report", "--records", "2000", "--repeat", "1", *args, stdout=out)
    return out.getvalue().splitlines()


def test_sqlite_run_prints_the_figures_and_removes_its_file(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    lines = bench()
    assert LAST_LINE.fullmatch(lines[-1])
    database = next(line for line in lines if line.startswith("database: SQLite"))
    assert "journal wal" in database
    assert any(line.startswith("records: 2,000 in ") for line in lines)
    scratch_file = Path(re.search(r"file (\S+),", database)[1])  # type: ignore[index]
    assert scratch_file.parent.parent == tmp_path
    assert not scratch_file.exists()
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(
    not POSTGRES_URL.startswith("postgres"), reason="PostgreSQL runs only when DATABASE_URL is one"
)
def test_postgresql_run_drops_its_database() -> None:
    lines = bench("--database-url", POSTGRES_URL)
    assert LAST_LINE.fullmatch(lines[-1])
    assert any(line.startswith("database: PostgreSQL") for line in lines)
    with psycopg.connect(POSTGRES_URL) as conn:
        left = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [scratch_database_name()]
        ).fetchall()
    assert left == []


def test_only_postgresql_servers_are_accepted() -> None:
    with pytest.raises(CommandError, match="PostgreSQL"):
        bench("--database-url", "mysql://root@localhost/db")


def test_the_measuring_step_refuses_a_real_database(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(CommandError, match="一時データベース"):
        bench("--scratch", str(tmp_path))
