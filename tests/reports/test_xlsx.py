import io
import re
import zipfile
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.chart import BarChart
from openpyxl.worksheet.worksheet import Worksheet

from tests.reports.factories import (
    APPROACH_NOTE,
    SPLIT_NOTE,
    empty_report,
    individual_section,
    listed,
    sample_report,
)
from tests.soffice import xlsx_to_pdf
from tsunagu.reports.renderers.xlsx import render_xlsx
from tsunagu.reports.result import Delta, DeltaKind, Report, Section, Style

SHEETS = [
    "概要",
    "市民社協の事業に関連する相談",
    "ニーズを抱えている個人からの相談",
    "ボランティア希望（活動）者からの相談",
    "地域活動団体からの相談",
    "関係機関からの相談",
    "関係機関別",
    "活動内容別",
    "支援先別",
    "出向いた先で受けた相談の割合",
]


def workbook(report: Report) -> Workbook:
    return load_workbook(io.BytesIO(render_xlsx(report)))


@pytest.fixture(scope="module")
def sample_xlsx() -> bytes:
    return render_xlsx(sample_report())


@pytest.fixture
def book(sample_xlsx: bytes) -> Workbook:
    return load_workbook(io.BytesIO(sample_xlsx))


def values(ws: Worksheet, row: int) -> list[object]:
    return [cell.value for cell in ws[row]]


def chart_text(title: Any) -> str:
    return "".join(run.t for paragraph in title.tx.rich.p for run in paragraph.r or ())


def test_one_sheet_per_table_in_publication_order(book: Workbook) -> None:
    assert book.sheetnames == SHEETS


def test_overview_has_title_city_notes_and_linked_contents(book: Workbook) -> None:
    ws = book["概要"]
    assert ws["A1"].value == "令和2年度 地域福祉活動の実績（市全体）"
    texts = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert "みどり市（デモ）" in texts
    assert "148,000人" in texts
    assert "高齢化率" in texts
    links = {c.value: c.hyperlink.location for row in ws.iter_rows() for c in row if c.hyperlink}
    assert links["ニーズを抱えている個人からの相談"] == "'ニーズを抱えている個人からの相談'!A1"
    assert set(links) == set(SHEETS[1:])
    row = next(r for r in ws.iter_rows() if r[0].value == "地域活動団体からの相談")
    assert [row[1].value, row[2].value] == [262, "＋54件"]


def test_ranked_section_in_the_published_layout(book: Workbook) -> None:
    ws = book["ニーズを抱えている個人からの相談"]
    assert ws["A1"].value == "■ ニーズを抱えている個人からの相談"
    assert ws["A2"].value == "合計 69件（－23件）"
    assert values(ws, 3) == ["順位", "項目", "件数", "前年度比"]
    assert values(ws, 4) == [1, "福祉サービス・相談機関への紹介", 38, "＋4件"]
    assert values(ws, 5) == [2, "具体的な活動への紹介", 12, "－13件"]
    assert values(ws, 6) == [2, "居場所・集いの場への参加希望", 12, "－8件"]
    # A split category has no delta of its own: the note says the combined figure.
    assert values(ws, 7) == [4, "近況報告など", 4, None]
    assert values(ws, 8) == [5, "その他", 3, None]
    assert ws["A4"].number_format == '0"位"'
    assert ws["C4"].data_type == "n"
    assert ws["A10"].value == f"※{SPLIT_NOTE}"
    assert ws["A4"].font.name == "游ゴシック"
    assert ws["A3"].font.bold


def test_listed_and_total_sections(book: Workbook) -> None:
    ws = book["関係機関別"]
    assert ws["A2"].value == "合計 118件（＋14件）"
    assert values(ws, 3) == ["項目", "件数", "前年度比"]
    assert values(ws, 4) == ["在宅介護・地域包括支援センター", 38, "＋6件"]
    assert values(ws, 7) == ["子ども政策課", 14, "新"]
    assert values(ws, 8) == ["高齢者支援課", 12, "±0件"]
    ws = book["市民社協の事業に関連する相談"]
    assert ws["A2"].value == "合計 131件（＋27件）"
    assert values(ws, 4) == ["合計", 131, "＋27件"]


def referenced(book: Workbook, formula: str) -> list[object]:
    """The values of the cells a chart formula such as 'シート'!$B$20:$B$25 names."""
    sheet, _, cells = formula.replace("$", "").rpartition("!")
    ws = book[sheet.strip("'")]
    if ":" not in cells:
        return [ws[cells].value]
    return [cell.value for row in ws[cells] for cell in row]


def test_trend_sheet_has_a_table_and_a_native_chart(book: Workbook) -> None:
    ws = book["活動内容別"]
    assert ws["A1"].value == "■ 活動内容別（平成30年度〜令和2年度）"
    assert values(ws, 3) == ["項目", "平成30年度", "令和元年度", "令和2年度"]
    assert values(ws, 4) == ["出向き・参加", 780, 810, 360]
    # Not counted that year: —, as on the page, never an empty cell or 0.
    assert values(ws, 7) == ["働きかけ", "—", "—", 165]
    assert ws["B7"].alignment.horizontal == "right"
    assert ws["A11"].value == f"※{APPROACH_NOTE}"

    [chart] = ws._charts
    assert isinstance(chart, BarChart)
    assert chart.grouping == "clustered"
    assert len(chart.series) == 3
    assert chart_text(chart.title) == "活動内容別（件数）"
    assert chart_text(chart.x_axis.title) == "活動内容"
    assert chart_text(chart.y_axis.title) == "件数"
    assert chart.x_axis.delete is False and chart.y_axis.delete is False
    assert len(book["支援先別"]._charts) == 1


def test_trend_chart_draws_the_years_and_rows_in_the_tables_order(book: Workbook) -> None:
    """A horizontal bar chart is drawn bottom up: its series and categories are the
    table's backwards, so that the bars read top down oldest year first, in the table's
    row order, and the legend (which LibreOffice lists backwards for such a chart) too."""
    ws = book["活動内容別"]
    [chart] = ws._charts
    names = [referenced(book, s.tx.strRef.f)[0] for s in chart.series]
    assert names == ["令和２年度", "令和元年度", "平成３０年度"]
    # Bottom up, which is the table top down.
    categories = referenced(book, chart.series[0].cat.numRef.f)
    assert categories == [
        "その他",
        "情報提供",
        "働きかけ",
        "相談対応",
        "話し合いへの参加",
        "出向き・参加",
    ]
    # Each year keeps its colour: the oldest is the first colour, as on the web page.
    fills = [s.graphicalProperties.solidFill.srgbClr for s in chart.series]
    assert fills == ["3C8D40", "C05F00", "0B5CAB"]
    assert chart.x_axis.scaling.orientation == "minMax"
    # The 平成30年度 series: empty (no bar, no label) where the table says —.
    oldest = referenced(book, chart.series[2].val.numRef.f)
    assert oldest == [95, 170, None, 526, 340, 780]
    # The chart's figures are hidden rows, plotted all the same, and never printed.
    match = re.search(r"\$(\d+):", chart.series[0].val.numRef.f)
    assert match is not None
    first_row = int(match.group(1)) - 1  # the header row of the chart's figures
    assert ws.row_dimensions[first_row].hidden
    assert chart.visible_cells_only is False
    assert ws.print_area is not None and ws.print_area.endswith(f"${first_row - 1}")


def test_chart_year_labels_have_no_inner_spaces(book: Workbook) -> None:
    """Chart text in LibreOffice spaces half-width digits apart from Japanese (令和 2 年度);
    the charts name the years with full-width digits, the tables as everywhere else."""
    for ws in book:
        for chart in ws._charts:
            for series in chart.series:
                labels = referenced(book, series.cat.numRef.f) + (
                    referenced(book, series.tx.strRef.f) if series.tx else []
                )
                for label in labels:
                    if isinstance(label, str) and "年度" in label:
                        assert re.fullmatch(r"(平成|令和)([０-９]+|元)年度", label), label
    assert values(book["支援先別"], 3)[1:] == ["平成30年度", "令和元年度", "令和2年度"]


def test_outreach_sheet_has_percentages_and_a_chart(book: Workbook) -> None:
    ws = book["出向いた先で受けた相談の割合"]
    assert values(ws, 3) == ["年度", "相談件数", "うち出向いた先", "割合"]
    assert values(ws, 4)[:3] == ["平成30年度", 526, 189]
    assert ws["D4"].value == pytest.approx(189 / 526)
    assert ws["D4"].number_format == "0.0%"
    assert len(ws._charts) == 1


def test_era_labels_are_text_never_dates(book: Workbook) -> None:
    for ws in book:
        for row in ws.iter_rows():
            for cell in row:
                assert not isinstance(cell.value, date | datetime), (ws.title, cell.coordinate)
                if isinstance(cell.value, str) and "年度" in cell.value:
                    assert cell.data_type == "s"


def test_every_sheet_prints_on_a4_portrait_fitted_to_width(book: Workbook) -> None:
    for ws in book:
        assert ws.page_setup.paperSize == int(ws.PAPERSIZE_A4)
        assert ws.page_setup.orientation == "portrait"
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0)
        assert ws.print_title_rows == ("$1:$1" if ws.title == "概要" else "$1:$3")
        assert "&P" in ws.oddFooter.right.text
        assert ws.oddFooter.left.text == "令和2年度 地域福祉活動の実績（市全体）"


def test_labels_are_never_formulas_and_control_characters_are_dropped() -> None:
    section = replace(
        individual_section(),
        rows=(listed('=HYPERLINK("http://example.com")', 3, Delta(DeltaKind.NEW)),),
        notes=("改行\x0bを含む注",),
    )
    data = render_xlsx(sample_report(sections=(section,)))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
        assert not any(b"<f>" in archive.read(n) for n in sheets)
    ws = load_workbook(io.BytesIO(data))["ニーズを抱えている個人からの相談"]
    assert ws["B4"].value == '=HYPERLINK("http://example.com")'
    assert ws["A6"].value == "※改行を含む注"


def test_sheet_titles_are_valid_and_unique() -> None:
    long_title = "相談[その他]:*?/\\" + "あ" * 40
    sections = tuple(
        Section(
            key=f"type-{n}",
            title=long_title,
            style=Style.TOTAL,
            total=n,
            total_delta=Delta(DeltaKind.NEW),
        )
        for n in range(3)
    )
    names = workbook(sample_report(sections=sections)).sheetnames
    custom = names[1:4]
    assert len(set(custom)) == 3
    for name in custom:
        assert len(name) <= 31
        assert not re.search(r"[\[\]:*?/\\]", name)


def test_a_year_without_records_still_renders() -> None:
    book = workbook(empty_report())
    assert book.sheetnames == [
        "概要",
        "ニーズを抱えている個人からの相談",
        "関係機関別",
        "活動内容別",
        "出向いた先で受けた相談の割合",
    ]
    overview = [c.value for row in book["概要"].iter_rows() for c in row]
    assert "※令和3年度の記録はまだありません。" in overview
    assert values(book["ニーズを抱えている個人からの相談"], 4)[1] == "記録がありません"
    assert book["ニーズを抱えている個人からの相談"]["A2"].value == "合計 0件（新）"
    # No chart without figures: an empty chart confuses more than it shows.
    assert book["活動内容別"]._charts == []
    assert book["出向いた先で受けた相談の割合"]._charts == []
    assert values(book["出向いた先で受けた相談の割合"], 4) == ["令和元年度", 0, 0, None]


def test_opens_in_libreoffice(sample_xlsx: bytes, tmp_path: Path) -> None:
    """The workbook converts to PDF in LibreOffice, charts and all: a file Excel users
    elsewhere can open. Look at the pages with `pdftoppm -png -r 60` when changing the
    layout."""
    pdf = xlsx_to_pdf(sample_xlsx, tmp_path, "report", timeout=120)
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    pages = len(re.findall(rb"/Type\s*/Page[^s]", data))
    assert pages >= len(SHEETS)
    assert len(data) > 50_000
