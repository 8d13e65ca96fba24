"""Backups of the database and restoring one (`tsunagu backup`, `tsunagu restore`).

SQLite is copied with its online backup API: one step inside one read transaction, so the
copy is the database as it was at one moment even while staff keep writing (WAL lets the
writers go on). A plain file copy during writes was corrupt once in eight tries and
missed whatever was still in the WAL file. PostgreSQL goes through pg_dump -Fc and
pg_restore. Every file written here is mode 0600 from its creation.
"""

import os
import re
import shutil
import sqlite3
import subprocess
from collections.abc import Callable, Iterable
from contextlib import closing, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from tsunagu.lib.private_files import create_private, private_dir

BACKUP_NAME = re.compile(r"^tsunagu-(\d{8}-\d{6})(?:-(\d+))?\.(sqlite3|dump)$")
EXTENSIONS = {"sqlite": "sqlite3", "postgresql": "dump"}

PG_TOOLS_MISSING = (
    "{tool} が見つかりません。PostgreSQL のバックアップと復元には PostgreSQL のクライアント"
    "（pg_dump と pg_restore）が必要です。Debian・Ubuntu では「sudo apt install "
    "postgresql-client」、Windows では PostgreSQL のインストーラーで「Command Line Tools」を"
    "入れ、PATH に加えてください（サーバーと同じか新しい版を選びます）。"
)


class BackupError(Exception):
    """A backup or restore that did not happen; the message says why, in Japanese."""


@dataclass
class RestorePlan:
    """A backup file found sound and not newer than this code, ready to replace the database."""

    source: Path
    staged: Path | None  # SQLite: the checked copy beside the database, moved into place
    pending: list[str] = field(default_factory=list)  # migrations the backup is behind by


def vendor_of(db: dict[str, Any]) -> str:
    engine = db["ENGINE"]
    if engine.endswith("sqlite3"):
        return "sqlite"
    if "postgresql" in engine:
        return "postgresql"
    raise BackupError(f"このデータベース（{engine}）のバックアップには対応していません。")


def backup_dir() -> Path:
    return private_dir(Path(settings.DATA_DIR) / "backups")


def new_name(folder: Path, ext: str, prefix: str = "tsunagu") -> Path:
    """A timestamped name (Asia/Tokyo) not yet taken in `folder`."""
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    path, n = folder / f"{prefix}-{stamp}.{ext}", 1
    while path.exists():
        n += 1
        path = folder / f"{prefix}-{stamp}-{n}.{ext}"
    return path


def size_label(size: int) -> str:
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    if size < 1024**3:
        return f"{size / 1024**2:.1f} MB"
    return f"{size / 1024**3:.2f} GB"


# --- Backup ----------------------------------------------------------------------------


def backup_database(db: dict[str, Any], *, output: Path | None = None) -> Path:
    """Write a backup of `db` to `output` (default: a new name under <DATA_DIR>/backups)."""
    vendor = vendor_of(db)
    if output is None:
        output = new_name(backup_dir(), EXTENSIONS[vendor])
    elif output.exists():
        raise BackupError(f"{output} はすでにあります。別のファイル名を指定してください。")
    elif not output.parent.is_dir():
        raise BackupError(f"保存先のフォルダー {output.parent} がありません。")
    # Written under a hidden name and renamed when whole: a half-written file never
    # looks like a backup, to a person or to the rotation.
    part = output.with_name(f".{output.name}.part")
    part.unlink(missing_ok=True)
    try:
        if vendor == "sqlite":
            try:
                sqlite_backup(Path(db["NAME"]), part)
            except sqlite3.DatabaseError as exc:  # unreadable, or locked past the timeout
                raise BackupError(f"データベースを読めませんでした（{exc}）。") from None
        else:
            pg_dump(db, part)
        os.replace(part, output)
    finally:
        part.unlink(missing_ok=True)
    return output


def sqlite_backup(source: Path, target: Path) -> None:
    """Copy the SQLite database `source` into the new file `target` (mode 0600)."""
    if not source.is_file():
        raise BackupError(f"データベース {source} がありません。")
    os.close(create_private(target))
    with (
        closing(
            sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True, timeout=20)
        ) as src,
        closing(sqlite3.connect(target)) as dst,
    ):
        src.backup(dst)  # pages=-1: the whole file in one step, one consistent snapshot
        dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
        result = dst.execute("PRAGMA integrity_check").fetchall()
    if result != [("ok",)]:
        raise BackupError(f"作ったバックアップの検査で問題が見つかりました：{result[0][0]}")


def rotate(folder: Path, keep: int) -> list[Path]:
    """Delete the backups in `folder` beyond the newest `keep`; the deleted paths.

    Only files named as `tsunagu backup` names them count: a file someone put there,
    or the safety copy a restore takes, is never deleted.
    """
    found = []
    for path in folder.iterdir():
        if (match := BACKUP_NAME.match(path.name)) and path.is_file():
            found.append(((match[1], int(match[2] or 1)), path))
    found.sort(reverse=True)
    removed = [path for _, path in found[keep:]]
    for path in removed:
        path.unlink()
    return removed


# --- PostgreSQL tools ------------------------------------------------------------------


def pg_tool(name: str) -> str:
    if exe := shutil.which(name):
        return exe
    raise BackupError(PG_TOOLS_MISSING.format(tool=name))


def pg_connection(db: dict[str, Any]) -> tuple[list[str], dict[str, str]]:
    """The command-line options and environment that reach `db` (the password not on argv)."""
    args = []
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if db.get(key):
            args.append(f"{option}={db[key]}")
    args.append(f"--dbname={db['NAME']}")
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    if sslmode := db.get("OPTIONS", {}).get("sslmode"):
        env["PGSSLMODE"] = str(sslmode)
    return args, env


def _run(argv: list[str], env: dict[str, str], **kwargs: Any) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(argv, env=env, stderr=subprocess.PIPE, check=False, **kwargs)  # noqa: S603


def _stderr(proc: subprocess.CompletedProcess[bytes]) -> str:
    return proc.stderr.decode("utf-8", "replace").strip()


def pg_dump(db: dict[str, Any], target: Path) -> None:
    exe = pg_tool("pg_dump")
    args, env = pg_connection(db)
    with os.fdopen(create_private(target), "wb") as out:
        proc = _run([exe, "--format=custom", *args], env, stdout=out)
    if proc.returncode != 0:
        raise BackupError(f"pg_dump が失敗しました：{_stderr(proc)}")


# --- Restore ---------------------------------------------------------------------------


def migration_gap(applied: Iterable[tuple[str, str]]) -> tuple[list[str], list[str]]:
    """(migrations the backup has that this code does not know, migrations it lacks)."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    known = set(loader.disk_migrations)
    for migration in loader.disk_migrations.values():
        known.update(migration.replaces)
    applied = set(applied)
    unknown = sorted(f"{app}.{name}" for app, name in applied - known)
    pending = sorted(f"{app}.{name}" for app, name in set(loader.graph.nodes) - applied)
    return unknown, pending


def _refuse_newer(unknown: list[str]) -> None:
    if unknown:
        shown = "、".join(unknown[:3]) + ("ほか" if len(unknown) > 3 else "")
        raise BackupError(
            "このバックアップは、今のつなぐより新しい版で作られています（この版が知らない"
            f"データベースの変更：{shown}）。つなぐを新しい版に更新してから復元してください。"
            "今のデータベースは変えていません。"
        )


def plan_sqlite_restore(db: dict[str, Any], source: Path) -> RestorePlan:
    """Copy `source` beside the database and check it: sound, and not from a newer version."""
    if not source.is_file():
        raise BackupError(f"{source} が見つかりません。")
    target = Path(db["NAME"])
    staged = target.with_name(f".{target.name}.restore")
    staged.unlink(missing_ok=True)
    os.close(create_private(staged))
    try:
        with (
            closing(sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)) as src,
            closing(sqlite3.connect(staged)) as copy,
        ):
            src.backup(copy)
            copy.execute("PRAGMA journal_mode=DELETE")
            result = copy.execute("PRAGMA integrity_check").fetchall()
            if result != [("ok",)]:
                raise BackupError(
                    f"{source} は壊れています（検査の結果：{result[0][0]}）。"
                    "別のバックアップを選んでください。今のデータベースは変えていません。"
                )
            try:
                applied = copy.execute("SELECT app, name FROM django_migrations").fetchall()
            except sqlite3.OperationalError:
                raise BackupError(
                    f"{source} はつなぐのデータベースではありません（django_migrations がありません）。"
                    "今のデータベースは変えていません。"
                ) from None
        unknown, pending = migration_gap(applied)
        _refuse_newer(unknown)
    except sqlite3.DatabaseError as exc:
        staged.unlink(missing_ok=True)
        raise BackupError(
            f"{source} は壊れているか、SQLite のデータベースではありません（{exc}）。"
            "今のデータベースは変えていません。"
        ) from None
    except BaseException:
        staged.unlink(missing_ok=True)
        raise
    return RestorePlan(source=source, staged=staged, pending=pending)


def install_sqlite(db: dict[str, Any], plan: RestorePlan) -> None:
    """Move the staged copy over the database in one rename.

    The live database leaves WAL mode first: that needs every other connection closed
    (so a running つなぐ is noticed), checkpoints the WAL into the file and deletes it.
    A WAL file left beside the replaced file would be replayed into the restored one.
    """
    assert plan.staged is not None
    target = Path(db["NAME"])
    if target.exists():
        try:
            with closing(sqlite3.connect(target, timeout=5)) as live:
                live.execute("PRAGMA journal_mode=DELETE").fetchall()
        except sqlite3.OperationalError:
            raise BackupError(
                "データベースが使われているため置き換えられません。つなぐを止めてから、"
                "もう一度復元してください。今のデータベースは変えていません。"
            ) from None
    # Leftovers of a crash; only now, while nobody has the database open, are they safe
    # to delete (after the rename they could already belong to the restored file).
    for suffix in ("-wal", "-shm"):
        with suppress(FileNotFoundError):
            target.with_name(target.name + suffix).unlink()
    try:
        os.replace(plan.staged, target)
    except OSError as exc:  # Windows: the file is open in another process
        raise BackupError(
            f"データベースを置き換えられませんでした（{exc}）。つなぐを止めてから、"
            "もう一度復元してください。今のデータベースは変えていません。"
        ) from None


def copy_rows(dump: str, table: str) -> list[dict[str, str]]:
    """The rows of `table` in a plain-SQL pg_restore output (its COPY … FROM stdin block)."""
    rows: list[dict[str, str]] = []
    columns: list[str] | None = None
    for line in dump.splitlines():
        if columns is None:
            match = re.match(rf"COPY (?:\w+\.)?{table} \(([^)]*)\) FROM stdin;", line)
            if match:
                columns = [c.strip().strip('"') for c in match[1].split(",")]
        elif line == "\\.":
            break
        else:
            rows.append(dict(zip(columns, line.split("\t"), strict=False)))
    return rows


def plan_pg_restore(db: dict[str, Any], source: Path) -> RestorePlan:
    if not source.is_file():
        raise BackupError(f"{source} が見つかりません。")
    exe = pg_tool("pg_restore")
    _, env = pg_connection(db)
    listing = _run([exe, "--list", str(source)], env, stdout=subprocess.DEVNULL)
    if listing.returncode != 0:
        raise BackupError(
            f"{source} は壊れているか、pg_dump -Fc のファイルではありません（{_stderr(listing)}）。"
            "今のデータベースは変えていません。"
        )
    data = _run(
        [exe, "--data-only", "--table=django_migrations", "--file=-", str(source)],
        env,
        stdout=subprocess.PIPE,
    )
    rows = copy_rows(data.stdout.decode("utf-8", "replace"), "django_migrations")
    if data.returncode != 0 or not rows:
        raise BackupError(
            f"{source} はつなぐのデータベースのバックアップではありません"
            "（django_migrations がありません）。今のデータベースは変えていません。"
        )
    unknown, pending = migration_gap((row["app"], row["name"]) for row in rows)
    _refuse_newer(unknown)
    return RestorePlan(source=source, staged=None, pending=pending)


def install_pg(db: dict[str, Any], plan: RestorePlan) -> None:
    """pg_restore --clean in one transaction: on any error the database stays as it was."""
    exe = pg_tool("pg_restore")
    args, env = pg_connection(db)
    proc = _run(
        [
            exe,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            *args,
            str(plan.source),
        ],
        env,
        stdout=subprocess.PIPE,
    )
    if proc.returncode != 0:
        raise BackupError(
            f"pg_restore が失敗しました。データベースは変えていません：{_stderr(proc)}"
        )


def restore_database(
    db: dict[str, Any], source: Path, *, confirm: Callable[[RestorePlan], bool]
) -> tuple[RestorePlan, Path | None]:
    """Check `source`, ask, keep a safety backup of the current database, then restore.

    Returns the plan (its `pending` migrations are for the caller to run) and the safety
    backup's path (None when there was no database yet).
    """
    vendor = vendor_of(db)
    plan = plan_sqlite_restore(db, source) if vendor == "sqlite" else plan_pg_restore(db, source)
    try:
        if not confirm(plan):
            raise BackupError("復元を取りやめました。今のデータベースは変えていません。")
        safety = None
        current = Path(db["NAME"])
        if vendor == "postgresql" or (current.exists() and current.stat().st_size > 0):
            safety = new_name(backup_dir(), EXTENSIONS[vendor], prefix="before-restore")
            backup_database(db, output=safety)
        if vendor == "sqlite":
            install_sqlite(db, plan)
        else:
            install_pg(db, plan)
    finally:
        if plan.staged is not None:
            plan.staged.unlink(missing_ok=True)
    return plan, safety
