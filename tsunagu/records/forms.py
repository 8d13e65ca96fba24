"""The entry form of a support record, and the shared part of an outing."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from tsunagu.accounts.models import User
from tsunagu.core.access import can, writers
from tsunagu.core.concurrency import VersionedForm
from tsunagu.directory.models import ActivityGroup, Agency, Region, Zone
from tsunagu.lib.fiscal import DateParseError, fiscal_year_label, parse_date
from tsunagu.lib.textnorm import normalize_newlines
from tsunagu.records.models import (
    NOTE_MAX_LENGTH,
    ActivityKind,
    AgencyAction,
    Category,
    ConsulterType,
    Place,
)
from tsunagu.records.services import RecordData


class JapaneseDateField(forms.DateField):
    """A date typed as 2020-04-01, 2020/4/1, 令和2年4月1日 or R2.4.1."""

    widget = forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text", "size": 14})

    def to_python(self, value: Any) -> date | None:
        if value in self.empty_values:
            return None
        if isinstance(value, date):
            return value
        try:
            return parse_date(str(value))
        except DateParseError as error:
            raise forms.ValidationError(str(error)) from error


class StaffChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg,unused-ignore]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.display_name)


def parse_target(value: str) -> ActivityGroup | Region | None:
    """Targets travel as "g:<id>" (activity group) or "r:<id>" (regional council)."""
    kind, _, pk = (value or "").partition(":")
    if not pk.isdigit():
        return None
    if kind == "g":
        return ActivityGroup.objects.select_related("zone", "region").filter(pk=int(pk)).first()
    if kind == "r":
        return Region.objects.select_related("zone").filter(pk=int(pk)).first()
    return None


def target_value(target: ActivityGroup | Region | None) -> str:
    if target is None:
        return ""
    return f"{'g' if isinstance(target, ActivityGroup) else 'r'}:{target.pk}"


class SharedFieldsMixin(forms.Form):
    """Date, staff, place and target: what the records of one outing share."""

    date = JapaneseDateField(
        label="日付", help_text="例：2020-04-01、2020/4/1、令和2年4月1日、R2.4.1"
    )
    staff = StaffChoiceField(label="担当職員", queryset=User.objects.none(), required=False)
    place = forms.ChoiceField(label="場所", choices=Place.choices, widget=forms.RadioSelect)
    target = forms.CharField(label="支援先", required=False, widget=forms.HiddenInput)
    zone = forms.ModelChoiceField(label="圏域", queryset=Zone.objects.none(), required=False)
    region = forms.ModelChoiceField(label="地域", queryset=Region.objects.none(), required=False)

    def setup_shared(self, *, instance_staff: User | None = None) -> None:
        staff = self.fields["staff"]
        assert isinstance(staff, forms.ModelChoiceField)
        staff.queryset = writers(User.objects.all()) | (
            User.objects.filter(pk=instance_staff.pk) if instance_staff else User.objects.none()
        )
        zone = self.fields["zone"]
        assert isinstance(zone, forms.ModelChoiceField)
        zone.queryset = Zone.objects.active()
        region = self.fields["region"]
        assert isinstance(region, forms.ModelChoiceField)
        region.queryset = Region.objects.active().select_related("zone")

    def clean_target(self) -> ActivityGroup | Region | None:
        raw = self.cleaned_data.get("target", "")
        if not raw:
            return None
        target = parse_target(raw)
        if target is None:
            raise forms.ValidationError(
                "支援先が見つかりません。名前の一部を入力して一覧から選んでください。"
            )
        return target

    def target_label(self) -> str:
        target = parse_target(self["target"].value() or "")
        return target.name if target else ""

    def shared_values(self) -> dict[str, Any]:
        data = self.cleaned_data
        target = data.get("target")
        return {
            "date": data["date"],
            "staff": data.get("staff"),
            "place": data["place"],
            "target_group": target if isinstance(target, ActivityGroup) else None,
            "target_region": target if isinstance(target, Region) else None,
            "zone": data.get("zone"),
            "region": data.get("region"),
        }


class ConsultationFieldsMixin(forms.Form):
    """What one consultation adds: who asked, about what, which agencies, consent, note."""

    consulter_type = forms.ModelChoiceField(
        label="相談者区分",
        queryset=ConsulterType.objects.none(),
        required=False,
        empty_label="相談ではない",
        widget=forms.RadioSelect,
        blank=True,
    )
    categories = forms.ModelMultipleChoiceField(
        label="相談内容",
        queryset=Category.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    agencies = forms.CharField(label="関係機関", required=False, widget=forms.HiddenInput)
    consent = forms.BooleanField(label="本人が記録と情報共有に同意している", required=False)
    note = forms.CharField(
        label="メモ",
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "max_length": f"メモは{NOTE_MAX_LENGTH:,}文字以内にしてください（%(show_value)d文字あります）。"
        },
    )
    follow_up = forms.BooleanField(label="フォローアップが必要", required=False)
    follow_up_due = JapaneseDateField(label="フォローアップ期日", required=False)

    def setup_consultation(self, fiscal_year: int) -> None:
        consulter_type = self.fields["consulter_type"]
        assert isinstance(consulter_type, forms.ModelChoiceField)
        consulter_type.queryset = ConsulterType.objects.filter(active=True)
        categories = self.fields["categories"]
        assert isinstance(categories, forms.ModelMultipleChoiceField)
        # All of the year's categories are valid choices here; the service checks that they
        # belong to the chosen consulter type and explains otherwise.
        categories.queryset = Category.objects.in_year(fiscal_year).select_related("consulter_type")
        categories.error_messages["invalid_choice"] = (
            f"選んだ相談内容は日付の年度（{fiscal_year_label(fiscal_year)}）の分類ではありません。選び直してください。"
        )

    def clean_note(self) -> str:
        return normalize_newlines(self.cleaned_data.get("note", ""))

    def clean_agencies(self) -> list[tuple[Agency, str]]:
        """Agencies travel as "id:action,id:action"."""
        raw = self.cleaned_data.get("agencies", "")
        pairs = []
        for item in filter(None, raw.split(",")):
            pk, _, action = item.partition(":")
            pairs.append((pk, action if action in AgencyAction.values else AgencyAction.LIAISON))
        ids = [int(pk) for pk, _ in pairs if pk.isdigit()]
        agencies = Agency.objects.in_bulk(ids)
        result = []
        for pk, action in pairs:
            agency = agencies.get(int(pk)) if pk.isdigit() else None
            if agency is None:
                raise forms.ValidationError(
                    "関係機関が見つかりません。名前の一部を入力して一覧から選んでください。"
                )
            result.append((agency, action))
        return result

    def consultation_values(
        self,
    ) -> tuple[dict[str, Any], list[Category], list[tuple[Agency, str]]]:
        data = self.cleaned_data
        values = {
            "consulter_type": data.get("consulter_type"),
            "consent": data.get("consent", False),
            "note": data.get("note", ""),
            "follow_up": data.get("follow_up", False),
            "follow_up_due": data.get("follow_up_due"),
        }
        return values, list(data.get("categories") or []), data.get("agencies") or []

    def chosen_agencies(self) -> list[dict[str, Any]]:
        """The agencies already picked, for redisplay after an error or on edit."""
        raw = self["agencies"].value() or ""
        pairs = [item.partition(":") for item in raw.split(",") if item]
        agencies = Agency.objects.in_bulk([int(pk) for pk, _, _ in pairs if pk.isdigit()])
        return [
            {
                "id": int(pk),
                "name": agencies[int(pk)].name,
                "action": action or AgencyAction.LIAISON,
            }
            for pk, _, action in pairs
            if pk.isdigit() and int(pk) in agencies
        ]


@dataclass(frozen=True)
class CategoryChoices:
    """A year's categories under each active consulter type, fetched once per screen;
    the entry templates show the chosen type's group as checkboxes."""

    types: list[ConsulterType]
    by_type: dict[int, list[Category]]

    @classmethod
    def for_year(cls, fiscal_year: int) -> "CategoryChoices":
        by_type: dict[int, list[Category]] = {}
        for category in Category.objects.in_year(fiscal_year).select_related("consulter_type"):
            by_type.setdefault(category.consulter_type_id, []).append(category)
        return cls(types=list(ConsulterType.objects.filter(active=True)), by_type=by_type)

    def groups(self, form: forms.Form) -> list[dict[str, Any]]:
        chosen = {str(pk) for pk in (form["categories"].value() or [])}
        return [
            {
                "type": consulter_type,
                "categories": [
                    (c, str(c.pk) in chosen) for c in self.by_type.get(consulter_type.pk, [])
                ],
            }
            for consulter_type in self.types
        ]


class RecordForm(VersionedForm, SharedFieldsMixin, ConsultationFieldsMixin):
    """One record on one screen (quick entry and edit)."""

    activity_kind = forms.ModelChoiceField(
        label="活動種別",
        queryset=ActivityKind.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
    )
    time = forms.TimeField(
        label="時刻", required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    duration_minutes = forms.IntegerField(
        label="所要時間（分）", required=False, min_value=0, max_value=24 * 60
    )
    initiated = forms.BooleanField(label="社協からの働きかけ", required=False)

    field_order = [
        "date",
        "activity_kind",
        "place",
        "target",
        "zone",
        "region",
        "consulter_type",
        "categories",
        "agencies",
        "consent",
        "note",
        "initiated",
        "follow_up",
        "follow_up_due",
        "staff",
        "time",
        "duration_minutes",
    ]

    def __init__(
        self, *args: Any, fiscal_year: int, instance_staff: User | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fiscal_year = fiscal_year
        self.setup_shared(instance_staff=instance_staff)
        self.setup_consultation(fiscal_year)
        kind = self.fields["activity_kind"]
        assert isinstance(kind, forms.ModelChoiceField)
        kind.queryset = ActivityKind.objects.in_year(fiscal_year)
        kind.error_messages["invalid_choice"] = (
            f"選んだ活動種別は日付の年度（{fiscal_year_label(fiscal_year)}）のものではありません。選び直してください。"
        )

    def record_data(self) -> RecordData:
        values = self.shared_values()
        consultation, categories, agencies = self.consultation_values()
        values.update(consultation)
        data = self.cleaned_data
        values.update(
            activity_kind=data["activity_kind"],
            time=data.get("time"),
            duration_minutes=data.get("duration_minutes"),
            initiated=data.get("initiated", False),
        )
        return RecordData(values=values, categories=categories, agencies=agencies)


def initial_for(user: User, last_place: str | None) -> dict[str, Any]:
    """Quick-entry defaults: today, me, my zone, the place I used last."""
    zone = Zone.objects.active().filter(staff=user).first()
    return {
        "date": timezone.localdate().isoformat(),
        "staff": user.pk if can(user, "record.create") else None,
        "zone": zone.pk if zone else None,
        "place": last_place or Place.OUTREACH,
    }


def kinds_in_year(fiscal_year: int) -> QuerySet[ActivityKind]:
    return ActivityKind.objects.in_year(fiscal_year)


class OutingForm(SharedFieldsMixin):
    """The shared part of one outing: a visit and the consultations taken there."""

    visit_kind = forms.ModelChoiceField(
        label="出向きの記録",
        queryset=ActivityKind.objects.none(),
        required=False,
        empty_label="出向きそのものは記録しない",
        help_text="出向き（サロンへの参加など）も1件として記録するときの活動種別",
    )
    consultation_kind = forms.ModelChoiceField(
        label="相談の活動種別", queryset=ActivityKind.objects.none(), empty_label=None
    )
    visit_note = forms.CharField(
        label="出向きのメモ",
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, fiscal_year: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fiscal_year = fiscal_year
        self.setup_shared()
        kinds = ActivityKind.objects.in_year(fiscal_year).active()
        for name in ("visit_kind", "consultation_kind"):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = kinds
        if not self.is_bound:
            names = {kind.name_key: kind.pk for kind in kinds}
            self.initial.setdefault("visit_kind", _first_containing(names, "出向き"))
            self.initial.setdefault("consultation_kind", _first_containing(names, "相談"))

    def clean_visit_note(self) -> str:
        return normalize_newlines(self.cleaned_data.get("visit_note", ""))


def _first_containing(names: dict[str, int], word: str) -> int | None:
    return next((pk for key, pk in names.items() if word in key), None)


class ConsultationForm(ConsultationFieldsMixin):
    """One consultation of an outing. A row left empty is skipped."""

    def __init__(self, *args: Any, fiscal_year: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fiscal_year = fiscal_year
        self.setup_consultation(fiscal_year)
        consulter_type = self.fields["consulter_type"]
        assert isinstance(consulter_type, forms.ModelChoiceField)
        consulter_type.empty_label = "（この行は使わない）"  # type: ignore[assignment,unused-ignore]

    def is_blank(self) -> bool:
        data = self.cleaned_data
        return not (
            data.get("consulter_type")
            or data.get("categories")
            or data.get("note")
            or data.get("agencies")
        )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if not data.get("consulter_type") and (
            data.get("categories") or data.get("note") or data.get("agencies")
        ):
            self.add_error("consulter_type", "相談者区分を選んでください。")
        return data


class BaseConsultationFormSet(forms.BaseFormSet):  # type: ignore[type-arg,unused-ignore]
    def __init__(self, *args: Any, fiscal_year: int, **kwargs: Any) -> None:
        self.fiscal_year = fiscal_year
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        return {"fiscal_year": self.fiscal_year}


ConsultationFormSet = forms.formset_factory(
    ConsultationForm, formset=BaseConsultationFormSet, extra=2, max_num=30, validate_max=True
)
