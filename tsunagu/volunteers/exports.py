"""The insurance enrolment list of a fiscal year as an A4 .xlsx, the form the council
sends with its application: header rows repeated on every printed page, fitted to width.

Era labels and dates are written as text (Excel's era format prints 令和1年), and every
text cell as a string, so that a name beginning with "=" is never a formula."""

import io
import re
from collections.abc import Iterable

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from tsunagu.lib.fiscal import date_label, fiscal_year_bounds, fiscal_year_label
from tsunagu.volunteers.models import InsuranceEnrolment

__all__ = ["insurance_filename", "insurance_xlsx"]

FONT_NAME = "游ゴシック"
_BODY = Font(name=FONT_NAME, size=10)
_BOLD = Font(name=FONT_NAME, size=10, bold=True)
_TITLE = Font(name=FONT_NAME, size=14, bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_THIN = Side(style="thin", color="808080")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
_TEXT = Alignment(vertical="center", wrap_text=True)
_NUMBER = Alignment(horizontal="right", vertical="center")
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")

# (header, width in characters). At PRINT_SCALE they fill the width of A4 portrait; the
# validity (31 March) is the same for every row, so it is said once above the table.
COLUMNS = (
    ("No.", 4),
    ("氏名・団体名", 18),
    ("フリガナ", 18),
    ("区分", 5),
    ("プラン", 6),
    ("人数", 5),
    ("加入日", 14),
    ("備考", 15),
)
PRINT_SCALE = 85
LINE_HEIGHT = 15  # points, one line of 10pt text
HEADER_ROW = 3


def insurance_filename(fiscal_year: int) -> str:
    return f"ボランティア保険加入者一覧_{fiscal_year_label(fiscal_year)}.xlsx"


def _text(value: str) -> str:
    return _XML_ILLEGAL.sub("", value)


def _lines(values: list[str | int]) -> int:
    """How many lines the row's tallest wrapped cell takes (a full-width character is
    two width units)."""
    lines = 1
    for value, (_, width) in zip(values, COLUMNS, strict=True):
        if isinstance(value, str) and value:
            units = sum(2 if ord(ch) > 0xFF else 1 for ch in value)
            lines = max(lines, -(-units // width))
    return lines


def _setup_page(sheet: Worksheet, last_row: int) -> None:
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = sheet.ORIENTATION_PORTRAIT
    # A fixed scale rather than "fit to 1 page wide": LibreOffice reads fitToHeight=0 as
    # one page high and shrinks a long list onto a single unreadable page.
    sheet.page_setup.scale = PRINT_SCALE
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    sheet.print_area = f"A1:{get_column_letter(len(COLUMNS))}{last_row}"
    sheet.page_margins.left = sheet.page_margins.right = 0.5
    sheet.page_margins.top = 0.6
    sheet.page_margins.bottom = 0.8
    sheet.page_margins.footer = 0.3
    sheet.oddFooter.center.text = "&P / &N ページ"
    sheet.oddFooter.center.size = 9
    sheet.freeze_panes = f"A{HEADER_ROW + 1}"


def insurance_xlsx(fiscal_year: int, enrolments: Iterable[InsuranceEnrolment]) -> bytes:
    """One sheet: a title, the period of validity, the table, and the totals by plan."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    label = fiscal_year_label(fiscal_year)
    sheet.title = label
    start, end = fiscal_year_bounds(fiscal_year)
    sheet["A1"] = f"{label} ボランティア活動保険 加入者一覧"
    sheet["A1"].font = _TITLE
    sheet["A2"] = f"補償期間：{date_label(start)}〜{date_label(end)}（加入日から年度末まで有効）"
    sheet["A2"].font = _BODY
    for col, (header, width) in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=HEADER_ROW, column=col, value=header)
        cell.font, cell.fill, cell.border, cell.alignment = _BOLD, _HEADER_FILL, _BOX, _CENTER
        sheet.column_dimensions[get_column_letter(col)].width = width
    row = HEADER_ROW
    totals: dict[str, list[int]] = {}
    for number, enrolment in enumerate(enrolments, start=1):
        row += 1
        volunteer = enrolment.volunteer
        values: list[str | int] = [
            number,
            _text(volunteer.full_name),
            _text(volunteer.full_kana),
            volunteer.get_kind_display(),
            _text(enrolment.plan.name),
            enrolment.insured_count,
            date_label(enrolment.enrolled_on),
            _text(enrolment.note),
        ]
        for col, value in enumerate(values, start=1):
            cell = sheet.cell(row=row, column=col, value=value)
            cell.font, cell.border = _BODY, _BOX
            cell.alignment = _NUMBER if isinstance(value, int) else _TEXT
            if isinstance(value, str):
                cell.data_type = "s"
        sheet.row_dimensions[row].height = LINE_HEIGHT * _lines(values)
        plan_total = totals.setdefault(enrolment.plan.name, [0, 0])
        plan_total[0] += 1
        plan_total[1] += enrolment.insured_count
    if row == HEADER_ROW:
        row += 1
        sheet.cell(row=row, column=1, value="この年度の加入はありません。").font = _BODY
    row += 1
    for plan, (count, people) in totals.items():
        row += 1
        sheet.cell(row=row, column=2, value=f"{plan}プラン：{count}件（{people}人）").font = _BODY
    if totals:
        row += 1
        count = sum(c for c, _ in totals.values())
        people = sum(p for _, p in totals.values())
        sheet.cell(row=row, column=2, value=f"合計：{count}件（{people}人）").font = _BOLD
    _setup_page(sheet, row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
