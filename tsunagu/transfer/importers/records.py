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
from tsunagu.records.models import ImportBatch
from tsunagu.transfer.formats import Kind
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
        self.close()
        spool = self._spool = tempfile.TemporaryFile()  # noqa: SIM115 - closed by close()
        chunk: list[ResolvedRecord] = []
        rows = 0
        for row in self.table:
            rows += 1
            resolved = resolver.resolve(row, errors)
            if resolved is None or errors:
                continue
            chunk.append(resolved)
            if len(chunk) >= BATCH_SIZE:
                pickle.dump(chunk, spool, protocol=pickle.HIGHEST_PROTOCOL)
                chunk = []
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
        while True:
            try:
                # Our own temporary file, written by validate() in this process.
                yield pickle.load(spool)  # noqa: S301
            except EOFError:
                return

    def apply(self, *, by: User | None, batch: ImportBatch) -> str:
        inserter = RecordInserter(by=by, batch=batch)
        count = sum(inserter.insert(chunk) for chunk in self._chunks())
        batch.row_count = count
        batch.save(update_fields=["row_count"])
        return f"支援記録 {count:,}件を取り込みました。"
