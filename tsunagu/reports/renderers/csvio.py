"""The report's tables as CSV for Excel and other programs: one file per table, UTF-8
with a BOM, CRLF, every field quoted (tsunagu.lib.tabular.write_csv).

Each file is one rectangular table with a header line, so that Excel's filters and other
programs read it as is:

    順位,項目,件数,前年度比          (ranked sections; listed ones have no 順位)
    ,合計,69,－23件                  (the section's total first)
    1,福祉サービス・相談機関への紹介,38,＋4件
    4,近況報告など,4,                (a split category: no delta of its own)

Trends have 項目 and one column per fiscal year (an empty cell where a kind was not counted
that year, never 0); the outreach share has 年度,相談件数,うち出向いた先,割合; 個別支援・地域支援
has 活動内容 and 個別支援, 地域支援, 計 per year (renderers/support.py). Notes (※…)
are left out: a trailing free-text line would be read as a data row. They are in the
.xlsx, the text and the JSON of the same report.
"""

import io
import re
import zipfile
from collections.abc import Sequence
from datetime import datetime

from tsunagu.lib.fiscal import TOKYO
from tsunagu.lib.tabular import Cell, write_csv
from tsunagu.reports.renderers.support import support_headers, support_rows
from tsunagu.reports.renderers.tables import Table, find_table, table_entries, table_keys
from tsunagu.reports.renderers.text import share_text
from tsunagu.reports.result import OutreachShare, Report, Section, Style, SupportSplit, Trend

__all__ = [
    "csv_filename",
    "find_table",
    "render_csv",
    "render_csv_zip",
    "table_keys",
]

TOTAL_LABEL = "合計"
# Characters Windows refuses in a file name, and control characters.
_UNSAFE_FILENAME = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


def _section_table(
    section: Section, comparison: str = "前年度比"
) -> tuple[list[str], list[list[Cell]]]:
    total: list[Cell] = [TOTAL_LABEL, section.total, section.total_delta.text]
    if section.style is Style.RANKED:
        headers = ["順位", "項目", "件数", comparison]
        rows: list[list[Cell]] = [["", *total]]
        rows += [[r.rank, r.label, r.count, r.delta.text] for r in section.rows]
    else:
        headers = ["項目", "件数", comparison]
        rows = [total]
        rows += [[r.label, r.count, r.delta.text] for r in section.rows]
    return headers, rows


def _trend_table(trend: Trend) -> tuple[list[str], list[list[Cell]]]:
    headers = ["項目", *trend.year_labels]
    return headers, [[row.label, *row.counts] for row in trend.rows]


def _outreach_table(outreach: OutreachShare) -> tuple[list[str], list[list[Cell]]]:
    headers = ["年度", "相談件数", "うち出向いた先", "割合"]
    rows: list[list[Cell]] = [
        [label, total, at, share_text(at, total) if total else ""]
        for label, total, at in zip(
            outreach.year_labels, outreach.consultations, outreach.at_outreach, strict=True
        )
    ]
    return headers, rows


def render_csv(table: Table, comparison: str = "前年度比") -> bytes:
    """One table (a section, the agency table, a trend or the outreach share) as CSV;
    `comparison` heads the delta column (the report's comparison_label)."""
    headers: Sequence[str]
    if isinstance(table, Section):
        headers, rows = _section_table(table, comparison)
    elif isinstance(table, Trend):
        headers, rows = _trend_table(table)
    elif isinstance(table, SupportSplit):
        headers = support_headers(table)
        rows = [list[Cell](values) for values in support_rows(table)]
    else:
        headers, rows = _outreach_table(table)
    return write_csv(headers, rows)


def _safe_name(title: str) -> str:
    return _UNSAFE_FILENAME.sub("_", title).strip(" .") or "表"


def csv_filename(report: Report, key: str) -> str:
    """令和2年度_市全体_関係機関別.csv: the download name of one table."""
    entry = find_table(report, key)
    if entry is None:
        raise KeyError(key)
    return _safe_name(f"{report.title_label}_{report.scope_label}_{entry.title}") + ".csv"


def render_csv_zip(report: Report) -> bytes:
    """Every table as a CSV file in one .zip, named in publication order:
    01_市民社協の事業に関連する相談.csv, 02_…; names are stored as UTF-8 (flag bit 11),
    which Windows' own unzip and every current archiver read."""
    buffer = io.BytesIO()
    stamp = datetime.now(TOKYO).timetuple()[:6]
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for number, entry in enumerate(table_entries(report), start=1):
            info = zipfile.ZipInfo(f"{number:02d}_{_safe_name(entry.title)}.csv", stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, render_csv(entry.table, report.comparison_label))
    return buffer.getvalue()
