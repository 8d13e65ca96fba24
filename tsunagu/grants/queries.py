"""Reads of grants: one council's grant for other apps, and the year summary of all councils."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q

from tsunagu.directory.models import Region
from tsunagu.grants.models import FundingSource, Grant, GrantProgramme, GrantState
from tsunagu.lib.fiscal import fiscal_year_label

NOT_APPLIED = "未申請"


@dataclass(frozen=True)
class GrantSummary:
    """A council's grant of one year, as the regional council page shows it."""

    state_label: str
    applied: int
    decided: int | None
    paid: int | None
    spent: int | None
    returned: int | None
    url: str

    @classmethod
    def of(cls, grant: Grant) -> GrantSummary:
        return cls(
            state_label=grant.get_state_display(),
            applied=grant.applied_amount,
            decided=grant.decided_amount,
            paid=grant.paid_amount,
            spent=grant.spent_amount,
            returned=grant.returned_amount,
            url=grant.get_absolute_url(),
        )


def grant_summary_for(region: Region, fiscal_year: int) -> GrantSummary | None:
    """The council's grant for the year, or None when it has not applied."""
    grant = (
        Grant.objects.summary_rows()
        .filter(region=region, programme__fiscal_year=fiscal_year)
        .first()
    )
    return None if grant is None else GrantSummary.of(grant)


@dataclass(frozen=True)
class SummaryRow:
    region: Region
    grant: Grant | None

    @property
    def state_label(self) -> str:
        return self.grant.get_state_display() if self.grant else NOT_APPLIED

    def amount(self, name: str) -> int | None:
        return getattr(self.grant, f"{name}_amount") if self.grant else None


AMOUNT_COLUMNS = [
    ("applied", "申請額"),
    ("decided", "決定額"),
    ("paid", "支払額"),
    ("spent", "支出額"),
    ("income", "その他の収入"),
    ("returned", "返還額"),
]


@dataclass(frozen=True)
class YearSummary:
    fiscal_year: int
    programme: GrantProgramme | None
    sources: list[FundingSource]
    rows: list[SummaryRow]
    totals: dict[str, int] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return fiscal_year_label(self.fiscal_year)

    @property
    def source_total(self) -> int:
        return sum(source.amount for source in self.sources)

    @property
    def state_counts(self) -> list[tuple[str, int]]:
        labels = [NOT_APPLIED, *GrantState.labels]
        counts = dict.fromkeys(labels, 0)
        for row in self.rows:
            counts[row.state_label] += 1
        return [(label, n) for label, n in counts.items() if n]

    @property
    def table(self) -> list[tuple[SummaryRow, list[int | None]]]:
        return [(row, [row.amount(name) for name, _ in AMOUNT_COLUMNS]) for row in self.rows]

    @property
    def total_values(self) -> list[int]:
        return [self.totals[name] for name, _ in AMOUNT_COLUMNS]


def year_summary(fiscal_year: int) -> YearSummary:
    """Every active council (and any inactive one with a grant that year), in directory order."""
    programme = (
        GrantProgramme.objects.filter(fiscal_year=fiscal_year).prefetch_related("sources").first()
    )
    grants = {
        grant.region_id: grant
        for grant in Grant.objects.summary_rows().filter(programme__fiscal_year=fiscal_year)
    }
    regions = Region.objects.filter(Q(active=True) | Q(pk__in=grants)).select_related("zone")
    rows = [SummaryRow(region=region, grant=grants.get(region.pk)) for region in regions]
    totals = {name: sum(row.amount(name) or 0 for row in rows) for name, _ in AMOUNT_COLUMNS}
    return YearSummary(
        fiscal_year=fiscal_year,
        programme=programme,
        sources=list(programme.sources.all()) if programme else [],
        rows=rows,
        totals=totals,
    )


def grant_years() -> list[int]:
    """Fiscal years that have a programme, newest first."""
    return list(GrantProgramme.objects.values_list("fiscal_year", flat=True))
