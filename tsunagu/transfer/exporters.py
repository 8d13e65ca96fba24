"""Exports: row generators with exactly the import columns, rendered to .xlsx or CSV.

An export of records, categories and directory imports into an empty database (with the
same staff accounts) and gives the same records: the columns are the import formats of
docs/import-formats.md.
"""

from collections.abc import Iterable, Iterator, Sequence
from datetime import time
from itertools import islice
from typing import IO, Any, ClassVar

from django.db import models, transaction
from django.http.response import HttpResponseBase

from tsunagu.accounts.models import User
from tsunagu.audit.services import log_action
from tsunagu.core.exporters import CONTENT_TYPES, Exporter, ExportFile, register, serve
from tsunagu.directory.models import ActivityGroup, Agency, GroupKind, Region, Zone
from tsunagu.lib.fiscal import fiscal_year_label
from tsunagu.lib.tabular import Cell, SizedRows, csv_chunks, save_xlsx, write_xlsx
from tsunagu.records.models import (
    ActivityKind,
    Category,
    ConsulterType,
    RecordAgency,
    SupportRecord,
)
from tsunagu.transfer.formats import (
    ACTIVITY_KIND_TYPE,
    CATEGORY_COLUMNS,
    CONSULTER_TYPE_COLUMNS,
    ENTITY_FORMATS,
    RECORD_COLUMNS,
    SEPARATOR,
    EntityFormat,
    Kind,
    shape_label,
)
from tsunagu.transfer.importers.record_rows import agency_cell
from tsunagu.transfer.values import StaffLookup

CHUNK_SIZE = 2000

Rows = Iterator[list[Cell]]


def _flag(value: bool) -> str:
    return "〇" if value else ""


def _active(value: bool) -> str:
    return "〇" if value else "×"


def _time(value: time | None) -> str:
    if value is None:
        return ""
    return f"{value:%H:%M:%S}" if value.second else f"{value:%H:%M}"


def hidden_notes(user: User | None) -> frozenset[int]:
    """The records whose note `user` may not read (`record.view_note`); none for the
    system (user None: the `tsunagu export` command)."""
    if user is None:
        return frozenset()
    from tsunagu.records.rules import restricted_record_ids

    ids = SupportRecord.objects.filter(id__in=restricted_record_ids(user))
    return frozenset(ids.values_list("pk", flat=True))


_RECORD_FIELDS = (
    "pk",
    "date",
    "staff_id",
    "activity_kind_id",
    "place",
    "target_group_id",
    "target_region_id",
    "region_id",
    "consulter_type_id",
    "initiated",
    "consent",
    "note",
    "zone_id",
    "time",
    "duration_minutes",
    "follow_up",
    "follow_up_due",
    "support_kind",
)


class _Names:
    """The names an export row shows for the ids a record holds, each table read once
    (the directory and the yearly lists are small beside the records)."""

    def __init__(self) -> None:
        self.kinds = dict(ActivityKind.objects.values_list("pk", "name"))
        self.groups = dict(ActivityGroup.objects.values_list("pk", "name"))
        self.regions = dict(Region.objects.values_list("pk", "name"))
        self.zones = dict(Zone.objects.values_list("pk", "name"))
        self.types = dict(ConsulterType.objects.values_list("pk", "name"))
        # In the order a record lists them: (order, id), as the related managers sort.
        self.categories = {
            pk: (order, pk, name)
            for pk, order, name in Category.objects.values_list("pk", "order", "name")
        }
        self.agencies = {
            pk: (order, pk, name)
            for pk, order, name in Agency.objects.values_list("pk", "order", "name")
        }
        lookup = StaffLookup()
        self.staff = {
            pk: lookup.label(pk, username)
            for pk, username in User.objects.values_list("pk", "username")
        }
        self.places = {
            str(k): str(v) for k, v in SupportRecord._meta.get_field("place").flatchoices
        }
        self.support_kinds = {
            str(k): str(v) for k, v in SupportRecord._meta.get_field("support_kind").flatchoices
        }


def _links(ids: list[int], names: _Names) -> tuple[dict[int, str], dict[int, str]]:
    """The categories and agencies cells of a chunk of records: one query each."""
    through = SupportRecord.categories.through
    categories: dict[int, list[tuple[int, int, str]]] = {}
    for record_id, category_id in through.objects.filter(supportrecord_id__in=ids).values_list(
        "supportrecord_id", "category_id"
    ):
        categories.setdefault(record_id, []).append(names.categories[category_id])
    agencies: dict[int, list[tuple[tuple[int, int, str], str]]] = {}
    for record_id, agency_id, action in RecordAgency.objects.filter(record_id__in=ids).values_list(
        "record_id", "agency_id", "action"
    ):
        agencies.setdefault(record_id, []).append((names.agencies[agency_id], action))
    return (
        {pk: SEPARATOR.join(name for _, _, name in sorted(c)) for pk, c in categories.items()},
        {
            pk: SEPARATOR.join(agency_cell(agency[2], action) for agency, action in sorted(a))
            for pk, a in agencies.items()
        },
    )


def export_records(
    queryset: models.QuerySet[SupportRecord], *, hidden: frozenset[int] = frozenset()
) -> Rows:
    """One row per record, oldest first, in the columns of the records import; the notes
    of `hidden` records are left out (the row stays, so that counts add up).

    The rows are read as tuples, CHUNK_SIZE at a time, never as model objects: the names
    come from `_Names` and each chunk's categories and agencies from one query each, so
    the queries do not grow with the records but with their chunks."""
    names = _Names()
    rows = (
        queryset.select_related(None)
        .prefetch_related(None)
        .order_by("date", "id")
        .values_list(*_RECORD_FIELDS)
        .iterator(chunk_size=CHUNK_SIZE)
    )
    while chunk := list(islice(rows, CHUNK_SIZE)):
        categories, agencies = _links([row[0] for row in chunk], names)
        for (
            pk,
            day,
            staff_id,
            kind_id,
            place,
            group_id,
            target_region_id,
            region_id,
            type_id,
            initiated,
            consent,
            note,
            zone_id,
            at,
            duration,
            follow_up,
            follow_up_due,
            support_kind,
        ) in chunk:
            if group_id is not None:
                target = names.groups[group_id]
            elif target_region_id is not None:
                target = names.regions[target_region_id]
            else:
                target = ""
            yield [
                pk,
                day,
                names.staff[staff_id] if staff_id is not None else "",
                names.kinds[kind_id],
                names.places.get(place, place),
                target,
                names.regions[region_id] if region_id is not None else "",
                names.types[type_id] if type_id is not None else "",
                categories.get(pk, ""),
                agencies.get(pk, ""),
                _flag(initiated),
                _flag(consent),
                "" if pk in hidden else note,
                names.zones[zone_id] if zone_id is not None else "",
                _time(at),
                duration,
                _flag(follow_up),
                follow_up_due,
                names.support_kinds.get(support_kind, support_kind) if support_kind else "",
            ]


def _term_row(term: Any, type_name: str) -> list[Cell]:
    predecessors = sorted(term.predecessors.all(), key=lambda p: (p.order, p.pk))
    return [
        fiscal_year_label(term.fiscal_year),
        type_name,
        term.name,
        term.order,
        SEPARATOR.join(p.name for p in predecessors),
        _flag(term.retired),
        _flag(getattr(term, "catch_all", False)),
    ]


def export_categories(fiscal_year: int | None = None) -> Rows:
    """The yearly lists: the activity kinds first, then each consulter type's categories."""
    kinds = ActivityKind.objects.prefetch_related("predecessors").order_by(
        "fiscal_year", "order", "id"
    )
    categories = (
        Category.objects.select_related("consulter_type")
        .prefetch_related("predecessors")
        .order_by("fiscal_year", "consulter_type__order", "consulter_type_id", "order", "id")
    )
    if fiscal_year is not None:
        kinds, categories = kinds.in_year(fiscal_year), categories.in_year(fiscal_year)
    rows = [(k.fiscal_year, 0, _term_row(k, ACTIVITY_KIND_TYPE)) for k in kinds]
    rows += [(c.fiscal_year, 1, _term_row(c, c.consulter_type.name)) for c in categories]
    # Stable sort: within a year, the database order of each list is kept.
    for _, _, row in sorted(rows, key=lambda r: (r[0], r[1])):
        yield row


def export_consulter_types() -> Rows:
    """Every consulter type in configured order: its heading, the shape of its section
    and its order (the heading as stored: empty means 「名称からの相談」)."""
    for consulter_type in ConsulterType.objects.order_by("order", "id"):
        yield [
            consulter_type.name,
            consulter_type.report_title,
            shape_label(consulter_type.report_style),
            consulter_type.order,
        ]


def export_directory(entity: EntityFormat) -> Rows:
    """The rows of one directory entity, in the columns of its import sheet."""
    if entity.slug == "zones":
        staff = StaffLookup()
        for zone in Zone.objects.select_related("staff"):
            who = staff.label(zone.staff.pk, zone.staff.username) if zone.staff else ""
            yield [zone.name, zone.reading, zone.description, who, zone.order, _active(zone.active)]
    elif entity.slug == "regions":
        for region in Region.objects.select_related("zone"):
            yield [
                region.name,
                region.reading,
                region.zone.name,
                region.representative,
                region.member_count,
                region.order,
                _active(region.active),
            ]
    elif entity.slug == "group-kinds":
        for kind in GroupKind.objects.all():
            yield [kind.name, kind.reading, kind.order, _active(kind.active)]
    elif entity.slug == "groups":
        for group in ActivityGroup.objects.select_related("kind", "zone", "region"):
            yield [
                group.name,
                group.reading,
                group.kind.name,
                group.zone.name,
                group.region.name if group.region else "",
                group.schedule,
                group.contact,
                group.order,
                _active(group.active),
            ]
    elif entity.slug == "agencies":
        for agency in Agency.objects.select_related("group"):
            yield [
                agency.name,
                agency.reading,
                agency.group.name,
                agency.order,
                _active(agency.active),
            ]
    else:  # pragma: no cover - ENTITY_FORMATS lists the slugs above
        raise ValueError(entity.slug)


Sheets = Sequence[tuple[str, Sequence[str], Iterable[Sequence[Cell]]]]


def render(fmt: str, sheets: Sheets) -> bytes:
    """The bytes of an .xlsx workbook (every sheet) or a CSV file (the only sheet)."""
    if fmt == "xlsx":
        return write_xlsx(sheets)
    return b"".join(_csv(fmt, sheets))


def _csv(fmt: str, sheets: Sheets) -> Iterator[bytes]:
    if fmt == "csv" and len(sheets) == 1:
        _, headers, rows = sheets[0]
        return csv_chunks(headers, rows)
    raise ValueError(fmt)


def save(target: IO[bytes], fmt: str, sheets: Sheets) -> None:
    """The file of `render`, written to `target` while the rows are read."""
    if fmt == "xlsx":
        save_xlsx(target, sheets)
        return
    for chunk in _csv(fmt, sheets):
        target.write(chunk)


def export_sheets(
    kind: str,
    fmt: str,
    *,
    fiscal_year: int | None = None,
    entity: EntityFormat | None = None,
    for_user: User | None = None,
) -> tuple[list[tuple[str, Sequence[str], Iterable[Sequence[Cell]]]], int]:
    """The sheets of an export (`for_user` None: as the system, every note), the records'
    rows still unread, and their number of rows."""
    if kind == Kind.RECORDS:
        records = SupportRecord.objects.alive()
        if fiscal_year is not None:
            records = records.in_fiscal_year(fiscal_year)
        rows = record_rows(records, hidden=hidden_notes(for_user))
        return [("支援記録", RECORD_COLUMNS, rows)], len(rows)
    if kind == Kind.CATEGORIES:
        terms = list(export_categories(fiscal_year))
        return [("分類", CATEGORY_COLUMNS, terms)], len(terms)
    if kind == Kind.CONSULTER_TYPES:
        types = list(export_consulter_types())
        return [("相談者区分", CONSULTER_TYPE_COLUMNS, types)], len(types)
    if kind == Kind.DIRECTORY:
        entities = [entity] if entity else list(ENTITY_FORMATS)
        if fmt == "csv" and len(entities) > 1:
            raise ValueError("CSV のマスタ出力には種類（--entity）が必要です。")
        sheets = [(e.name, e.columns, list(export_directory(e))) for e in entities]
        return list(sheets), sum(len(rows) for _, _, rows in sheets)
    raise ValueError(kind)


def export_file(
    kind: str,
    fmt: str,
    *,
    fiscal_year: int | None = None,
    entity: EntityFormat | None = None,
    for_user: User | None = None,
) -> tuple[bytes, int]:
    """A whole export as the `tsunagu export` command writes it (`for_user` None: as the
    system, every note), and its number of rows."""
    sheets, rows = export_sheets(
        kind, fmt, fiscal_year=fiscal_year, entity=entity, for_user=for_user
    )
    return render(fmt, sheets), rows


def record_rows(
    queryset: models.QuerySet[SupportRecord], *, hidden: frozenset[int] = frozenset()
) -> SizedRows:
    """The export rows of the records, with their number known before they are written."""
    return SizedRows(export_records(queryset, hidden=hidden), queryset.count())


def log_export(*, by: User | None, kind: str, fmt: str, rows: int) -> None:
    """Exported records carry notes: whoever takes them out is on the audit log."""
    with transaction.atomic():
        log_action(
            by=by,
            action="transfer.exported",
            changes={"kind": kind, "format": fmt, "rows": rows},
            label=f"{rows:,}件",
        )


# --- the downloads (core/exporters.py) -----------------------------------------------


def _stem(kind: str, fiscal_year: int | None, entity: EntityFormat | None) -> str:
    stem = {
        Kind.RECORDS: "支援記録",
        Kind.CATEGORIES: "分類",
        Kind.CONSULTER_TYPES: "相談者区分",
        Kind.DIRECTORY: "マスタ",
    }[kind]
    if fiscal_year is not None:
        stem += f"_{fiscal_year_label(fiscal_year)}"
    if kind == Kind.DIRECTORY and entity is not None:
        stem += f"_{entity.name}"
    return stem


class _Transfer(Exporter):
    """An export of the 入出力 screen: the import columns of one kind, re-importable."""

    kind: ClassVar[str]
    rule = "transfer.export"
    urls = ("transfer:export",)

    def export(  # type: ignore[override]
        self,
        user: Any,
        *,
        fmt: str,
        fiscal_year: int | None = None,
        entity: EntityFormat | None = None,
    ) -> ExportFile:
        sheets, rows = export_sheets(
            self.kind, fmt, fiscal_year=fiscal_year, entity=entity, for_user=user
        )
        changes = {"kind": self.kind, "format": fmt, "rows": rows}
        filename = f"{_stem(self.kind, fiscal_year, entity)}.{fmt}"
        if self.kind == Kind.RECORDS:  # sent while the rows are read
            return ExportFile.table(fmt, sheets, filename, changes=changes, label=f"{rows:,}件")
        # A few hundred rows: the file whole.
        return ExportFile(filename, CONTENT_TYPES[fmt], render(fmt, sheets), changes, f"{rows:,}件")


@register
class RecordsTransfer(_Transfer):
    identifier = "transfer.records"
    verbose_name = "支援記録（取り込みの形式）"
    kind = Kind.RECORDS
    audit = "transfer.exported"


@register
class CategoriesTransfer(_Transfer):
    identifier = "transfer.categories"
    verbose_name = "分類（取り込みの形式）"
    kind = Kind.CATEGORIES
    audit = "transfer.categories.exported"


@register
class ConsulterTypesTransfer(_Transfer):
    identifier = "transfer.consulter_types"
    verbose_name = "相談者区分（取り込みの形式）"
    kind = Kind.CONSULTER_TYPES
    audit = "transfer.consulter_types.exported"


@register
class DirectoryTransfer(_Transfer):
    identifier = "transfer.directory"
    verbose_name = "マスタ（取り込みの形式）"
    kind = Kind.DIRECTORY
    audit = "transfer.directory.exported"


TRANSFERS: dict[str, type[_Transfer]] = {
    e.kind: e
    for e in (RecordsTransfer, CategoriesTransfer, ConsulterTypesTransfer, DirectoryTransfer)
}


@register
class RecordListExport(Exporter):
    """The records of the filtered list (支援記録の一覧の「出力」)."""

    identifier = "records.list"
    verbose_name = "支援記録の一覧（Excel・CSV）"
    rule = "record.export"
    audit = "transfer.exported"
    urls = ("records:list",)

    def export(  # type: ignore[override]
        self, user: Any, *, queryset: models.QuerySet[SupportRecord], fmt: str, filename_stem: str
    ) -> ExportFile:
        rows = record_rows(queryset, hidden=hidden_notes(user))
        return ExportFile.table(
            fmt,
            [("支援記録", RECORD_COLUMNS, rows)],
            f"{filename_stem}.{fmt}",
            changes={"kind": Kind.RECORDS, "format": fmt, "rows": len(rows)},
            label=f"{len(rows):,}件",
        )


def records_download_response(
    queryset: models.QuerySet[SupportRecord],
    fmt: str,
    filename_stem: str,
    *,
    by: User | None = None,
) -> HttpResponseBase:
    """The records of a filtered list as a file to download ("xlsx" or "csv"), to a user
    with `record.export`; the notes `by` may not read are left out, and the export is
    written to the audit log."""
    return serve(by, RecordListExport, queryset=queryset, fmt=fmt, filename_stem=filename_stem)
