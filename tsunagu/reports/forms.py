from typing import Any

from django import forms

from tsunagu.directory.forms import FiscalYearField
from tsunagu.directory.models import Region, Zone


class ReportQueryForm(forms.Form):
    """Which report: a fiscal year (2020, 令和2年度, R2) and optionally a zone or region."""

    label_suffix = ""

    fy = FiscalYearField(label="年度", required=False)
    zone = forms.ModelChoiceField(
        label="圏域", queryset=Zone.objects.all(), required=False, empty_label="市全体"
    )
    region = forms.ModelChoiceField(
        label="地域社協",
        queryset=Region.objects.select_related("zone"),
        required=False,
        empty_label="すべて",
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        if self.cleaned_data.get("zone") and self.cleaned_data.get("region"):
            region = self.cleaned_data["region"]
            if region.zone_id != self.cleaned_data["zone"].pk:
                self.add_error("region", f"「{region.name}」は{region.zone.name}の地域社協です。")
        return self.cleaned_data


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label="解除の理由", max_length=200, help_text="例：記録の入力漏れが見つかったため"
    )


class CompareForm(forms.Form):
    label_suffix = ""

    a = FiscalYearField(label="比べる年度")
    b = FiscalYearField(label="基準の年度")
