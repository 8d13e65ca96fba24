"""The report as an Excel workbook, the council's main format: a 概要 sheet, then one
sheet per published table, each printable on A4 as is, with native Excel charts for the
trends so that staff can restyle them in Excel.

Era labels (令和2年度) are written as text, never as dates: Excel's own era format prints
令和1年. Every label is written as text too, so a category named "=…" is never a formula.
A year in which a row was not counted shows —, as on the page and in the text.

A chart does not read the table it illustrates but a copy of its figures in hidden rows
under the chart (_chart_data): Excel plots the text — as 0, with a 0 label, where the copy
has an empty cell (no bar); LibreOffice lists the years of a horizontal bar chart's legend
backwards, so the copy holds the years newest first and the rows last first, which both
programs draw oldest first, top down, with the legend in the same order; and LibreOffice
spaces digits apart from Japanese in chart text (令和 2 年度), so the copy's labels have
full-width digits (令和２年度).
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
from tsunagu.reports.renderers.text import MISSING
from tsunagu.reports.result import (
    MUNICIPALITY_LABELS,
    OutreachShare,
    Report,
    Section,
    Style,
    SupportSplit,
    Trend,
)

__all__ = [
    "add_table_sheets",
    "print_setup",
    "render_xlsx",
    "report_title",
    "sheet_title",
    "workbook_bytes",
]

# Office on Windows and macOS ships 游ゴシック; LibreOffice substitutes its CJK sans font.
FONT_NAME = "游ゴシック"
# One color per fiscal year, oldest first, as on the web page.
SERIES_COLORS = tuple(color.removeprefix("#").upper() for color in SVG_COLORS)
SHARE_COLOR = SERIES_COLORS[0]

# The public names below (fonts, fills, borders, HEADER_ROW and the writers put_cell,
# write_heading, write_table, size_columns, write_notes, print_setup, sheet_title,
# add_table_sheets, workbook_bytes) are the report's look, shared with the report book
# (reports/book/xlsx.py) so that both print alike; the leading-underscore ones are this
# module's own.
_BODY = Font(name=FONT_NAME, size=11)
BOLD = Font(name=FONT_NAME, size=11, bold=True)
_HEADING = Font(name=FONT_NAME, size=14, bold=True)
_TITLE = Font(name=FONT_NAME, size=16, bold=True)
LINK_FONT = Font(name=FONT_NAME, size=11, color="0B5CAB", underline="single")
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_THIN = Side(style="thin", color="808080")
BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="top")
CENTER = Alignment(horizontal="center", vertical="center")

COUNT_FORMAT = "#,##0"
RANK_FORMAT = '0"位"'
SHARE_FORMAT = "0.0%"
_MAX_WIDTH = 60
_ROW_HEIGHT = 18  # points: one line of 11pt Japanese text with some air
_ROW_HEIGHT_CM = _ROW_HEIGHT * 2.54 / 72
# A4 is 29.7 cm high; less the margins, the footer and a little slack.
_PAGE_HEIGHT_CM = 24.5
_MIN_CHART_HEIGHT_CM = 8.0
HEADER_ROW = 3  # row 1 the heading, row 2 the total (or blank), then the table
_SHEET_TITLE_LIMIT = 31
_UNSAFE_SHEET_TITLE = re.compile(r"[\[\]:*?/\\]")
# Characters XML 1.0 cannot hold; openpyxl refuses them (text pasted from Word has \x0b).
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")

CellValue = str | int | float | None

_FULL_WIDTH_DIGITS = str.maketrans("0123456789", "０１２３４５６７８９")
# Rows of the default height (15 points) that a chart of a given height covers, and the
# rows left free between the chart and its hidden figures.
_DEFAULT_ROW_CM = 15 * 2.54 / 72
_ROWS_AFTER_CHART = 3


def report_title(report: Report) -> str:
    return f"{report.title_label} 地域福祉活動の実績（{report.scope_label}）"


def _display_width(value: CellValue) -> int:
    if isinstance(value, float):
        return 7  # a share, shown as 35.9%
    text = "" if value is None else str(value)
    return sum(2 if unicodedata.east_asian_width(c) in "WFA" else 1 for c in text)


def put_cell(
    ws: Worksheet,
    row: int,
    column: int,
    value: CellValue,
    *,
    font: Font = _BODY,
    number_format: str | None = None,
) -> Cell:
    """One cell: text stays text (even "=…", without XML-illegal characters), a number
    takes `number_format`."""
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


def write_table(
    ws: Worksheet,
    headers: Sequence[str],
    rows: Sequence[Sequence[CellValue]],
    formats: Sequence[str | None],
    aligns: Sequence[str],
) -> int:
    """A bordered table with a bold, shaded header at HEADER_ROW; returns its last row."""
    for column, header in enumerate(headers, start=1):
        cell = put_cell(ws, HEADER_ROW, column, header, font=BOLD)
        cell.fill = HEADER_FILL
        cell.border = BOX
        cell.alignment = CENTER
    ws.row_dimensions[HEADER_ROW].height = _ROW_HEIGHT
    for offset, values in enumerate(rows, start=1):
        for column, value in enumerate(values, start=1):
            cell = put_cell(
                ws, HEADER_ROW + offset, column, value, number_format=formats[column - 1]
            )
            cell.border = BOX
            cell.alignment = Alignment(horizontal=aligns[column - 1], vertical="center")
        ws.row_dimensions[HEADER_ROW + offset].height = _ROW_HEIGHT
    ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=1)
    return HEADER_ROW + len(rows)


def size_columns(ws: Worksheet, minimums: Sequence[int]) -> None:
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
    return range(HEADER_ROW, ws.max_row + 1)


def write_notes(ws: Worksheet, row: int, notes: Sequence[str], columns: int) -> int:
    """※ notes under a table, each wrapped across the table's width; returns the last row."""
    width = sum(
        ws.column_dimensions[get_column_letter(c)].width or 9 for c in range(1, columns + 1)
    )
    for note in notes:
        row += 1
        text = note if note.startswith("※") else f"※{note}"
        put_cell(ws, row, 1, text).alignment = _WRAP
        if columns > 1:
            ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=columns)
        lines = -(-_display_width(text) // max(1, int(width) - 2))
        ws.row_dimensions[row].height = 18 * max(1, lines)
    return row


def workbook_bytes(workbook: Workbook, title: str) -> bytes:
    """The workbook as .xlsx bytes, titled and signed as every tsunagu workbook is."""
    workbook.properties.title = title
    workbook.properties.creator = "つなぐ（tsunagu）"
    workbook.properties.language = "ja-JP"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def print_setup(ws: Worksheet, title: str, title_rows: str) -> None:
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


def write_heading(ws: Worksheet, text: str, second_line: str | None = None) -> None:
    """A sheet's ■ heading in row 1 and, bold in row 2, its total or subtitle."""
    put_cell(ws, 1, 1, f"■ {text}", font=_HEADING)
    ws.row_dimensions[1].height = 24
    if second_line:
        put_cell(ws, 2, 1, second_line, font=BOLD)


def _section_sheet(ws: Worksheet, section: Section, comparison: str = "前年度比") -> None:
    total = _with_delta(f"合計 {section.total:,}件", section.total_delta.text)
    write_heading(ws, section.title, total)
    ranked = section.style is Style.RANKED
    headers = ["順位", "項目", "件数", comparison]
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
    last = write_table(ws, headers, rows, formats, aligns)
    size_columns(ws, [7, 24, 9, 11] if ranked else [24, 9, 11])
    write_notes(ws, last + 1, section.notes, len(headers))


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
    # The figures are in hidden rows (_chart_data).
    chart.visible_cells_only = False
    return chart


def _chart_label(label: str) -> str:
    """令和２年度: a year label as a chart shows it (see the module's docstring)."""
    return label.translate(_FULL_WIDTH_DIGITS)


def _column_cm(ws: Worksheet, column: int) -> float:
    """A column's width in centimetres (Excel: 7 pixels a character, 5 of padding)."""
    width = ws.column_dimensions[get_column_letter(column)].width or 8.43
    return (width * 7 + 5) / 96 * 2.54


def _chart_data(
    ws: Worksheet,
    chart: BarChart,
    *,
    below: int,
    headers: Sequence[str],
    rows: Sequence[Sequence[CellValue]],
) -> tuple[int, int]:
    """The figures `chart`, anchored at column A of row `below`, plots, in hidden rows
    after it (None stays an empty cell: no bar); their header row and last row."""
    covered = -(-chart.height // _DEFAULT_ROW_CM)
    first = below + int(covered) + _ROWS_AFTER_CHART
    # Hidden rows still make a printed page of their own (the header rows repeated): the
    # print area ends above them, and is as wide as the table or the chart.
    columns, width = 0, 0.0
    while columns < ws.max_column or width < chart.width:
        columns += 1
        width += _column_cm(ws, columns)
    ws.print_area = f"A1:{get_column_letter(columns)}{first - 1}"
    for offset, values in enumerate([headers, *rows]):
        for column, value in enumerate(values, start=1):
            number_format = SHARE_FORMAT if isinstance(value, float) else COUNT_FORMAT
            put_cell(ws, first + offset, column, value, number_format=number_format)
        ws.row_dimensions[first + offset].hidden = True
    return first, first + len(rows)


def _chart_height(bars: int, rows_above: int) -> float:
    """Centimetres: room for every bar, but short enough to share the first A4 page with
    the table above it, so that no printed chart is cut at a page break."""
    wanted = 4 + 0.4 * bars
    room = _PAGE_HEIGHT_CM - rows_above * _ROW_HEIGHT_CM
    return max(_MIN_CHART_HEIGHT_CM, min(wanted, room))


def _trend_sheet(ws: Worksheet, trend: Trend) -> None:
    write_heading(ws, trend_heading(trend))
    headers = ["項目", *trend.year_labels]
    rows: list[list[CellValue]] = [
        [row.label, *(MISSING if count is None else count for count in row.counts)]
        for row in trend.rows
    ]
    formats = [None, *([COUNT_FORMAT] * len(trend.year_labels))]
    if not rows:
        rows = [["記録がありません", *([None] * len(trend.year_labels))]]
    aligns = ["left", *(["right"] * len(trend.year_labels))]
    last = write_table(ws, headers, rows, formats, aligns)
    size_columns(ws, [24, *([13] * len(trend.year_labels))])
    end = write_notes(ws, last + 1, trend.notes, len(headers))
    if not trend.rows or not trend.year_labels:
        return

    chart = _bar_chart(f"{trend.title}（件数）", _axis_title(trend), "件数")
    chart.type = "bar"  # horizontal: long Japanese labels read on one line
    chart.width = 17
    chart.height = _chart_height(len(trend.rows) * len(trend.year_labels), end + 1)
    years = len(trend.year_labels)
    # Newest year first and last row first: drawn bottom up, that is the table's order.
    first, last_data = _chart_data(
        ws,
        chart,
        below=end + 2,
        headers=["項目", *map(_chart_label, reversed(trend.year_labels))],
        rows=[[row.label, *reversed(row.counts)] for row in reversed(trend.rows)],
    )
    data = Reference(ws, min_col=2, max_col=years + 1, min_row=first, max_row=last_data)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=first + 1, max_row=last_data))
    for index, series in enumerate(chart.series):
        color = SERIES_COLORS[(years - 1 - index) % len(SERIES_COLORS)]
        series.graphicalProperties.solidFill = color
        series.graphicalProperties.line.solidFill = color
    chart.y_axis.number_format = COUNT_FORMAT
    chart.legend.position = "b"
    ws.add_chart(chart, f"A{end + 2}")


def _outreach_sheet(ws: Worksheet, outreach: OutreachShare) -> None:
    write_heading(ws, OUTREACH_TITLE)
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
    last = write_table(ws, headers, rows, formats, ["left", "right", "right", "right"])
    size_columns(ws, [14, 12, 16, 10])
    end = write_notes(
        ws, last + 1, ("割合は、相談件数のうち出向いた先で受けた相談の割合です。",), 4
    )
    if all(share is None for share in outreach.shares):
        return

    chart = _bar_chart(OUTREACH_TITLE, "年度", "割合")
    chart.type = "col"
    chart.width = 14
    chart.height = 7.5
    first, last_data = _chart_data(
        ws,
        chart,
        below=end + 2,
        headers=["年度", "割合"],
        rows=[
            [_chart_label(label), share]
            for label, share in zip(outreach.year_labels, outreach.shares, strict=True)
        ],
    )
    chart.add_data(
        Reference(ws, min_col=2, min_row=first, max_row=last_data), titles_from_data=True
    )
    chart.set_categories(Reference(ws, min_col=1, min_row=first + 1, max_row=last_data))
    chart.series[0].graphicalProperties.solidFill = SHARE_COLOR
    chart.series[0].graphicalProperties.line.solidFill = SHARE_COLOR
    chart.dataLabels.numFmt = SHARE_FORMAT
    chart.y_axis.number_format = "0%"
    chart.y_axis.scaling.min = 0
    chart.legend = None
    ws.add_chart(chart, f"A{end + 2}")


def _support_sheet(ws: Worksheet, split: SupportSplit) -> None:
    write_heading(ws, f"{split.title}（{split.year_label}）")
    headers = support_headers(split)
    rows: list[list[CellValue]] = [list(values) for values in support_rows(split)]
    formats = [None, *([COUNT_FORMAT] * (len(headers) - 1))]
    write_table(ws, headers, rows, formats, ["left", *(["right"] * (len(headers) - 1))])
    size_columns(ws, [24, *([13] * (len(headers) - 1))])
    # The 合計 row in bold, as the totals of the other tables.
    for column in range(1, len(headers) + 1):
        ws.cell(row=HEADER_ROW + len(rows), column=column).font = BOLD


def _overview_sheet(
    ws: Worksheet, report: Report, sheets: Sequence[tuple[str, TableEntry]]
) -> None:
    for letter, width in zip("ABC", (46, 18, 18), strict=True):
        ws.column_dimensions[letter].width = width
    put_cell(ws, 1, 1, report_title(report), font=_TITLE)
    ws.row_dimensions[1].height = 28
    put_cell(ws, 2, 1, f"{report.comparison_label}は{report.previous_label}との比較です。")
    row = 3
    details = [(MUNICIPALITY_LABELS.get(k, k), v) for k, v in report.municipality.items() if v]
    if details:
        row += 1
        put_cell(ws, row, 1, "■ 市区町村の概要", font=_HEADING)
        for label, value in details:
            row += 1
            put_cell(ws, row, 1, label, font=BOLD).fill = HEADER_FILL
            put_cell(ws, row, 2, value)
            ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=3)
            for column in (1, 2, 3):
                ws.cell(row=row, column=column).border = BOX
        row += 1
    row = write_notes(ws, row, report.notes, 3) + 1

    row += 1
    put_cell(ws, row, 1, "■ 目次", font=_HEADING)
    row += 1
    for column, header in enumerate(("表", "合計（件）", report.comparison_label), start=1):
        cell = put_cell(ws, row, column, header, font=BOLD)
        cell.fill, cell.border, cell.alignment = HEADER_FILL, BOX, CENTER
    for name, entry in sheets:
        row += 1
        link = put_cell(ws, row, 1, entry.title, font=LINK_FONT)
        link.hyperlink = Hyperlink(
            ref=link.coordinate, location=f"{quote_sheetname(name)}!A1", display=entry.title
        )
        if isinstance(entry.table, Section):
            put_cell(ws, row, 2, entry.table.total, number_format=COUNT_FORMAT)
            put_cell(ws, row, 3, entry.table.total_delta.text or None).alignment = Alignment(
                horizontal="right"
            )
        for column in (1, 2, 3):
            ws.cell(row=row, column=column).border = BOX


def sheet_title(title: str, used: set[str]) -> str:
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


def add_table_sheets(
    workbook: Workbook, report: Report, used: set[str], footer: str
) -> list[tuple[str, TableEntry]]:
    """One sheet per published table, in publication order, each set up for A4 with
    `footer` at the bottom left; `used` holds the sheet titles taken (casefolded).
    Returns each sheet's title with its table. The report book builds on this too."""
    sheets: list[tuple[str, TableEntry]] = []
    for entry in table_entries(report):
        ws = workbook.create_sheet(sheet_title(entry.title, used))
        sheets.append((ws.title, entry))
        if isinstance(entry.table, Section):
            _section_sheet(ws, entry.table, report.comparison_label)
        elif isinstance(entry.table, Trend):
            _trend_sheet(ws, entry.table)
        elif isinstance(entry.table, SupportSplit):
            _support_sheet(ws, entry.table)
        else:
            _outreach_sheet(ws, entry.table)
        print_setup(ws, footer, f"1:{HEADER_ROW}")
    return sheets


def render_xlsx(report: Report) -> bytes:
    """The report as .xlsx bytes: 概要, one sheet per table, in publication order."""
    title = report_title(report)
    workbook = Workbook()
    overview = workbook.active
    assert overview is not None
    overview.title = "概要"
    sheets = add_table_sheets(workbook, report, {"概要"}, title)
    _overview_sheet(overview, report, sheets)
    print_setup(overview, title, "1:1")

    return workbook_bytes(workbook, title)
