"""Forms of the yearly-list screens. They only read input; the services check the list."""

from collections.abc import Sequence
from typing import Any, cast

from django import forms

from tsunagu.core.concurrency import VersionedForm
from tsunagu.directory.forms import FiscalYearField
from tsunagu.records.categories.schemes import Term
from tsunagu.records.categories.services import NAME_MAX_LENGTH, EntrySpec
from tsunagu.records.models import ConsulterType


class StartYearForm(forms.Form):
    fiscal_year = FiscalYearField(
        label="作る年度",
        help_text="例：2022、令和4年度、R4",
    )


class EntryForm(forms.Form):
    """One row of a list: an entry as it should be after saving."""

    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    name = forms.CharField(label="名称", max_length=NAME_MAX_LENGTH, required=False)
    order = forms.IntegerField(
        label="表示順",
        min_value=0,
        max_value=9999,
        required=False,
        widget=forms.NumberInput(attrs={"class": "entry-row__order"}),
    )
    retired = forms.BooleanField(label="使用終了", required=False)
    # Shown for activity kinds only (a category list ignores it).
    is_consultation = forms.BooleanField(
        label="相談として数える",
        required=False,
        help_text="この種別の記録には相談者区分が必要です。",
    )
    # Shown for categories only (an activity kind list ignores it).
    catch_all = forms.BooleanField(
        label="その他扱い",
        required=False,
        help_text="順位をつける報告で、同じ件数の分類のあとに並び、順位を分け合いません。",
    )
    predecessors = forms.TypedMultipleChoiceField(
        label="引き継ぐ前年度の分類",
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, previous: Sequence[tuple[int, str]] = (), **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["predecessors"].choices = list(previous)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("DELETE") and not (data.get("name") or "").strip():
            self.add_error(
                "name",
                "名称を入力してください。この行を消すときは「削除」にチェックを入れてください。",
            )
        return data


class BaseEntryFormSet(forms.BaseFormSet):
    def __init__(self, *args: Any, previous: Sequence[tuple[int, str]] = (), **kwargs: Any):
        kwargs.setdefault("form_kwargs", {})["previous"] = previous
        super().__init__(*args, **kwargs)
        self.previous_names = dict(previous)

    def entries(self) -> tuple[list[EntrySpec], list[int]]:
        """The entries to save (rows neither deleted nor left blank), and for each the
        index of its row, to put the service's reasons next to the right row."""
        specs: list[EntrySpec] = []
        rows: list[int] = []
        for index, form in enumerate(self.forms):
            data = form.cleaned_data
            if not data or data.get("DELETE"):
                continue
            if index >= self.initial_form_count() and not form.has_changed():
                continue
            specs.append(
                EntrySpec(
                    name=data["name"],
                    predecessors=tuple(self.previous_names[pk] for pk in data["predecessors"]),
                    id=data["id"],
                    order=data["order"],
                    retired=data["retired"],
                    consultation=data.get("is_consultation", False),
                    catch_all=data.get("catch_all", False),
                )
            )
            rows.append(index)
        return specs, rows


EntryFormSet = cast(
    type[BaseEntryFormSet],
    forms.formset_factory(
        EntryForm,
        formset=BaseEntryFormSet,
        extra=3,
        can_delete=True,
        can_delete_extra=False,
        max_num=500,
        absolute_max=500,
    ),
)


def initial_rows(terms: Sequence[Term]) -> list[dict[str, Any]]:
    return [
        {
            "id": t.pk,
            "name": t.name,
            "order": t.order,
            "retired": t.retired,
            "is_consultation": getattr(t, "is_consultation", False),
            "catch_all": getattr(t, "catch_all", False),
            "predecessors": [p.pk for p in t.predecessors.all()],
        }
        for t in terms
    ]


def copied_rows(previous: Sequence[Term]) -> list[dict[str, Any]]:
    """Last year's entries in use, each continuing itself: the start of an empty list."""
    return [
        {
            "name": t.name,
            "order": t.order,
            "retired": False,
            "is_consultation": getattr(t, "is_consultation", False),
            "catch_all": getattr(t, "catch_all", False),
            "predecessors": [t.pk],
        }
        for t in previous
        if not t.retired
    ]


class SplitForm(forms.Form):
    names = forms.CharField(
        label="分割後の名称（1行に1つ）",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="二つ以上書いてください。今の名称を1行に残すと、その分類はそのまま残ります。",
    )

    def __init__(self, *args: Any, noun: str = "分類", **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields[
            "names"
        ].help_text = (
            f"二つ以上書いてください。今の名称を1行に残すと、その{noun}はそのまま残ります。"
        )

    def clean_names(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data["names"].splitlines()]
        return [line for line in lines if line]


class MergeForm(forms.Form):
    entries = forms.TypedMultipleChoiceField(
        label="統合する分類",
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        help_text="二つ以上選んでください。",
    )
    into_name = forms.CharField(
        label="統合後の名称",
        max_length=NAME_MAX_LENGTH,
        help_text="選んだ分類の名称を書くと、その分類が記録ごと残ります。",
    )

    def __init__(self, *args: Any, terms: Sequence[Term] = (), noun: str = "分類", **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["entries"].label = f"統合する{noun}"
        self.fields[
            "into_name"
        ].help_text = f"選んだ{noun}の名称を書くと、その{noun}が記録ごと残ります。"
        self.fields["entries"].choices = [  # type: ignore[attr-defined]
            (t.pk, f"{t.name}（使用終了）" if t.retired else t.name) for t in terms
        ]


class ConsulterTypeForm(VersionedForm, forms.ModelForm):
    class Meta:
        model = ConsulterType
        fields = ["name", "report_title", "order", "report_style", "active"]
        help_texts = {
            "report_style": "「順位をつける」は件数順の順位つき、「件数順に並べる」は順位なし、"
            "「合計のみ」は分類を持たず件数の合計だけを数えます。",
            "active": "無効にすると、新しい年度を作るときにこの区分の分類を写しません。",
        }
