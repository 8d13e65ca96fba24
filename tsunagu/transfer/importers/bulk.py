"""Inserting imported records in bulk, below the ORM.

`bulk_create` spends most of a 100,000-row import building model instances and preparing
each value through its field (measured: about 35 of 50 seconds). Here the constant
columns are prepared once through Django's own fields, and only the few values that vary
per row are adapted, then `executemany` sends each batch. Table and column names come
from the models' metadata, so a renamed column cannot go unnoticed; a new NOT NULL
field gets its model default like every other constant column.
"""

from collections.abc import Sequence
from typing import Any

from django.db import connection, models

from tsunagu.accounts.models import User
from tsunagu.lib.fiscal import fiscal_year_of
from tsunagu.lib.textnorm import normalize
from tsunagu.records.models import ImportBatch, RecordAgency, SupportRecord

# The record fields an import sets row by row; every other column is the same for all.
ROW_FIELDS = (
    "date",
    "fiscal_year",
    "time",
    "duration_minutes",
    "staff_id",
    "activity_kind_id",
    "place",
    "target_group_id",
    "target_region_id",
    "zone_id",
    "region_id",
    "consulter_type_id",
    "initiated",
    "consent",
    "note",
    "note_key",
    "follow_up",
    "follow_up_due",
    "support_kind",
)


def _insert(
    model: type[models.Model], columns: Sequence[str], rows: Sequence[Sequence[Any]]
) -> None:
    if not rows:
        return
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608 - names from model metadata
        quote(model._meta.db_table),
        ", ".join(quote(c) for c in columns),
        ", ".join(["%s"] * len(columns)),
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _column(model: type[models.Model], name: str) -> str:
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field) and field.column
    return field.column


class RecordInserter:
    """Writes batches of resolved records, their categories and agencies, for one import."""

    def __init__(self, *, by: User | None, batch: ImportBatch) -> None:
        self.batch = batch
        self.last_pk = 0
        self.kept_ids = False
        pk_column = SupportRecord._meta.pk.column if SupportRecord._meta.pk else None
        assert pk_column
        self.pk_column: str = pk_column
        template = SupportRecord(created_by=by, updated_by=by, import_batch=batch)
        fields = [f for f in SupportRecord._meta.concrete_fields if not f.primary_key]
        by_attname = {f.attname: f for f in fields}
        self.columns = [_column(SupportRecord, by_attname[name].name) for name in ROW_FIELDS]
        self.constants: list[Any] = []
        for field in fields:
            if field.attname not in ROW_FIELDS:
                value = field.pre_save(template, add=True)
                self.columns.append(_column(SupportRecord, field.name))
                self.constants.append(field.get_db_prep_save(value, connection))
        ops = connection.ops
        self.adapt_date = ops.adapt_datefield_value
        self.adapt_time = ops.adapt_timefield_value
        through = SupportRecord.categories.through
        self.category_model = through
        self.category_columns = [_column(through, "supportrecord"), _column(through, "category")]
        self.agency_columns = [_column(RecordAgency, n) for n in ("record", "agency", "action")]

    def _values(self, chunk: Sequence[Any]) -> list[tuple[Any, ...]]:
        adapt_date, adapt_time = self.adapt_date, self.adapt_time
        return [
            (
                adapt_date(r.record_date),
                fiscal_year_of(r.record_date),
                adapt_time(r.record_time),
                r.duration_minutes,
                r.staff_id,
                r.activity_kind_id,
                r.place,
                r.target_group_id,
                r.target_region_id,
                r.zone_id,
                r.region_id,
                r.consulter_type_id,
                r.initiated,
                r.consent,
                r.note,
                normalize(r.note) if r.note else "",
                r.follow_up,
                adapt_date(r.follow_up_due),
                r.support_kind,
                *self.constants,
            )
            for r in chunk
        ]

    def insert(self, chunk: Sequence[Any]) -> int:
        """Insert one batch of new ResolvedRecord (numbered by the database); how many."""
        if not chunk:
            return 0
        _insert(SupportRecord, self.columns, self._values(chunk))
        pks = list(
            SupportRecord.objects.filter(import_batch=self.batch, pk__gt=self.last_pk)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        # Rows of one executemany get increasing keys in their order; other writers'
        # rows carry another import batch, and kept ids are all below (after_kept_ids).
        assert len(pks) == len(chunk), (len(pks), len(chunk))
        self.last_pk = pks[-1]
        self._links(pks, chunk)
        return len(chunk)

    def insert_keeping_ids(self, chunk: Sequence[Any]) -> int:
        """Insert a batch of ResolvedRecord that keep their 記録ID as their id."""
        if not chunk:
            return 0
        pks = [r.record_id for r in chunk]
        _insert(
            SupportRecord,
            [self.pk_column, *self.columns],
            [(pk, *values) for pk, values in zip(pks, self._values(chunk), strict=True)],
        )
        self.last_pk = max(self.last_pk, *pks)
        self.kept_ids = True
        self._links(pks, chunk)
        return len(chunk)

    def after_kept_ids(self) -> None:
        """Let the database number new records after the kept ids (PostgreSQL's sequence
        does not follow explicit ids by itself; SQLite's AUTOINCREMENT does). Only ever
        moved up: ids of purged records are not given again."""
        if not self.kept_ids or connection.vendor != "postgresql":
            return
        table, column = SupportRecord._meta.db_table, self.pk_column
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence(%s, %s), GREATEST("  # noqa: S608 - names from model metadata
                f"(SELECT MAX({quote(column)}) FROM {quote(table)}), "
                "nextval(pg_get_serial_sequence(%s, %s))))",
                [table, column, table, column],
            )

    def _links(self, pks: Sequence[int], chunk: Sequence[Any]) -> None:
        _insert(
            self.category_model,
            self.category_columns,
            [(pk, c) for pk, r in zip(pks, chunk, strict=True) for c in r.category_ids],
        )
        _insert(
            RecordAgency,
            self.agency_columns,
            [(pk, a, action) for pk, r in zip(pks, chunk, strict=True) for a, action in r.agencies],
        )
