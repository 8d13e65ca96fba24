"""Where a benchmark run lives: a temporary directory with a fresh SQLite file, or a
database created for the run on a PostgreSQL server, dropped at the end. The run itself
is a child process whose environment points the settings at the scratch location, so
that the user's database is never opened."""

import os
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

POSTGRES_SCHEMES = ("postgres", "postgresql")
DATABASE_PREFIX = "tsunagu_bench_"


class ScratchError(Exception):
    pass


@dataclass(frozen=True)
class Scratch:
    directory: Path
    environ: dict[str, str]


def scratch_database_name() -> str:
    return f"{DATABASE_PREFIX}{os.getpid()}"


@contextmanager
def scratch(database_url: str | None) -> Iterator[Scratch]:
    """A temporary data directory, and the scratch PostgreSQL database when a server is
    given; both are removed on the way out, whatever happened inside."""
    server = _check_server_url(database_url) if database_url else None
    directory = Path(tempfile.mkdtemp(prefix="tsunagu-bench-")).resolve()
    environ = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    environ.update(TSUNAGU_DATA_DIR=str(directory), DJANGO_SETTINGS_MODULE="tsunagu.settings")
    name = scratch_database_name()
    created = False
    try:
        if server is not None:
            _create_database(server, name)
            created = True
            environ["DATABASE_URL"] = _with_database(server, name)
        yield Scratch(directory=directory, environ=environ)
    finally:
        try:
            if created and server is not None:
                _drop_database(server, name)
        finally:
            shutil.rmtree(directory, ignore_errors=True)


def is_scratch(settings_dict: Mapping[str, Any], data_dir: Path, expected: Path) -> bool:
    """Whether the child's settings point at the scratch location its parent made."""
    if data_dir.resolve() != expected.resolve():
        return False
    name = str(settings_dict.get("NAME", ""))
    if "sqlite" in str(settings_dict.get("ENGINE", "")):
        return Path(name).resolve().parent == expected.resolve()
    return name.startswith(DATABASE_PREFIX)


def _check_server_url(url: str) -> str:
    if urlsplit(url).scheme not in POSTGRES_SCHEMES:
        raise ScratchError(
            "--database-url には PostgreSQL のサーバーを postgres://ユーザー@ホスト:ポート/データベース の形で指定してください。"
        )
    return url


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def _create_database(server: str, name: str) -> None:
    try:
        with psycopg.connect(server, autocommit=True) as conn:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    except psycopg.Error as error:
        raise ScratchError(
            f"PostgreSQL に一時データベース {name} を作れませんでした：{error}"
        ) from error


def _drop_database(server: str, name: str) -> None:
    with psycopg.connect(server, autocommit=True) as conn:
        # FORCE ends a child's connection left open by an interrupted run.
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
