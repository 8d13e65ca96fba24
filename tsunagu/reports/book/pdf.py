"""The report book as an A4 PDF: HTML from Django templates (the report page's own
section, trend and outreach templates among them) and print CSS, drawn by WeasyPrint.

Nothing is fetched while drawing: the stylesheets and the SVG charts are inline, and the
URL fetcher refuses every URL but data: ones, so a stray link to a font or an image on the
web, or to a file on this machine, is left out instead of fetched. Fonts come from the
machine through fontconfig (docs/report-book.md)."""

from pathlib import Path
from typing import Any

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from tsunagu.grants.charts import render_fundraising_svg
from tsunagu.grants.fundraising import fall_text
from tsunagu.grants.queries import AMOUNT_COLUMNS
from tsunagu.reports.book.build import Book
from tsunagu.reports.renderers.html import chart_context
from tsunagu.reports.result import MUNICIPALITY_LABELS

__all__ = ["PdfUnavailable", "book_html", "local_only_fetcher", "render_book_pdf"]

# The app's own stylesheet: the report's print rules hold in the book as on paper from
# the report page; book.css then sets the pages, the fonts and the book's own blocks.
BASE_STYLESHEET = "core/tsunagu.css"


def _base_css() -> str:
    found = finders.find(BASE_STYLESHEET)
    path = found[0] if isinstance(found, list) else found
    return Path(path).read_text(encoding="utf-8") if path else ""


def book_context(book: Book) -> dict[str, Any]:
    return {
        "book": book,
        "report": book.report,
        "pages": book.pages,
        "profile": [
            (MUNICIPALITY_LABELS.get(key, key), value)
            for key, value in book.report.municipality.items()
        ],
        **chart_context(book.report),
        "fundraising_chart": mark_safe(render_fundraising_svg(book.fundraising)),  # noqa: S308 - escaped by the renderer
        "fall": fall_text(book.fundraising),
        "grant_columns": [label for _, label in AMOUNT_COLUMNS],
        "base_css": mark_safe(_base_css()),  # noqa: S308 - our own static file
    }


def book_html(book: Book) -> str:
    return render_to_string("reports/book/book.html", book_context(book))


def local_only_fetcher() -> Any:
    """A fetcher that answers data: URLs only (no http, https, ftp or file)."""
    from weasyprint.urls import URLFetcher

    class LocalOnly(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith("data:"):
                return super().fetch(url, headers)
            raise ValueError(f"the report book fetches nothing: {url[:80]}")

    return LocalOnly(allowed_protocols=("data",), allow_redirects=False)


class PdfUnavailable(RuntimeError):
    """WeasyPrint cannot load pango: the message says what to install."""


def render_book_pdf(book: Book) -> bytes:
    # Imported here: WeasyPrint loads pango when imported, and only the PDF needs it, so
    # a machine without pango still serves everything else (the workbook too).
    try:
        from weasyprint import HTML
    except OSError as error:
        raise PdfUnavailable(
            "PDF を作るための pango が見つかりません。Debian・Ubuntu では"
            " libpango-1.0-0 と libpangoft2-1.0-0 を入れてください（Excel の資料は作れます）。"
        ) from error

    document = HTML(string=book_html(book), url_fetcher=local_only_fetcher())
    pdf: bytes = document.write_pdf()
    return pdf
