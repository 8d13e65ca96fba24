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
from tsunagu.core.params import parse_id
from tsunagu.directory.models import ActivityGroup, Agency, Region, Zone
from tsunagu.lib.fiscal import DateParseError, fiscal_year_label, parse_date
from tsunagu.lib.textnorm import normalize_newlines
from tsunagu.records.codes import find_activity_kind
from tsunagu.records.defaults import OUTREACH_KIND
from tsunagu.records.models import (
    NOTE_MAX_LENGTH,
    ActivityKind,
    AgencyAction,
    Category,
    ConsulterType,
    Place,
    SupportKind,
)
from tsunagu.records.services import RecordData
from tsunagu.records.support_kind import AUTO, auto_text


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
    kind, _, text = (value or "").partition(":")
    pk = parse_id(text)
    if pk is None:
        return None
    if kind == "g":
        return ActivityGroup.objects.select_related("zone", "region").filter(pk=pk).first()
    if kind == "r":
        return Region.objects.select_related("zone").filter(pk=pk).first()
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
    # The entry screens' one-time token (services.create_record); unused when editing.
    entry_token = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

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
        ids = [parse_id(pk) for pk, _ in pairs]
        agencies = Agency.objects.in_bulk([pk for pk in ids if pk is not None])
        result = []
        for (_text, action), pk in zip(pairs, ids, strict=True):
            agency = agencies.get(pk) if pk is not None else None
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
        pairs = [
            (parse_id(pk), action) for pk, _, action in (i.partition(":") for i in raw.split(","))
        ]
        agencies = Agency.objects.in_bulk([pk for pk, _ in pairs if pk is not None])
        return [
            {"id": pk, "name": agencies[pk].name, "action": action or AgencyAction.LIAISON}
            for pk, action in pairs
            if pk in agencies
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
    support_kind = forms.ChoiceField(
        label="個別・地域の区分",
        choices=[("", AUTO), *SupportKind.choices],
        required=False,
        widget=forms.RadioSelect,
    )

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
        "support_kind",
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

    def support_kind_hints(self, *, has_case: bool) -> dict[str, str]:
        """What 自動 gives now, and with or without a target (the page switches between
        the two as the target is chosen or cleared)."""
        has_target = parse_target(self["target"].value() or "") is not None
        return {
            "current": auto_text(has_case=has_case, has_target=has_target),
            "with_target": auto_text(has_case=has_case, has_target=True),
            "without_target": auto_text(has_case=has_case, has_target=False),
        }

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
            support_kind=data.get("support_kind") or None,
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
        # The counting rule by construction: the visit is never a consultation, the
        # consultations always are.
        kinds = ActivityKind.objects.in_year(fiscal_year).active()
        label = fiscal_year_label(fiscal_year)
        for name, consultation, refusal in (
            ("visit_kind", False, "出向きの記録には、相談として数えない活動種別を選んでください。"),
            (
                "consultation_kind",
                True,
                "相談の活動種別には、相談として数える活動種別を選んでください。",
            ),
        ):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = kinds.filter(is_consultation=consultation)
            field.error_messages["invalid_choice"] = f"{refusal}（{label}の一覧から選びます）"
        if not self.is_bound:
            outreach = find_activity_kind(OUTREACH_KIND, fiscal_year)
            visit = outreach if outreach and not outreach.retired else None
            first_consultation = kinds.filter(is_consultation=True).first()
            self.initial.setdefault(
                "visit_kind", visit.pk if visit and not visit.is_consultation else None
            )
            self.initial.setdefault(
                "consultation_kind", first_consultation.pk if first_consultation else None
            )

    def clean_visit_note(self) -> str:
        return normalize_newlines(self.cleaned_data.get("visit_note", ""))


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


# --- a date moved to another fiscal year -------------------------------------------
# Activity kinds and categories are yearly rows: the one picked for the old date is not a
# choice of the new year. What has a row of the same name in the new year is carried to
# it; what has none is dropped and named in a notice, never lost without a word.


def carry_kind(raw: str | None, fiscal_year: int, *, label: str = "活動種別") -> tuple[str, str]:
    """(the value for the new year, a notice or "") for one chosen activity kind."""
    if not raw or not str(raw).isdigit():
        return "", ""
    kind = ActivityKind.objects.filter(pk=int(raw)).first()
    if kind is None or kind.fiscal_year == fiscal_year:
        return (str(raw) if kind else ""), ""
    same = ActivityKind.objects.in_year(fiscal_year).filter(name_key=kind.name_key).first()
    if same is not None:
        return str(same.pk), ""
    return "", (
        f"{label}「{kind.name}」（{fiscal_year_label(kind.fiscal_year)}）は"
        f"{fiscal_year_label(fiscal_year)}の一覧にないため、選択を外しました。選び直してください。"
    )


def carry_categories(raw: list[str], fiscal_year: int) -> tuple[list[str], list[str]]:
    """(the values for the new year, notices) for the chosen categories."""
    chosen = list(
        Category.objects.filter(pk__in=[int(v) for v in raw if str(v).isdigit()])
        .select_related("consulter_type")
        .order_by("order", "id")
    )
    moved = [c for c in chosen if c.fiscal_year != fiscal_year]
    values = [str(c.pk) for c in chosen if c.fiscal_year == fiscal_year]
    if not moved:
        return values, []
    same = {
        (c.consulter_type_id, c.name_key): c.pk
        for c in Category.objects.in_year(fiscal_year).filter(
            name_key__in={c.name_key for c in moved}
        )
    }
    notices = []
    for category in moved:
        pk = same.get((category.consulter_type_id, category.name_key))
        if pk is not None:
            values.append(str(pk))
        else:
            notices.append(
                f"相談内容「{category.name}」（{category.consulter_type.name}）は"
                f"{fiscal_year_label(fiscal_year)}の一覧にないため、チェックを外しました。"
                "選び直してください。"
            )
    return values, notices
