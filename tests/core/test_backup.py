"""Backup and restore (issue #9, finding 7): a consistent copy while staff write, a restore
that refuses a broken or newer file before touching anything, rotation, private files.

SQLite tests run against real files in tmp (one database migrated by Django once, then
copied), not the in-memory test database."""

import hashlib
import os
import sqlite3
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from tsunagu.core import backup
from tsunagu.core.backup import BackupError, backup_database, restore_database, rotate
from tsunagu.lib.private_files import ensure_private_sqlite

WRITERS = 8
YES = staticmethod(lambda plan: True)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def cli(data_dir: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603
        [sys.executable, "-m", "tsunagu", *args],
        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "TSUNAGU_DATA_DIR": str(data_dir)},
        input=stdin,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


@pytest.fixture(scope="module")
def migrated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data dir with a database Django created and migrated (as `tsunagu start` does)."""
    data_dir = tmp_path_factory.mktemp("migrated")
    result = cli(data_dir, "migrate", "-v0")
    assert result.returncode == 0, result.stderr
    return data_dir / "tsunagu.sqlite3"


@pytest.fixture
def data_dir(tmp_path: Path, migrated: Path, settings: Any) -> Path:
    """A fresh copy of the migrated database in its own data dir (WAL, as つなぐ runs it)."""
    settings.DATA_DIR = tmp_path
    ensure_private_sqlite(tmp_path / "tsunagu.sqlite3")
    with (
        closing(sqlite3.connect(migrated)) as src,
        closing(sqlite3.connect(tmp_path / "tsunagu.sqlite3")) as dst,
    ):
        src.backup(dst)
        dst.execute("PRAGMA journal_mode=WAL")
    return tmp_path


def sqlite_db(data_dir: Path) -> dict[str, Any]:
    return {"ENGINE": "django.db.backends.sqlite3", "NAME": str(data_dir / "tsunagu.sqlite3")}


def insert_entry(db: sqlite3.Connection, label: str) -> None:
    db.execute(
        "INSERT INTO audit_auditentry (at, action, target_type, target_id, target_label, changes)"
        " VALUES (datetime('now'), 'test.write', '', '', ?, '{}')",
        (label,),
    )


def labels(path: Path) -> set[str]:
    with closing(sqlite3.connect(path)) as db:
        return {row[0] for row in db.execute("SELECT target_label FROM audit_auditentry")}


def integrity(path: Path) -> str:
    with closing(sqlite3.connect(path)) as db:
        return str(db.execute("PRAGMA integrity_check").fetchone()[0])


@pytest.fixture
def good_backup(data_dir: Path) -> Iterator[Path]:
    with closing(sqlite3.connect(data_dir / "tsunagu.sqlite3")) as db, db:
        insert_entry(db, "in the backup")
    yield backup_database(sqlite_db(data_dir))


# --- SQLite: a consistent backup while writing ---------------------------------------------


def test_the_database_django_creates_is_private(migrated: Path) -> None:
    assert mode(migrated) == 0o600
    assert mode(migrated.parent / "secret_key") == 0o600


def test_backup_while_eight_writers_insert_restores_every_committed_row(data_dir: Path) -> None:
    live = data_dir / "tsunagu.sqlite3"
    committed: list[str] = []
    lock, stop = threading.Lock(), threading.Event()
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            with closing(sqlite3.connect(live, timeout=20, isolation_level=None)) as db:
                i = 0
                while not stop.is_set():
                    db.execute("BEGIN IMMEDIATE")
                    insert_entry(db, f"{n}-{i}")
                    db.execute("COMMIT")
                    with lock:
                        committed.append(f"{n}-{i}")
                    i += 1
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    try:
        while len(committed) < 200 and not errors:
            time.sleep(0.01)
        with lock:
            before = set(committed)
        path = backup_database(sqlite_db(data_dir))
        time.sleep(0.2)  # the writers go on after the backup
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    assert not errors
    assert mode(path) == 0o600
    assert not list(data_dir.glob("backups/.*"))  # no half-written file left behind
    written = labels(live)
    assert len(written) > len(before)

    plan, safety = restore_database(sqlite_db(data_dir), path, confirm=YES)
    assert integrity(live) == "ok"
    restored = labels(live)
    assert before <= restored
    assert restored < written  # really the backup's moment, not the latest state
    for n in range(WRITERS):  # one moment: each writer's rows are a prefix 0..k
        mine = sorted(int(label.split("-")[1]) for label in restored if label.startswith(f"{n}-"))
        assert mine == list(range(len(mine)))
    assert plan.pending == []
    assert safety is not None and labels(safety) == written
    assert mode(live) == mode(safety) == 0o600
    assert mode(data_dir / "backups") == 0o700


def test_the_command_says_where_and_how_big_and_keeps_the_newest(data_dir: Path) -> None:
    for _ in range(3):
        result = cli(data_dir, "backup", "--keep", "2")
        assert result.returncode == 0, result.stderr
    path = Path(result.stdout.split("：")[1].split("（")[0])
    assert result.stdout.startswith("バックアップを作りました：")
    assert "MB）" in result.stdout and "古いバックアップを削除しました：" in result.stdout
    assert path.parent == data_dir / "backups" and mode(path) == 0o600
    assert len(list(path.parent.iterdir())) == 2
    assert integrity(path) == "ok"


def test_backup_refuses_an_existing_output_and_a_keep_below_one(
    data_dir: Path, tmp_path: Path
) -> None:
    existing = tmp_path / "mine.sqlite3"
    existing.write_bytes(b"keep me")
    with pytest.raises(BackupError, match="すでにあります"):
        backup_database(sqlite_db(data_dir), output=existing)
    assert existing.read_bytes() == b"keep me"
    with pytest.raises(CommandError, match="1 以上"):
        call_command("backup", keep=0)


def test_backup_of_an_unreadable_database_says_so(tmp_path: Path, settings: Any) -> None:
    settings.DATA_DIR = tmp_path
    junk = tmp_path / "tsunagu.sqlite3"
    junk.write_bytes(b"not a database" * 500)
    with pytest.raises(BackupError, match="データベースを読めませんでした"):
        backup_database(sqlite_db(tmp_path))
    assert list((tmp_path / "backups").iterdir()) == []


def test_rotation_keeps_the_newest_and_only_touches_backups(tmp_path: Path) -> None:
    names = [
        "tsunagu-20260401-020000.sqlite3",
        "tsunagu-20260402-020000.sqlite3",
        "tsunagu-20260402-020000-2.sqlite3",
        "tsunagu-20260403-020000.sqlite3",
        "before-restore-20260101-000000.sqlite3",
        "notes.txt",
    ]
    for name in names:
        (tmp_path / name).write_text("x")
    removed = rotate(tmp_path, 2)
    assert sorted(p.name for p in removed) == [
        "tsunagu-20260401-020000.sqlite3",
        "tsunagu-20260402-020000.sqlite3",
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "before-restore-20260101-000000.sqlite3",
        "notes.txt",
        "tsunagu-20260402-020000-2.sqlite3",
        "tsunagu-20260403-020000.sqlite3",
    ]


def test_private_files_do_not_rely_on_the_umask(tmp_path: Path) -> None:
    old = os.umask(0)
    try:
        fresh = tmp_path / "new" / "tsunagu.sqlite3"
        ensure_private_sqlite(fresh)
        loose = tmp_path / "old.sqlite3"
        loose.write_text("")
        (tmp_path / "old.sqlite3-wal").write_text("")
        ensure_private_sqlite(loose)
    finally:
        os.umask(old)
    assert mode(fresh) == 0o600 and mode(fresh.parent) == 0o700
    assert mode(loose) == mode(tmp_path / "old.sqlite3-wal") == 0o600


# --- SQLite: restore refuses what it must ----------------------------------------------------


def test_restore_refuses_a_corrupt_file_and_leaves_the_database(
    data_dir: Path, good_backup: Path
) -> None:
    live = data_dir / "tsunagu.sqlite3"
    before = digest(live)
    broken = data_dir / "broken.sqlite3"
    data = bytearray(good_backup.read_bytes())
    data[4096 * 3 : 4096 * 40] = b"\xa5" * (4096 * 37)  # tables' pages overwritten
    broken.write_bytes(bytes(data))
    junk = data_dir / "junk.sqlite3"
    junk.write_bytes(b"not a database" * 500)
    for bad in (broken, junk):
        with pytest.raises(BackupError, match=r"壊れて.*今のデータベースは変えていません"):
            restore_database(sqlite_db(data_dir), bad, confirm=YES)
    assert digest(live) == before
    assert not (data_dir / ".tsunagu.sqlite3.restore").exists()
    assert [p.name for p in (data_dir / "backups").iterdir()] == [good_backup.name]


def test_restore_refuses_a_backup_from_a_newer_version(data_dir: Path, good_backup: Path) -> None:
    with closing(sqlite3.connect(good_backup)) as db, db:
        db.execute(
            "INSERT INTO django_migrations (app, name, applied)"
            " VALUES ('records', '0099_from_the_future', datetime('now'))"
        )
    live = data_dir / "tsunagu.sqlite3"
    before = digest(live)
    with pytest.raises(BackupError, match=r"新しい版.*records\.0099_from_the_future.*更新して"):
        restore_database(sqlite_db(data_dir), good_backup, confirm=YES)
    assert digest(live) == before


def test_restore_refuses_a_database_that_is_not_tsunagus(data_dir: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.sqlite3"
    with closing(sqlite3.connect(other)) as db:
        db.execute("CREATE TABLE t (x)")
    with pytest.raises(BackupError, match="つなぐのデータベースではありません"):
        restore_database(sqlite_db(data_dir), other, confirm=YES)


def test_restore_asks_and_a_no_changes_nothing(data_dir: Path, good_backup: Path) -> None:
    live = data_dir / "tsunagu.sqlite3"
    with closing(sqlite3.connect(live)) as db, db:
        insert_entry(db, "after the backup")
    before = digest(live)
    with pytest.raises(BackupError, match="取りやめました"):
        restore_database(sqlite_db(data_dir), good_backup, confirm=lambda plan: False)
    assert digest(live) == before
    assert "after the backup" in labels(live)


def test_restore_refuses_while_the_database_is_open(data_dir: Path, good_backup: Path) -> None:
    live = data_dir / "tsunagu.sqlite3"
    with closing(sqlite3.connect(live)) as server:
        server.execute("SELECT count(*) FROM audit_auditentry").fetchall()
        with pytest.raises(BackupError, match="つなぐを止めてから"):
            restore_database(sqlite_db(data_dir), good_backup, confirm=YES)
        insert_entry(server, "still writable")
        server.commit()
    assert "still writable" in labels(live)


def test_restoring_an_older_backup_brings_it_up_to_date(data_dir: Path, tmp_path: Path) -> None:
    """A backup from before records 0005: restored, then migrated by the command."""
    older_dir = tmp_path / "older"
    older_dir.mkdir()
    backup.sqlite_backup(data_dir / "tsunagu.sqlite3", older_dir / "tsunagu.sqlite3")
    # The state an earlier release left: its own migrate takes records back before 0005.
    undone = cli(older_dir, "migrate", "records", "0004_trash_index")
    assert undone.returncode == 0, undone.stderr
    older = older_dir / "tsunagu.sqlite3"
    result = cli(data_dir, "restore", str(older), stdin="y\n")
    assert result.returncode == 0, result.stderr
    assert "よろしいですか？" in result.stdout
    assert "古い版" in result.stdout and "更新しました。" in result.stdout
    with closing(sqlite3.connect(data_dir / "tsunagu.sqlite3")) as db:
        indexes = {row[1] for row in db.execute("PRAGMA index_list(records_supportrecord)")}
    assert "record_follow_up_due" in indexes and "record_follow_up" not in indexes
    assert mode(data_dir / "tsunagu.sqlite3") == 0o600


# --- PostgreSQL ------------------------------------------------------------------------------

PG = {"ENGINE": "django.db.backends.postgresql", "NAME": "tsunagu", "HOST": "db", "USER": "u"}


def test_without_pg_dump_the_message_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, settings: Any
) -> None:
    settings.DATA_DIR = tmp_path
    monkeypatch.setattr(backup.shutil, "which", lambda name: None)
    with pytest.raises(BackupError, match=r"pg_dump が見つかりません.*postgresql-client"):
        backup_database(PG)
    dump = tmp_path / "x.dump"
    dump.write_bytes(b"PGDMP")
    with pytest.raises(BackupError, match="pg_restore が見つかりません"):
        restore_database(PG, dump, confirm=YES)
    assert list((tmp_path / "backups").iterdir()) == []


def test_the_migrations_are_read_from_a_plain_sql_listing() -> None:
    listing = (
        "SET client_encoding = 'UTF8';\n"
        "COPY public.django_migrations (id, app, name, applied) FROM stdin;\n"
        "1\tcontenttypes\t0001_initial\t2026-12-01 00:00:00+00\n"
        "2\trecords\t0005_follow_up_due_index\t2026-12-01 00:00:00+00\n"
        "\\.\n"
    )
    rows = backup.copy_rows(listing, "django_migrations")
    assert [(r["app"], r["name"]) for r in rows] == [
        ("contenttypes", "0001_initial"),
        ("records", "0005_follow_up_due_index"),
    ]


@pytest.mark.skipif(not backup.shutil.which("pg_restore"), reason="needs pg_restore")
def test_pg_restore_refuses_a_file_that_is_not_a_dump(tmp_path: Path, settings: Any) -> None:
    settings.DATA_DIR = tmp_path
    junk = tmp_path / "junk.dump"
    junk.write_bytes(b"PGDMP not really" * 100)
    with pytest.raises(BackupError, match=r"壊れているか、pg_dump -Fc のファイルではありません"):
        restore_database(PG, junk, confirm=YES)
    assert not (tmp_path / "backups").exists()  # no safety backup attempted either


@pytest.mark.skipif(
    connection.vendor != "postgresql" or not backup.shutil.which("pg_dump"),
    reason="PostgreSQL with pg_dump only",
)
@pytest.mark.django_db(transaction=True)
def test_postgresql_dump_and_restore(tmp_path: Path, settings: Any) -> None:
    from tsunagu.audit.models import AuditEntry

    settings.DATA_DIR = tmp_path
    db = connection.settings_dict
    AuditEntry.objects.create(action="test.write", target_label="in the backup")
    path = backup_database(db)
    assert path.suffix == ".dump" and mode(path) == 0o600
    AuditEntry.objects.all().delete()
    AuditEntry.objects.create(action="test.write", target_label="after the backup")
    connection.close()
    plan, safety = restore_database(db, path, confirm=YES)
    assert plan.pending == [] and safety is not None and mode(safety) == 0o600
    assert list(AuditEntry.objects.values_list("target_label", flat=True)) == ["in the backup"]


@pytest.mark.skipif(
    connection.vendor != "postgresql" or not backup.shutil.which("pg_dump"),
    reason="PostgreSQL with pg_dump only",
)
@pytest.mark.django_db(transaction=True)
def test_postgresql_refuses_a_dump_from_a_newer_version(tmp_path: Path, settings: Any) -> None:
    from tsunagu.audit.models import AuditEntry

    settings.DATA_DIR = tmp_path
    db = connection.settings_dict
    future = (
        "INSERT INTO django_migrations (app, name, applied) VALUES ('records', '0099_x', now())"
    )
    with connection.cursor() as cursor:
        cursor.execute(future)
    path = backup_database(db)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM django_migrations WHERE name = '0099_x'")
    AuditEntry.objects.create(action="test.write", target_label="current")
    with pytest.raises(BackupError, match=r"新しい版.*records\.0099_x"):
        restore_database(db, path, confirm=YES)
    assert list(AuditEntry.objects.values_list("target_label", flat=True)) == ["current"]
