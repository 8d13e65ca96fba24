"""Forms of the grant steps, the yearly programme and the fundraising figures.

Amounts are typed as people type them (「３０００００」「300,000円」) and read by
MoneyField into int yen; dates as 2020-04-01, 令和2年4月1日 or R2.4.1."""

from __future__ import annotations

from typing import Any

from django import forms

from tsunagu.core.concurrency import VersionedForm
from tsunagu.grants.models import FundraisingDrive, FundraisingMethod, Grant, LineKind
from tsunagu.grants.services.lifecycle import LineInput
from tsunagu.grants.services.programme import SourceInput
from tsunagu.lib.amounts import AmountParseError, parse_yen
from tsunagu.records.forms import JapaneseDateField

DATE_HELP = "例：2020-04-01、2020/4/1、令和2年4月1日、R2.4.1"
MONEY_HELP = "円単位で入力（例：300000、300,000円、３０００００）"
EXPENSE_ROWS = 8
INCOME_ROWS = 4
EXTRA_REPORT_ROWS = 3


class MoneyField(forms.CharField):
    """Integer yen; full-width digits, commas, 円 and ¥ are understood."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # No max_length: its validator would run on the int this field returns.
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={"inputmode": "numeric", "autocomplete": "off", "size": 12, "maxlength": 30}
            ),
        )
        super().__init__(*args, **kwargs)

    def to_python(self, value: Any) -> int | None:  # type: ignore[override]
        text = super().to_python(value)
        if text is None or text in self.empty_values:
            return None
        try:
            return parse_yen(text, label=str(self.label or "金額"))
        except AmountParseError as error:
            raise forms.ValidationError(str(error)) from error


class VersionMixin(VersionedForm):
    """The grant's version when the form was opened (required): a later change by
    someone else is caught by the service instead of being overwritten."""


class LineForm(forms.Form):
    item = forms.CharField(label="費目", max_length=60, required=False)
    detail = forms.CharField(label="内容", max_length=200, required=False)
    amount = MoneyField(label="金額（円）", required=False)

    def line(self) -> LineInput | None:
        data = self.cleaned_data
        if not data.get("item") and data.get("amount") is None:
            return None
        return LineInput(
            item=data.get("item") or "",
            amount=data["amount"] if data.get("amount") is not None else "",
            detail=data.get("detail") or "",
        )


def line_formset(
    prefix: str, data: Any = None, *, initial: list[dict[str, Any]] | None = None, rows: int
) -> Any:
    initial = list(initial or [])
    formset = forms.formset_factory(LineForm, extra=max(0, rows - len(initial)))
    return formset(data, initial=initial, prefix=prefix)


def lines_of(formset: Any) -> list[LineInput]:
    return [line for form in formset.forms if (line := form.line()) is not None]


class ApplicationForm(VersionMixin):
    plan = forms.CharField(
        label="事業計画（予定している活動）",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="例：高齢者サロン（月1回）、防災訓練（年1回）、広報紙の発行（年2回）",
    )
    applied_amount = MoneyField(label="申請額（円）", help_text=MONEY_HELP)
    applied_on = JapaneseDateField(label="申請日", help_text=DATE_HELP)


def budget_initial(grant: Grant, kind: LineKind, *, actual: bool = False) -> list[dict[str, Any]]:
    rows = []
    for line in grant.lines.all():
        if line.kind != kind:
            continue
        amount = line.actual if actual else line.planned
        if actual and amount is None and line.planned is not None:
            amount = line.planned  # a report starts from the budget
        rows.append({"item": line.item, "detail": line.detail, "amount": amount})
    return rows


class DecisionForm(VersionMixin):
    amount = MoneyField(label="決定額（円）", help_text=MONEY_HELP)
    decided_on = JapaneseDateField(label="決定日", help_text=DATE_HELP)
    exception = forms.BooleanField(label="上限額を超える例外として決定する", required=False)
    exception_reason = forms.CharField(
        label="上限額を超える理由",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="上限額を超えて決定するときだけ記入します。理由は操作履歴に残ります。",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("exception") and not (data.get("exception_reason") or "").strip():
            self.add_error("exception_reason", "上限額を超える理由を入力してください。")
        if not data.get("exception"):
            data["exception_reason"] = ""
        return data


class PaymentForm(VersionMixin):
    amount = MoneyField(label="支払額（円）", help_text=MONEY_HELP)
    paid_on = JapaneseDateField(label="支払日", help_text=DATE_HELP)


class ReportForm(VersionMixin):
    reported_on = JapaneseDateField(label="収支報告日", help_text=DATE_HELP)


class SettlementForm(VersionMixin):
    returned_amount = MoneyField(
        label="返還額（円）",
        help_text="使わなかった助成金の額。支払額＋その他の収入－支出額と一致すると精算できます。",
    )
    settled_on = JapaneseDateField(label="精算日", help_text=DATE_HELP)


class ProgrammeForm(VersionedForm):
    cap = MoneyField(label="1地域社協あたりの上限額（円）", help_text=MONEY_HELP)
    note = forms.CharField(label="備考", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class SourceForm(forms.Form):
    name = forms.CharField(label="財源", max_length=100, required=False)
    amount = MoneyField(label="金額（円）", required=False)

    def source(self) -> SourceInput | None:
        data = self.cleaned_data
        if not data.get("name") and data.get("amount") is None:
            return None
        return SourceInput(
            name=data.get("name") or "",
            amount=data["amount"] if data.get("amount") is not None else "",
        )


def source_formset(data: Any = None, *, initial: list[dict[str, Any]], rows: int = 5) -> Any:
    formset = forms.formset_factory(SourceForm, extra=max(2, rows - len(initial)))
    return formset(data, initial=initial, prefix="sources")


class FundraisingYearForm(VersionedForm):
    """One amount field per drive × method; blank means no figure, absent means unchanged."""

    def __init__(
        self,
        *args: Any,
        drives: list[FundraisingDrive],
        methods: list[FundraisingMethod],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.drives, self.methods = drives, methods
        for drive in drives:
            for method in methods:
                self.fields[self.key(drive, method)] = MoneyField(
                    label=f"{drive.name}・{method.name}（円）", required=False
                )

    @staticmethod
    def key(drive: FundraisingDrive, method: FundraisingMethod) -> str:
        return f"a_{drive.pk}_{method.pk}"

    def grid(self) -> list[tuple[FundraisingMethod, list[forms.BoundField]]]:
        return [
            (method, [self[self.key(drive, method)] for drive in self.drives])
            for method in self.methods
        ]

    def amounts(self) -> dict[tuple[int, int], int | None]:
        """The amounts the form sent: a field left blank clears its figure, a field absent
        from the request (a POST without the grid, a screen drawn before a method was
        added) keeps the figure it has."""
        return {
            (drive.pk, method.pk): self.cleaned_data.get(self.key(drive, method))
            for drive in self.drives
            for method in self.methods
            if self.add_prefix(self.key(drive, method)) in self.data
        }


class ListEntryForm(forms.Form):
    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    name = forms.CharField(label="名称", max_length=100, required=False)
    order = forms.IntegerField(label="表示順", min_value=0, required=False)
    active = forms.BooleanField(label="有効", required=False, initial=True)


def list_formset(prefix: str, data: Any = None, *, initial: list[dict[str, Any]]) -> Any:
    formset = forms.formset_factory(ListEntryForm, extra=2)
    return formset(data, initial=initial, prefix=prefix)
