"""Reads for the plan screens and the regional council page (地域社協カルテ).

Counts come from a few GROUP BY queries; turning them into tables is done by plain
functions (`count_table`) that never touch the database.
"""

from collections.abc import Iterable, Sequence, Set
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Count, Prefetch, Q

from tsunagu.directory.models import ActivityGroup, Region
from tsunagu.plans.models import Initiative, InitiativeRecord, InitiativeStatus, Plan
from tsunagu.records.models import ActivityKind, ConsulterType, RecordQuerySet, SupportRecord

# Besides the year shown, the regional council page counts the years before it.
YEARS_BESIDE = 3


def involving(region: Region | int, years: Sequence[int] | None = None) -> Q:
    """Records whose area is the council, or whose target is it or one of its groups
    (a group's council may have changed since: `region_id` is then not enough).

    An OR across a join, or beside the years, rules out the council's indexes: the
    database then reads every record of the years. So each of the three terms carries the
    years itself and is served by its own (column, fiscal_year, deleted_at) index, read as
    a union of lookups (SQLite's MULTI-INDEX OR, PostgreSQL's BitmapOr); the council's
    groups are listed first (one small query), since an IN over a subquery, or over a
    list, leads SQLite back to the years' scan."""
    pk = region if isinstance(region, int) else region.pk
    groups = list(ActivityGroup.objects.filter(region_id=pk).values_list("pk", flat=True))
    within = Q() if years is None else Q(fiscal_year__in=list(years), deleted_at__isnull=True)
    # One term per group: `target_group_id IN (…)` beside the years makes SQLite read
    # the years' covering record_report instead.
    terms = [Q(region_id=pk), Q(target_region_id=pk), *(Q(target_group_id=g) for g in groups)]
    combined = Q()
    for term in terms:
        combined |= term & within
    return combined


def records_of(region: Region | int, years: Sequence[int] | None = None) -> RecordQuerySet:
    """The live records involving the council, of `years` if given (through the indexes
    of `involving`)."""
    return SupportRecord.objects.alive().filter(involving(region, years))


# --- plans ----------------------------------------------------------------------------


@dataclass
class InitiativeRow:
    initiative: Initiative
    status: InitiativeStatus | None
    records: list[SupportRecord]

    @property
    def record_count(self) -> int:
        return len(self.records)


def initiative_rows(plan: Plan, fiscal_year: int) -> list[InitiativeRow]:
    """Each initiative with its status and linked (live) records for one fiscal year.

    Two queries, whatever the number of initiatives and records."""
    initiatives = list(
        plan.initiatives.prefetch_related(
            Prefetch(
                "statuses",
                queryset=InitiativeStatus.objects.filter(fiscal_year=fiscal_year),
                to_attr="year_statuses",
            ),
            Prefetch(
                "record_links",
                queryset=InitiativeRecord.objects.filter(
                    record__fiscal_year=fiscal_year, record__deleted_at__isnull=True
                )
                .select_related(
                    "record__activity_kind",
                    "record__target_group",
                    "record__target_region",
                    "record__consulter_type",
                )
                .order_by("record__date", "record_id"),
                to_attr="year_links",
            ),
        )
    )
    return [
        InitiativeRow(
            initiative=i,
            status=next(iter(i.year_statuses), None),
            records=[link.record for link in i.year_links],
        )
        for i in initiatives
    ]


def status_history(plan: Plan) -> dict[int, dict[int, InitiativeStatus]]:
    """{initiative pk: {fiscal year: status}} over the whole period, in one query."""
    history: dict[int, dict[int, InitiativeStatus]] = {}
    for status in InitiativeStatus.objects.filter(initiative__plan=plan):
        history.setdefault(status.initiative_id, {})[status.fiscal_year] = status
    return history


def status_summary(plans: Iterable[Plan], fiscal_year: int) -> dict[int, dict[str, int]]:
    """{plan pk: {status value: count, "total": initiatives}} for one year, two queries."""
    pks = [p.pk for p in plans]
    summary: dict[int, dict[str, int]] = {pk: {"total": 0} for pk in pks}
    for row in Initiative.objects.filter(plan__in=pks).values("plan_id").annotate(n=Count("id")):
        summary[row["plan_id"]]["total"] = row["n"]
    for row in (
        InitiativeStatus.objects.filter(initiative__plan__in=pks, fiscal_year=fiscal_year)
        .values("initiative__plan_id", "status")
        .annotate(n=Count("id"))
    ):
        summary[row["initiative__plan_id"]][row["status"]] = row["n"]
    for counts in summary.values():
        counts["recorded"] = sum(v for k, v in counts.items() if k != "total")
    return summary


def current_plans(regions: Sequence[Region], fiscal_year: int) -> dict[int, Plan]:
    """{region pk: the plan covering fiscal_year, else its latest plan}, one query."""
    chosen: dict[int, Plan] = {}
    plans = Plan.objects.filter(region__in=regions).prefetch_related("slogans")
    for plan in plans.order_by("start_year"):
        held = chosen.get(plan.region_id)
        if held is None or not held.covers(fiscal_year):
            chosen[plan.region_id] = plan
    return chosen


# --- the regional council page ----------------------------------------------------------


@dataclass
class CountRow:
    label: str
    # One per year, in the order of CountTable.years; None: not counted that year (the
    # page shows —).
    counts: list[int | None]

    @property
    def shown(self) -> int | None:
        return self.counts[0]


@dataclass
class CountTable:
    years: list[int]  # the year shown first, then the years before it
    rows: list[CountRow] = field(default_factory=list)

    @property
    def totals(self) -> list[int | None]:
        """The sum of each year's counted rows; None for a year no row was counted in."""
        totals: list[int | None] = []
        for i in range(len(self.years)):
            counted = [row.counts[i] for row in self.rows if row.counts[i] is not None]
            totals.append(sum(n for n in counted if n is not None) if counted else None)
        return totals


def count_table(
    years: Sequence[int],
    counts: dict[tuple[int, str], int],
    order: Sequence[str],
    *,
    counted: Set[tuple[int, str]] | None = None,
) -> CountTable:
    """Rows in `order`, then any other label that has a count, by first appearance.

    `counts` maps (fiscal year, label) to a count; a missing pair counts zero, or None
    (not counted) when `counted` is given and does not hold it: a year's list without
    that label. A label in `order` is kept even with no count at all."""
    labels = list(dict.fromkeys(order))
    for _year, label in counts:
        if label not in labels:
            labels.append(label)

    def cell(year: int, label: str) -> int | None:
        if (year, label) in counts:
            return counts[year, label]
        return 0 if counted is None or (year, label) in counted else None

    return CountTable(
        years=list(years),
        rows=[CountRow(label, [cell(y, label) for y in years]) for label in labels],
    )


@dataclass
class SupportCounts:
    by_kind: CountTable
    by_consulter: CountTable

    @property
    def total(self) -> int:
        return self.by_kind.totals[0] or 0


def involved_counts(
    region: Region, years: Sequence[int], column: str
) -> list[tuple[int, int, int]]:
    """[(fiscal year, value of `column`, records)] of the live records involving the
    council in `years` (as `involving` says), `column` being activity_kind_id or
    consulter_type_id (NULL, not a consultation, not counted).

    One query: a UNION ALL of three disjoint parts (the area's records; the target
    council's outside that area; the groups' outside it, a record having one target at
    most), each read from its own covering (column, fiscal_year, deleted_at,
    activity_kind, consulter_type[, region]) index and never from the table, and no
    record twice, so nothing to deduplicate. The years' covering record_report read
    whole, before, took 11–15 ms at 100,000 records on SQLite (issue #14)."""
    assert column in ("activity_kind_id", "consulter_type_id")
    pk = region.pk
    groups = list(ActivityGroup.objects.filter(region_id=pk).values_list("pk", flat=True))
    base = SupportRecord.objects.alive().filter(
        fiscal_year__in=years, **{f"{column}__isnull": False}
    )
    elsewhere = base.exclude(region_id=pk)  # region_id NULL included
    parts = [base.filter(region_id=pk), elsewhere.filter(target_region_id=pk)]
    if groups:
        parts.append(elsewhere.filter(target_group_id__in=groups))
    rows = [p.order_by().values_list("fiscal_year", column) for p in parts]
    sql, params = rows[0].union(*rows[1:], all=True).query.sql_with_params()
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {quote('fiscal_year')}, {quote(column)}, COUNT(*) "  # noqa: S608
            f"FROM ({sql}) involved GROUP BY 1, 2",
            params,
        )
        return [(year, value, n) for year, value, n in cursor.fetchall()]


def support_counts(region: Region, fiscal_year: int) -> SupportCounts:
    """This year's and the previous years' records involving the council, counted by
    activity kind and by consulter type. Kinds are yearly lists: rows are matched by name,
    and a year whose list has no kind of that name did not count it (—, not 0).
    Two GROUP BY queries over a UNION (`involved_counts`), and one each for the kinds
    counted, the years' kinds and the consulter types."""
    years = [fiscal_year - n for n in range(YEARS_BESIDE + 1)]
    kind_counts: dict[tuple[int, str], int] = {}
    kind_order: dict[str, tuple[int, int]] = {}
    counted_kinds = involved_counts(region, years, "activity_kind_id")
    kinds = ActivityKind.objects.only("pk", "name", "order").in_bulk(
        {kind_id for _, kind_id, _ in counted_kinds}
    )
    for year, kind_id, n in counted_kinds:
        name = kinds[kind_id].name
        kind_counts[(year, name)] = kind_counts.get((year, name), 0) + n
        # The order of the most recent year that has the kind.
        rank = (-year, kinds[kind_id].order)
        kind_order[name] = min(kind_order.get(name, rank), rank)
    listed = list(
        ActivityKind.objects.filter(fiscal_year__in=years)
        .order_by("order", "id")
        .values_list("fiscal_year", "name", "retired")
    )
    this_year = [name for year, name, retired in listed if year == fiscal_year and not retired]
    by_kind = count_table(
        years,
        kind_counts,
        [*this_year, *sorted(kind_order, key=kind_order.__getitem__)],
        counted={(year, name) for year, name, _ in listed},
    )

    types = {t.pk: t for t in ConsulterType.objects.all()}
    type_counts: dict[tuple[int, str], int] = {}
    for year, type_id, n in involved_counts(region, years, "consulter_type_id"):
        type_counts[(year, types[type_id].name)] = n
    shown = [t.name for t in types.values() if t.active or (fiscal_year, t.name) in type_counts]
    by_consulter = count_table(years, type_counts, shown)
    return SupportCounts(by_kind=by_kind, by_consulter=by_consulter)


def region_groups(region: Region) -> Any:
    return region.groups.filter(active=True).select_related("kind").order_by("order", "id")
