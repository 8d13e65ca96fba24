"""The report page's figures, cached per (fiscal year, scope, period, generation).

Building a year's report is the most expensive thing a page does, and a closed year was
built twice (its published figures are compared with the records as they are now). Here
`cached_figures` keeps what `figures_for` returns in Django's cache (settings CACHES;
the default local-memory cache is per process, which is enough) under a key that holds
the **generation token**: one row, `ReportGeneration`, whose token is replaced by every
change of something the report reads. A change therefore never shows a stale report: the
next request reads the new token and finds nothing under it.

How the token is replaced:

- ORM writes of every model of the apps the report reads (`WATCHED_APPS`: records,
  directory, reports, with their many-to-many tables) send post_save, post_delete and
  m2m_changed; `connect()` (ReportsConfig.ready) hands them all to `invalidate()`.
- Writes that send no signal (bulk_create, queryset.update, raw SQL, COPY) call
  `invalidate()` themselves, in their transaction: the importers (transfer/services.py
  `_run`), the demo's records (records/demo.py), the benchmarks' data (bench/data.py,
  bench/suggest.py), the record's agencies (records/services.py).
- The token is replaced by an UPDATE in the writer's own transaction: a rollback puts
  the old token back with the old data, so a report built from data that was never
  committed is stored under a token nobody will read again. Tokens are random, so a
  database restored from a backup never meets a report cached for other data.
- Within one transaction the token is replaced once, however many rows are written; a
  report read in between (by this connection) makes the next write replace it again.

`tests/reports/test_cache.py` fails for a table the report queries that is not watched,
and creates, changes and deletes a row of every watched model.
"""

import hashlib
import threading
import uuid
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.models.signals import m2m_changed, post_delete, post_save

from tsunagu.reports.builder import Scope
from tsunagu.reports.differences import Difference
from tsunagu.reports.models import ReportGeneration, YearClosure
from tsunagu.reports.period import Period
from tsunagu.reports.result import Report
from tsunagu.reports.services import YearFigures, figures_for

# Every model of these apps is watched: a model added to them later is watched too.
WATCHED_APPS = ("records", "directory", "reports")
# and these of other apps: a record linked to a case is 個別支援 (records/support_kind.py).
WATCHED_MODELS = ("cases.Case_records",)
GENERATION_PK = 1
TIMEOUT = 24 * 60 * 60  # a key never goes stale; this only frees memory of old years
_LOCKS = tuple(threading.Lock() for _ in range(32))
_state = threading.local()  # per thread, as Django's connections are


def watched_models() -> list[type[models.Model]]:
    """The models whose rows the report may read, with their many-to-many tables."""
    return [
        *(
            model
            for label in WATCHED_APPS
            for model in apps.get_app_config(label).get_models(include_auto_created=True)
            if model is not ReportGeneration
        ),
        *(apps.get_model(label) for label in WATCHED_MODELS),
    ]


# --- the generation token -----------------------------------------------------------


class _Pending:
    """The on_commit marker of a transaction that has already replaced the token."""

    def __call__(self) -> None:
        pass


def _pending() -> dict[str, _Pending]:
    """This thread's markers, by database alias."""
    if not hasattr(_state, "pending"):
        _state.pending = {}
    marks: dict[str, _Pending] = _state.pending
    return marks


def invalidate(using: str = DEFAULT_DB_ALIAS) -> None:
    """Replace the generation token, inside the current transaction (if any): every
    report cached so far is no longer found. Call it after a write that sends no model
    signal (bulk_create, queryset.update, raw SQL)."""
    connection = connections[using]
    marks = _pending()
    mark = marks.get(using)
    if (
        mark is not None
        and connection.in_atomic_block
        and any(entry[1] is mark for entry in connection.run_on_commit)
    ):
        return  # this transaction replaced it already, and nothing was read since
    token = uuid.uuid4().hex
    manager = ReportGeneration.objects.db_manager(using)
    if not manager.filter(pk=GENERATION_PK).update(token=token):
        manager.update_or_create(pk=GENERATION_PK, defaults={"token": token})
    if connection.in_atomic_block:
        marks[using] = _Pending()
        connection.on_commit(marks[using])


def generation(using: str = DEFAULT_DB_ALIAS) -> str:
    """The current token, as this connection sees it. Reading it means the next write
    of this transaction replaces it again (the report now read may be cached)."""
    _pending().pop(using, None)
    row, _ = ReportGeneration.objects.db_manager(using).get_or_create(
        pk=GENERATION_PK, defaults={"token": uuid.uuid4().hex}
    )
    return row.token


def _on_save(sender: type[models.Model], using: str = DEFAULT_DB_ALIAS, **_: Any) -> None:
    invalidate(using)


def _on_m2m(
    sender: type[models.Model], action: str, using: str = DEFAULT_DB_ALIAS, **_: Any
) -> None:
    if action in ("post_add", "post_remove", "post_clear"):
        invalidate(using)


def connect() -> None:
    """Send every ORM write of a watched model to `invalidate` (ReportsConfig.ready).

    Django sends no post_save/post_delete for the rows of a many-to-many table it made
    itself (auto_created): only m2m_changed, from the relation's add/remove/set/clear.
    Its rows written directly (through.objects.bulk_create) need `invalidate()`; deleted
    with their record or category, that row's own post_delete replaces the token."""
    for model in watched_models():
        uid = f"reports.cache.{model._meta.label_lower}"
        post_save.connect(_on_save, sender=model, dispatch_uid=f"{uid}.save")
        post_delete.connect(_on_save, sender=model, dispatch_uid=f"{uid}.delete")
        if model._meta.auto_created:
            m2m_changed.connect(_on_m2m, sender=model, dispatch_uid=f"{uid}.m2m")


# --- the cached figures -------------------------------------------------------------


@dataclass(frozen=True)
class _Entry:
    """What is cached: the figures, and the closure by its key (read fresh on a hit, so
    that the name of who closed the year is never stale)."""

    report: Report
    closure_pk: int | None
    current: Report | None
    differences: tuple[Difference, ...]


def cache_key(token: str, fiscal_year: int, scope: Scope, period: Period | None) -> str:
    part = "year" if period is None else f"{period.start:%Y%m%d}-{period.end:%Y%m%d}"
    zone = scope.zone.pk if scope.zone is not None else "-"
    region = scope.region.pk if scope.region is not None else "-"
    raw = f"{token}:{fiscal_year}:{zone}:{region}:{part}"
    return "tsunagu.report." + hashlib.sha256(raw.encode()).hexdigest()[:40]


def single_flight(key: str, build: Callable[[], Any]) -> Any:
    """The cached value of `key`, built by one thread at a time: the others wait for it
    and read what it stored (one of a few shared locks, chosen by the key)."""
    value = cache.get(key)
    if value is not None:
        return value
    with _LOCKS[zlib.crc32(key.encode()) % len(_LOCKS)]:
        value = cache.get(key)
        if value is None:
            value = build()
            cache.set(key, value, TIMEOUT)
    return value


def cached_figures(
    fiscal_year: int, scope: Scope | None = None, period: Period | None = None
) -> YearFigures:
    """`figures_for`, from the cache when nothing the report reads changed since."""
    scope = scope or Scope()
    if period is not None and period.is_whole_year:
        period = None

    def build() -> _Entry:
        figures = figures_for(fiscal_year, scope, period)
        return _Entry(
            report=figures.report,
            closure_pk=figures.closure.pk if figures.closure is not None else None,
            current=figures.current,
            differences=figures.differences,
        )

    entry: _Entry = single_flight(cache_key(generation(), fiscal_year, scope, period), build)
    closure = None
    if entry.closure_pk is not None:
        closure = YearClosure.objects.select_related("closed_by").get(pk=entry.closure_pk)
    return YearFigures(
        report=entry.report,
        closure=closure,
        current=entry.current,
        differences=entry.differences,
    )
