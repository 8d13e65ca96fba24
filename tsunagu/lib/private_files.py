"""Files only the account running つなぐ may read: the database, its backups, the key.

They are created with mode 0600 from the start (os.open with the mode, not a chmod after
a moment of being world-readable); on Windows the modes are ignored and the folder's
access list applies.
"""

import os
from pathlib import Path

FILE_MODE = 0o600
DIR_MODE = 0o700
# SQLite makes its journal and WAL files with the database file's mode; an installation
# from before these files were private is tightened together with them.
SQLITE_COMPANIONS = ("-wal", "-shm", "-journal")


def create_private(path: Path) -> int:
    """A new file at `path` (refusing to reuse one), mode 0600; its descriptor, open for writing."""
    return os.open(
        path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), FILE_MODE
    )


def private_dir(path: Path) -> Path:
    """`path` as a folder, created 0700 if it is missing (an existing folder is left alone)."""
    path.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    return path


def tighten(path: Path) -> None:
    """Take group and world permissions off an existing file."""
    try:
        mode = path.stat().st_mode & 0o777
    except FileNotFoundError:
        return
    if mode & 0o077:
        path.chmod(mode & 0o700)


def ensure_private_sqlite(path: Path) -> None:
    """The SQLite database file exists and is private before SQLite first opens it.

    An empty file is a valid empty database to SQLite; SQLite would otherwise create it
    with the process's umask (usually 0644, readable by every account on the machine).
    """
    if str(path) in ("", ":memory:") or str(path).startswith("file:"):
        return
    private_dir(path.parent)
    try:
        os.close(create_private(path))
    except FileExistsError:
        tighten(path)
    for suffix in SQLITE_COMPANIONS:
        tighten(path.with_name(path.name + suffix))
