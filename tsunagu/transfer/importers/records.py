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
from tsunagu.lib.tabular import Table
from tsunagu.records.models import ImportBatch, SupportRecord
from tsunagu.transfer.formats import RECORD_ID, Kind
from tsunagu.transfer.importers.base import Importer
from tsunagu.transfer.importers.bulk import RecordInserter
from tsunagu.transfer.importers.record_rows import Lookups, RecordResolver, ResolvedRecord
from tsunagu.transfer.values import Errors

BATCH_SIZE = 2000


class RecordImporter(Importer):
    """Pass 1 resolves every row and spools the resolved records to a temporary file;
    pass 2 inserts them from there. Reading an .xlsx is the slow part of an import, so
    it is read once; memory stays flat either way."""

    kind = Kind.RECORDS

    def __init__(self, table: Table, today: date | None = None) -> None:
        self.table = table
        self.today = today or timezone.localdate()
        self._spool: IO[bytes] | None = None

    def validate(self, errors: Errors) -> int:
        resolver = RecordResolver(Lookups(), self.today)
        duplicates = DuplicateCheck(errors)
        self.close()
        spool = self._spool = tempfile.TemporaryFile()  # noqa: SIM115 - closed by close()
        chunk: list[ResolvedRecord] = []
        rows = 0
        for row in self.table:
            rows += 1
            resolved = resolver.resolve(row, errors)
            if resolved is not None and resolved.record_id is not None:
                duplicates.add(row.number, resolved.record_id)
            if resolved is None or errors:
                continue
            chunk.append(resolved)
            if len(chunk) >= BATCH_SIZE:
                pickle.dump(chunk, spool, protocol=pickle.HIGHEST_PROTOCOL)
                chunk = []
        duplicates.flush()
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
        # Records that keep their 記録ID first, then the new ones, numbered after them.
        count = sum(
            inserter.insert_keeping_ids([r for r in chunk if r.record_id is not None])
            for chunk in self._chunks()
        )
        inserter.after_kept_ids()
        count += sum(
            inserter.insert([r for r in chunk if r.record_id is None]) for chunk in self._chunks()
        )
        batch.row_count = count
        batch.save(update_fields=["row_count"])
        return f"支援記録 {count:,}件を取り込みました。"


class DuplicateCheck:
    """Refuses a 記録ID that is already a record (also one in the trash) or that the file
    gives twice: importing an export again must never make a second copy. Looked up in
    batches, so a large file costs a few queries."""

    def __init__(self, errors: Errors) -> None:
        self.errors = errors
        self.seen: dict[int, int] = {}  # 記録ID → row number
        self.pending: list[tuple[int, int]] = []

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
        existing = {
            pk: (day, kind, deleted)
            for pk, day, kind, deleted in SupportRecord.objects.filter(pk__in=ids).values_list(
                "pk", "date", "activity_kind__name", "deleted_at"
            )
        }
        for row, record_id in self.pending:
            if record_id in existing:
                day, kind, deleted = existing[record_id]
                where = "（ごみ箱の中）" if deleted else ""
                self.errors.add(
                    row,
                    RECORD_ID,
                    f"記録ID {record_id} の支援記録{where}はすでにあります"
                    f"（{day:%Y-%m-%d}・{kind}）。同じ記録を二重に取り込まないため、取り込みません。"
                    "新しい記録として取り込むなら、記録IDを空欄にしてください。",
                )
        self.pending = []
