from collections.abc import Iterator, Sequence
from typing import Any

from django import forms
from django.db.models import Q

from tsunagu.core.concurrency import VersionedForm
from tsunagu.directory.forms import FiscalYearField
from tsunagu.directory.models import Region
from tsunagu.plans.models import (
    ACTIONS_MAX_LENGTH,
    DEFAULT_HEADING,
    NOTE_MAX_LENGTH,
    TEXT_MAX_LENGTH,
    Initiative,
    InitiativeStatus,
    Plan,
    PlanLayout,
    PlanTarget,
    Status,
)
from tsunagu.plans.services import (
    GoalData,
    InitiativeData,
    PlanData,
    StatusEntry,
    action_lines,
    lines,
)

YEAR_HELP = "例：2019、令和元年度、R1"


class PlanForm(VersionedForm):
    region = forms.ModelChoiceField(
        label="地域社協", queryset=Region.objects.none(), empty_label="選んでください"
    )
    start_year = FiscalYearField(label="開始年度", help_text=YEAR_HELP)
    end_year = FiscalYearField(label="終了年度", help_text="例：2023、令和5年度、R5")
    slogans = forms.CharField(
        label="スローガン",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="1行に1つ。複数あるときは改行して続けてください。",
        error_messages={"required": "スローガンを一つ以上入力してください。"},
    )
    layout = forms.ChoiceField(
        label="取り組みの示し方",
        choices=PlanLayout.choices,
        initial=PlanLayout.TABLE,
        widget=forms.RadioSelect,
    )
    initiatives_heading = forms.CharField(
        label="取り組みの見出し",
        max_length=40,
        initial=DEFAULT_HEADING,
        help_text="計画書での見出し（例：今後の取り組み、テーマと取り組み）",
    )

    def __init__(self, *args: Any, plan: Plan | None = None, **kwargs: Any) -> None:
        if plan is not None:
            kwargs.setdefault(
                "initial",
                {
                    "region": plan.region,
                    "start_year": plan.start_year,
                    "end_year": plan.end_year,
                    "slogans": "\n".join(s.text for s in plan.slogans.all()),
                    "layout": plan.layout,
                    "initiatives_heading": plan.initiatives_heading,
                    "version": plan.version,
                },
            )
        super().__init__(*args, **kwargs)
        region = self.fields["region"]
        assert isinstance(region, forms.ModelChoiceField)
        current = Q(pk=plan.region_id) if plan is not None else Q()
        region.queryset = Region.objects.filter(Q(active=True) | current)
        if plan is None:
            self.for_new_row()
        else:
            # A plan stays with its council: its records are linked to it.
            region.disabled = True

    def clean_slogans(self) -> list[str]:
        slogans = lines(self.cleaned_data["slogans"])
        too_long = [s for s in slogans if len(s) > TEXT_MAX_LENGTH]
        if too_long:
            raise forms.ValidationError(f"スローガンは1つ{TEXT_MAX_LENGTH}文字以内にしてください。")
        return slogans


def _target_choices(chosen: Sequence[PlanTarget]) -> Any:
    return PlanTarget.objects.filter(Q(active=True) | Q(pk__in=[t.pk for t in chosen]))


class GoalForm(forms.Form):
    text = forms.CharField(label="重点目標", required=False, max_length=TEXT_MAX_LENGTH)
    targets = forms.ModelMultipleChoiceField(
        label="対象",
        queryset=PlanTarget.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        targets = self.fields["targets"]
        assert isinstance(targets, forms.ModelMultipleChoiceField)
        targets.queryset = _target_choices(self.initial.get("targets", []))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        existing = bool(self.initial.get("text"))
        if (
            not data.get("DELETE")
            and not data.get("text", "").strip()
            and (existing or data.get("targets"))
        ):
            self.add_error(
                "text", "重点目標が空です。入力するか「この行を削除」にチェックしてください。"
            )
        return data


class InitiativeForm(forms.Form):
    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    theme = forms.CharField(label="テーマ", required=False, max_length=TEXT_MAX_LENGTH)
    actions = forms.CharField(
        label="具体的な取り組み",
        required=False,
        max_length=ACTIONS_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="1行に1つ",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        filled = data.get("actions", "").strip() or data.get("id") or self.initial.get("theme")
        if not data.get("DELETE") and not data.get("theme", "").strip() and filled:
            self.add_error(
                "theme", "テーマが空です。入力するか「この行を削除」にチェックしてください。"
            )
        return data


class _OrderedFormSet(forms.BaseFormSet):
    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        if "ORDER" in form.fields:
            form.fields["ORDER"].label = "順番"
            form.fields["ORDER"].help_text = "数の小さい順に並びます"
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = "この行を削除"

    def kept(self) -> Iterator[forms.Form]:
        """The existing and filled-in forms, not deleted, in the order the user asked for."""
        yield from self.ordered_forms


GoalFormSet = forms.formset_factory(
    GoalForm, formset=_OrderedFormSet, extra=2, can_order=True, can_delete=True
)
InitiativeFormSet = forms.formset_factory(
    InitiativeForm, formset=_OrderedFormSet, extra=2, can_order=True, can_delete=True
)


def goal_initial(plan: Plan | None) -> list[dict[str, Any]]:
    if plan is None:
        return []
    return [
        {"text": g.text, "targets": list(g.targets.all()), "ORDER": n}
        for n, g in enumerate(plan.goals.all(), start=1)
    ]


def initiative_initial(plan: Plan | None) -> list[dict[str, Any]]:
    if plan is None:
        return []
    return [
        {"id": i.pk, "theme": i.theme, "actions": i.actions, "ORDER": n}
        for n, i in enumerate(plan.initiatives.all(), start=1)
    ]


def plan_data(form: PlanForm, goals: _OrderedFormSet, initiatives: _OrderedFormSet) -> PlanData:
    """The plan the three valid forms describe."""
    data = form.cleaned_data
    return PlanData(
        region=data["region"],
        start_year=data["start_year"],
        end_year=data["end_year"],
        slogans=data["slogans"],
        layout=data["layout"],
        initiatives_heading=data["initiatives_heading"],
        goals=[
            GoalData(text=f.cleaned_data["text"], targets=list(f.cleaned_data["targets"]))
            for f in goals.kept()
            if f.cleaned_data.get("text", "").strip() or f.cleaned_data.get("targets")
        ],
        initiatives=[
            InitiativeData(
                theme=f.cleaned_data["theme"],
                actions=action_lines(f.cleaned_data.get("actions", "")),
                pk=f.cleaned_data.get("id"),
            )
            for f in initiatives.kept()
            if f.cleaned_data.get("theme", "").strip() or f.cleaned_data.get("id")
        ],
    )


class YearStatusForm(VersionedForm):
    """One status and note per initiative, for one fiscal year, with the version of the
    year's progress it was opened on (core/concurrency.py)."""

    def __init__(
        self,
        *args: Any,
        initiatives: Sequence[Initiative],
        statuses: dict[int, InitiativeStatus],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.initiatives = list(initiatives)
        for initiative in self.initiatives:
            current = statuses.get(initiative.pk)
            self.fields[f"status_{initiative.pk}"] = forms.ChoiceField(
                label=f"{initiative.theme}：状況",
                choices=[("", "（未記入）"), *Status.choices],
                required=False,
                initial=current.status if current else "",
            )
            self.fields[f"note_{initiative.pk}"] = forms.CharField(
                label=f"{initiative.theme}：進捗メモ",
                required=False,
                max_length=NOTE_MAX_LENGTH,
                widget=forms.Textarea(attrs={"rows": 2}),
                initial=current.note if current else "",
            )

    def rows(self) -> list[tuple[Initiative, forms.BoundField, forms.BoundField]]:
        return [(i, self[f"status_{i.pk}"], self[f"note_{i.pk}"]) for i in self.initiatives]

    def entries(self) -> list[StatusEntry]:
        """The rows the form sent. A field absent from the request (a POST without the
        grid) keeps its saved value; only a field sent blank clears it."""
        entries = []
        for i in self.initiatives:
            status, note = f"status_{i.pk}", f"note_{i.pk}"
            sent = {name for name in (status, note) if self.add_prefix(name) in self.data}
            if not sent:
                continue
            entries.append(
                StatusEntry(
                    initiative=i,
                    status=self.cleaned_data[status] if status in sent else self[status].initial,
                    note=self.cleaned_data[note] if note in sent else self[note].initial,
                )
            )
        return entries


class LinkForm(forms.Form):
    initiatives = forms.ModelMultipleChoiceField(
        label="この記録が役立った取り組み",
        queryset=Initiative.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, candidates: Sequence[Initiative], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["initiatives"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = Initiative.objects.filter(pk__in=[i.pk for i in candidates])


class ImportForm(forms.Form):
    file = forms.FileField(
        label="計画のファイル（.xlsx）",
        help_text="「書き出す」で作ったファイルの形です。書き方は下の説明を見てください。",
    )


class TargetForm(VersionedForm):
    name = forms.CharField(label="名称", max_length=60)
    order = forms.IntegerField(label="表示順", min_value=0, initial=0)
