"""The monthly statistics of a fiscal year (月別統計), the shape a prefecture council
collects: one row per month, April to March, and their total; columns the activity kinds
of the year, the consultations by consulter type, and the share received at outreach.

Counted by the yearly report's own loop (builder.Tally, by month instead of by year): a
record of the year counts under its activity kind; a record with a consulter type is a
consultation; the share is the report's own (renderers/text.share_text). So the 合計 row
is the year's report."""

from dataclasses import dataclass

from django.db.models.functions import ExtractMonth

from tsunagu.lib.fiscal import fiscal_year_label
from tsunagu.records.models import ActivityKind, ConsulterType
from tsunagu.reports.builder import Scope, Tally
from tsunagu.reports.period import FISCAL_MONTHS
from tsunagu.reports.renderers.text import share_text

TOTAL_LABEL = "合計"


@dataclass(frozen=True)
class MonthlyRow:
    label: str  # 4月 … 3月, or 合計
    kinds: tuple[int, ...]  # per activity kind, in the table's order
    types: tuple[int, ...]  # consultations per consulter type
    consultations: int
    at_outreach: int

    @property
    def share(self) -> str:
        """出向き率: as the report writes the outreach share."""
        return share_text(self.at_outreach, self.consultations)


@dataclass(frozen=True)
class MonthlyTable:
    fiscal_year: int
    fiscal_year_label: str
    scope_label: str
    kind_labels: tuple[str, ...]
    type_labels: tuple[str, ...]
    months: tuple[MonthlyRow, ...]  # twelve, April first
    total: MonthlyRow

    @property
    def title(self) -> str:
        return f"{self.fiscal_year_label} 月別統計（{self.scope_label}）"

    @property
    def rows(self) -> tuple[MonthlyRow, ...]:
        return (*self.months, self.total)


def build_monthly(fiscal_year: int, scope: Scope | None = None) -> MonthlyTable:
    scope = scope or Scope()
    kinds = list(ActivityKind.objects.filter(fiscal_year=fiscal_year))
    types = list(ConsulterType.objects.filter(active=True))
    tally = Tally(
        scope.records().filter(fiscal_year=fiscal_year),
        bucket=ExtractMonth("date"),
        targets=False,
    )
    months = tuple(
        MonthlyRow(
            label=f"{month}月",
            kinds=tuple(tally.by_kind.get((month, k.pk), 0) for k in kinds),
            types=tuple(tally.by_type.get((month, t.pk), 0) for t in types),
            consultations=tally.consultations.get(month, 0),
            at_outreach=tally.at_outreach.get(month, 0),
        )
        for month in FISCAL_MONTHS
    )
    total = MonthlyRow(
        label=TOTAL_LABEL,
        kinds=tuple(sum(r.kinds[i] for r in months) for i in range(len(kinds))),
        types=tuple(sum(r.types[i] for r in months) for i in range(len(types))),
        consultations=sum(r.consultations for r in months),
        at_outreach=sum(r.at_outreach for r in months),
    )
    return MonthlyTable(
        fiscal_year=fiscal_year,
        fiscal_year_label=fiscal_year_label(fiscal_year),
        scope_label=scope.label,
        kind_labels=tuple(k.name for k in kinds),
        type_labels=tuple(t.name for t in types),
        months=months,
        total=total,
    )
