"""What the report book (事業報告の資料) holds: the year's report as every other format
prints it (`figures_for`: a closed year's published figures), then the area-plan progress
of every regional council, the grant summary and the fundraising trend, each read through
its own app's queries. The xlsx and PDF renderers beside this module print it page by page."""

from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.utils import timezone

from tsunagu.audit.services import log_action
from tsunagu.directory.models import Region
from tsunagu.grants.fundraising import FundraisingTrend, fundraising_trend
from tsunagu.grants.queries import YearSummary, year_summary
from tsunagu.lib.fiscal import fiscal_year_label
from tsunagu.plans.models import Status
from tsunagu.plans.queries import current_plans, status_summary
from tsunagu.reports.renderers.tables import TableEntry, table_entries
from tsunagu.reports.result import OutreachShare, Report, Section, SupportSplit, Trend
from tsunagu.reports.services import figures_for

__all__ = [
    "BOOK_NAME",
    "Book",
    "BookPage",
    "PlanProgress",
    "PlanProgressRow",
    "build_book",
    "log_book_export",
]

BOOK_NAME = "事業報告の資料"
PLANS_KEY, PLANS_TITLE = "plans", "地域社協の計画の進捗"
GRANTS_KEY, GRANTS_TITLE = "grants", "地域社協への助成金"
FUNDRAISING_KEY, FUNDRAISING_TITLE = "fundraising", "募金実績の推移"
# Five years fit across an A4 portrait page with their changes; the web page shows ten.
FUNDRAISING_YEARS = 5
NOT_RECORDED = "未記入"


@dataclass(frozen=True)
class BookPage:
    """One printed page after the contents: a sheet in the xlsx, a page in the PDF."""

    key: str
    title: str
    kind: str  # section, trend, outreach (the report's tables), plans, grants, fundraising
    table: object = None  # the report's table for the first three kinds


@dataclass(frozen=True)
class PlanProgressRow:
    region: str
    zone: str
    period: str  # the plan's period, or "" when no plan covers the year
    initiatives: int
    by_status: tuple[int, ...]  # in the order of PlanProgress.status_labels
    not_recorded: int


@dataclass(frozen=True)
class PlanProgress:
    """Every active regional council's plan for the year: its initiatives by status."""

    fiscal_year: int
    rows: tuple[PlanProgressRow, ...]
    status_labels: tuple[str, ...] = tuple(str(label) for label in Status.labels)

    @property
    def labels(self) -> tuple[str, ...]:
        """The count columns: 取り組み, each status, 未記入."""
        return ("取り組み", *self.status_labels, NOT_RECORDED)

    @property
    def totals(self) -> tuple[int, ...]:
        planned = [row for row in self.rows if row.period]
        columns = [[r.initiatives, *r.by_status, r.not_recorded] for r in planned]
        return tuple(sum(column) for column in zip(*columns, strict=True)) or (0,) * len(
            self.labels
        )

    @property
    def with_plan(self) -> int:
        return sum(1 for row in self.rows if row.period)


def plan_progress(fiscal_year: int) -> PlanProgress:
    """As the regional councils' page lists them (zone, then order), a few queries."""
    regions = list(
        Region.objects.active()
        .select_related("zone")
        .order_by("zone__order", "zone_id", "order", "id")
    )
    plans = {
        pk: p for pk, p in current_plans(regions, fiscal_year).items() if p.covers(fiscal_year)
    }
    summary = status_summary(plans.values(), fiscal_year)
    rows = []
    for region in regions:
        plan = plans.get(region.pk)
        counts = summary.get(plan.pk, {}) if plan else {}
        total = counts.get("total", 0)
        rows.append(
            PlanProgressRow(
                region=region.name,
                zone=region.zone.name,
                period=plan.period_label if plan else "",
                initiatives=total,
                by_status=tuple(counts.get(value, 0) for value in Status.values),
                not_recorded=total - counts.get("recorded", 0),
            )
        )
    return PlanProgress(fiscal_year=fiscal_year, rows=tuple(rows))


def _kind(entry: TableEntry) -> str:
    if isinstance(entry.table, Section):
        return "section"
    if isinstance(entry.table, Trend):
        return "trend"
    if isinstance(entry.table, SupportSplit):
        return "support"
    assert isinstance(entry.table, OutreachShare)
    return "outreach"


@dataclass(frozen=True)
class Book:
    fiscal_year: int
    report: Report
    published: bool  # the figures of a closed year
    plans: PlanProgress
    grants: YearSummary
    fundraising: FundraisingTrend
    made_on: date = field(default_factory=timezone.localdate)

    @property
    def label(self) -> str:
        return fiscal_year_label(self.fiscal_year)

    @property
    def title(self) -> str:
        return f"{self.label} {BOOK_NAME}"

    @property
    def council(self) -> str:
        return self.report.municipality.get("council_name", "")

    @property
    def filename_stem(self) -> str:
        return f"{BOOK_NAME}_{self.label}"

    @property
    def pages(self) -> list[BookPage]:
        """The pages after the cover and the contents, in printed order: the report's
        tables as every report format lists them, then plans, grants and fundraising."""
        pages = [BookPage(e.key, e.title, _kind(e), e.table) for e in table_entries(self.report)]
        return [
            *pages,
            BookPage(PLANS_KEY, PLANS_TITLE, "plans"),
            BookPage(GRANTS_KEY, GRANTS_TITLE, "grants"),
            BookPage(FUNDRAISING_KEY, FUNDRAISING_TITLE, "fundraising"),
        ]


def build_book(fiscal_year: int) -> Book:
    figures = figures_for(fiscal_year)
    return Book(
        fiscal_year=fiscal_year,
        report=figures.report,
        published=figures.closure is not None,
        plans=plan_progress(fiscal_year),
        grants=year_summary(fiscal_year),
        fundraising=fundraising_trend(fiscal_year, span=FUNDRAISING_YEARS),
    )


def log_book_export(*, by: object, book: Book, fmt: str) -> None:
    """The book carries the year's figures out of tsunagu: the audit log says who took it,
    as it does for exported records (transfer.exported)."""
    with transaction.atomic():
        log_action(
            by=by,
            action="reports.book.exported",
            changes={"fiscal_year": book.label, "format": fmt},
            label=book.title,
        )
