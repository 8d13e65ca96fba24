"""The reports app's downloads (core/exporters.py): the report in every format, the
monthly statistics and the year's report book."""

from typing import Any

from django.http import Http404

from tsunagu.core.exporters import CONTENT_TYPES, Exporter, ExportFile, register
from tsunagu.reports.book.build import Book, log_book_export
from tsunagu.reports.book.render import CONTENT_TYPES as BOOK_CONTENT_TYPES
from tsunagu.reports.book.render import render_book
from tsunagu.reports.monthly import MonthlyTable
from tsunagu.reports.renderers.csvio import find_table, render_csv, render_csv_zip
from tsunagu.reports.renderers.jsonio import render_json
from tsunagu.reports.renderers.monthly_xlsx import render_monthly_xlsx
from tsunagu.reports.renderers.text import render_text
from tsunagu.reports.renderers.xlsx import render_xlsx
from tsunagu.reports.result import Report


def report_file(report: Report, fmt: str, table: str = "") -> ExportFile:
    """The report as text, JSON, an .xlsx, one table's CSV or every table's CSV (a zip)."""
    stem = f"実績_{report.title_label}_{report.scope_label}"
    changes = {"fiscal_year": report.title_label, "scope": report.scope_label, "format": fmt}
    label = f"実績（{report.title_label}・{report.scope_label}）"
    if fmt == "text":
        content = render_text(report).encode("utf-8")
        return ExportFile(f"{stem}.txt", CONTENT_TYPES["txt"], content, changes, label)
    if fmt == "json":
        content = render_json(report).encode("utf-8")
        return ExportFile(f"{stem}.json", CONTENT_TYPES["json"], content, changes, label)
    if fmt == "xlsx":
        return ExportFile(
            f"{stem}.xlsx", CONTENT_TYPES["xlsx"], render_xlsx(report), changes, label
        )
    if fmt == "csv" and table:
        found = find_table(report, table)
        if found is None:
            raise Http404("その表はありません。")
        return ExportFile(
            f"{stem}_{found.title}.csv",
            CONTENT_TYPES["csv"],
            render_csv(found.table, report.comparison_label),
            {**changes, "table": found.title},
            label,
        )
    if fmt == "csv":
        content = render_csv_zip(report)
        return ExportFile(f"{stem}_CSV.zip", CONTENT_TYPES["zip"], content, changes, label)
    raise Http404("その形式には対応していません。")


@register
class ReportExport(Exporter):
    identifier = "reports.report"
    verbose_name = "実績（テキスト・JSON・Excel・CSV）"
    rule = "report.view"
    audit = "reports.report.exported"
    urls = ("reports:download",)

    def export(  # type: ignore[override]
        self, user: Any, *, report: Report, fmt: str, table: str = ""
    ) -> ExportFile:
        return report_file(report, fmt, table)


@register
class MonthlyExport(Exporter):
    identifier = "reports.monthly"
    verbose_name = "月別統計（Excel）"
    rule = "report.view"
    audit = "reports.monthly.exported"
    urls = ("reports:monthly_download",)

    def export(self, user: Any, *, table: MonthlyTable) -> ExportFile:  # type: ignore[override]
        return ExportFile(
            f"月別統計_{table.fiscal_year_label}_{table.scope_label}.xlsx",
            CONTENT_TYPES["xlsx"],
            render_monthly_xlsx(table),
            {"fiscal_year": table.fiscal_year_label, "scope": table.scope_label},
            f"月別統計（{table.fiscal_year_label}・{table.scope_label}）",
        )


@register
class BookExport(Exporter):
    """The board's book; PdfUnavailable (no LibreOffice) is raised before any audit row."""

    identifier = "reports.book"
    verbose_name = "事業報告の資料（Excel・PDF）"
    rule = "report.view"
    audit = "reports.book.exported"
    urls = ("reports:book",)

    def export(self, user: Any, *, book: Book, fmt: str) -> ExportFile:  # type: ignore[override]
        content = render_book(book, fmt)
        self.book, self.fmt = book, fmt
        return ExportFile(f"{book.filename_stem}.{fmt}", BOOK_CONTENT_TYPES[fmt], content)

    def log(self, user: Any, file: ExportFile) -> None:
        # The same row as `tsunagu report-book` writes.
        log_book_export(by=user, book=self.book, fmt=self.fmt)
