"""The volunteer centre's download (core/exporters.py): the insurance list of a year,
the one file here with personal data (names, addresses): administrators only."""

from typing import Any

from tsunagu.core.exporters import CONTENT_TYPES, Exporter, ExportFile, register
from tsunagu.lib.fiscal import fiscal_year_label
from tsunagu.volunteers.exports import insurance_filename, insurance_xlsx
from tsunagu.volunteers.models import InsuranceEnrolment


@register
class InsuranceExport(Exporter):
    identifier = "volunteers.insurance"
    verbose_name = "ボランティア保険加入者一覧（Excel）"
    rule = "insurance.export"
    audit = "volunteers.insurance.exported"
    urls = ("volunteers:insurance_xlsx",)

    def export(self, user: Any, *, fiscal_year: int) -> ExportFile:  # type: ignore[override]
        label = fiscal_year_label(fiscal_year)
        enrolments = list(
            InsuranceEnrolment.objects.in_year(fiscal_year)
            .select_related("volunteer", "plan")
            .order_by("plan__order", "volunteer__kana_key", "id")
        )
        return ExportFile(
            insurance_filename(fiscal_year),
            CONTENT_TYPES["xlsx"],
            insurance_xlsx(fiscal_year, enrolments),
            {"fiscal_year": label, "rows": len(enrolments)},
            f"ボランティア保険加入者一覧（{label}）",
        )
