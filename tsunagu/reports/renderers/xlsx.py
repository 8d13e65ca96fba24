"""The report as an Excel workbook, the council's main format: a 概要 sheet, then one
sheet per published table, each printable on A4 as is, with native Excel charts for the
trends so that staff can restyle them in Excel.

Era labels (令和2年度) are written as text, never as dates: Excel's own era format prints
令和1年. Every label is written as text too, so a category named "=…" is never a formula.
"""

import io
import re
import unicodedata
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.chart import BarChart, Reference
from openpyxl.chart.label import DataLabelList
from openpyxl.chart.text import RichText
from openpyxl.drawing.text import CharacterProperties, Paragraph, ParagraphProperties
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.worksheet import Worksheet

from tsunagu.reports.renderers.support import support_headers, support_rows
from tsunagu.reports.renderers.svg import SERIES_COLORS as SVG_COLORS
from tsunagu.reports.renderers.tables import (
    OUTREACH_TITLE,
    TableEntry,
    table_entries,
    trend_heading,
)
from tsunagu.reports.result import (
    MUNICIPALITY_LABELS,
    OutreachShare,
    Report,
    Section,
    Style,
    SupportSplit,
    Trend,
)

__all__ = ["render_xlsx", "report_title"]

# Office on Windows and macOS ships 游ゴシック; LibreOffice substitutes its CJK sans font.
FONT_NAME = "游ゴシック"
# One color per fiscal year, oldest first, as on the web page.
SERIES_COLORS = tuple(color.removeprefix("#").upper() for color in SVG_COLORS)
SHARE_COLOR = SERIES_COLORS[0]

_BODY = Font(name=FONT_NAME, size=11)
_BOLD = Font(name=FONT_NAME, size=11, bold=True)
_HEADING = Font(name=FONT_NAME, size=14, bold=True)
_TITLE = Font(name=FONT_NAME, size=16, bold=True)
_LINK = Font(name=FONT_NAME, size=11, color="0B5CAB", underline="single")
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_THIN = Side(style="thin", color="808080")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="top")
_CENTER = Alignment(horizontal="center", vertical="center")

COUNT_FORMAT = "#,##0"
RANK_FORMAT = '0"位"'
SHARE_FORMAT = "0.0%"
_MAX_WIDTH = 60
_ROW_HEIGHT = 18  # points: one line of 11pt Japanese text with some air
_ROW_HEIGHT_CM = _ROW_HEIGHT * 2.54 / 72
# A4 is 29.7 cm high; less the margins, the footer and a little slack.
_PAGE_HEIGHT_CM = 24.5
_MIN_CHART_HEIGHT_CM = 8.0
_HEADER_ROW = 3  # row 1 the heading, row 2 the total (or blank), then the table
_SHEET_TITLE_LIMIT = 31
_UNSAFE_SHEET_TITLE = re.compile(r"[\[\]:*?/\\]")
# Characters XML 1.0 cannot hold; openpyxl refuses them (text pasted from Word has \x0b).
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")

CellValue = str | int | float | None


def report_title(report: Report) -> str:
    return f"{report.fiscal_year_label} 地域福祉活動の実績（{report.scope_label}）"


def _display_width(value: CellValue) -> int:
    if isinstance(value, float):
        return 7  # a share, shown as 35.9%
    text = "" if value is None else str(value)
    return sum(2 if unicodedata.east_asian_width(c) in "WFA" else 1 for c in text)


def _put(
    ws: Worksheet,
    row: int,
    column: int,
    value: CellValue,
    *,
    font: Font = _BODY,
    number_format: str | None = None,
) -> Cell:
    cell: Cell = ws.cell(row=row, column=column)
    if isinstance(value, str):
        cell.value = _XML_ILLEGAL.sub("", value)
        cell.data_type = "s"  # text, even when it starts with "="
    else:
        cell.value = value
        if number_format and value is not None:
            cell.number_format = number_format
    cell.font = font
    return cell


def _with_delta(text: str, delta_text: str) -> str:
    return f"{text}（{delta_text}）" if delta_text else text


def _table(
    ws: Worksheet,
    headers: Sequence[str],
    rows: Sequence[Sequence[CellValue]],
    formats: Sequence[str | None],
    aligns: Sequence[str],
) -> int:
    """A bordered table with a bold, shaded header at _HEADER_ROW; returns its last row."""
    for column, header in enumerate(headers, start=1):
        cell = _put(ws, _HEADER_ROW, column, header, font=_BOLD)
        cell.fill = _HEADER_FILL
        cell.border = _BOX
        cell.alignment = _CENTER
    ws.row_dimensions[_HEADER_ROW].height = _ROW_HEIGHT
    for offset, values in enumerate(rows, start=1):
        for column, value in enumerate(values, start=1):
            cell = _put(ws, _HEADER_ROW + offset, column, value, number_format=formats[column - 1])
            cell.border = _BOX
            cell.alignment = Alignment(horizontal=aligns[column - 1], vertical="center")
        ws.row_dimensions[_HEADER_ROW + offset].height = _ROW_HEIGHT
    ws.freeze_panes = ws.cell(row=_HEADER_ROW + 1, column=1)
    return _HEADER_ROW + len(rows)


def _size_columns(ws: Worksheet, minimums: Sequence[int]) -> None:
    """Widths from the widest header or value of each table column (a CJK character
    counts two), capped so that long labels wrap instead of shrinking the printed page."""
    for column, minimum in enumerate(minimums, start=1):
        widest = max(
            (_display_width(ws.cell(row=r, column=column).value) for r in _table_rows(ws)),
            default=0,
        )
        width = min(_MAX_WIDTH, max(minimum, widest + 3))
        ws.column_dimensions[get_column_letter(column)].width = width
        for r in _table_rows(ws):
            cell = ws.cell(row=r, column=column)
            lines = -(-_display_width(cell.value) // (_MAX_WIDTH - 2))
            if lines > 1:
                cell.alignment = Alignment(wrap_text=True, vertical="center")
                ws.row_dimensions[r].height = _ROW_HEIGHT * lines


def _table_rows(ws: Worksheet) -> range:
    return range(_HEADER_ROW, ws.max_row + 1)


def _notes(ws: Worksheet, row: int, notes: Sequence[str], columns: int) -> int:
    """※ notes under a table, each wrapped across the table's width; returns the last row."""
    width = sum(
        ws.column_dimensions[get_column_letter(c)].width or 9 for c in range(1, columns + 1)
    )
    for note in notes:
        row += 1
        text = note if note.startswith("※") else f"※{note}"
        _put(ws, row, 1, text).alignment = _WRAP
        if columns > 1:
            ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=columns)
        lines = -(-_display_width(text) // max(1, int(width) - 2))
        ws.row_dimensions[row].height = 18 * max(1, lines)
    return row


def _print_setup(ws: Worksheet, title: str, title_rows: str) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_PORTRAIT
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = title_rows
    ws.page_margins.left = ws.page_margins.right = 0.6
    ws.page_margins.top = 0.75
    ws.page_margins.bottom = 0.8
    ws.page_margins.header = ws.page_margins.footer = 0.3
    ws.oddFooter.left.text = title
    ws.oddFooter.left.size = 9
    ws.oddFooter.right.text = "&P / &N"
    ws.oddFooter.right.size = 9
    ws.sheet_view.showGridLines = False


def _heading(ws: Worksheet, text: str, second_line: str | None = None) -> None:
    _put(ws, 1, 1, f"■ {text}", font=_HEADING)
    ws.row_dimensions[1].height = 24
    if second_line:
        _put(ws, 2, 1, second_line, font=_BOLD)


def _section_sheet(ws: Worksheet, section: Section) -> None:
    total = _with_delta(f"合計 {section.total:,}件", section.total_delta.text)
    _heading(ws, section.title, total)
    ranked = section.style is Style.RANKED
    headers = ["順位", "項目", "件数", "前年度比"]
    formats: list[str | None] = [RANK_FORMAT, None, COUNT_FORMAT, None]
    aligns = ["center", "left", "right", "right"]
    rows: list[list[CellValue]] = [
        [r.rank, r.label, r.count, r.delta.text or None] for r in section.rows
    ]
    if section.style is Style.TOTAL:
        # Only the total is published; a one-row table keeps it a number for Excel.
        rows = [[None, "合計", section.total, section.total_delta.text or None]]
    elif not rows:
        rows = [[None, "記録がありません", None, None]]
    if not ranked:
        headers, formats, aligns = headers[1:], formats[1:], aligns[1:]
        rows = [row[1:] for row in rows]
    last = _table(ws, headers, rows, formats, aligns)
    _size_columns(ws, [7, 24, 9, 11] if ranked else [24, 9, 11])
    _notes(ws, last + 1, section.notes, len(headers))


def _axis_title(trend: Trend) -> str:
    # 活動内容別 → 活動内容
    return trend.title.removesuffix("別") or "項目"


def _bar_chart(title: str, category_title: str, value_title: str) -> BarChart:
    chart = BarChart()
    chart.grouping = "clustered"
    chart.title = title
    chart.x_axis.title = category_title
    chart.y_axis.title = value_title
    chart.y_axis.majorGridlines = None
    # openpyxl 3.1 hides both axes unless told otherwise.
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    # The value only: LibreOffice shows the series and category names unless told not to.
    chart.dataLabels = DataLabelList(
        showVal=True, showSerName=False, showCatName=False, showLegendKey=False, showPercent=False
    )
    small = CharacterProperties(sz=800)
    chart.dataLabels.txPr = RichText(
        p=[Paragraph(pPr=ParagraphProperties(defRPr=small), endParaRPr=small)]
    )
    chart.gapWidth = 60
    return chart


def _chart_height(bars: int, rows_above: int) -> float:
    """Centimetres: room for every bar, but short enough to share the first A4 page with
    the table above it, so that no printed chart is cut at a page break."""
    wanted = 4 + 0.4 * bars
    room = _PAGE_HEIGHT_CM - rows_above * _ROW_HEIGHT_CM
    return max(_MIN_CHART_HEIGHT_CM, min(wanted, room))


def _trend_sheet(ws: Worksheet, trend: Trend) -> None:
    _heading(ws, trend_heading(trend))
    headers = ["項目", *trend.year_labels]
    rows: list[list[CellValue]] = [[row.label, *row.counts] for row in trend.rows]
    formats = [None, *([COUNT_FORMAT] * len(trend.year_labels))]
    if not rows:
        rows = [["記録がありません", *([None] * len(trend.year_labels))]]
    aligns = ["left", *(["right"] * len(trend.year_labels))]
    last = _table(ws, headers, rows, formats, aligns)
    _size_columns(ws, [24, *([13] * len(trend.year_labels))])
    end = _notes(ws, last + 1, trend.notes, len(headers))
    if not trend.rows or not trend.year_labels:
        return

    chart = _bar_chart(f"{trend.title}（件数）", _axis_title(trend), "件数")
    chart.type = "bar"  # horizontal: long Japanese labels read on one line
    data = Reference(ws, min_col=2, max_col=len(headers), min_row=_HEADER_ROW, max_row=last)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=_HEADER_ROW + 1, max_row=last))
    for series, color in zip(chart.series, SERIES_COLORS * 4, strict=False):
        series.graphicalProperties.solidFill = color
        series.graphicalProperties.line.solidFill = color
    # Categories top-down in the table's order, the value axis kept at the bottom.
    chart.x_axis.scaling.orientation = "maxMin"
    chart.y_axis.crosses = "max"
    chart.y_axis.number_format = COUNT_FORMAT
    chart.legend.position = "b"
    chart.width = 17
    chart.height = _chart_height(len(trend.rows) * len(trend.year_labels), end + 1)
    ws.add_chart(chart, f"A{end + 2}")


def _outreach_sheet(ws: Worksheet, outreach: OutreachShare) -> None:
    _heading(ws, OUTREACH_TITLE)
    headers = ["年度", "相談件数", "うち出向いた先", "割合"]
    rows: list[list[CellValue]] = [
        [label, total, at, share]
        for label, total, at, share in zip(
            outreach.year_labels,
            outreach.consultations,
            outreach.at_outreach,
            outreach.shares,
            strict=True,
        )
    ]
    formats = [None, COUNT_FORMAT, COUNT_FORMAT, SHARE_FORMAT]
    last = _table(ws, headers, rows, formats, ["left", "right", "right", "right"])
    _size_columns(ws, [14, 12, 16, 10])
    end = _notes(ws, last + 1, ("割合は、相談件数のうち出向いた先で受けた相談の割合です。",), 4)
    if all(share is None for share in outreach.shares):
        return

    chart = _bar_chart(OUTREACH_TITLE, "年度", "割合")
    chart.type = "col"
    chart.add_data(
        Reference(ws, min_col=4, min_row=_HEADER_ROW, max_row=last), titles_from_data=True
    )
    chart.set_categories(Reference(ws, min_col=1, min_row=_HEADER_ROW + 1, max_row=last))
    chart.series[0].graphicalProperties.solidFill = SHARE_COLOR
    chart.series[0].graphicalProperties.line.solidFill = SHARE_COLOR
    chart.dataLabels.numFmt = SHARE_FORMAT
    chart.y_axis.number_format = "0%"
    chart.y_axis.scaling.min = 0
    chart.legend = None
    chart.width = 14
    chart.height = 7.5
    ws.add_chart(chart, f"A{end + 2}")


def _support_sheet(ws: Worksheet, split: SupportSplit) -> None:
    _heading(ws, f"{split.title}（{split.year_label}）")
    headers = support_headers(split)
    rows: list[list[CellValue]] = [list(values) for values in support_rows(split)]
    formats = [None, *([COUNT_FORMAT] * (len(headers) - 1))]
    _table(ws, headers, rows, formats, ["left", *(["right"] * (len(headers) - 1))])
    _size_columns(ws, [24, *([13] * (len(headers) - 1))])
    # The 合計 row in bold, as the totals of the other tables.
    for column in range(1, len(headers) + 1):
        ws.cell(row=_HEADER_ROW + len(rows), column=column).font = _BOLD


def _overview_sheet(
    ws: Worksheet, report: Report, sheets: Sequence[tuple[str, TableEntry]]
) -> None:
    for letter, width in zip("ABC", (46, 18, 18), strict=True):
        ws.column_dimensions[letter].width = width
    _put(ws, 1, 1, report_title(report), font=_TITLE)
    ws.row_dimensions[1].height = 28
    _put(ws, 2, 1, f"前年度比は{report.previous_label}との比較です。")
    row = 3
    details = [(MUNICIPALITY_LABELS.get(k, k), v) for k, v in report.municipality.items() if v]
    if details:
        row += 1
        _put(ws, row, 1, "■ 市区町村の概要", font=_HEADING)
        for label, value in details:
            row += 1
            _put(ws, row, 1, label, font=_BOLD).fill = _HEADER_FILL
            _put(ws, row, 2, value)
            ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=3)
            for column in (1, 2, 3):
                ws.cell(row=row, column=column).border = _BOX
        row += 1
    row = _notes(ws, row, report.notes, 3) + 1

    row += 1
    _put(ws, row, 1, "■ 目次", font=_HEADING)
    row += 1
    for column, header in enumerate(("表", "合計（件）", "前年度比"), start=1):
        cell = _put(ws, row, column, header, font=_BOLD)
        cell.fill, cell.border, cell.alignment = _HEADER_FILL, _BOX, _CENTER
    for sheet_title, entry in sheets:
        row += 1
        link = _put(ws, row, 1, entry.title, font=_LINK)
        link.hyperlink = Hyperlink(
            ref=link.coordinate, location=f"{quote_sheetname(sheet_title)}!A1", display=entry.title
        )
        if isinstance(entry.table, Section):
            _put(ws, row, 2, entry.table.total, number_format=COUNT_FORMAT)
            _put(ws, row, 3, entry.table.total_delta.text or None).alignment = Alignment(
                horizontal="right"
            )
        for column in (1, 2, 3):
            ws.cell(row=row, column=column).border = _BOX


def _sheet_title(title: str, used: set[str]) -> str:
    """A title Excel accepts: no []:*?/\\, at most 31 characters, unique ignoring case."""
    base = _UNSAFE_SHEET_TITLE.sub("・", title).strip("'") or "表"
    candidate = base[:_SHEET_TITLE_LIMIT]
    number = 1
    while candidate.casefold() in used:
        number += 1
        suffix = f"（{number}）"
        candidate = base[: _SHEET_TITLE_LIMIT - len(suffix)] + suffix
    used.add(candidate.casefold())
    return candidate


def render_xlsx(report: Report) -> bytes:
    """The report as .xlsx bytes: 概要, one sheet per table, in publication order."""
    title = report_title(report)
    workbook = Workbook()
    overview = workbook.active
    assert overview is not None
    overview.title = "概要"
    used = {"概要"}
    sheets: list[tuple[str, TableEntry]] = []
    for entry in table_entries(report):
        ws = workbook.create_sheet(_sheet_title(entry.title, used))
        sheets.append((ws.title, entry))
        if isinstance(entry.table, Section):
            _section_sheet(ws, entry.table)
        elif isinstance(entry.table, Trend):
            _trend_sheet(ws, entry.table)
        elif isinstance(entry.table, SupportSplit):
            _support_sheet(ws, entry.table)
        else:
            _outreach_sheet(ws, entry.table)
        _print_setup(ws, title, f"1:{_HEADER_ROW}")
    _overview_sheet(overview, report, sheets)
    _print_setup(overview, title, "1:1")

    workbook.properties.title = title
    workbook.properties.creator = "つなぐ（tsunagu）"
    workbook.properties.language = "ja-JP"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
