"""The year summary of all councils' grants as an Excel workbook, printable on A4.

One sheet: a title, the programme (cap and funding sources), then one row per council
with the table header repeated on every printed page, and the totals. Amounts are
numbers formatted #,##0 so that staff can add them up in Excel; era labels are text.
"""

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from tsunagu.grants.queries import AMOUNT_COLUMNS, YearSummary
from tsunagu.lib.amounts import format_yen

__all__ = ["render_summary_xlsx", "summary_title", "write_summary_sheet"]

FONT_NAME = "游ゴシック"  # as the report workbook; LibreOffice substitutes its CJK sans
_BODY = Font(name=FONT_NAME, size=10)
_BOLD = Font(name=FONT_NAME, size=10, bold=True)
_TITLE = Font(name=FONT_NAME, size=14, bold=True)
_SMALL = Font(name=FONT_NAME, size=9)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_TOTAL_FILL = PatternFill("solid", fgColor="F2F2F2")
_THIN = Side(style="thin", color="808080")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_YEN = "#,##0"
_ROW_HEIGHT = 20

HEADERS = ["No.", "地域社協", "状態", *[label for _, label in AMOUNT_COLUMNS]]
WIDTHS = [5, 22, 8, *[11] * len(AMOUNT_COLUMNS)]


def summary_title(summary: YearSummary) -> str:
    return f"{summary.label} 地域社協への助成金 実施状況"


def _cell(ws: Worksheet, row: int, column: int, value: object, **style: object) -> None:
    cell = ws.cell(row=row, column=column)
    if isinstance(value, str):
        cell.value = value
        cell.data_type = "s"  # text, never a formula
    else:
        cell.value = value
    for name, setting in style.items():
        setattr(cell, name, setting)


def _programme_lines(summary: YearSummary) -> list[str]:
    programme = summary.programme
    if programme is None:
        return ["この年度の助成金の設定（上限額・財源）はまだありません。"]
    lines = [f"1地域社協あたりの上限額：{format_yen(programme.cap)}"]
    if summary.sources:
        sources = "、".join(f"{s.name} {format_yen(s.amount)}" for s in summary.sources)
        lines.append(f"財源：{sources}（合計 {format_yen(summary.source_total)}）")
    return lines


def render_summary_xlsx(summary: YearSummary) -> bytes:
    workbook = Workbook()
    ws = workbook.active
    assert ws is not None
    ws.title = "助成金"
    write_summary_sheet(ws, summary)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write_summary_sheet(ws: Worksheet, summary: YearSummary) -> None:
    """The summary on one sheet set up for A4 (the report book adds it to its workbook)."""
    columns = len(HEADERS)
    last_letter = get_column_letter(columns)

    _cell(ws, 1, 1, f"■ {summary_title(summary)}", font=_TITLE)
    ws.row_dimensions[1].height = 26
    row = 2
    for line in _programme_lines(summary):
        _cell(ws, row, 1, line, font=_BODY, alignment=Alignment(wrap_text=True, vertical="top"))
        ws.merge_cells(f"A{row}:{last_letter}{row}")
        # About 95 half-width characters fit across the printed page at this size.
        units = sum(2 if ord(c) > 0x7F else 1 for c in line)
        ws.row_dimensions[row].height = 16 * max(1, -(-units // 95))
        row += 1
    row += 1  # a blank line before the table

    header_row = row
    for column, header in enumerate(HEADERS, start=1):
        _cell(
            ws,
            header_row,
            column,
            header,
            font=_BOLD,
            fill=_HEADER_FILL,
            border=_BOX,
            alignment=Alignment(horizontal="center", vertical="center", wrap_text=True),
        )
    ws.row_dimensions[header_row].height = _ROW_HEIGHT + 4

    for number, (summary_row, amounts) in enumerate(summary.table, start=1):
        row += 1
        values: list[object] = [number, summary_row.region.name, summary_row.state_label, *amounts]
        for column, value in enumerate(values, start=1):
            is_amount = column > 3
            _cell(
                ws,
                row,
                column,
                "—" if is_amount and value is None else value,
                font=_BODY,
                border=_BOX,
                number_format=_YEN if is_amount else "General",
                alignment=Alignment(
                    horizontal="right" if is_amount else "center" if column in (1, 3) else "left",
                    vertical="center",
                    indent=1 if column == 2 or is_amount else 0,
                    shrink_to_fit=column == 2,
                ),
            )
        ws.row_dimensions[row].height = _ROW_HEIGHT

    row += 1
    totals: list[object] = ["", "合計", "", *summary.total_values]
    for column, value in enumerate(totals, start=1):
        _cell(
            ws,
            row,
            column,
            value,
            font=_BOLD,
            border=_BOX,
            fill=_TOTAL_FILL,
            number_format=_YEN if column > 3 else "General",
            alignment=Alignment(
                horizontal="right" if column > 3 else "left",
                vertical="center",
                indent=1 if column == 2 or column > 3 else 0,
            ),
        )
    ws.row_dimensions[row].height = _ROW_HEIGHT

    row += 2
    counts = "、".join(f"{label} {n}" for label, n in summary.state_counts)
    _cell(ws, row, 1, f"状態の内訳：{counts}", font=_SMALL)
    ws.merge_cells(f"A{row}:{last_letter}{row}")
    for summary_row, _ in summary.table:
        grant = summary_row.grant
        if grant is not None and grant.exception_reason:
            row += 1
            note = (
                f"※{summary_row.region.name}：上限額を超える例外として{format_yen(grant.decided_amount)}と決定"
                f"（理由：{grant.exception_reason}）"
            )
            _cell(
                ws, row, 1, note, font=_SMALL, alignment=Alignment(wrap_text=True, vertical="top")
            )
            ws.merge_cells(f"A{row}:{last_letter}{row}")
            units = sum(2 if ord(c) > 0x7F else 1 for c in note)
            ws.row_dimensions[row].height = 14 * max(1, -(-units // 110))
    row += 1
    _cell(
        ws,
        row,
        1,
        "※金額の単位は円。「—」はその段階にまだ進んでいないことを示します。返還額＝支払額＋その他の収入－支出額。",
        font=_SMALL,
        alignment=Alignment(wrap_text=True, vertical="top"),
    )
    ws.merge_cells(f"A{row}:{last_letter}{row}")
    ws.row_dimensions[row].height = 28

    for column, width in enumerate(WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(column)].width = width
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)

    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_PORTRAIT
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = 0.75
    ws.page_margins.bottom = 0.8
    ws.page_margins.header = ws.page_margins.footer = 0.3
    ws.oddFooter.left.text = summary_title(summary)
    ws.oddFooter.left.size = 9
    ws.oddFooter.right.text = "&P / &N"
    ws.oddFooter.right.size = 9
    ws.sheet_view.showGridLines = False
