"""Importing a file: all or nothing, never the same file twice, one audit entry."""

import hashlib
from dataclasses import dataclass, replace
from datetime import date
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from tsunagu.accounts.models import User
from tsunagu.audit.services import log_action
from tsunagu.core.access import require
from tsunagu.lib.tabular import RowError, Table, TableError, read_table, sheet_names, table_format
from tsunagu.records.models import ImportBatch
from tsunagu.reports.cache import invalidate
from tsunagu.transfer.formats import (
    CATEGORY_COLUMNS,
    CATEGORY_REQUIRED,
    CONSULTER_TYPE_COLUMNS,
    CONSULTER_TYPE_REQUIRED,
    RECORD_COLUMNS,
    RECORD_REQUIRED,
    EntityFormat,
    Kind,
    entity_names,
    find_entity,
)
from tsunagu.transfer.importers.base import Importer, ImportRefused
from tsunagu.transfer.importers.baseline import COLUMNS as BASELINE_COLUMNS
from tsunagu.transfer.importers.baseline import BaselineImporter
from tsunagu.transfer.importers.categories import CategoryImporter
from tsunagu.transfer.importers.consulter_types import ConsulterTypeImporter
from tsunagu.transfer.importers.directory import DirectoryImporter
from tsunagu.transfer.importers.records import RecordImporter
from tsunagu.transfer.values import Errors

MAX_UPLOAD_BYTES = 50 * 1024 * 1024


NOTHING_TO_IMPORT = "データの行がない（見出しだけの）ファイルです。変更はありません。"


@dataclass(frozen=True)
class ImportResult:
    """`batch` is None when the file had no data row: nothing was imported or recorded."""

    batch: ImportBatch | None
    message: str


def file_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _already_imported(kind: str, digest: str) -> ValidationError | None:
    batch = (
        ImportBatch.objects.filter(kind=kind, digest=digest).select_related("imported_by").first()
    )
    if batch is None:
        return None
    when = timezone.localtime(batch.imported_at).strftime("%Y-%m-%d %H:%M")
    who = f" {batch.imported_by.display_name} さんが" if batch.imported_by else ""
    return ValidationError(
        f"このファイルは {when} に{who}取り込み済みです（{batch.filename}、{batch.row_count:,}行）。"
        "同じファイルは二度取り込めません。"
    )


def _directory_sheets(
    data: bytes, filename: str, entity: str | None
) -> list[tuple[EntityFormat, Table]]:
    chosen = find_entity(entity) if entity else None
    if entity and chosen is None:
        raise TableError(f"マスタの種類「{entity}」はありません。{entity_names()}のどれかです。")
    if table_format(filename) == "csv":
        chosen = chosen or find_entity(PurePath(filename).stem)
        if chosen is None:
            raise TableError(
                f"CSV ではマスタの種類（{entity_names()}）を選んでください"
                "（コマンドでは --entity、またはファイル名を「圏域.csv」のようにします）。"
            )
        return [(chosen, _read(data, filename, chosen, None))]
    names = sheet_names(data)
    if chosen is not None:
        sheet = next((n for n in names if find_entity(n) == chosen), None)
        if sheet is None and len(names) == 1:
            sheet = names[0]
        if sheet is None:
            raise TableError(f"「{chosen.name}」という名前のシートがありません。")
        return [(chosen, _read(data, filename, chosen, sheet))]
    unknown = [n for n in names if find_entity(n) is None]
    if unknown:
        raise TableError(
            "シート名がマスタの種類と合いません："
            + "、".join(f"「{n}」" for n in unknown)
            + f"。シート名は{entity_names()}のどれかにしてください。"
        )
    sheets: list[tuple[EntityFormat, Table]] = []
    errors: list[RowError] = []
    for name in names:
        found = find_entity(name)
        assert found is not None
        try:
            sheets.append((found, _read(data, filename, found, name)))
        except TableError as error:
            errors.extend(replace(e, sheet=e.sheet or name) for e in error.errors)
    if errors:
        raise TableError(errors)
    return sheets


def _read(data: bytes, filename: str, entity: EntityFormat, sheet: str | None) -> Table:
    return read_table(
        data, filename, sheet, columns=entity.columns, required=entity.required, allow_empty=True
    )


def open_importer(
    kind: str,
    data: bytes,
    filename: str,
    *,
    entity: str | None = None,
    today: date | None = None,
    update: bool = False,
    by: User | None = None,
    include_closed: bool = False,
) -> Importer:
    """The importer for a file; TableError when the file or its header cannot be used.
    `update` (records only): rows whose 記録ID exists change that record.
    `include_closed` (records only): rows of a closed fiscal year are imported too."""
    if kind == Kind.RECORDS:
        table = read_table(
            data, filename, columns=RECORD_COLUMNS, required=RECORD_REQUIRED, allow_empty=True
        )
        return RecordImporter(
            table, today=today, update=update, by=by, include_closed=include_closed
        )
    if kind == Kind.CATEGORIES:
        table = read_table(
            data, filename, columns=CATEGORY_COLUMNS, required=CATEGORY_REQUIRED, allow_empty=True
        )
        return CategoryImporter(table)
    if kind == Kind.CONSULTER_TYPES:
        table = read_table(
            data,
            filename,
            columns=CONSULTER_TYPE_COLUMNS,
            required=CONSULTER_TYPE_REQUIRED,
            allow_empty=True,
        )
        return ConsulterTypeImporter(table)
    if kind == Kind.DIRECTORY:
        return DirectoryImporter(_directory_sheets(data, filename, entity))
    if kind == Kind.BASELINE:
        return BaselineImporter(
            read_table(
                data,
                filename,
                columns=BASELINE_COLUMNS,
                required=BASELINE_COLUMNS,
                allow_empty=True,
            )
        )
    raise ValueError(kind)


def import_file(
    *,
    by: User | None,
    kind: str,
    data: bytes,
    filename: str,
    entity: str | None = None,
    today: date | None = None,
    update: bool = False,
    include_closed: bool = False,
) -> ImportResult:
    """Import every row of the file, or nothing.

    Raises ImportRefused (a ValidationError listing every problem with its row and column)
    when any row is bad, ValidationError when the same file was imported before.
    `by=None` is the command line (`tsunagu import` without --user), run as the system.
    `update`: a records row whose 記録ID exists updates that record instead of being
    refused as a second copy; the updates are an edit by `by`, who must be given.
    `include_closed`: a records file with rows of a closed fiscal year is imported;
    without it the whole file is refused (reports/closures.py)."""
    require(by, "transfer.import", kind, system=True)
    if update and kind != Kind.RECORDS:
        raise ValidationError("記録IDで上書きできるのは、支援記録の取り込みだけです。")
    if include_closed and kind != Kind.RECORDS:
        raise ValidationError("締められた年度の行を取り込めるのは、支援記録の取り込みだけです。")
    if update and by is None:
        raise ValidationError(
            "記録を上書きするときは、取り込む職員を指定してください（コマンドでは --user）。"
        )
    filename = PurePath(filename).name or "（名前なし）"
    digest = file_digest(data)
    refused = _already_imported(kind, digest)
    if refused is not None:
        raise refused
    try:
        importer = open_importer(
            kind,
            data,
            filename,
            entity=entity,
            today=today,
            update=update,
            by=by,
            include_closed=include_closed,
        )
    except TableError as error:
        raise ImportRefused(error) from error
    try:
        return _run(importer, by=by, kind=kind, filename=filename, digest=digest)
    finally:
        importer.close()


def _run(
    importer: Importer, *, by: User | None, kind: str, filename: str, digest: str
) -> ImportResult:
    errors = Errors()
    try:
        rows = importer.validate(errors)
    except TableError as error:
        raise ImportRefused(error) from error
    if errors:
        raise ImportRefused(errors)
    if rows == 0:
        # Every export re-imports, also one made before anything was registered; such a
        # file is not recorded, so it never blocks a later one as "already imported".
        return ImportResult(batch=None, message=NOTHING_TO_IMPORT)
    try:
        with transaction.atomic():
            batch = ImportBatch.objects.create(
                kind=kind, filename=filename[:255], digest=digest, row_count=rows, imported_by=by
            )
            message = importer.apply(by=by, batch=batch)
            invalidate()  # importers write with bulk_create, executemany and update()
            log_action(
                by=by,
                action="transfer.imported",
                target=batch,
                changes={"kind": kind, "filename": filename, "rows": rows},
            )
    except IntegrityError as error:
        # Someone imported the same file at the same moment, or changed the directory.
        raise _already_imported(kind, digest) or ValidationError(
            "取り込み中にほかの人がデータを変更したため、取り込めませんでした。もう一度お試しください。"
        ) from error
    return ImportResult(batch=batch, message=message)
