"""The synthetic council of the benchmark: the demo directory, yearly lists over N fiscal
years, and N records written in batches (executemany on SQLite, COPY on PostgreSQL).

The lists of the last three years take the shapes of the demo's three years, so that the
report of the last year meets a merge, a split and a rename; earlier years repeat the
first shape. The records bypass SupportRecord.save(): fiscal_year and note_key are set
here. The same arguments give the same rows (a fixed seed)."""

import operator
import random
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from typing import Any, TypeVar

from django.core.management.color import no_style
from django.db import DatabaseError, connection, transaction

from tsunagu.demo import records_data as demo
from tsunagu.demo.directory import load_directory
from tsunagu.directory.models import ActivityGroup, Agency, Region
from tsunagu.lib.fiscal import fiscal_year_bounds
from tsunagu.lib.textnorm import normalize
from tsunagu.records.models import (
    ActivityKind,
    AgencyAction,
    Category,
    ConsulterType,
    Place,
    RecordAgency,
    SupportRecord,
)
from tsunagu.reports.cache import invalidate

SEED = 2024
BATCH = 20_000
KIND_WEIGHTS = {
    demo.OUTREACH_KIND: 30,
    demo.MEETING_KIND: 18,
    demo.CONSULTATION_KIND: 35,
    demo.APPROACH_KIND: 4,
    demo.INFORMATION_KIND: 10,
    demo.OTHER_KIND: 3,
}
TYPE_WEIGHTS = {
    demo.COUNCIL: 10,
    demo.INDIVIDUAL: 25,
    demo.VOLUNTEER: 12,
    demo.GROUP: 35,
    demo.AGENCY: 18,
}
OUTREACH, VISIT, OFFICE, PHONE, EMAIL, OTHER = (
    p.value
    for p in (Place.OUTREACH, Place.VISIT, Place.OFFICE, Place.PHONE, Place.EMAIL, Place.OTHER)
)
KIND_PLACES = {
    demo.OUTREACH_KIND: (OUTREACH,) * 12 + (VISIT,),
    demo.MEETING_KIND: (OUTREACH,) * 4 + (OFFICE,),
    demo.INFORMATION_KIND: (PHONE, EMAIL, VISIT, OFFICE),
    demo.OTHER_KIND: (OTHER, OFFICE),
    demo.APPROACH_KIND: (PHONE, VISIT, EMAIL),
}
ARRIVAL_PLACES = (PHONE, PHONE, OFFICE, EMAIL, VISIT)
OUTREACH_SHARE = 0.35  # of consultations, the figure the council watches
AGENCY_SHARE = 0.08  # of other consultations and meetings, one agency involved
DELETED_SHARE = 0.005  # in the trash: must not count
NOTES = [
    note.format(target="いきいきサロンひだまり")
    for note in demo.VISIT_NOTES + demo.MEETING_NOTES + demo.INFORMATION_NOTES + demo.OTHER_NOTES
]


T = TypeVar("T")


@dataclass(frozen=True)
class Generated:
    records: int
    category_links: int
    agency_links: int
    first_year: int
    last_year: int
    seconds: float


def generate(*, records: int, years: int, last_year: int, seed: int = SEED) -> Generated:
    """Fill the (empty, migrated) default database; `records` spread evenly over the years."""
    started = time.perf_counter()
    fiscal_years = list(range(last_year - years + 1, last_year + 1))
    with transaction.atomic():
        load_directory()
        lists = _YearlyLists.create(fiscal_years)
    writer = _Writer()
    rng = random.Random(seed)  # noqa: S311 - sample data, not secrets
    city = _City.load()
    per_year, extra = divmod(records, years)
    with _foreign_key_checks_off():
        for index, fy in enumerate(fiscal_years):
            count = per_year + (1 if index >= years - extra else 0)
            for row in _year_rows(rng, fy, count, lists, city):
                writer.add(*row)
        writer.flush()
    writer.finish()
    return Generated(
        records=writer.record_count,
        category_links=writer.category_count,
        agency_links=writer.agency_count,
        first_year=fiscal_years[0],
        last_year=last_year,
        seconds=time.perf_counter() - started,
    )


def demo_shape(index: int, years: int) -> int:
    """The demo year whose lists year `index` (0 = first) copies."""
    first, last = demo.DEMO_YEARS[0], demo.DEMO_YEARS[-1]
    return max(first, last - (years - 1 - index))


@contextmanager
def _foreign_key_checks_off() -> Iterator[None]:
    """PostgreSQL checks each foreign key of each row at commit, more than half the time of
    a bulk load; these rows are consistent by construction. Switching the checks off
    needs a superuser (as pg_restore --disable-triggers does); without one, the load is
    only slower."""
    if connection.vendor != "postgresql":
        yield
        return
    try:
        with connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = replica")
    except DatabaseError:
        yield
        return
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET session_replication_role")


# --- the yearly lists ----------------------------------------------------------------


@dataclass
class _YearlyLists:
    kinds: dict[int, list[tuple[ActivityKind, int]]]
    # {fiscal year: {consulter type id: [(category, weight)]}}
    categories: dict[int, dict[int, list[tuple[Category, int]]]]
    types: list[ConsulterType]

    @classmethod
    def create(cls, fiscal_years: list[int]) -> "_YearlyLists":
        types = [t for t in ConsulterType.objects.filter(active=True) if t.name in TYPE_WEIGHTS]
        kinds: dict[int, list[tuple[ActivityKind, int]]] = {}
        categories: dict[int, dict[int, list[tuple[Category, int]]]] = {}
        before_kinds: dict[str, ActivityKind] = {}
        before_categories: dict[int, dict[str, Category]] = {}
        for index, fy in enumerate(fiscal_years):
            shape = demo_shape(index, len(fiscal_years))
            lineage = demo.LINEAGE.get(shape, {}) if index else {}
            made_kinds = {}
            for order, name in enumerate(demo.ACTIVITY_KINDS[shape], start=1):
                kind = ActivityKind.objects.create(fiscal_year=fy, name=name, order=order)
                kind.predecessors.add(*_predecessors(name, lineage.get("", {}), before_kinds))
                made_kinds[normalize(name)] = kind
            kinds[fy] = [(k, KIND_WEIGHTS[k.name]) for k in made_kinds.values()]
            before_kinds = made_kinds
            categories[fy] = {}
            for consulter_type in types:
                made: dict[str, Category] = {}
                for order, (name, weight) in enumerate(
                    demo.CATEGORIES.get(consulter_type.name, {}).get(shape, []), start=1
                ):
                    category = Category.objects.create(
                        fiscal_year=fy, consulter_type=consulter_type, name=name, order=order
                    )
                    category.predecessors.add(
                        *_predecessors(
                            name,
                            lineage.get(consulter_type.name, {}),
                            before_categories.get(consulter_type.pk, {}),
                        )
                    )
                    made[normalize(name)] = category
                    categories[fy].setdefault(consulter_type.pk, []).append((category, weight))
                before_categories[consulter_type.pk] = made
        return cls(kinds=kinds, categories=categories, types=types)


def _predecessors(name: str, explicit: dict[str, tuple[str, ...]], before: dict[str, T]) -> list[T]:
    names = explicit.get(name, (name,))
    return [before[normalize(n)] for n in names if normalize(n) in before]


# --- the directory the records point to ------------------------------------------------


@dataclass
class _City:
    groups: list[ActivityGroup]
    regions: list[Region]
    agencies: list[Agency]
    default_staff: int | None

    @classmethod
    def load(cls) -> "_City":
        regions = list(Region.objects.select_related("zone"))
        return cls(
            groups=list(ActivityGroup.objects.select_related("zone")),
            regions=regions,
            agencies=list(Agency.objects.all()),
            default_staff=regions[0].zone.staff_id if regions else None,
        )


# --- the records -----------------------------------------------------------------------

Row = tuple[dict[str, Any], list[int], list[int]]


def _year_rows(
    rng: random.Random, fy: int, count: int, lists: _YearlyLists, city: _City
) -> Iterator[Row]:
    first, last = fiscal_year_bounds(fy)
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    kinds, kind_weights = zip(*lists.kinds[fy], strict=True)
    types = lists.types
    type_weights = [TYPE_WEIGHTS[t.name] for t in types]
    # In date order, as records are entered: ids and dates rise together.
    dates = sorted(rng.choices(days, k=count))
    for kind, day in zip(rng.choices(kinds, weights=kind_weights, k=count), dates, strict=True):
        values: dict[str, Any] = {
            "date": day,
            "fiscal_year": fy,
            "activity_kind_id": kind.pk,
            "time": clock(rng.randint(9, 18), rng.choice((0, 15, 30, 45))),
            "duration_minutes": rng.choice((15, 30, 60, 90, 120)),
            "initiated": kind.name == demo.APPROACH_KIND,
        }
        _aim(rng, values, city)
        category_ids: list[int] = []
        agency_ids: list[int] = []
        if kind.name == demo.CONSULTATION_KIND:
            consulter_type = rng.choices(types, weights=type_weights)[0]
            values["consulter_type_id"] = consulter_type.pk
            values["consent"] = rng.random() < 0.5
            outreach = rng.random() < OUTREACH_SHARE
            values["place"] = OUTREACH if outreach else rng.choice(ARRIVAL_PLACES)
            category_ids = _pick_categories(
                rng,
                lists.categories[fy].get(consulter_type.pk, []),
                several=consulter_type.name == demo.GROUP,
            )
            if consulter_type.name == demo.AGENCY:
                agency_ids = [a.pk for a in rng.sample(city.agencies, rng.choice((1, 1, 2)))]
            elif rng.random() < AGENCY_SHARE:
                agency_ids = [rng.choice(city.agencies).pk]
        else:
            values["place"] = rng.choice(KIND_PLACES.get(kind.name, (OTHER,)))
            if kind.name == demo.MEETING_KIND and rng.random() < AGENCY_SHARE:
                agency_ids = [rng.choice(city.agencies).pk]
        if rng.random() < 0.7:
            values["note"] = rng.choice(NOTES)
        if rng.random() < 0.02:
            values["follow_up"] = True
            values["follow_up_due"] = day + timedelta(days=14)
        if rng.random() < DELETED_SHARE:
            values["deleted_at"] = datetime.combine(day, clock(8), tzinfo=UTC)
            values["deleted_by_id"] = values["staff_id"]
        yield values, category_ids, agency_ids


def _aim(rng: random.Random, values: dict[str, Any], city: _City) -> None:
    """A group (most often), a regional council or nothing; the area and staff follow."""
    roll = rng.random()
    if roll < 0.55 and city.groups:
        group = rng.choice(city.groups)
        values.update(target_group_id=group.pk, zone_id=group.zone_id, region_id=group.region_id)
        staff = group.zone.staff_id
    elif roll < 0.85 and city.regions:
        region = rng.choice(city.regions)
        values.update(target_region_id=region.pk, zone_id=region.zone_id, region_id=region.pk)
        staff = region.zone.staff_id
    else:
        staff = city.default_staff
    values.update(staff_id=staff, created_by_id=staff, updated_by_id=staff)


def _pick_categories(
    rng: random.Random, listed: Sequence[tuple[Category, int]], *, several: bool
) -> list[int]:
    """One category; a group's consultation often names two or three subjects."""
    if not listed:
        return []
    categories, weights = zip(*listed, strict=True)
    how_many = rng.choices((1, 2, 3), weights=(6, 3, 1))[0] if several else 1
    picked = rng.choices(categories, weights=weights, k=how_many)
    return sorted({c.pk for c in picked})


class _Writer:
    """Collects rows and writes them in batches, one transaction per batch."""

    TEMPORAL = ("date", "time", "follow_up_due", "created_at", "updated_at", "deleted_at")

    def __init__(self) -> None:
        fields = SupportRecord._meta.concrete_fields
        # A column the bench does not fill gets the field's default, so that a new
        # field with a default does not break the benchmark.
        self.defaults = {f.attname: f.get_db_prep_save(f.get_default(), connection) for f in fields}
        self.defaults.update(version=1, note="", initiated=False, consent=False, follow_up=False)
        self.row_of = operator.itemgetter(*(f.attname for f in fields))
        self.record_columns = [f.column for f in fields]
        last_id = SupportRecord.objects.order_by("-id").values_list("id", flat=True).first()
        self.next_id = (last_id or 0) + 1
        self.records: list[tuple[Any, ...]] = []
        self.categories: list[tuple[int, int]] = []
        self.agencies: list[tuple[int, int, str]] = []
        self.record_count = self.category_count = self.agency_count = 0
        self._adapted: dict[Any, Any] = {}
        self._note_keys: dict[str, str] = {}

    def add(self, values: dict[str, Any], category_ids: list[int], agency_ids: list[int]) -> None:
        record_id = self.next_id
        self.next_id += 1
        note = values.get("note", "")
        if note not in self._note_keys:
            self._note_keys[note] = normalize(note)
        stamp = datetime.combine(values["date"], clock(3), tzinfo=UTC)
        values.update(id=record_id, note_key=self._note_keys[note], created_at=stamp)
        values["updated_at"] = stamp
        for key in self.TEMPORAL:
            if key in values:
                values[key] = self._adapt(values[key])
        self.records.append(self.row_of({**self.defaults, **values}))
        self.categories.extend((record_id, c) for c in category_ids)
        self.agencies.extend((record_id, a, AgencyAction.LIAISON.value) for a in agency_ids)
        if len(self.records) >= BATCH:
            self.flush()

    def _adapt(self, value: date | clock) -> Any:
        """Dates and times as the backend stores them (cached: few distinct values)."""
        if value not in self._adapted:
            ops = connection.ops
            if isinstance(value, datetime):
                self._adapted[value] = ops.adapt_datetimefield_value(value)
            elif isinstance(value, date):
                self._adapted[value] = ops.adapt_datefield_value(value)
            else:
                self._adapted[value] = ops.adapt_timefield_value(value)
        return self._adapted[value]

    def flush(self) -> None:
        through = SupportRecord.categories.through._meta.db_table
        with transaction.atomic(), connection.cursor() as cursor:
            _insert(cursor, SupportRecord._meta.db_table, self.record_columns, self.records)
            _insert(cursor, through, ["supportrecord_id", "category_id"], self.categories)
            _insert(
                cursor,
                RecordAgency._meta.db_table,
                ["record_id", "agency_id", "action"],
                self.agencies,
            )
            invalidate()  # raw SQL sends no model signal
        self.record_count += len(self.records)
        self.category_count += len(self.categories)
        self.agency_count += len(self.agencies)
        self.records, self.categories, self.agencies = [], [], []

    def finish(self) -> None:
        with connection.cursor() as cursor:
            # Ids were given explicitly: PostgreSQL's sequence must be told.
            for sql in connection.ops.sequence_reset_sql(no_style(), [SupportRecord]):
                cursor.execute(sql)
            if connection.vendor == "postgresql":
                # What autovacuum does within minutes of a bulk load, done now so that the
                # timed plans are those of a settled database: statistics, and the
                # visibility map that lets PostgreSQL answer from an index alone.
                cursor.execute("VACUUM ANALYZE")
            elif connection.vendor == "sqlite":
                cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def _insert(cursor: Any, table: str, columns: list[str], rows: list[tuple[Any, ...]]) -> None:
    if not rows:
        return
    qn = connection.ops.quote_name
    names = ", ".join(qn(c) for c in columns)
    if connection.vendor == "postgresql":
        # COPY loads several times faster than executemany's INSERTs.
        with cursor.cursor.copy(f"COPY {qn(table)} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    else:
        marks = ", ".join(["%s"] * len(columns))
        # Table and column names from the models' metadata, quoted; values as parameters.
        sql = f"INSERT INTO {qn(table)} ({names}) VALUES ({marks})"  # noqa: S608
        cursor.executemany(sql, rows)
