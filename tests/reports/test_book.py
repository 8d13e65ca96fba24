"""The report book (事業報告の資料) of the demo council's 令和2年度: one workbook and one A4
PDF, a printed page per table, looked at page by page.

The expected figures are read from the demo's rows directly (not through the book's
queries), and the page headings are the titles a board member reads in the contents."""

import io
import os
import shutil
import subprocess
from io import StringIO
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Sum
from openpyxl import Workbook, load_workbook
from openpyxl.chart import BarChart, LineChart
from PIL import Image, ImageOps

from tests.soffice import xlsx_to_pdf
from tsunagu.audit.models import AuditEntry
from tsunagu.grants.models import FundraisingTotal, Grant
from tsunagu.plans.models import InitiativeStatus, Plan
from tsunagu.reports.book.build import build_book
from tsunagu.reports.book.pdf import book_html, local_only_fetcher
from tsunagu.reports.book.render import PdfUnavailable, render_book

SHEETS = [
    "表紙",
    "目次",
    "市民社協の事業に関連する相談",
    "ニーズを抱えている個人の相談",
    "ボランティア希望（活動）者からの相談",
    "地域活動団体からの相談",
    "関係機関からの相談",
    "関係機関別",
    "活動内容別",
    "支援先別",
    "出向いた先で受けた相談の割合",
    "個別支援・地域支援",
    "地域社協の計画の進捗",
    "地域社協への助成金",
    "募金実績の推移",
]
# The heading printed at the top of each page after the contents, page 3 onwards.
HEADINGS = [
    "■ 市民社協の事業に関連する相談",
    "■ ニーズを抱えている個人の相談",
    "■ ボランティア希望（活動）者からの相談",
    "■ 地域活動団体からの相談",
    "■ 関係機関からの相談",
    "■ 関係機関別",
    "■ 活動内容別",
    "■ 支援先別",
    "■ 出向いた先で受けた相談の割合",
    "■ 個別支援・地域支援（令和2年度）",
    "■ 地域社協の計画の進捗（令和2年度）",
    "■ 令和2年度 地域社協への助成金",
    "■ 募金実績の推移（平成28年度〜令和2年度）",
]
PAGES = 2 + len(HEADINGS)  # the cover, the contents, a page per table


@pytest.fixture(scope="module")
def demo_book(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    """The demo's book in both formats, and the figures to expect, read from its rows."""
    with django_db_blocker.unblock():
        from django.db import transaction

        with transaction.atomic():
            call_command("demo", last_year=2020, stdout=StringIO())
            book = build_book(2020)
            plans = Plan.objects.covering(2020)
            statuses = InitiativeStatus.objects.filter(initiative__plan__in=plans, fiscal_year=2020)
            expected = {
                "regions_with_plan": plans.values("region").distinct().count(),
                "achieved": statuses.filter(status="achieved").count(),
                "decided": Grant.objects.filter(programme__fiscal_year=2020).aggregate(
                    n=Sum("decided_amount")
                )["n"],
                "door_to_door_2020": FundraisingTotal.objects.filter(
                    fiscal_year=2020, method__name="戸別募金"
                ).aggregate(n=Sum("amount"))["n"],
            }
            files = {"xlsx": render_book(book, "xlsx"), "html": book_html(book).encode()}
            try:
                files["pdf"] = render_book(book, "pdf")
            except PdfUnavailable:
                files["pdf"] = b""  # the PDF tests say why (_pdf)
            transaction.set_rollback(True)
    return files, expected


@pytest.fixture
def workbook(demo_book) -> Workbook:  # type: ignore[no-untyped-def]
    return load_workbook(io.BytesIO(demo_book[0]["xlsx"]))


def _column(ws, column: int) -> list[object]:  # type: ignore[no-untyped-def]
    return [ws.cell(row=r, column=column).value for r in range(1, ws.max_row + 1)]


# --- the workbook -----------------------------------------------------------------------


def test_one_sheet_per_page_in_the_books_order(workbook: Workbook) -> None:
    assert workbook.sheetnames == SHEETS


def test_the_cover_names_the_year_the_council_and_the_city(workbook: Workbook) -> None:
    cover = _column(workbook["表紙"], 1) + _column(workbook["表紙"], 2)
    assert "令和2年度 事業報告の資料" in cover
    assert "みどり市民社会福祉協議会（デモ）" in cover
    assert "対象：令和2年度（市全体）" in cover
    assert "■ 市区町村の概要" in cover
    for label, value in [("人口", "148,000人"), ("世帯数", "78,000世帯"), ("高齢化率", "22.0%")]:
        assert label in cover
        assert value in cover


def test_the_contents_link_every_page(workbook: Workbook) -> None:
    ws = workbook["目次"]
    assert ws["A1"].value == "■ 目次"
    links = [ws.cell(row=r, column=2) for r in range(4, 4 + len(SHEETS) - 2)]
    assert [cell.value for cell in links] == SHEETS[2:]
    assert [cell.hyperlink.location for cell in links] == [f"'{name}'!A1" for name in SHEETS[2:]]


def test_every_trend_sheet_has_one_native_chart(workbook: Workbook) -> None:
    for name in ("活動内容別", "支援先別", "出向いた先で受けた相談の割合"):
        charts = workbook[name]._charts
        assert len(charts) == 1, name
        assert isinstance(charts[0], BarChart)
    fundraising = workbook["募金実績の推移"]._charts
    assert len(fundraising) == 1
    assert isinstance(fundraising[0], LineChart)
    # One line per method (the rows between the header and 合計, which is no method).
    labels = _column(workbook["募金実績の推移"], 1)
    methods = labels[3 : labels.index("合計")]
    assert "戸別募金" in methods
    assert len(fundraising[0].series) == len(methods)
    for name in [*SHEETS[:8], "個別支援・地域支援", "地域社協の計画の進捗", "地域社協への助成金"]:
        assert workbook[name]._charts == [], name


def test_every_sheet_prints_on_a4_portrait_fitted_to_width_with_titles(workbook: Workbook) -> None:
    for ws in workbook.worksheets:
        assert ws.page_setup.paperSize == 9, ws.title  # A4
        assert ws.page_setup.orientation == "portrait", ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert ws.page_setup.fitToWidth == 1, ws.title
        assert ws.page_setup.fitToHeight == 0, ws.title
        assert ws.print_title_rows, ws.title
        assert ws.oddFooter.left.text == "令和2年度 事業報告の資料", ws.title
        assert ws.oddFooter.right.text == "&P / &N", ws.title


def test_plan_progress_counts_every_councils_initiatives(demo_book, workbook: Workbook) -> None:  # type: ignore[no-untyped-def]
    expected = demo_book[1]
    ws = workbook["地域社協の計画の進捗"]
    assert ws["A1"].value == "■ 地域社協の計画の進捗（令和2年度）"
    assert ws["A2"].value == (
        f"地域社協13団体のうち{expected['regions_with_plan']}団体に令和2年度を含む計画があります。"
    )
    header = [c.value for c in ws[3]]
    assert header == [
        "地域社協",
        "圏域",
        "計画期間",
        "取り組み",
        "未着手",
        "実施中",
        "達成",
        "見直し",
        "未記入",
    ]
    total = next(row for row in ws.iter_rows(values_only=True) if row[0] == "合計")
    assert total[header.index("達成")] == expected["achieved"]


def test_grants_and_fundraising_carry_the_years_amounts(demo_book, workbook: Workbook) -> None:  # type: ignore[no-untyped-def]
    expected = demo_book[1]
    grants = workbook["地域社協への助成金"]
    assert grants["A1"].value == "■ 令和2年度 地域社協への助成金 実施状況"
    total = next(row for row in grants.iter_rows(values_only=True) if row[1] == "合計")
    assert total[4] == expected["decided"]  # No., 地域社協, 状態, 申請額, 決定額

    fundraising = workbook["募金実績の推移"]
    assert fundraising["A1"].value == "■ 募金実績の推移（平成28年度〜令和2年度）"
    assert [c.value for c in fundraising[3]] == [
        "方法",
        "平成28年度",
        "平成29年度",
        "平成30年度",
        "令和元年度",
        "令和2年度",
        "前年度比",
    ]
    door = next(row for row in fundraising.iter_rows(values_only=True) if row[0] == "戸別募金")
    assert door[5] == expected["door_to_door_2020"]
    assert door[6] == "－73.0%"
    assert "戸別募金は令和2年度に前年度比 －73.0%" in fundraising["A2"].value


# --- the PDF ------------------------------------------------------------------------------


def _pdf(demo_book, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    """The demo book's PDF as a file; skipped on a machine without pango (CI has it)."""
    data = demo_book[0]["pdf"]
    if not data:
        if os.environ.get("TSUNAGU_REQUIRE_SOFFICE") == "1":
            pytest.fail("pango (WeasyPrint's libraries) is required here but not installed")
        pytest.skip("pango (libpango-1.0-0, libpangoft2-1.0-0) is not installed")
    pdf = tmp_path / "book.pdf"
    pdf.write_bytes(data)
    return pdf


def _poppler(tool: str) -> str:
    found = shutil.which(tool)
    if found is None:
        pytest.skip(f"{tool} (poppler-utils) is not installed")
    return found


def _page_texts(pdf: Path) -> list[str]:
    pdftotext = _poppler("pdftotext")
    text = subprocess.run(  # noqa: S603 - fixed arguments, no shell
        [pdftotext, "-layout", str(pdf), "-"], capture_output=True, check=True, timeout=60
    ).stdout.decode()
    pages = text.split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def _look_at(pdf: Path, out: Path) -> list[Path]:
    """Every page as a PNG (open them to look: the book is for people, not for parsers);
    each must have ink on it."""
    pdftoppm = _poppler("pdftoppm")
    out.mkdir()
    subprocess.run(  # noqa: S603 - fixed arguments, no shell
        [pdftoppm, "-png", "-r", "40", str(pdf), str(out / "page")], check=True, timeout=120
    )
    pngs = sorted(out.glob("page-*.png"))
    for png in pngs:
        with Image.open(png) as image:
            assert ImageOps.invert(image.convert("L")).getbbox() is not None, png.name
    return pngs


def _check_pages(pages: list[str]) -> None:
    assert len(pages) == PAGES
    assert "令和2年度 事業報告の資料" in pages[0]
    assert "市区町村の概要" in pages[0]
    assert "■ 目次" in pages[1]
    for number, heading in enumerate(HEADINGS, start=3):
        assert heading in pages[number - 1], (number, heading)


def test_the_pdf_has_a_page_per_table_with_its_heading_and_number(
    demo_book,  # type: ignore[no-untyped-def]
    tmp_path: Path,
) -> None:
    pdf = _pdf(demo_book, tmp_path)
    pages = _page_texts(pdf)
    _check_pages(pages)
    # The footer: the book's title and the page number, on every page but the cover.
    assert f"/ {PAGES}" not in pages[0]
    for number, page in enumerate(pages[1:], start=2):
        assert f"{number} / {PAGES}" in page
        assert "令和2年度 事業報告の資料" in page
    # The contents give the page each table starts on.
    assert "支援先別" in pages[1]
    assert "10ページ" in pages[1]
    assert len(_look_at(pdf, tmp_path / "png")) == PAGES


def test_the_pdf_is_set_in_a_japanese_font_of_the_machine(demo_book, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    pdffonts = _poppler("pdffonts")
    pdf = _pdf(demo_book, tmp_path)
    fonts = subprocess.run(  # noqa: S603 - fixed arguments, no shell
        [pdffonts, str(pdf)], capture_output=True, check=True, timeout=60
    ).stdout.decode()
    assert "Noto-Sans-CJK-JP" in fonts, fonts
    # Every font is embedded: the PDF prints the same on a PC without these fonts.
    rows = fonts.splitlines()[2:]
    assert rows
    assert all(row.split()[-5] == "yes" for row in rows), fonts


def test_the_book_html_points_at_nothing_outside(demo_book) -> None:  # type: ignore[no-untyped-def]
    html = demo_book[0]["html"].decode()
    assert "<svg" in html  # the charts are inline
    for remote in ('src="http', "src='http", "url(http", 'url("http', "url('http", "@import"):
        assert remote not in html


@pytest.mark.parametrize(
    "url",
    ["https://fonts.example.com/noto.woff2", "http://example.com/a.png", "file:///etc/passwd"],
)
def test_the_fetcher_refuses_every_url_but_data(url: str) -> None:
    with pytest.raises(ValueError, match="fetches nothing"):
        local_only_fetcher().fetch(url)


def test_the_fetcher_reads_data_urls() -> None:
    response = local_only_fetcher().fetch("data:text/plain,abc")
    assert response.read() == b"abc"


def test_opens_in_libreoffice_page_by_page(demo_book, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The workbook prints from LibreOffice as the same book: a page per sheet, each with
    its heading. Look at the PNGs when changing the layout."""
    pdf = xlsx_to_pdf(demo_book[0]["xlsx"], tmp_path, "book")
    pages = _page_texts(pdf)
    _check_pages(pages)
    assert f"1 / {PAGES}" in pages[0]  # LibreOffice numbers the workbook's pages through
    assert len(_look_at(pdf, tmp_path / "png")) == PAGES


# --- the download and the command -----------------------------------------------------------


@pytest.mark.django_db
def test_the_report_page_offers_the_book(staff_client) -> None:  # type: ignore[no-untyped-def]
    page = staff_client.get("/reports/?fy=2020").content.decode()
    assert "事業報告の資料（市全体・令和2年度）" in page
    assert 'href="/reports/book/?fy=2020&amp;format=pdf"' in page
    assert 'href="/reports/book/?fy=2020&amp;format=xlsx"' in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fmt", "content_type", "magic"),
    [
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", b"PK"),
        ("pdf", "application/pdf", b"%PDF"),
    ],
)
def test_a_viewer_downloads_the_book_audited_and_never_cached(  # type: ignore[no-untyped-def]
    viewer_client, viewer_user, fmt: str, content_type: str, magic: bytes
) -> None:
    """An empty year still makes a whole book; 閲覧 reads the report, so it may take it."""
    response = viewer_client.get(f"/reports/book/?fy=令和2年度&format={fmt}")
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response.content.startswith(magic)
    assert quote(f"事業報告の資料_令和2年度.{fmt}") in response["Content-Disposition"]
    assert response["Content-Disposition"].startswith("attachment")
    assert "no-store" in response["Cache-Control"]
    entry = AuditEntry.objects.get(action="reports.book.exported")
    assert entry.actor == viewer_user
    assert entry.changes == {"fiscal_year": "令和2年度", "format": fmt}
    assert entry.target_label == "令和2年度 事業報告の資料"


@pytest.mark.django_db
def test_without_pango_the_pdf_link_says_what_to_install(staff_client, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    def no_pango(book: object) -> bytes:
        raise PdfUnavailable("PDF を作るための pango が見つかりません。")

    monkeypatch.setattr("tsunagu.reports.book.render.render_book_pdf", no_pango)
    response = staff_client.get("/reports/book/?fy=2020&format=pdf", follow=True)
    assert response.redirect_chain == [("/reports/?fy=2020", 302)]
    assert "PDF を作るための pango が見つかりません。" in response.content.decode()
    assert not AuditEntry.objects.filter(action="reports.book.exported").exists()


@pytest.mark.django_db
def test_an_unknown_format_is_not_found_and_not_audited(staff_client) -> None:  # type: ignore[no-untyped-def]
    assert staff_client.get("/reports/book/?fy=2020&format=docx").status_code == 404
    assert staff_client.get("/reports/book/?fy=2020").status_code == 404
    assert not AuditEntry.objects.filter(action="reports.book.exported").exists()


@pytest.mark.django_db
def test_signed_out_the_book_is_refused(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/reports/book/?fy=2020&format=xlsx")
    assert response.status_code == 302
    assert "/login" in response["Location"]


@pytest.mark.django_db
def test_the_command_writes_both_formats_into_a_folder(tmp_path: Path) -> None:
    out = StringIO()
    call_command("report-book", fy="2020", output=str(tmp_path), stdout=out)
    xlsx = tmp_path / "事業報告の資料_令和2年度.xlsx"
    pdf = tmp_path / "事業報告の資料_令和2年度.pdf"
    assert xlsx.read_bytes().startswith(b"PK")
    assert pdf.read_bytes().startswith(b"%PDF")
    assert f"令和2年度 事業報告の資料を {pdf} に書き出しました。" in out.getvalue()
    entries = AuditEntry.objects.filter(action="reports.book.exported")
    assert sorted(e.changes["format"] for e in entries) == ["pdf", "xlsx"]
    assert all(e.actor is None for e in entries)


@pytest.mark.django_db
def test_the_command_writes_the_format_of_the_file_named(tmp_path: Path) -> None:
    target = tmp_path / "book.xlsx"
    call_command("report-book", fy="R2", output=str(target), stdout=StringIO())
    assert load_workbook(target).sheetnames[:2] == ["表紙", "目次"]
    assert not (tmp_path / "book.pdf").exists()


@pytest.mark.django_db
def test_the_command_refuses_another_kind_of_file(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match=r"\.xlsx か \.pdf のファイル名"):
        call_command("report-book", fy="2020", output=str(tmp_path / "book.docx"))
    with pytest.raises(CommandError, match="年度"):
        call_command("report-book", fy="来年", output=str(tmp_path / "book.pdf"))
