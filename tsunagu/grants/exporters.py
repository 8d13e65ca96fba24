"""The grants app's download (core/exporters.py): a year's grants as an A4 workbook."""

from typing import Any

from tsunagu.core.exporters import CONTENT_TYPES, Exporter, ExportFile, register
from tsunagu.grants.queries import year_summary
from tsunagu.grants.xlsx import render_summary_xlsx
from tsunagu.lib.fiscal import fiscal_year_label


@register
class GrantSummaryExport(Exporter):
    identifier = "grants.summary"
    verbose_name = "助成金の年度一覧（Excel）"
    rule = "grant.view"
    audit = "grants.summary.exported"
    urls = ("grants:summary_xlsx",)

    def export(self, user: Any, *, fiscal_year: int) -> ExportFile:  # type: ignore[override]
        summary = year_summary(fiscal_year)
        label = fiscal_year_label(fiscal_year)
        return ExportFile(
            f"助成金一覧_{label}.xlsx",
            CONTENT_TYPES["xlsx"],
            render_summary_xlsx(summary),
            {"fiscal_year": label},
            f"助成金一覧（{label}）",
        )
