"""Entry forms of the volunteer centre. Forms read and check what was typed; the rules
that span records live in services.py."""

import re
import unicodedata
from typing import Any

from django import forms
from django.utils import timezone

from tsunagu.core.concurrency import VersionedForm
from tsunagu.directory.models import ActivityGroup, Region, Zone
from tsunagu.lib.fiscal import (
    FiscalParseError,
    current_fiscal_year,
    fiscal_year_label,
    parse_fiscal_year,
)
from tsunagu.records.forms import JapaneseDateField
from tsunagu.records.models import Place, SupportRecord
from tsunagu.volunteers.availability import (
    SLOT_LABELS,
    SLOTS,
    WEEKDAYS,
    AvailabilityParseError,
    Slot,
    from_json,
    parse_availability,
    to_json,
)
from tsunagu.volunteers.consultations import (
    DONATION_CATEGORY,
    REGISTRATION_CATEGORY,
    category_name,
    linkable_records,
)
from tsunagu.volunteers.models import (
    Condition,
    InsurancePlan,
    OfferStatus,
    Pickup,
    RequestStatus,
    Skill,
    Volunteer,
    VolunteerKind,
)
from tsunagu.volunteers.services.registrations import VolunteerData

SLOT_CHOICES = [(f"{d}-{s}", f"{WEEKDAYS[d]}曜{SLOT_LABELS[s]}") for d in range(7) for s in SLOTS]
# Katakana and hiragana (with ー, ・ and spaces): what a フリガナ may hold after NFKC.
_KANA = re.compile(r"[\u3041-\u3096\u309d\u309e\u30a1-\u30fa\u30fc-\u30fe・\s]+")
DATE_HELP = "例：2020-04-01、2020/4/1、令和2年4月1日、R2.4.1"


def slot_values(slots: frozenset[Slot]) -> list[str]:
    return [f"{d}-{s}" for d, s in sorted(slots, key=lambda t: (t[0], SLOTS.index(t[1])))]


WEEKDAY_NUMBERS = {str(d) for d in range(7)}


def parse_slot_values(values: list[str]) -> frozenset[Slot]:
    result = set()
    for value in values:
        day, _, code = value.partition("-")
        if day in WEEKDAY_NUMBERS and code in SLOTS:
            result.add((int(day), code))
    return frozenset(result)


def record_label(record: SupportRecord) -> str:
    staff = record.staff.display_name if record.staff else "担当なし"
    return f"{record.date:%Y-%m-%d}（{record.get_place_display()}・{staff}）No.{record.pk}"


class RecordChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg,unused-ignore]
    def label_from_instance(self, obj: Any) -> str:
        return record_label(obj)


class VolunteerChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg,unused-ignore]
    def label_from_instance(self, obj: Any) -> str:
        kana = f"（{obj.full_kana}）" if obj.full_kana else ""
        return f"{obj.full_name}{kana}"


class AvailabilityMixin(forms.Form):
    """Days and times as a grid of checkboxes, or typed as text (「火・木の午前」)."""

    slots = forms.MultipleChoiceField(
        label="曜日・時間帯（表で選ぶ）",
        choices=SLOT_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    availability_text = forms.CharField(
        label="曜日・時間帯（文字で入力）",
        required=False,
        max_length=200,
        help_text="例：火・木の午前、平日午後、土日。表のチェックと合わせて登録します。",
    )

    def clean_availability_text(self) -> frozenset[Slot]:
        text = self.cleaned_data.get("availability_text", "")
        if not text.strip():
            return frozenset()
        try:
            return parse_availability(text)
        except AvailabilityParseError as error:
            raise forms.ValidationError(str(error)) from error

    def chosen_slots(self) -> frozenset[Slot]:
        return parse_slot_values(self.cleaned_data.get("slots") or []) | (
            self.cleaned_data.get("availability_text") or frozenset()
        )

    def slot_grid(self) -> list[dict[str, Any]]:
        """Rows of the grid for the template: each weekday with its three checkboxes."""
        chosen = set(self["slots"].value() or [])
        return [
            {
                "day": WEEKDAYS[d],
                "cells": [
                    {
                        "value": f"{d}-{s}",
                        "label": f"{WEEKDAYS[d]}曜{SLOT_LABELS[s]}",
                        "checked": f"{d}-{s}" in chosen,
                    }
                    for s in SLOTS
                ],
            }
            for d in range(7)
        ]


def _birth_year(text: str) -> int | None:
    """1950, 1950年, 昭和25, S25, 昭和25年 — the era forms through the fiscal-year parser."""
    text = unicodedata.normalize("NFKC", text).strip().removesuffix("生まれ").removesuffix("年")
    if not text:
        return None
    try:
        return parse_fiscal_year(text)
    except FiscalParseError as error:
        raise forms.ValidationError(
            f"「{text}」は生まれ年として読み取れません。1950、昭和25、S25 のように入力してください。"
        ) from error


class VolunteerForm(VersionedForm, AvailabilityMixin, forms.Form):
    kind = forms.ChoiceField(
        label="区分", choices=VolunteerKind.choices, widget=forms.RadioSelect, initial="person"
    )
    family_name = forms.CharField(label="氏", max_length=40, required=False)
    given_name = forms.CharField(label="名", max_length=40, required=False)
    family_name_kana = forms.CharField(label="氏（フリガナ）", max_length=60, required=False)
    given_name_kana = forms.CharField(label="名（フリガナ）", max_length=60, required=False)
    group_name = forms.CharField(label="団体名", max_length=100, required=False)
    group_name_kana = forms.CharField(label="団体名（フリガナ）", max_length=150, required=False)
    birth_year = forms.CharField(
        label="生まれ年", required=False, max_length=20, help_text="例：1950、昭和25（任意）"
    )
    member_count = forms.IntegerField(label="人数（団体）", required=False, min_value=1)
    skills = forms.ModelMultipleChoiceField(
        label="できる活動",
        queryset=Skill.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    regions = forms.ModelMultipleChoiceField(
        label="活動できる地域（地域社協）",
        queryset=Region.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    zones = forms.ModelMultipleChoiceField(
        label="活動できる圏域（圏域のどこでも）",
        queryset=Zone.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    availability_note = forms.CharField(
        label="曜日・時間帯の補足", max_length=200, required=False, help_text="例：第2土曜は不可"
    )
    contact = forms.CharField(
        label="連絡先",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="電話・メールなど。操作履歴には内容を残しません。",
    )
    consent_to_introduce = forms.BooleanField(
        label="活動先に紹介することに本人（団体）が同意している", required=False
    )
    active = forms.BooleanField(label="活動中（休止のときは外す）", required=False, initial=True)
    registered_on = JapaneseDateField(label="登録日（相談を受けた日）", help_text=DATE_HELP)
    place = forms.ChoiceField(
        label="相談を受けた場所", choices=Place.choices, widget=forms.RadioSelect
    )
    record = RecordChoiceField(
        label="すでに入力した支援記録に結び付ける",
        queryset=SupportRecord.objects.none(),
        required=False,
        empty_label="結び付けない（新しく支援記録を作る）",
        help_text="この登録の相談を支援記録に入力済みのときに選びます。",
    )
    note = forms.CharField(
        label="メモ", required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    allow_duplicate = forms.BooleanField(label="別の方として登録する", required=False)

    def __init__(self, *args: Any, creating: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.creating = creating
        self._limit("skills", Skill.objects.active())
        self._limit("regions", Region.objects.active().select_related("zone"))
        self._limit("zones", Zone.objects.active())
        if creating:
            self.for_new_row()
            record = self.fields["record"]
            assert isinstance(record, forms.ModelChoiceField)
            ids = [
                r.pk
                for r in linkable_records(
                    REGISTRATION_CATEGORY, related_name="volunteer_registration"
                )
            ]
            record.queryset = SupportRecord.objects.filter(pk__in=ids).select_related("staff")
            _name_the_category(record, REGISTRATION_CATEGORY)
        else:
            del self.fields["place"]
            del self.fields["record"]

    def _limit(self, name: str, queryset: Any) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = queryset

    def clean_birth_year(self) -> int | None:
        return _birth_year(self.cleaned_data.get("birth_year", ""))

    def _clean_kana(self, name: str) -> str:
        value: str = self.cleaned_data.get(name, "").strip()
        if value and not _KANA.fullmatch(unicodedata.normalize("NFKC", value)):
            raise forms.ValidationError("フリガナはカタカナ（またはひらがな）で入力してください。")
        return value

    def clean_family_name_kana(self) -> str:
        return self._clean_kana("family_name_kana")

    def clean_given_name_kana(self) -> str:
        return self._clean_kana("given_name_kana")

    def clean_group_name_kana(self) -> str:
        return self._clean_kana("group_name_kana")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == VolunteerKind.GROUP:
            if not data.get("group_name", "").strip():
                self.add_error("group_name", "団体名を入力してください。")
        else:
            for name, label in (("family_name", "氏"), ("given_name", "名")):
                if not data.get(name, "").strip():
                    self.add_error(name, f"{label}を入力してください。")
        return data

    def volunteer_data(self) -> VolunteerData:
        data = self.cleaned_data
        group = data["kind"] == VolunteerKind.GROUP
        person_fields = ("family_name", "given_name", "family_name_kana", "given_name_kana")
        values = {
            "kind": data["kind"],
            # Names are stored as typed (only the ends trimmed); a group keeps no person name.
            **{n: "" if group else data.get(n, "").strip() for n in person_fields},
            "group_name": data.get("group_name", "").strip() if group else "",
            "group_name_kana": data.get("group_name_kana", "").strip() if group else "",
            "birth_year": None if group else data.get("birth_year"),
            "member_count": data.get("member_count") if group else None,
            "availability": to_json(self.chosen_slots()),
            "availability_note": data.get("availability_note", ""),
            "contact": data.get("contact", ""),
            "consent_to_introduce": data.get("consent_to_introduce", False),
            "active": data.get("active", False),
            "registered_on": data["registered_on"],
            "note": data.get("note", ""),
        }
        return VolunteerData(
            values=values,
            skills=list(data.get("skills") or []),
            regions=list(data.get("regions") or []),
            zones=list(data.get("zones") or []),
        )


def volunteer_initial(volunteer: Volunteer) -> dict[str, Any]:
    return {
        "kind": volunteer.kind,
        "family_name": volunteer.family_name,
        "given_name": volunteer.given_name,
        "family_name_kana": volunteer.family_name_kana,
        "given_name_kana": volunteer.given_name_kana,
        "group_name": volunteer.group_name,
        "group_name_kana": volunteer.group_name_kana,
        "birth_year": volunteer.birth_year or "",
        "member_count": volunteer.member_count,
        "skills": [s.pk for s in volunteer.skills.all()],
        "regions": [r.pk for r in volunteer.regions.all()],
        "zones": [z.pk for z in volunteer.zones.all()],
        "slots": slot_values(from_json(volunteer.availability)),
        "availability_note": volunteer.availability_note,
        "contact": volunteer.contact,
        "consent_to_introduce": volunteer.consent_to_introduce,
        "active": volunteer.active,
        "registered_on": volunteer.registered_on.isoformat(),
        "note": volunteer.note,
        "version": volunteer.version,
    }


class InsuranceForm(forms.Form):
    fiscal_year = forms.CharField(
        label="年度", max_length=20, help_text="例：2020、令和2年度、R2（保険は3月31日まで有効）"
    )
    plan = forms.ModelChoiceField(
        label="プラン", queryset=InsurancePlan.objects.none(), widget=forms.RadioSelect
    )
    enrolled_on = JapaneseDateField(label="加入日", help_text=DATE_HELP)
    insured_count = forms.IntegerField(label="加入人数", min_value=1, initial=1)
    note = forms.CharField(label="備考", max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "fiscal_year": fiscal_year_label(current_fiscal_year()),
                "enrolled_on": timezone.localdate().isoformat(),
                "insured_count": 1,
            },
        )
        super().__init__(*args, **kwargs)
        plan = self.fields["plan"]
        assert isinstance(plan, forms.ModelChoiceField)
        plan.queryset = InsurancePlan.objects.active()
        plan.empty_label = None

    def clean_fiscal_year(self) -> int:
        try:
            return parse_fiscal_year(self.cleaned_data.get("fiscal_year", ""))
        except FiscalParseError as error:
            raise forms.ValidationError(str(error)) from error


class OfferForm(VersionedForm):
    offered_on = JapaneseDateField(label="受付日", help_text=DATE_HELP)
    item = forms.CharField(label="品物", max_length=200, help_text="例：未使用のタオル、車いす")
    quantity = forms.CharField(label="数量", max_length=100, required=False, help_text="例：2箱")
    condition = forms.ChoiceField(label="状態", choices=Condition.choices, initial="unknown")
    donor_name = forms.CharField(
        label="申し出た人・団体",
        max_length=100,
        required=False,
        help_text="匿名の申し出は空欄のままにします。",
    )
    contact = forms.CharField(
        label="連絡先", required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )
    pickup = forms.ChoiceField(
        label="受け渡し方法", choices=Pickup.choices, initial="undecided", widget=forms.RadioSelect
    )
    pickup_note = forms.CharField(
        label="受け渡しの補足", max_length=200, required=False, help_text="例：平日の午後に引き取り"
    )
    status = forms.ChoiceField(label="状況", choices=OfferStatus.choices, initial="received")
    recipient_group = forms.ModelChoiceField(
        label="渡した先（活動団体）",
        queryset=ActivityGroup.objects.none(),
        required=False,
        empty_label="（選ばない）",
    )
    recipient_case_id = forms.IntegerField(
        label="渡した先（個別支援の番号）", required=False, min_value=1
    )
    recipient_note = forms.CharField(
        label="渡した先（その他）", max_length=200, required=False, help_text="例：市内の学童クラブ"
    )
    given_on = JapaneseDateField(label="渡した日", required=False, help_text=DATE_HELP)
    note = forms.CharField(
        label="メモ", required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    place = forms.ChoiceField(
        label="相談を受けた場所", choices=Place.choices, widget=forms.RadioSelect
    )
    record = RecordChoiceField(
        label="すでに入力した支援記録に結び付ける",
        queryset=SupportRecord.objects.none(),
        required=False,
        empty_label="結び付けない（新しく支援記録を作る）",
        help_text="この申し出の相談を支援記録に入力済みのときに選びます。",
    )

    def __init__(self, *args: Any, creating: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        group = self.fields["recipient_group"]
        assert isinstance(group, forms.ModelChoiceField)
        group.queryset = ActivityGroup.objects.active().select_related("kind")
        if creating:
            self.for_new_row()
            record = self.fields["record"]
            assert isinstance(record, forms.ModelChoiceField)
            ids = [r.pk for r in linkable_records(DONATION_CATEGORY, related_name="donation_offer")]
            record.queryset = SupportRecord.objects.filter(pk__in=ids).select_related("staff")
            _name_the_category(record, DONATION_CATEGORY)
        else:
            del self.fields["place"]
            del self.fields["record"]

    def offer_values(self) -> dict[str, Any]:
        data = self.cleaned_data

        def text(name: str) -> str:
            return str(data.get(name) or "").strip()

        return {
            "offered_on": data["offered_on"],
            "item": text("item"),
            "quantity": text("quantity"),
            "condition": data["condition"],
            "donor_name": text("donor_name"),
            "contact": text("contact"),
            "pickup": data["pickup"],
            "pickup_note": text("pickup_note"),
            "status": data["status"],
            "recipient_group": data.get("recipient_group"),
            "recipient_case_id": data.get("recipient_case_id"),
            "recipient_note": text("recipient_note"),
            "given_on": data.get("given_on"),
            "note": data.get("note", ""),
        }


class HelpRequestForm(VersionedForm, AvailabilityMixin, forms.Form):
    group = forms.ModelChoiceField(label="活動団体", queryset=ActivityGroup.objects.none())
    requested_on = JapaneseDateField(label="受付日", help_text=DATE_HELP)
    title = forms.CharField(
        label="内容", max_length=200, help_text="例：サロンの会場準備と参加者の話し相手"
    )
    description = forms.CharField(
        label="詳しい内容",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    skills = forms.ModelMultipleChoiceField(
        label="求める活動",
        queryset=Skill.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    schedule = forms.CharField(
        label="日時", max_length=200, required=False, help_text="例：毎月第2火曜 10時〜12時"
    )
    starts_on = JapaneseDateField(label="開始日", required=False, help_text=DATE_HELP)
    ends_on = JapaneseDateField(label="終了日", required=False, help_text=DATE_HELP)
    place = forms.CharField(label="場所", max_length=200, required=False)
    people_needed = forms.IntegerField(label="必要な人数", min_value=1, initial=1)
    status = forms.ChoiceField(label="状況", choices=RequestStatus.choices, initial="open")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        group = self.fields["group"]
        assert isinstance(group, forms.ModelChoiceField)
        group.queryset = ActivityGroup.objects.active().select_related("kind")
        skills = self.fields["skills"]
        assert isinstance(skills, forms.ModelMultipleChoiceField)
        skills.queryset = Skill.objects.active()

    def request_values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "group": data["group"],
            "requested_on": data["requested_on"],
            "title": data["title"].strip(),
            "description": data.get("description", ""),
            "schedule": data.get("schedule", "").strip(),
            "availability": to_json(self.chosen_slots()),
            "starts_on": data.get("starts_on"),
            "ends_on": data.get("ends_on"),
            "place": data.get("place", "").strip(),
            "people_needed": data["people_needed"],
            "status": data["status"],
        }


class MatchForm(forms.Form):
    volunteer = VolunteerChoiceField(
        label="ボランティア", queryset=Volunteer.objects.none(), empty_label="選んでください"
    )
    frequency = forms.CharField(label="頻度", max_length=50, help_text="例：月2回、毎週火曜")
    started_on = JapaneseDateField(label="開始日", help_text=DATE_HELP)
    next_review_on = JapaneseDateField(
        label="次の見直し日", required=False, help_text="活動の様子を確かめる日"
    )
    note = forms.CharField(
        label="メモ", required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        volunteer = self.fields["volunteer"]
        assert isinstance(volunteer, forms.ModelChoiceField)
        volunteer.queryset = Volunteer.objects.introducible()


class ReviewForm(forms.Form):
    reviewed_on = JapaneseDateField(label="見直した日", help_text=DATE_HELP)
    note = forms.CharField(
        label="内容", required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )
    next_review_on = JapaneseDateField(label="次の見直し日", required=False, help_text=DATE_HELP)


class EndMatchForm(forms.Form):
    ended_on = JapaneseDateField(label="終了日", help_text=DATE_HELP)
    end_reason = forms.CharField(label="終了の理由", max_length=200)


def _name_the_category(field: forms.Field, category_code: str) -> None:
    """The link's help names the category as this year's list has it."""
    name = category_name(category_code, current_fiscal_year())
    if name is not None:
        field.help_text = f"「{name}」の相談として記録済みのときに選びます。"
