"""The fundraising figures: yearly totals by method with the change to the year before.

`change_text` and `build_trend` are pure; `fundraising_trend` reads the database in one
GROUP BY query and hands the numbers to them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Sum

from tsunagu.grants.models import FundraisingMethod, FundraisingTotal
from tsunagu.lib.change import signed_change
from tsunagu.lib.fiscal import fiscal_year_label

MAX_YEARS = 10


def change_ratio(previous: int | None, current: int | None) -> Decimal | None:
    """(current − previous) / previous as a percentage to one decimal, or None."""
    if previous is None or current is None or previous == 0:
        return None
    ratio = Decimal(current - previous) * 100 / Decimal(previous)
    return ratio.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def change_text(previous: int | None, current: int | None) -> str:
    """「＋12.5%」「－73.0%」「±0.0%」; 「新」 for a method not raised the year before;
    「—」 when there is no figure this year."""
    if current is None:
        return "—"
    if previous is None or (previous == 0 and current > 0):
        return "新"
    if previous == 0:
        return "±0.0%"
    ratio = change_ratio(previous, current)
    assert ratio is not None
    return signed_change(ratio, "%")


@dataclass(frozen=True)
class TrendRow:
    label: str
    amounts: list[int | None]
    changes: list[str]

    @property
    def cells(self) -> list[tuple[int | None, str]]:
        return list(zip(self.amounts, self.changes, strict=True))


@dataclass(frozen=True)
class FundraisingTrend:
    years: list[int]
    rows: list[TrendRow]
    total: TrendRow

    @property
    def year_labels(self) -> list[str]:
        return [fiscal_year_label(fy) for fy in self.years]

    @property
    def largest_fall(self) -> tuple[str, str, Decimal] | None:
        """(method, year label, −%) of the steepest fall from one year to the next."""
        worst: tuple[str, str, Decimal] | None = None
        for row in self.rows:
            for i in range(1, len(self.years)):
                ratio = change_ratio(row.amounts[i - 1], row.amounts[i])
                if ratio is not None and ratio < 0 and (worst is None or ratio < worst[2]):
                    worst = (row.label, fiscal_year_label(self.years[i]), ratio)
        return worst


def fall_text(trend: FundraisingTrend) -> str:
    """The sentence that warns of the steepest fall, or "" when nothing fell."""
    fall = trend.largest_fall
    if fall is None:
        return ""
    method, year_label, ratio = fall
    change = signed_change(ratio, "%")
    return f"{method}は{year_label}に前年度比 {change} と、この期間でもっとも大きく減りました。"


def _row(label: str, amounts: list[int | None]) -> TrendRow:
    changes = ["—"] + [change_text(amounts[i - 1], amounts[i]) for i in range(1, len(amounts))]
    return TrendRow(label=label, amounts=amounts, changes=changes[: len(amounts)])


def build_trend(
    years: Sequence[int],
    methods: Sequence[str],
    totals: Mapping[tuple[int, str], int],
) -> FundraisingTrend:
    """Rows in the methods' order; a year without a figure for a method stays None.

    A method with no figure in any of the years is left out."""
    rows = []
    for method in methods:
        amounts = [totals.get((fy, method)) for fy in years]
        if any(a is not None for a in amounts):
            rows.append(_row(method, amounts))
    year_totals: list[int | None] = []
    for i in range(len(years)):
        values = [row.amounts[i] for row in rows if row.amounts[i] is not None]
        year_totals.append(sum(v for v in values if v is not None) if values else None)
    return FundraisingTrend(years=list(years), rows=rows, total=_row("合計", year_totals))


def fundraising_years() -> list[int]:
    return sorted(set(FundraisingTotal.objects.values_list("fiscal_year", flat=True)))


def fundraising_trend(last_year: int | None = None, *, span: int = MAX_YEARS) -> FundraisingTrend:
    """The trend of the `span` years up to `last_year` (default: the latest with figures)."""
    years = fundraising_years()
    if last_year is not None:
        years = [fy for fy in years if fy <= last_year]
    if years:
        first = max(years[0], years[-1] - span + 1)
        years = list(range(first, years[-1] + 1))
    sums = (
        FundraisingTotal.objects.filter(fiscal_year__in=years)
        .values("fiscal_year", "method__name")
        .annotate(amount=Sum("amount"))
    )
    totals = {(row["fiscal_year"], row["method__name"]): row["amount"] for row in sums}
    methods = list(FundraisingMethod.objects.values_list("name", flat=True))
    return build_trend(years, methods, totals)
