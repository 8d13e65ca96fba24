"""The 個別支援・地域支援 section from the database: one GROUP BY over the two years
compared, with the record's class as an SQL annotation (records/support_kind.py), so
that the count stays in the database and the number of queries does not grow with the
records. The previous year's figure of a kind follows the lineage as 活動内容別 does."""

from collections import defaultdict

from django.db.models import Count

from tsunagu.lib.fiscal import fiscal_year_label
from tsunagu.records.models import ActivityKind, RecordQuerySet, SupportKind
from tsunagu.records.support_kind import support_kind_expression
from tsunagu.reports.engine import TermCount, carry_back
from tsunagu.reports.result import SupportSplit, SupportSplitRow

KEY = "support"
TITLE = "個別支援・地域支援"
TOTAL_LABEL = "合計"

Counts = dict[tuple[int, int, str], int]  # (fiscal year, activity kind id, class) → records


def count_by_support_kind(records: RecordQuerySet) -> Counts:
    rows = (
        records.order_by()
        .annotate(support_class=support_kind_expression())
        .values_list("fiscal_year", "activity_kind_id", "support_class")
        .annotate(n=Count("*"))
    )
    return {(fy, kind, support_class): n for fy, kind, support_class, n in rows}


def build_support_split(
    records: RecordQuerySet,
    fiscal_year: int,
    *,
    compared: bool,
    label: str | None = None,
    previous_label: str | None = None,
) -> SupportSplit:
    """`records`: the scope's records of `fiscal_year` and the year before (of a period's
    dates, for a period's report); `compared`: whether the year before has records (else
    its columns are left out). `label` and `previous_label` name what is counted, the
    two years unless the report is of a period."""
    previous_year = fiscal_year - 1
    counts = count_by_support_kind(records)
    kinds = list(
        ActivityKind.objects.filter(fiscal_year__in=(previous_year, fiscal_year)).prefetch_related(
            "predecessors"
        )
    )
    by_class: dict[str, dict[str, tuple[int | None, ...]]] = {}
    for support_class in SupportKind.values:
        years_terms = [
            [
                TermCount(
                    name=k.name,
                    order=k.order,
                    count=counts.get((year, k.pk, support_class), 0),
                    predecessors=tuple(p.name for p in k.predecessors.all()),
                )
                for k in kinds
                if k.fiscal_year == year
            ]
            for year in (previous_year, fiscal_year)
        ]
        by_class[support_class] = {row.label: row.counts for row in carry_back(years_terms)}
    individual, area = by_class[SupportKind.INDIVIDUAL], by_class[SupportKind.AREA]
    rows = tuple(
        SupportSplitRow(
            label=label,
            individual=_count(individual[label][-1]),
            area=_count(area[label][-1]),
            previous_individual=individual[label][0] if compared else None,
            previous_area=area[label][0] if compared else None,
        )
        for label in individual
    )
    totals: dict[tuple[int, str], int] = defaultdict(int)
    for (year, _, support_class), n in counts.items():
        totals[year, support_class] += n
    total = SupportSplitRow(
        label=TOTAL_LABEL,
        individual=totals[fiscal_year, SupportKind.INDIVIDUAL],
        area=totals[fiscal_year, SupportKind.AREA],
        previous_individual=totals[previous_year, SupportKind.INDIVIDUAL] if compared else None,
        previous_area=totals[previous_year, SupportKind.AREA] if compared else None,
    )
    return SupportSplit(
        key=KEY,
        title=TITLE,
        year_label=label or fiscal_year_label(fiscal_year),
        previous_label=(previous_label or fiscal_year_label(previous_year)) if compared else None,
        rows=rows,
        total=total,
    )


def _count(value: int | None) -> int:
    assert value is not None  # the last year's count of a term is always counted
    return value
