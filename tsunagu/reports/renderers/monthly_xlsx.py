"""The monthly statistics (reports/monthly.py) as one .xlsx sheet: counts as numbers,
the outreach share as the report writes it."""

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from tsunagu.reports.monthly import MonthlyTable
from tsunagu.reports.renderers.xlsx import FONT_NAME, workbook_bytes

_BODY = Font(name=FONT_NAME, size=11)
_BOLD = Font(name=FONT_NAME, size=11, bold=True)
_TITLE = Font(name=FONT_NAME, size=14, bold=True)
_FILL = PatternFill("solid", fgColor="DDEBF7")
_THIN = Side(style="thin", color="808080")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_ROW = 4


def monthly_headers(table: MonthlyTable) -> list[str]:
    """The columns after the month: kinds, consultations by type, and the share."""
    return [
        *table.kind_labels,
        *(f"相談：{label}" for label in table.type_labels),
        "相談 計",
        "うち出向いた先",
        "出向き率",
    ]


def render_monthly_xlsx(table: MonthlyTable) -> bytes:
    workbook = Workbook()
    ws = workbook.active
    assert ws is not None
    ws.title = "月別統計"
    ws.cell(row=1, column=1, value=table.title).font = _TITLE
    ws.cell(
        row=2, column=1, value="活動内容別の件数と、相談者区分別の相談件数、出向き率。"
    ).font = _BODY
    headers = ["月", *monthly_headers(table)]
    for column, header in enumerate(headers, start=1):
        cell = ws.cell(row=_HEADER_ROW, column=column, value=header)
        cell.font, cell.fill, cell.border = _BOLD, _FILL, _BOX
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(column)].width = 8 if column == 1 else 14
    for offset, row in enumerate(table.rows, start=1):
        values: list[str | int] = [
            row.label,
            *row.kinds,
            *row.types,
            row.consultations,
            row.at_outreach,
            row.share,
        ]
        bold = row is table.total
        for column, value in enumerate(values, start=1):
            cell = ws.cell(row=_HEADER_ROW + offset, column=column, value=value)
            cell.font, cell.border = (_BOLD if bold else _BODY), _BOX
            if isinstance(value, int):
                cell.number_format = "#,##0"
            elif column > 1:
                cell.alignment = Alignment(horizontal="right")
    ws.freeze_panes = ws.cell(row=_HEADER_ROW + 1, column=2)
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    return workbook_bytes(workbook, table.title)
