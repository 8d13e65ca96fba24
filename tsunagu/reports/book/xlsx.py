"""The report book as one workbook: 表紙, 目次, then one sheet per page of the book, each
printable on A4 portrait as is (fitted to the width, its heading and table header
repeated on every printed page, the book's title and the page number in the footer).

The report's tables are the report workbook's own sheets (renderers/xlsx.py), the grant
summary is the grants app's own sheet (grants/xlsx.py); only the cover, the contents, the
plan progress and the fundraising trend are drawn here."""

from openpyxl import Workbook
from openpyxl.chart import LineChart, Reference
from openpyxl.styles import Alignment, Font
from openpyxl.utils import quote_sheetname
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.worksheet import Worksheet

from tsunagu.core.dates import show_date
from tsunagu.grants.fundraising import fall_text
from tsunagu.grants.xlsx import write_summary_sheet
from tsunagu.reports.book.build import (
    FUNDRAISING_TITLE,
    GRANTS_TITLE,
    PLANS_TITLE,
    Book,
)
from tsunagu.reports.renderers.xlsx import (
    BOLD,
    BOX,
    CENTER,
    COUNT_FORMAT,
    FONT_NAME,
    HEADER_FILL,
    HEADER_ROW,
    LINK_FONT,
    SERIES_COLORS,
    CellValue,
    add_table_sheets,
    print_setup,
    put_cell,
    sheet_title,
    size_columns,
    workbook_bytes,
    write_heading,
    write_notes,
    write_table,
)
from tsunagu.reports.result import MUNICIPALITY_LABELS

__all__ = ["render_book_xlsx"]

COVER, CONTENTS = "表紙", "目次"
YEN_FORMAT = '#,##0"円"'
_COVER_TITLE = Font(name=FONT_NAME, size=24, bold=True)
_COVER_LINE = Font(name=FONT_NAME, size=14)
# Colours for the fundraising lines, after the three of the fiscal years.
_LINE_COLORS = (*SERIES_COLORS, "A3238E", "7A5C00", "00798C", "595959")


def _cover(ws: Worksheet, book: Book) -> None:
    ws.column_dimensions["A"].width = 22
    ws.column_dimensions["B"].width = 48
    row = 4
    put_cell(ws, row, 1, book.title, font=_COVER_TITLE)
    ws.row_dimensions[row].height = 40
    row += 2
    for line in (
        book.council,
        f"対象：{book.label}（{book.report.scope_label}）",
        f"作成日：{show_date(book.made_on)}",
    ):
        if line:
            put_cell(ws, row, 1, line, font=_COVER_LINE)
            ws.row_dimensions[row].height = 24
            row += 1
    if book.published:
        put_cell(ws, row, 1, f"実績の数は、{book.label}を締めたときの公表値です。")
        row += 1
    details = [(MUNICIPALITY_LABELS.get(k, k), v) for k, v in book.report.municipality.items()]
    if details:
        row += 2
        put_cell(ws, row, 1, "■ 市区町村の概要", font=BOLD)
        for label, value in details:
            row += 1
            label_cell = put_cell(ws, row, 1, label, font=BOLD)
            label_cell.fill, label_cell.border = HEADER_FILL, BOX
            put_cell(ws, row, 2, value).border = BOX
            ws.row_dimensions[row].height = 20
    print_setup(ws, book.title, "1:1")


def _contents(ws: Worksheet, book: Book, sheets: list[tuple[str, str]]) -> None:
    write_heading(ws, CONTENTS)
    headers = ["No.", "資料", "シート"]
    for column, header in enumerate(headers, start=1):
        cell = put_cell(ws, HEADER_ROW, column, header, font=BOLD)
        cell.fill, cell.border, cell.alignment = HEADER_FILL, BOX, CENTER
    for number, (name, title) in enumerate(sheets, start=1):
        row = HEADER_ROW + number
        put_cell(ws, row, 1, number).border = BOX
        ws.cell(row=row, column=1).alignment = Alignment(horizontal="center")
        link = put_cell(ws, row, 2, title, font=LINK_FONT)
        link.hyperlink = Hyperlink(
            ref=link.coordinate, location=f"{quote_sheetname(name)}!A1", display=title
        )
        link.border = BOX
        put_cell(ws, row, 3, name).border = BOX
        ws.row_dimensions[row].height = 18
    for letter, width in zip("ABC", (6, 48, 34), strict=True):
        ws.column_dimensions[letter].width = width
    print_setup(ws, book.title, f"1:{HEADER_ROW}")


def _plans(ws: Worksheet, book: Book) -> None:
    progress = book.plans
    write_heading(
        ws,
        f"{PLANS_TITLE}（{book.label}）",
        f"地域社協{len(progress.rows)}団体のうち{progress.with_plan}団体に{book.label}を含む計画があります。",
    )
    headers = ["地域社協", "圏域", "計画期間", *progress.labels]
    counts = len(progress.labels)
    rows: list[list[CellValue]] = [
        [r.region, r.zone, r.period, r.initiatives, *r.by_status, r.not_recorded]
        if r.period
        else [r.region, r.zone, "計画なし", *([None] * counts)]
        for r in progress.rows
    ] or [["地域社協が登録されていません", None, None, *([None] * counts)]]
    rows.append(["合計", None, None, *progress.totals])
    formats = [None, None, None, *([COUNT_FORMAT] * counts)]
    aligns = ["left", "left", "left", *(["right"] * counts)]
    last = write_table(ws, headers, rows, formats, aligns)
    for column in range(1, len(headers) + 1):
        ws.cell(row=last, column=column).font = BOLD
    size_columns(ws, [16, 10, 26, *([8] * counts)])
    write_notes(
        ws,
        last + 1,
        (
            "取り組みの数は、その年度の進捗（状況）の件数です。未記入は状況がまだ入っていない取り組みです。",
        ),
        len(headers),
    )


def _fundraising(ws: Worksheet, book: Book) -> None:
    trend = book.fundraising
    labels = trend.year_labels
    span = f"（{labels[0]}〜{labels[-1]}）" if labels else ""
    write_heading(ws, f"{FUNDRAISING_TITLE}{span}", fall_text(trend) or None)
    headers = ["方法", *labels, "前年度比"]
    rows: list[list[CellValue]] = [
        [row.label, *row.amounts, row.changes[-1] if len(row.changes) > 1 else None]
        for row in [*trend.rows, trend.total]
    ]
    if not trend.rows:
        rows = [["募金実績がありません", *([None] * len(labels)), None]]
    formats = [None, *([YEN_FORMAT] * len(labels)), None]
    aligns = ["left", *(["right"] * (len(labels) + 1))]
    last = write_table(ws, headers, rows, formats, aligns)
    if trend.rows:
        for column in range(1, len(headers) + 1):
            ws.cell(row=last, column=column).font = BOLD
    size_columns(ws, [22, *([14] * len(labels)), 10])
    note = "金額の空欄は、その年度の記録がないことを示します。前年度比は最後の年度とその前の年度の比較で、「新」は前年度に記録がない方法、「—」は最後の年度に記録がないことを示します。"
    end = write_notes(ws, last + 1, (note,), len(headers))
    if not trend.rows or len(labels) < 2:
        return

    chart = LineChart()
    chart.title = "方法別の募金額の推移"
    chart.y_axis.title = "募金額（円）"
    chart.x_axis.title = "年度"
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.y_axis.number_format = "#,##0"
    chart.y_axis.majorGridlines = None
    methods_last = last - 1  # the 合計 row is a sum, not a method: left out of the chart
    data = Reference(
        ws, min_col=1, max_col=len(labels) + 1, min_row=HEADER_ROW + 1, max_row=methods_last
    )
    chart.add_data(data, from_rows=True, titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=2, max_col=len(labels) + 1, min_row=HEADER_ROW))
    for series, color in zip(chart.series, _LINE_COLORS * 2, strict=False):
        series.graphicalProperties.line.solidFill = color
        series.graphicalProperties.line.width = 28575  # 2.25pt
        series.marker.symbol = "circle"
        series.marker.graphicalProperties.solidFill = color
        series.marker.graphicalProperties.line.solidFill = color
        series.smooth = False
    chart.legend.position = "b"
    chart.width = 17
    chart.height = 10
    ws.add_chart(chart, f"A{end + 2}")


def render_book_xlsx(book: Book) -> bytes:
    """表紙, 目次, the report's tables, then plans, grants and fundraising: book.pages."""
    workbook = Workbook()
    cover = workbook.active
    assert cover is not None
    cover.title = COVER
    contents = workbook.create_sheet(CONTENTS)
    used = {COVER.casefold(), CONTENTS.casefold()}
    sheets = [
        (name, entry.title)
        for name, entry in add_table_sheets(workbook, book.report, used, book.title)
    ]
    plans = workbook.create_sheet(sheet_title(PLANS_TITLE, used))
    _plans(plans, book)
    print_setup(plans, book.title, f"1:{HEADER_ROW}")
    grants = workbook.create_sheet(sheet_title(GRANTS_TITLE, used))
    write_summary_sheet(grants, book.grants)
    grants.oddFooter.left.text = book.title
    fundraising = workbook.create_sheet(sheet_title(FUNDRAISING_TITLE, used))
    _fundraising(fundraising, book)
    print_setup(fundraising, book.title, f"1:{HEADER_ROW}")
    sheets += [
        (plans.title, PLANS_TITLE),
        (grants.title, GRANTS_TITLE),
        (fundraising.title, FUNDRAISING_TITLE),
    ]
    _cover(cover, book)
    _contents(contents, book, sheets)

    return workbook_bytes(workbook, book.title)
