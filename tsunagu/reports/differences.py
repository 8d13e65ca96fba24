"""Every figure a report publishes, named in Japanese, and what changed between two reports.

A closed year shows its frozen report; `compare(published, current)` lists each of its
figures that the records no longer give, so that nothing is silently republished: the
consultation tables and 関係機関別 (totals, counts, ranks, deltas, notes), 活動内容別 and
支援先別 (every year column), the outreach share, 個別支援・地域支援 (each kind's two
counts, this year's and the year before's), the report's notes and the municipality's
figures. A figure is named by its table and its item, as a reader would
point at it: 「活動内容別：出向き・参加（令和2年度）」.

tests/reports/test_freeze.py changes every number of a frozen report by one and fails
for a figure not listed here: a figure added to the report later must be added here too.
"""

from dataclasses import dataclass

from tsunagu.reports.engine import without_ranks
from tsunagu.reports.renderers.text import share_text
from tsunagu.reports.result import (
    MUNICIPALITY_LABELS,
    Delta,
    DeltaKind,
    OutreachShare,
    Report,
    Section,
    SupportSplit,
    Trend,
)

OUTREACH_TABLE = "出向いた先で受けた相談の割合"
REPORT_TABLE = "報告全体"
TOTAL = "合計"

Value = int | str | None
Figures = dict[str, dict[str, Value]]  # table → item → the figure as published


@dataclass(frozen=True)
class Difference:
    table: str
    label: str
    published: Value  # None: not in the published report
    current: Value  # None: not in the report the records give now

    @property
    def name(self) -> str:
        """「活動内容別：出向き・参加（令和2年度）」"""
        return f"{self.table}：{self.label}"


def compare(published: Report, current: Report) -> list[Difference]:
    """Every published figure that the current report does not give, table by table
    (the published tables' order, then tables that are new).

    A report frozen before 個別支援・地域支援 existed did not publish it: the section the
    records give now is not a difference."""
    now = published_figures(current)
    if published.support_split is None and current.support_split is not None:
        now.pop(current.support_split.title, None)
    return _differences(published_figures(published), now)


def compare_counts(a: Report, b: Report) -> list[Difference]:
    """The counts of the consultation tables and 関係機関別 only: two different years
    compared, where ranks, deltas and year columns would only repeat the counts."""
    return _differences(_counts(a), _counts(b))


def published_figures(report: Report) -> Figures:
    figures: Figures = {}
    for section in (*report.sections, report.agency_table):
        figures[section.title] = _section(section)
    for trend in report.trends:
        figures[trend.title] = _trend(trend)
    figures[OUTREACH_TABLE] = _outreach(report.outreach)
    if report.support_split is not None:
        figures[report.support_split.title] = _support_split(report.support_split)
    figures[REPORT_TABLE] = {
        **_notes(report.notes),
        **{MUNICIPALITY_LABELS.get(k, k): v for k, v in report.municipality.items()},
    }
    return figures


def _differences(before: Figures, after: Figures) -> list[Difference]:
    differences = []
    for table in [*before, *(t for t in after if t not in before)]:
        old, new = before.get(table, {}), after.get(table, {})
        for label in [*old, *(label for label in new if label not in old)]:
            if not _same(old, new, label):
                differences.append(Difference(table, label, old.get(label), new.get(label)))
    return differences


def _same(old: dict[str, Value], new: dict[str, Value], label: str) -> bool:
    # A row that appears (or goes) shows 0件 in the years it had nothing: not a change.
    if label not in old:
        return new[label] in (0, None)
    if label not in new:
        return old[label] in (0, None)
    return _comparable(old[label]) == _comparable(new[label])


def _comparable(value: Value) -> Value:
    """Notes are compared without the ranks they quote (「3位：近況報告など」): each rank
    is watched as a figure of its own (「…の順位」), and a report frozen before notes
    named ranked rows with their rank would otherwise differ by its wording alone."""
    return without_ranks(value) if isinstance(value, str) else value


def _counts(report: Report) -> Figures:
    return {
        section.title: {TOTAL: section.total, **{row.label: row.count for row in section.rows}}
        for section in (*report.sections, report.agency_table)
    }


def _delta(delta: Delta) -> str:
    # A split row has no delta of its own: its note gives the delta of the sum.
    return "（注記のとおり）" if delta.kind is DeltaKind.NONE else delta.text


def _notes(notes: tuple[str, ...]) -> dict[str, Value]:
    return {f"注記{i}": note for i, note in enumerate(notes, start=1)}


def _section(section: Section) -> dict[str, Value]:
    figures: dict[str, Value] = {
        TOTAL: section.total,
        f"{TOTAL}の前年度比": _delta(section.total_delta),
    }
    for row in section.rows:
        figures[row.label] = row.count
        if row.rank is not None:
            figures[f"{row.label}の順位"] = f"{row.rank}位"
        figures[f"{row.label}の前年度比"] = _delta(row.delta)
    figures.update(_notes(section.notes))
    return figures


def _trend(trend: Trend) -> dict[str, Value]:
    figures: dict[str, Value] = {}
    for row in trend.rows:
        for year_label, count in zip(trend.year_labels, row.counts, strict=True):
            figures[f"{row.label}（{year_label}）"] = count
    figures.update(_notes(trend.notes))
    return figures


def _outreach(outreach: OutreachShare) -> dict[str, Value]:
    figures: dict[str, Value] = {}
    for label, consultations, at_outreach in zip(
        outreach.year_labels, outreach.consultations, outreach.at_outreach, strict=True
    ):
        figures[f"相談件数（{label}）"] = consultations
        figures[f"うち出向いた先（{label}）"] = at_outreach
        # As the report prints it (rounded half up from the exact ratio).
        figures[f"割合（{label}）"] = share_text(at_outreach, consultations)
    return figures


def _support_split(split: SupportSplit) -> dict[str, Value]:
    """「個別支援・地域支援：出向き・参加の地域支援（令和2年度）」, and 合計 the same."""
    figures: dict[str, Value] = {}
    for row in (*split.rows, split.total):
        figures[f"{row.label}の個別支援（{split.year_label}）"] = row.individual
        figures[f"{row.label}の地域支援（{split.year_label}）"] = row.area
        if split.previous_label:
            figures[f"{row.label}の個別支援（{split.previous_label}）"] = row.previous_individual
            figures[f"{row.label}の地域支援（{split.previous_label}）"] = row.previous_area
    return figures
