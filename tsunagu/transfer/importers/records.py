"""Importing support records (kind `records`), fast and all or nothing.

Pass 1 streams the file and resolves every row (see record_rows.py), collecting every
error and spooling the resolved rows to a temporary file. Pass 2, inside the import's
transaction, inserts them from the spool in batches (see bulk.py): a 100,000-row file
needs neither 100,000 queries nor 100,000 rows in memory. If the directory changes
between the passes, the database's foreign keys refuse the insert and the transaction
rolls back.
"""

import pickle
import tempfile
from collections.abc import Iterator
from datetime import date
from typing import IO

from django.utils import timezone

from tsunagu.accounts.models import User
from tsunagu.core.access import can, refusal
from tsunagu.lib.fiscal import fiscal_year_label, fiscal_year_of
from tsunagu.lib.tabular import Table
from tsunagu.records.models import ImportBatch, SupportRecord
from tsunagu.reports.closures import closed_years, import_refusal
from tsunagu.transfer.formats import RECORD_ID, Kind
from tsunagu.transfer.importers.base import Importer
from tsunagu.transfer.importers.bulk import RecordInserter
from tsunagu.transfer.importers.record_rows import Lookups, RecordResolver, ResolvedRecord
from tsunagu.transfer.importers.updates import RecordUpdater
from tsunagu.transfer.values import Errors

BATCH_SIZE = 2000


class RecordImporter(Importer):
    """Pass 1 resolves every row and spools the resolved records to a temporary file;
    pass 2 inserts them from there. Reading an .xlsx is the slow part of an import, so
    it is read once; memory stays flat either way."""

    kind = Kind.RECORDS

    def __init__(
        self,
        table: Table,
        today: date | None = None,
        *,
        update: bool = False,
        by: User | None = None,
        include_closed: bool = False,
    ) -> None:
        self.table = table
        self.include_closed = include_closed
        self.today = today or timezone.localdate()
        self.update = update
        self.by = by
        self.updates: set[int] = set()
        self._spool: IO[bytes] | None = None

    def validate(self, errors: Errors) -> int:
        resolver = RecordResolver(Lookups(), self.today)
        # A closed year's records change nothing published; said, and refused unless asked.
        closed = frozenset() if self.include_closed else closed_years()
        duplicates = DuplicateCheck(errors, update=self.update, by=self.by, closed=closed)
        self.close()
        spool = self._spool = tempfile.TemporaryFile()  # noqa: SIM115 - closed by close()
        chunk: list[ResolvedRecord] = []
        rows = 0
        for row in self.table:
            rows += 1
            resolved = resolver.resolve(row, errors)
            if resolved is not None and resolved.record_id is not None:
                duplicates.add(row.number, resolved.record_id)
            if resolved is not None and fiscal_year_of(resolved.record_date) in closed:
                errors.add(row.number, "日付", import_refusal(fiscal_year_of(resolved.record_date)))
                continue
            if resolved is None or errors:
                continue
            chunk.append(resolved)
            if len(chunk) >= BATCH_SIZE:
                pickle.dump(chunk, spool, protocol=pickle.HIGHEST_PROTOCOL)
                chunk = []
        duplicates.flush()
        self.updates = duplicates.updates
        if chunk:
            pickle.dump(chunk, spool, protocol=pickle.HIGHEST_PROTOCOL)
        spool.seek(0)
        return rows

    def close(self) -> None:
        if self._spool is not None:
            self._spool.close()
            self._spool = None

    def _chunks(self) -> Iterator[list[ResolvedRecord]]:
        spool = self._spool
        assert spool is not None, "validate() first"
        spool.seek(0)
        while True:
            try:
                # Our own temporary file, written by validate() in this process.
                yield pickle.load(spool)  # noqa: S301
            except EOFError:
                return

    def apply(self, *, by: User | None, batch: ImportBatch) -> str:
        inserter = RecordInserter(by=by, batch=batch)
        updates = self.updates
        # Records that keep their 記録ID first, then the new ones, numbered after them.
        count = sum(
            inserter.insert_keeping_ids(
                [r for r in chunk if r.record_id is not None and r.record_id not in updates]
            )
            for chunk in self._chunks()
        )
        inserter.after_kept_ids()
        count += sum(
            inserter.insert([r for r in chunk if r.record_id is None]) for chunk in self._chunks()
        )
        if not updates:
            batch.row_count = count
            batch.save(update_fields=["row_count"])
            return f"支援記録 {count:,}件を取り込みました。"
        assert by is not None, "updates need an author (checked by import_file)"
        updater = RecordUpdater(by=by, today=self.today)
        for chunk in self._chunks():
            updater.update([r for r in chunk if r.record_id in updates])
        batch.row_count = count + updater.updated + updater.unchanged
        batch.save(update_fields=["row_count"])
        return (
            f"支援記録 {count:,}件を追加し、{updater.updated:,}件を更新しました"
            f"（内容が同じで変更しなかった記録：{updater.unchanged:,}件）。"
        )


class DuplicateCheck:
    """Refuses a 記録ID that is already a record (also one in the trash) or that the file
    gives twice: importing an export again must never make a second copy. Looked up in
    batches, so a large file costs a few queries."""

    def __init__(
        self,
        errors: Errors,
        *,
        update: bool = False,
        by: User | None = None,
        closed: frozenset[int] = frozenset(),
    ) -> None:
        self.errors = errors
        self.closed = closed
        self.update = update
        self.by = by
        self.seen: dict[int, int] = {}  # 記録ID → row number
        self.pending: list[tuple[int, int]] = []
        self.updates: set[int] = set()  # with `update`: the existing records to change

    def add(self, row: int, record_id: int) -> None:
        first = self.seen.setdefault(record_id, row)
        if first != row:
            self.errors.add(
                row,
                RECORD_ID,
                f"記録ID {record_id} は{first}行目にもあります。一つにしてください。",
            )
            return
        self.pending.append((row, record_id))
        if len(self.pending) >= BATCH_SIZE:
            self.flush()

    def flush(self) -> None:
        ids = [record_id for _, record_id in self.pending]
        existing = SupportRecord.objects.filter(pk__in=ids).select_related("activity_kind")
        by_id = {record.pk: record for record in existing}
        for row, record_id in self.pending:
            record = by_id.get(record_id)
            if record is None:
                continue
            problem = self._problem(record)
            if problem:
                self.errors.add(row, RECORD_ID, problem)
            else:
                self.updates.add(record_id)
        self.pending = []

    def _problem(self, record: SupportRecord) -> str | None:
        """Why the row of an existing record cannot be imported; None: it updates it."""
        label = f"記録ID {record.pk} の支援記録"
        if record.deleted_at is not None:
            if self.update:
                return (
                    f"{label}はごみ箱の中にあります。更新するなら、先にごみ箱から戻してください。"
                )
            label += "（ごみ箱の中）"
        if not self.update:
            return (
                f"{label}はすでにあります（{record.date:%Y-%m-%d}・{record.activity_kind.name}）。"
                "同じ記録を二重に取り込まないため、取り込みません。"
                "新しい記録として取り込むなら、記録IDを空欄にしてください。"
            )
        if record.fiscal_year in self.closed:
            year = fiscal_year_label(record.fiscal_year)
            return f"{label}は{year}の記録です。{import_refusal(record.fiscal_year)}"
        if self.by is not None and not can(self.by, "record.edit", record):
            return f"{label}は変更できません。{refusal('record.edit')}"
        return None
