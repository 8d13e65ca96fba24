"""Timing helpers shared by the benchmarks: capturing the SQL a piece of code sends and
replaying it bare, medians, and the lines that say which database and machine ran."""

import os
import platform
import sqlite3
import time
from collections.abc import Callable, Sequence
from typing import Any

from django.db import connection

Query = tuple[str, Sequence[Any] | None]


def capture_queries(run: Callable[[], object]) -> list[Query]:
    """The statements `run` sends, with their parameters, exactly as the ORM passes them
    to the driver (CaptureQueriesContext would give them rendered into one string)."""
    captured: list[Query] = []

    def record(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        captured.append((sql, None if params is None else tuple(params)))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        run()
    return captured


def run_bare(queries: Sequence[Query]) -> None:
    with connection.cursor() as cursor:
        for sql, params in queries:
            cursor.execute(sql, params)
            cursor.fetchall()


def seconds(run: Callable[[], object]) -> float:
    started = time.perf_counter()
    run()
    return time.perf_counter() - started


def database_line() -> str:
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            (journal,) = cursor.fetchone()
        return f"database: SQLite {sqlite3.sqlite_version} (file {settings['NAME']}, journal {journal})"
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            (version,) = cursor.fetchone()
        host = f"{settings.get('HOST') or 'local socket'}:{settings.get('PORT') or 5432}"
        return f"database: PostgreSQL {version} (database {settings['NAME']} on {host})"
    return f"database: {connection.display_name} ({settings['NAME']})"


def machine_line() -> str:
    return (
        f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
    )
