"""The insurance enrolment list as .xlsx: A4 portrait, fitted to width, the header row
repeated on every printed page, era labels and dates as text."""

import io
import os
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.soffice import xlsx_to_pdf
from tsunagu.volunteers.exports import insurance_filename, insurance_xlsx
from tsunagu.volunteers.models import InsuranceEnrolment, InsurancePlan, Volunteer, VolunteerKind

ROWS = 70  # enough for a second printed page


@pytest.fixture
def enrolments() -> list[InsuranceEnrolment]:
    """Unsaved rows: the renderer reads attributes only."""
    basic, disaster = InsurancePlan(name="基本"), InsurancePlan(name="天災")
    rows = []
    for i in range(ROWS):
        if i == 3:
            volunteer = Volunteer(
                kind=VolunteerKind.GROUP, group_name="=傾聴の会", group_name_kana="ケイチョウノカイ"
            )
        else:
            volunteer = Volunteer(
                family_name="見本",
                given_name=f"花子{i}",
                family_name_kana="ミホン",
                given_name_kana="ハナコ",
            )
        rows.append(
            InsuranceEnrolment(
                volunteer=volunteer,
                plan=disaster if i % 5 == 0 else basic,
                fiscal_year=2019,
                enrolled_on=date(2019, 5, 1),
                insured_count=12 if i == 3 else 1,
                note="途中加入（9月から）" if i == 7 else "",
            )
        )
    return rows


def test_the_list_prints_on_a4_with_its_header_on_every_page(enrolments) -> None:  # type: ignore[no-untyped-def]
    book = load_workbook(io.BytesIO(insurance_xlsx(2019, enrolments)))
    sheet = book.active
    assert sheet.title == "令和元年度"
    assert sheet["A1"].value == "令和元年度 ボランティア活動保険 加入者一覧"
    # 1 April 2019 was still 平成.
    assert (
        sheet["A2"].value == "補償期間：平成31年4月1日〜令和2年3月31日（加入日から年度末まで有効）"
    )
    assert [c.value for c in sheet[3]] == [
        "No.",
        "氏名・団体名",
        "フリガナ",
        "区分",
        "プラン",
        "人数",
        "加入日",
        "備考",
    ]
    assert sheet.print_title_rows == "$3:$3"
    assert int(sheet.page_setup.paperSize) == 9  # A4
    assert sheet.page_setup.orientation == "portrait"
    # A fixed scale: LibreOffice would squeeze "fit to width" onto one page high.
    assert sheet.page_setup.scale == 85
    first = [c.value for c in sheet[4]]
    assert first == [1, "見本 花子0", "ミホン ハナコ", "個人", "天災", 1, "令和元年5月1日", None]
    # A name that looks like a formula stays text; a long one wraps onto a taller row.
    group = sheet[7]
    assert group[1].value == "=傾聴の会" and group[1].data_type == "s"
    assert group[3].value == "団体" and group[5].value == 12
    assert sheet.row_dimensions[11].height == 30  # the note of row No.8 takes two lines
    # Totals by plan, then overall.
    totals = [row[1].value for row in sheet.iter_rows(min_row=4 + ROWS) if row[1].value]
    assert totals == ["天災プラン：14件（14人）", "基本プラン：56件（67人）", "合計：70件（81人）"]


def test_an_empty_year_says_so() -> None:
    sheet = load_workbook(io.BytesIO(insurance_xlsx(2020, []))).active
    assert sheet["A4"].value == "この年度の加入はありません。"
    assert insurance_filename(2020) == "ボランティア保険加入者一覧_令和2年度.xlsx"


def test_renders_in_libreoffice(enrolments, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Converted by LibreOffice into two A4 pages, every column on the first. With
    TSUNAGU_SCREENSHOT_DIR set, the pages are kept as PNG to look at."""
    pdf = xlsx_to_pdf(insurance_xlsx(2019, enrolments), tmp_path, "insurance", timeout=120)
    data = pdf.read_bytes()
    pages = len(re.findall(rb"/Type\s*/Page[^s]", data))
    assert pages == 2
    # A4 portrait: 595 x 842 points.
    assert re.search(rb"/MediaBox\s*\[\s*0 0 595\.3\d* 841\.8\d*", data)
    shots = os.environ.get("TSUNAGU_SCREENSHOT_DIR")
    pdftoppm = shutil.which("pdftoppm")
    if shots and pdftoppm:
        Path(shots).mkdir(parents=True, exist_ok=True)
        subprocess.run(  # noqa: S603 - fixed arguments, no shell
            [pdftoppm, "-png", "-r", "60", str(pdf), str(Path(shots) / "insurance-list")],
            check=True,
            timeout=60,
        )
