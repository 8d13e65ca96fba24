"""The report of one fiscal year from the database: a handful of GROUP BY queries,
whatever the number of records, handed to the pure engine.

Years before tsunagu have no records; their published figures come from
BaselineFigure instead, matched by name (there is no lineage list for them)."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace

from django.db.models import Count, Func, Q

from tsunagu.directory.models import (
    ActivityGroup,
    AgencyGroup,
    GroupKind,
    MunicipalityProfile,
    Region,
    Zone,
)
from tsunagu.lib.fiscal import fiscal_year_label
from tsunagu.lib.textnorm import normalize
from tsunagu.records.models import (
    ActivityKind,
    Category,
    ConsulterType,
    Place,
    RecordQuerySet,
    SupportRecord,
)
from tsunagu.reports.engine import TermCount, build_section, build_trend, carry_back
from tsunagu.reports.models import AGENCY_TABLE, KIND_TABLE, TOTAL_NAME, BaselineFigure
from tsunagu.reports.period import Cut, Period
from tsunagu.reports.result import OutreachShare, Report, Section, Style, Trend, TrendRow
from tsunagu.reports.support_split import build_support_split

TREND_YEARS = 3
NO_TARGET = "支援先なし"
REGION_TARGET = "地域社協"
COMPARISON_YEAR = "前年度比"
COMPARISON_PERIOD = "前年同期比"


@dataclass(frozen=True)
class Scope:
    """The whole city, or one zone, or one regional council."""

    zone: Zone | None = None
    region: Region | None = None

    @property
    def label(self) -> str:
        if self.region is not None:
            return self.region.name
        if self.zone is not None:
            return self.zone.name
        return "市全体"

    def records(self) -> RecordQuerySet:
        records = SupportRecord.objects.alive()
        if self.region is not None:
            return records.filter(region=self.region)
        if self.zone is not None:
            return records.filter(zone=self.zone)
        return records

    @property
    def is_city(self) -> bool:
        return self.zone is None and self.region is None


STYLES = {"ranked": Style.RANKED, "listed": Style.LISTED, "total": Style.TOTAL}


class _Baseline:
    """Published figures of years without records: {(year, table): {name_key: count}}."""

    def __init__(self, years: Iterable[int]) -> None:
        self.tables: dict[tuple[int, str], dict[str, int]] = defaultdict(dict)
        self.names: dict[tuple[int, str], dict[str, str]] = defaultdict(dict)
        for figure in BaselineFigure.objects.filter(fiscal_year__in=list(years)):
            self.tables[figure.fiscal_year, figure.table][normalize(figure.name)] = figure.count
            self.names[figure.fiscal_year, figure.table][normalize(figure.name)] = figure.name

    def years(self) -> set[int]:
        return {year for year, _ in self.tables}

    def table(self, year: int, table: str) -> dict[str, int]:
        return self.tables.get((year, table), {})


class Tally:
    """The scope's records counted by every dimension a report reads, in one GROUP BY
    whose rows (as many as the combinations in use, never as many as the records) are
    summed here in one pass: by activity kind, by target (`targets`), by consulter type,
    the consultations and those received at outreach. The counts are keyed by `bucket`,
    a field or an expression: the fiscal year for the yearly report, the month for the
    monthly statistics (monthly.py), so that both count by the same rules."""

    def __init__(
        self,
        records: RecordQuerySet,
        *,
        bucket: str | Func = "fiscal_year",
        targets: bool = True,
    ) -> None:
        group_kinds = dict(ActivityGroup.objects.values_list("id", "kind__name")) if targets else {}
        by_kind: dict[tuple[int, int], int] = defaultdict(int)
        by_target: dict[tuple[int, str], int] = defaultdict(int)
        by_type: dict[tuple[int, int], int] = defaultdict(int)
        consultations: dict[int, int] = defaultdict(int)
        at_outreach: dict[int, int] = defaultdict(int)
        records = records.order_by()
        if not isinstance(bucket, str):
            records = records.annotate(bucket=bucket)
            bucket = "bucket"
        # The record_report index's column order: SQLite then counts while it reads the
        # index, without sorting and without reading the table. COUNT(*), not COUNT(id):
        # PostgreSQL's index does not hold the id.
        columns = [bucket, "activity_kind_id", "consulter_type_id", "place"]
        if targets:
            columns += ["target_group_id", "target_region_id"]
        rows = records.values_list(*columns).annotate(n=Count("*"))
        for key, kind, consulter_type, place, *target, n in rows:
            by_kind[key, kind] += n
            if targets:
                group, region = target
                by_target[key, _target_name(group_kinds, group, region)] += n
            if consulter_type:
                by_type[key, consulter_type] += n
                consultations[key] += n
                if place == Place.OUTREACH:
                    at_outreach[key] += n
        self.by_kind = dict(by_kind)
        self.by_target = dict(by_target)
        self.by_type = dict(by_type)
        self.consultations = dict(consultations)
        self.at_outreach = dict(at_outreach)
        self.buckets = {key for key, _ in self.by_kind}


def _target_name(group_kinds: dict[int, str], group: int | None, region: int | None) -> str:
    if group:
        return group_kinds[group]
    return REGION_TARGET if region else NO_TARGET


def build_report(
    fiscal_year: int, scope: Scope | None = None, period: Period | None = None
) -> Report:
    """The report of a fiscal year, or of a period within it (reports/period.py): the
    same tables, counted from the records of the period's dates, compared with the same
    dates a year earlier; the trends show the same dates in each of their years."""
    scope = scope or Scope()
    if period is not None and period.fiscal_year != fiscal_year:
        raise ValueError(f"{period.label} is not in fiscal year {fiscal_year}")
    if period is not None and period.is_whole_year:
        period = None
    years = tuple(range(fiscal_year - TREND_YEARS + 1, fiscal_year + 1))
    previous_year = fiscal_year - 1
    records = scope.records()
    if period is not None:
        records = records.filter(_dates_of(period, TREND_YEARS))
    tally = Tally(records.filter(fiscal_year__in=years))
    # The two years compared, filtered once: a second IN on the same column would only
    # mislead PostgreSQL's row estimates.
    pair = records.filter(fiscal_year__in=(fiscal_year, previous_year))
    # Baseline figures describe the whole city: they stand in for a year only when the
    # report is city-wide and that year has no records at all.
    record_years = tally.buckets
    baseline = (
        _Baseline(y for y in years if y not in record_years)
        if scope.is_city and period is None
        else _Baseline(())
    )
    has_previous = previous_year in record_years or previous_year in baseline.years()

    sections = _consultation_sections(pair, tally, fiscal_year, baseline, has_previous)
    agency_table = _agency_table(pair, fiscal_year, baseline, has_previous)
    trends = (_kind_trend(tally, years, baseline), _target_trend(tally, years))
    label = period.label if period else fiscal_year_label(fiscal_year)
    previous_label = period.earlier().label if period else fiscal_year_label(previous_year)
    comparison = COMPARISON_PERIOD if period else COMPARISON_YEAR
    notes = []
    if not has_previous:
        notes.append(
            f"{previous_label}のデータがないため、{comparison}はすべて「新」と表示しています。"
        )
    if fiscal_year not in record_years and fiscal_year not in baseline.years():
        notes.append(f"{label}の記録はまだありません。")
    if period is not None:
        sections = [_in_period_words(s) for s in sections]
        agency_table = _in_period_words(agency_table)
        trends = (_trend_of_period(trends[0], period), _trend_of_period(trends[1], period))
    return Report(
        fiscal_year=fiscal_year,
        fiscal_year_label=fiscal_year_label(fiscal_year),
        previous_label=previous_label,
        scope_label=scope.label,
        sections=tuple(sections),
        agency_table=agency_table,
        trends=trends,
        outreach=_outreach(tally, years),
        notes=tuple(notes),
        municipality=_municipality(fiscal_year),
        period_label=period.label if period else "",
        comparison_label=comparison,
        support_split=build_support_split(
            pair,
            fiscal_year,
            compared=previous_year in record_years,
            label=label,
            previous_label=previous_label,
        ),
    )


def _dates_of(period: Period, years: int) -> Q:
    """The period's dates in each of `years` fiscal years, the period's own the last."""
    window = Q()
    for back in range(years):
        earlier = period.earlier(back) if back else period
        window |= Q(date__range=(earlier.start, earlier.end))
    return window


def _in_period_words(section: Section) -> Section:
    """A period's section compares with the same dates a year earlier: its notes say
    前年同期 where the engine (which knows only years) says 前年度."""
    notes = tuple(
        note.replace(COMPARISON_YEAR, COMPARISON_PERIOD).replace("前年度は", "前年同期は")
        for note in section.notes
    )
    return replace(section, notes=notes)


def _trend_of_period(trend: Trend, period: Period) -> Trend:
    """各年度とも上半期（4月〜9月）の件数です / 5月の件数です / 同じ期間（5月3日〜8月20日）."""
    if period.cut is Cut.MONTH:
        which = period.name
    elif period.cut is Cut.RANGE:
        which = f"同じ期間（{_without_era(period)}）"
    else:
        which = f"{period.name}（{_without_era(period)}）"
    return replace(trend, notes=(f"各年度とも{which}の件数です。", *trend.notes))


def _without_era(period: Period) -> str:
    """4月〜9月, 5月3日〜8月20日: the dates of the period in any year."""
    start, end = period.start, period.end
    if period.whole_months:
        return f"{start.month}月" if start.month == end.month else f"{start.month}月〜{end.month}月"
    return f"{start.month}月{start.day}日〜{end.month}月{end.day}日"


def _consultation_sections(
    pair: RecordQuerySet,
    tally: Tally,
    fiscal_year: int,
    baseline: _Baseline,
    has_previous: bool,
) -> list[Section]:
    previous_year = fiscal_year - 1
    totals = tally.by_type
    # Joined from the records' side, so that the plan starts from the record_report
    # index; only consultations have categories (records/services.py).
    category_counts: dict[int, int] = dict(
        pair.consultations()
        .filter(categories__isnull=False)
        .order_by()
        .values_list("categories")
        .annotate(n=Count("*"))
    )
    categories = list(
        Category.objects.filter(fiscal_year__in=(fiscal_year, previous_year)).prefetch_related(
            "predecessors"
        )
    )
    sections = []
    for consulter_type in ConsulterType.objects.filter(active=True):
        current = [
            c
            for c in categories
            if c.fiscal_year == fiscal_year and c.consulter_type_id == consulter_type.pk
        ]
        before = [
            c
            for c in categories
            if c.fiscal_year == previous_year and c.consulter_type_id == consulter_type.pk
        ]
        from_baseline = baseline.table(previous_year, consulter_type.name)
        if before or not from_baseline:
            previous_counts = {c.name: category_counts.get(c.pk, 0) for c in before}
            previous_total = totals.get((previous_year, consulter_type.pk), 0)
            lineage_known = bool(before)
        else:
            names = baseline.names[previous_year, consulter_type.name]
            previous_counts = {
                names[k]: n for k, n in from_baseline.items() if k != normalize(TOTAL_NAME)
            }
            previous_total = from_baseline.get(normalize(TOTAL_NAME), sum(previous_counts.values()))
            lineage_known = False
        terms = [
            TermCount(
                name=c.name,
                order=c.order,
                count=category_counts.get(c.pk, 0),
                predecessors=_predecessors(c, lineage_known, previous_counts),
                catch_all=c.catch_all,
            )
            for c in current
        ]
        sections.append(
            build_section(
                key=f"type-{consulter_type.pk}",
                title=consulter_type.title,
                style=STYLES[consulter_type.report_style],
                terms=terms,
                previous=previous_counts if has_previous else None,
                total=totals.get((fiscal_year, consulter_type.pk), 0),
                previous_total=previous_total if has_previous else None,
            )
        )
    return sections


def _predecessors(
    category: Category, lineage_known: bool, previous: dict[str, int]
) -> tuple[str, ...]:
    """The lineage list when the previous year has one; else the same name, if it was there."""
    if lineage_known:
        return tuple(p.name for p in category.predecessors.all())
    by_key = {normalize(name): name for name in previous}
    return (by_key[category.name_key],) if category.name_key in by_key else ()


def _agency_table(
    pair: RecordQuerySet, fiscal_year: int, baseline: _Baseline, has_previous: bool
) -> Section:
    previous_year = fiscal_year - 1
    linked = pair.filter(agency_links__isnull=False).order_by()
    # A record counts once per reporting group, however many of its agencies it names.
    counts = {
        (fy, group): n
        for fy, group, n in linked.values_list(
            "fiscal_year", "agency_links__agency__group_id"
        ).annotate(n=Count("id", distinct=True))
    }
    totals = dict(linked.values_list("fiscal_year").annotate(n=Count("id", distinct=True)))
    groups = list(AgencyGroup.objects.all())
    from_baseline = baseline.table(previous_year, AGENCY_TABLE)
    if from_baseline:
        names = baseline.names[previous_year, AGENCY_TABLE]
        previous = {names[k]: n for k, n in from_baseline.items() if k != normalize(TOTAL_NAME)}
        previous_total = from_baseline.get(normalize(TOTAL_NAME), sum(previous.values()))
    else:
        previous = {g.name: counts.get((previous_year, g.pk), 0) for g in groups}
        previous_total = totals.get(previous_year, 0)
    by_key = {normalize(name): name for name in previous}
    terms = [
        TermCount(
            name=g.name,
            order=g.order,
            count=counts.get((fiscal_year, g.pk), 0),
            predecessors=(by_key[g.name_key],) if g.name_key in by_key else (),
        )
        for g in groups
    ]
    return build_section(
        key="agencies",
        title="関係機関別",
        style=Style.LISTED,
        terms=terms,
        previous=previous if has_previous else None,
        total=totals.get(fiscal_year, 0),
        previous_total=previous_total if has_previous else None,
    )


def _kind_trend(tally: Tally, years: tuple[int, ...], baseline: _Baseline) -> Trend:
    counts = tally.by_kind
    kinds = list(
        ActivityKind.objects.filter(fiscal_year__in=years).prefetch_related("predecessors")
    )
    years_terms = []
    for index, year in enumerate(years):
        listed = [k for k in kinds if k.fiscal_year == year]
        from_baseline = baseline.table(year, KIND_TABLE)
        if from_baseline and not any(counts.get((year, k.pk)) for k in listed):
            names = baseline.names[year, KIND_TABLE]
            years_terms.append(
                [
                    TermCount(name=names[key], order=i, count=n)
                    for i, (key, n) in enumerate(from_baseline.items())
                ]
            )
            continue
        known_before = index > 0 and bool([k for k in kinds if k.fiscal_year == year - 1])
        before_names = {normalize(t.name): t.name for t in years_terms[-1]} if years_terms else {}
        years_terms.append(
            [
                TermCount(
                    name=k.name,
                    order=k.order,
                    count=counts.get((year, k.pk), 0),
                    predecessors=tuple(p.name for p in k.predecessors.all())
                    if known_before
                    else ((before_names[k.name_key],) if k.name_key in before_names else ()),
                )
                for k in listed
            ]
        )
    return build_trend(
        key="kinds",
        title="活動内容別",
        years=years,
        year_labels=tuple(fiscal_year_label(y) for y in years),
        rows=carry_back(years_terms),
    )


def _target_trend(tally: Tally, years: tuple[int, ...]) -> Trend:
    counts = tally.by_target
    labels = [REGION_TARGET, *GroupKind.objects.values_list("name", flat=True), NO_TARGET]
    rows = [
        TrendRow(label=label, counts=tuple(counts.get((y, label), 0) for y in years))
        for label in labels
    ]
    rows = [row for row in rows if any(row.counts)]
    return build_trend(
        key="targets",
        title="支援先別",
        years=years,
        year_labels=tuple(fiscal_year_label(y) for y in years),
        rows=rows,
    )


def _outreach(tally: Tally, years: tuple[int, ...]) -> OutreachShare:
    return OutreachShare(
        years=years,
        year_labels=tuple(fiscal_year_label(y) for y in years),
        consultations=tuple(tally.consultations.get(y, 0) for y in years),
        at_outreach=tuple(tally.at_outreach.get(y, 0) for y in years),
    )


def _municipality(fiscal_year: int) -> dict[str, str]:
    profile = (
        MunicipalityProfile.objects.filter(fiscal_year__lte=fiscal_year)
        .order_by("-fiscal_year")
        .first()
        or MunicipalityProfile.objects.order_by("fiscal_year").first()
    )
    if profile is None:
        return {}
    values = {
        "name": profile.name,
        "council_name": profile.council_name,
        "population": f"{profile.population:,}人" if profile.population else "",
        "households": f"{profile.households:,}世帯" if profile.households else "",
        "ageing_rate": f"{profile.ageing_rate}%" if profile.ageing_rate is not None else "",
        "area": f"{profile.area_km2}km²" if profile.area_km2 is not None else "",
        "fiscal_year": fiscal_year_label(profile.fiscal_year),
    }
    return {key: value for key, value in values.items() if value}
