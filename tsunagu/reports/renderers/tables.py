"""The published tables of a report, in publication order, each with a stable key: what
the xlsx (a sheet each) and CSV (a file each) renderers walk, and what a download link
names with ?table=<key>."""

from dataclasses import dataclass

from tsunagu.reports.result import OutreachShare, Report, Section, SupportSplit, Trend

__all__ = [
    "OUTREACH_KEY",
    "OUTREACH_TITLE",
    "Table",
    "TableEntry",
    "find_table",
    "table_entries",
    "table_keys",
    "trend_heading",
]

Table = Section | Trend | OutreachShare | SupportSplit

OUTREACH_KEY = "outreach"
OUTREACH_TITLE = "出向いた先で受けた相談の割合"


@dataclass(frozen=True)
class TableEntry:
    key: str
    title: str
    table: Table


def table_entries(report: Report) -> list[TableEntry]:
    """Consulter types in configured order, 関係機関別, the trends, the outreach share
    (left out when the report covers no year at all), 個別支援・地域支援 (not in a report
    frozen before it existed)."""
    entries = [TableEntry(s.key, s.title, s) for s in (*report.sections, report.agency_table)]
    entries += [TableEntry(t.key, t.title, t) for t in report.trends]
    if report.outreach.years:
        entries.append(TableEntry(OUTREACH_KEY, OUTREACH_TITLE, report.outreach))
    if report.support_split is not None:
        split = report.support_split
        entries.append(TableEntry(split.key, split.title, split))
    return entries


def table_keys(report: Report) -> list[str]:
    return [entry.key for entry in table_entries(report)]


def find_table(report: Report, key: str) -> TableEntry | None:
    return next((entry for entry in table_entries(report) if entry.key == key), None)


def trend_heading(trend: Trend) -> str:
    """活動内容別（平成30年度〜令和2年度）: the title with the years it covers."""
    labels = trend.year_labels
    if not labels:
        return trend.title
    span = labels[0] if len(labels) == 1 else f"{labels[0]}〜{labels[-1]}"
    return f"{trend.title}（{span}）"
