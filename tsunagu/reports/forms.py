from typing import Any

from django import forms

from tsunagu.core.params import ChoiceField, DateField, QueryForm
from tsunagu.directory.forms import FiscalYearField
from tsunagu.directory.models import Region, Zone
from tsunagu.reports.period import (
    CUT_LABELS,
    FISCAL_MONTHS,
    HALF_NAMES,
    Cut,
    Period,
    PeriodError,
    reportable,
)


class _NoLabelSuffix(forms.Form):
    """Labels without Django's half-width colon: the filters put each label above its
    field. (A class attribute would not do: Form.__init__ sets label_suffix itself.)"""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class ReportQueryForm(_NoLabelSuffix):
    """Which report: a fiscal year (2020, 令和2年度, R2) and optionally a zone or region."""

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


class CompareForm(_NoLabelSuffix):
    a = FiscalYearField(label="比べる年度")
    b = FiscalYearField(label="基準の年度")


def _months(n: int, size: int) -> str:
    months = FISCAL_MONTHS[(n - 1) * size : n * size]
    return f"{months[0]}月〜{months[-1]}月"


class PeriodQuery(QueryForm):
    """Which part of the year the report covers (the year itself by default): a month,
    a fiscal quarter, a half-year, or a range of dates within one fiscal year."""

    cut = ChoiceField(label="期間", choices=[(c.value, label) for c, label in CUT_LABELS.items()])
    month = ChoiceField(label="月", choices=[(str(m), f"{m}月") for m in FISCAL_MONTHS])
    quarter = ChoiceField(
        label="四半期",
        choices=[(str(q), f"第{q}四半期（{_months(q, 3)}）") for q in (1, 2, 3, 4)],
    )
    half = ChoiceField(
        label="半期", choices=[(str(h), f"{HALF_NAMES[h]}（{_months(h, 6)}）") for h in (1, 2)]
    )
    start = DateField(label="開始日")
    end = DateField(label="終了日")


def period_of(fiscal_year: int, values: Any) -> tuple[Period | None, str]:
    """The period the parsed PeriodQuery asks for within `fiscal_year` (None: the whole
    year), and the message that says why the period asked for cannot be shown."""
    cut = values.get("cut") or Cut.YEAR.value
    try:
        if cut == Cut.MONTH.value:
            return Period.month(fiscal_year, int(values.get("month") or 4)), ""
        if cut == Cut.QUARTER.value:
            return Period.quarter(fiscal_year, int(values.get("quarter") or 1)), ""
        if cut == Cut.HALF.value:
            return Period.half(fiscal_year, int(values.get("half") or 1)), ""
        if cut == Cut.RANGE.value:
            start, end = values.get("start"), values.get("end")
            if start is None or end is None:
                return None, "期間指定では、開始日と終了日の両方を入力してください。"
            return reportable(Period(start, end)), ""
    except PeriodError as error:
        return None, str(error)
    return None, ""
