"""The plans app's download (core/exporters.py): area plans as the workbook that imports."""

from typing import Any

from tsunagu.core.exporters import CONTENT_TYPES, Exporter, ExportFile, register
from tsunagu.plans.spreadsheet import export_plans as build_workbook


@register
class PlanExport(Exporter):
    identifier = "plans.plans"
    verbose_name = "エリア別計画（Excel）"
    rule = "plan.view"
    audit = "plans.plan.exported"
    urls = ("plans:export", "plans:export_one")

    def export(self, user: Any, *, plans: Any, filename: str) -> ExportFile:  # type: ignore[override]
        plans = list(plans)
        return ExportFile(
            filename,
            CONTENT_TYPES["xlsx"],
            build_workbook(plans),
            {"plans": len(plans)},
            f"エリア別計画 {len(plans)}件",
        )
