"""Exports: row generators with exactly the import columns, rendered to .xlsx or CSV.

An export of records, categories and directory imports into an empty database (with the
same staff accounts) and gives the same records: the columns are the import formats of
docs/import-formats.md.
"""

from collections.abc import Iterable, Iterator, Sequence
from datetime import time
from typing import Any

from django.db import models, transaction
from django.http import HttpResponse
from django.utils.http import content_disposition_header

from tsunagu.accounts.models import User
from tsunagu.audit.services import log_action
from tsunagu.directory.models import ActivityGroup, Agency, GroupKind, Region, Zone
from tsunagu.lib.fiscal import fiscal_year_label
from tsunagu.lib.tabular import Cell, SizedRows, write_csv, write_xlsx
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

CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}
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


def export_records(
    queryset: models.QuerySet[SupportRecord], *, hidden: frozenset[int] = frozenset()
) -> Rows:
    """One row per record, oldest first, in the columns of the records import; the notes
    of `hidden` records are left out (the row stays, so that counts add up)."""
    staff = StaffLookup()
    records = (
        queryset.select_related(
            "staff",
            "activity_kind",
            "target_group",
            "target_region",
            "zone",
            "region",
            "consulter_type",
        )
        .prefetch_related(None)
        .prefetch_related(
            models.Prefetch("categories", queryset=Category.objects.order_by("order", "id")),
            models.Prefetch(
                "agency_links",
                queryset=RecordAgency.objects.select_related("agency").order_by(
                    "agency__order", "agency__id"
                ),
            ),
        )
        .order_by("date", "id")
    )
    for record in records.iterator(chunk_size=CHUNK_SIZE):
        target = record.target_group or record.target_region
        yield [
            record.pk,
            record.date,
            staff.label(record.staff.pk, record.staff.username) if record.staff else "",
            record.activity_kind.name,
            record.get_place_display(),
            target.name if target else "",
            record.region.name if record.region else "",
            record.consulter_type.name if record.consulter_type else "",
            SEPARATOR.join(c.name for c in record.categories.all()),
            SEPARATOR.join(agency_cell(a.agency.name, a.action) for a in record.agency_links.all()),
            _flag(record.initiated),
            _flag(record.consent),
            "" if record.pk in hidden else record.note,
            record.zone.name if record.zone else "",
            _time(record.time),
            record.duration_minutes,
            _flag(record.follow_up),
            record.follow_up_due,
            record.get_support_kind_display() if record.support_kind else "",
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


def render(
    fmt: str, sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence[Cell]]]]
) -> bytes:
    """The bytes of an .xlsx workbook (every sheet) or a CSV file (the only sheet)."""
    if fmt == "xlsx":
        return write_xlsx(sheets)
    if fmt == "csv" and len(sheets) == 1:
        _, headers, rows = sheets[0]
        return write_csv(headers, rows)
    raise ValueError(fmt)


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
    if kind == Kind.RECORDS:
        records = SupportRecord.objects.alive()
        if fiscal_year is not None:
            records = records.in_fiscal_year(fiscal_year)
        rows = record_rows(records, hidden=hidden_notes(for_user))
        return render(fmt, [("支援記録", RECORD_COLUMNS, rows)]), len(rows)
    if kind == Kind.CATEGORIES:
        terms = list(export_categories(fiscal_year))
        return render(fmt, [("分類", CATEGORY_COLUMNS, terms)]), len(terms)
    if kind == Kind.CONSULTER_TYPES:
        types = list(export_consulter_types())
        return render(fmt, [("相談者区分", CONSULTER_TYPE_COLUMNS, types)]), len(types)
    if kind == Kind.DIRECTORY:
        entities = [entity] if entity else list(ENTITY_FORMATS)
        if fmt == "csv" and len(entities) > 1:
            raise ValueError("CSV のマスタ出力には種類（--entity）が必要です。")
        sheets = [(e.name, e.columns, list(export_directory(e))) for e in entities]
        return render(fmt, sheets), sum(len(rows) for _, _, rows in sheets)
    raise ValueError(kind)


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


def download_response(data: bytes, fmt: str, filename_stem: str) -> HttpResponse:
    response = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
    disposition = content_disposition_header(True, f"{filename_stem}.{fmt}")
    response["Content-Disposition"] = disposition or "attachment"
    return response


def records_download_response(
    queryset: models.QuerySet[SupportRecord],
    fmt: str,
    filename_stem: str,
    *,
    by: User | None = None,
) -> HttpResponse:
    """The records of a filtered list as a file to download ("xlsx" or "csv").

    The caller checks `record.export`; the notes `by` may not read are left out, and the
    export is written to the audit log."""
    rows = record_rows(queryset, hidden=hidden_notes(by))
    data = render(fmt, [("支援記録", RECORD_COLUMNS, rows)])
    log_export(by=by, kind=Kind.RECORDS, fmt=fmt, rows=len(rows))
    return download_response(data, fmt, filename_stem)
