"""The year summary workbook: its contents, its A4 print setup, and a LibreOffice render."""

import io
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from tests.soffice import xlsx_to_pdf
from tsunagu.accounts.models import User
from tsunagu.demo.grants import load_demo
from tsunagu.grants.queries import year_summary
from tsunagu.grants.xlsx import HEADERS, render_summary_xlsx


@pytest.fixture
def demo_xlsx(db: None) -> bytes:
    call_command("demo", last_year=2020, stdout=io.StringIO())
    load_demo(by=User.objects.get(username="admin"))
    return render_summary_xlsx(year_summary(2019))


def header_row(ws) -> int:  # type: ignore[no-untyped-def]
    for row in range(1, 10):
        if ws.cell(row=row, column=1).value == "No.":
            return row
    raise AssertionError("no header row")


def test_the_workbook_holds_every_council_and_the_totals(demo_xlsx: bytes) -> None:
    ws = load_workbook(io.BytesIO(demo_xlsx)).active
    assert ws is not None
    assert ws["A1"].value == "■ 令和元年度 地域社協への助成金 実施状況"
    assert "上限額：300,000円" in ws["A2"].value
    assert "歳末たすけあい地域福祉活動募金 2,480,000円" in ws["A3"].value
    top = header_row(ws)
    assert [c.value for c in ws[top]] == HEADERS
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=top + 1, max_row=top + 14)]
    assert [r[1] for r in rows[:13]][:2] == ["一小地区福祉の会", "二小地区福祉の会"]
    assert all(r[2] == "精算済" for r in rows[:13])
    kyonan = next(r for r in rows if r[1] == "境南地域社協")
    assert kyonan[4] == 350_000  # the decided exception above the cap
    totals = rows[13]
    assert totals[1] == "合計"
    assert totals[3] == sum(r[3] for r in rows[:13])  # applied
    cell = ws.cell(row=top + 1, column=4)
    assert isinstance(cell.value, int) and cell.number_format == "#,##0"


def test_the_workbook_prints_on_a4_with_the_header_repeated(demo_xlsx: bytes) -> None:
    ws = load_workbook(io.BytesIO(demo_xlsx)).active
    assert ws is not None
    top = header_row(ws)
    assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4)
    assert ws.page_setup.orientation == "portrait"
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows.replace("$", "") == f"{top}:{top}"
    assert ws.freeze_panes == f"A{top + 1}"


def test_a_year_without_a_programme_still_renders(db: None, city: dict[str, object]) -> None:
    ws = load_workbook(io.BytesIO(render_summary_xlsx(year_summary(2030)))).active
    assert ws is not None
    assert "設定（上限額・財源）はまだありません" in ws["A2"].value


def test_renders_through_libreoffice_to_a_readable_a4_page(
    demo_xlsx: bytes, tmp_path: Path
) -> None:
    """Look at the PNG (saved under TSUNAGU_SCREENSHOT_DIR as grants-summary-1.png) when
    changing the layout."""
    pdf = xlsx_to_pdf(demo_xlsx, tmp_path, "grants")
    data = pdf.read_bytes()
    pages = len(re.findall(rb"/Type\s*/Page[^s]", data))
    assert pages == 1  # 13 councils fit on one A4 page
    box = re.search(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", data)
    assert box is not None
    width, height = float(box.group(1)), float(box.group(2))
    assert abs(width - 595) < 2 and abs(height - 842) < 2  # A4 portrait, in points

    pdftotext = shutil.which("pdftotext")
    if pdftotext:
        text = subprocess.run(  # noqa: S603
            [pdftotext, "-layout", str(pdf), "-"], capture_output=True, check=True, timeout=60
        ).stdout.decode()
        assert "境南地域社協" in text and "合計" in text and "350,000" in text
        assert "#" not in text  # no column too narrow for its number (#### in Excel)
    pdftoppm = shutil.which("pdftoppm")
    out_dir = os.environ.get("TSUNAGU_SCREENSHOT_DIR")
    if pdftoppm and out_dir:
        Path(out_dir).mkdir(parents=True, exist_ok=True)
        subprocess.run(  # noqa: S603
            [pdftoppm, "-png", "-r", "80", str(pdf), str(Path(out_dir) / "grants-summary")],
            check=True,
            timeout=60,
        )
