"""The book in either format, for the download and the `report-book` command."""

from tsunagu.reports.book.build import Book
from tsunagu.reports.book.pdf import PdfUnavailable, render_book_pdf
from tsunagu.reports.book.xlsx import render_book_xlsx

__all__ = ["CONTENT_TYPES", "PdfUnavailable", "render_book"]

CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


def render_book(book: Book, fmt: str) -> bytes:
    if fmt == "xlsx":
        return render_book_xlsx(book)
    if fmt == "pdf":
        return render_book_pdf(book)
    raise ValueError(f"unknown book format: {fmt}")
