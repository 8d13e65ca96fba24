"""The two timings: the full report, and the bare SQL statements that the report sends,
replayed with a plain cursor. The difference is what the ORM and the pure engine cost."""

import os
import platform
import sqlite3
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection

from tsunagu.reports.builder import build_report

Query = tuple[str, Sequence[Any] | None]


@dataclass(frozen=True)
class Timing:
    report: float
    bare: float
    queries: int

    @property
    def ratio(self) -> float:
        return self.report / self.bare if self.bare else float("inf")

    def line(self) -> str:
        return (
            f"report {self.report:.2f} s · bare queries {self.bare:.2f} s · ratio {self.ratio:.2f}"
        )


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


def time_report(fiscal_year: int, *, repeat: int) -> Timing:
    """Medians of `repeat` runs each, after one untimed run of each; the two alternate so
    that neither profits from caches the other warmed."""
    queries = capture_queries(lambda: build_report(fiscal_year))
    run_bare(queries)
    report_times, bare_times = [], []
    for _ in range(repeat):
        report_times.append(_seconds(lambda: build_report(fiscal_year)))
        bare_times.append(_seconds(lambda: run_bare(queries)))
    return Timing(
        report=statistics.median(report_times),
        bare=statistics.median(bare_times),
        queries=len(queries),
    )


def _seconds(run: Callable[[], object]) -> float:
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
