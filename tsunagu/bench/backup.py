"""`tsunagu bench backup`: a plain copy of the SQLite file against `tsunagu backup` (the
online backup API), each taken while writer threads insert rows (docs/benchmarks.md).

A trial copies the migrated scratch database, starts the writers, waits for some rows,
notes which rows are committed, takes the copy, lets the writers go on, and then checks
the copy: `PRAGMA integrity_check`, and whether every row committed before it is there."""

import shutil
import sqlite3
import threading
import time
from argparse import ArgumentParser
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import connection

from tsunagu.bench.options import positive
from tsunagu.core.backup import sqlite_backup

HELP = "書き込み中にファイルをそのままコピーした場合と tsunagu backup を、壊れ・欠けで比べます"
ROWS_BEFORE = 300


def add_arguments(parser: ArgumentParser) -> None:
    parser.add_argument("--trials", type=positive, default=8, help="それぞれの方法の試行回数")
    parser.add_argument("--writers", type=positive, default=8, help="同時に書き込むスレッドの数")


@dataclass(frozen=True)
class Trial:
    sound: bool
    missing: int  # rows committed before the copy began that the copy lacks
    seconds: float


def _insert(db: sqlite3.Connection, label: str) -> None:
    db.execute(
        "INSERT INTO audit_auditentry (at, action, target_type, target_id, target_label, changes)"
        " VALUES (datetime('now'), 'bench.write', '', '', ?, '{}')",
        (label,),
    )


def trial(template: Path, place: Path, writers: int, take: Callable[[Path, Path], Any]) -> Trial:
    live, copy = place / "live.sqlite3", place / "copy.sqlite3"
    for path in place.glob("*.sqlite3*"):
        path.unlink()
    with closing(sqlite3.connect(template)) as src, closing(sqlite3.connect(live)) as dst:
        src.backup(dst)
        dst.execute("PRAGMA journal_mode=WAL")
    committed: list[str] = []
    lock, stop = threading.Lock(), threading.Event()

    def write(n: int) -> None:
        with closing(sqlite3.connect(live, timeout=20, isolation_level=None)) as db:
            db.execute("PRAGMA synchronous=NORMAL")  # as つなぐ runs SQLite
            i = 0
            while not stop.is_set():
                db.execute("BEGIN IMMEDIATE")
                _insert(db, f"{n}-{i}")
                db.execute("COMMIT")
                with lock:
                    committed.append(f"{n}-{i}")
                i += 1

    threads = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    try:
        while len(committed) < ROWS_BEFORE:
            time.sleep(0.005)
        with lock:
            before = set(committed)
        started = time.perf_counter()
        take(live, copy)
        took = time.perf_counter() - started
        time.sleep(0.05)
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    try:
        with closing(sqlite3.connect(copy)) as db:
            sound = db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            found = {row[0] for row in db.execute("SELECT target_label FROM audit_auditentry")}
    except sqlite3.DatabaseError:
        sound, found = False, set()
    return Trial(sound=sound, missing=len(before - found), seconds=took)


def run(options: dict[str, Any], write: Any) -> None:
    """Inside the scratch database, migrated: the trials, in a folder beside it."""
    if connection.vendor != "sqlite":
        write("SQLite only: PostgreSQL is backed up with pg_dump, consistent by itself.")
        return
    template = Path(connection.settings_dict["NAME"])
    connection.close()
    place = template.parent / "trials"
    place.mkdir()
    methods: dict[str, Callable[[Path, Path], Any]] = {
        "plain file copy": shutil.copyfile,
        "tsunagu backup": sqlite_backup,
    }
    write(f"{options['writers']} writer threads; {options['trials']} trials per method")
    for name, take in methods.items():
        trials = [
            trial(template, place, options["writers"], take) for _ in range(options["trials"])
        ]
        write(
            f"{name}: corrupt {sum(not t.sound for t in trials)}/{len(trials)} · "
            f"missing committed rows {sum(t.missing > 0 for t in trials)}/{len(trials)} · "
            f"slowest {max(t.seconds for t in trials) * 1000:.0f} ms"
        )
