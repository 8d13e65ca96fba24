"""The report book's download: one click on the report page gives the workbook or the PDF."""

from django.contrib import messages
from django.http import Http404
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse

from tsunagu.accounts.decorators import AuthenticatedRequest
from tsunagu.core.access import rule
from tsunagu.core.exporters import download
from tsunagu.core.params import ChoiceField, FiscalYearField, QueryForm
from tsunagu.records.queries import default_record_year
from tsunagu.reports.book.build import build_book
from tsunagu.reports.book.render import CONTENT_TYPES, PdfUnavailable
from tsunagu.reports.exporters import BookExport

__all__ = ["book_download"]


class BookQuery(QueryForm):
    fy = FiscalYearField(label="年度")
    format = ChoiceField(label="形式", choices=[(fmt, fmt) for fmt in CONTENT_TYPES])


@rule("report.view")
def book_download(request: AuthenticatedRequest) -> HttpResponseBase:
    """The year's book as xlsx or PDF, to whoever may read the report (report.view)."""
    query = BookQuery.parse(request.GET)
    fmt = query.get("format")
    if fmt not in CONTENT_TYPES:
        raise Http404("その形式には対応していません。")
    book = build_book(query.get("fy", default_record_year()))
    try:
        return download(request, BookExport, book=book, fmt=fmt)
    except PdfUnavailable as error:
        messages.error(request, str(error))
        return redirect(f"{reverse('reports:page')}?fy={book.fiscal_year}")
