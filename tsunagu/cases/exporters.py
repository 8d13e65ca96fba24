"""The cases app's download (core/exporters.py): every case, without names or contacts."""

from typing import Any

from django.utils import timezone

from tsunagu.cases.models import Case
from tsunagu.cases.queries import EXPORT_HEADERS, export_rows
from tsunagu.cases.services import log_case_export
from tsunagu.core.exporters import CONTENT_TYPES, Exporter, ExportFile, register
from tsunagu.lib.tabular import write_xlsx


@register
class CaseExport(Exporter):
    identifier = "cases.cases"
    verbose_name = "個別支援の一覧（Excel）"
    rule = "case.export"
    audit = "cases.case.exported"
    urls = ("cases:export",)

    def export(self, user: Any) -> ExportFile:  # type: ignore[override]
        rows = export_rows(Case.objects.all())
        return ExportFile(
            f"個別支援_{timezone.localdate():%Y%m%d}.xlsx",
            CONTENT_TYPES["xlsx"],
            write_xlsx([("個別支援", EXPORT_HEADERS, rows)]),
            {"rows": len(rows), "format": "xlsx"},
        )

    def log(self, user: Any, file: ExportFile) -> None:
        log_case_export(by=user, count=file.changes["rows"], fmt="xlsx")
