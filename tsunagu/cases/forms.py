"""The forms of the cases screens. They read and tidy what was typed; the rules that
span fields (identity needs consent, dates in order …) are the services'."""

from datetime import date
from typing import Any

from django import forms
from django.db import models
from django.db.models import Q

from tsunagu.accounts.models import User
from tsunagu.cases.models import (
    TEXT_MAX_LENGTH,
    AgeBand,
    AskAnswer,
    Case,
    CaseStatus,
    CloseReason,
    ConsentBasis,
    ConsentPurpose,
    NeedKind,
    ReferralStatus,
)
from tsunagu.cases.referrals import referral_categories
from tsunagu.core.access import writer_accounts, writers
from tsunagu.core.concurrency import VersionedForm
from tsunagu.core.dates import show_date
from tsunagu.directory.models import ActivityGroup, Agency, GroupKind, Region, Zone
from tsunagu.lib.fiscal import fiscal_year_label, fiscal_year_of
from tsunagu.records.forms import JapaneseDateField
from tsunagu.records.models import Category, Place, SupportRecord
from tsunagu.volunteers.models import Skill, Volunteer

DATE_HELP = "例：2024-04-01、2024/4/1、令和6年4月1日、R6.4.1"


def _text(
    label: str, *, required: bool = False, rows: int = 3, help_text: str = ""
) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=help_text,
        error_messages={
            "max_length": f"{label}は{TEXT_MAX_LENGTH:,}文字以内にしてください（%(show_value)d文字あります）。"
        },
    )


class StaffMultipleChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg,unused-ignore]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.display_name)


class GroupChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg,unused-ignore]
    def label_from_instance(self, obj: Any) -> str:
        area = obj.region.name if obj.region else obj.zone.name
        return f"{obj.name}（{obj.kind.name}・{area}）"


class VolunteerChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg,unused-ignore]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.display_name)


class AgencyChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg,unused-ignore]
    def label_from_instance(self, obj: Any) -> str:
        return obj.name if obj.group.name == obj.name else f"{obj.name}（{obj.group.name}）"


def staff_choices() -> Any:
    return writers(User.objects.all())


def nearby_first(groups: Any, case: Case) -> Any:
    """The case's own region first, then its zone: that is where help usually comes from."""
    whens = [models.When(zone_id=case.zone_id, then=1)]
    if case.region_id is not None:
        whens.insert(0, models.When(region_id=case.region_id, then=0))
    nearness = models.Case(*whens, default=2)
    return groups.annotate(nearness=nearness).order_by(
        "nearness", "zone__order", "region__order", "order", "id"
    )


class CaseForm(VersionedForm):
    pseudonym = forms.CharField(
        label="仮名・イニシャル",
        max_length=40,
        help_text="例：Tさん、K・Mさん。本名は下の欄へ（同意がある場合のみ）。",
    )
    age_band = forms.ChoiceField(label="年代", choices=AgeBand.choices, initial=AgeBand.UNKNOWN)
    zone = forms.ModelChoiceField(label="圏域", queryset=Zone.objects.none(), required=False)
    region = forms.ModelChoiceField(
        label="地域社協",
        queryset=Region.objects.none(),
        required=False,
        help_text="選ぶと圏域はその地域社協の圏域になります。",
    )
    needs = forms.ModelMultipleChoiceField(
        label="困りごと",
        queryset=NeedKind.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "困りごとを一つ以上選んでください。"},
    )
    when_needed = forms.CharField(
        label="支援が必要な曜日・時間帯",
        max_length=100,
        required=False,
        help_text="例：平日の朝、火・木の午後、土日。ボランティアの候補探しに使います。",
    )
    summary = _text("状況・メモ", rows=4, help_text="個人が特定される内容は書かないでください。")
    opened_on = JapaneseDateField(label="受付日", help_text=DATE_HELP)
    staff = StaffMultipleChoiceField(
        label="担当職員",
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="個別支援を開けるのは、担当職員と管理者だけです。",
        error_messages={"required": "担当職員を一人以上選んでください。"},
    )

    family_name = forms.CharField(label="氏", max_length=40, required=False)
    given_name = forms.CharField(label="名", max_length=40, required=False)
    family_name_kana = forms.CharField(label="氏（フリガナ）", max_length=60, required=False)
    given_name_kana = forms.CharField(label="名（フリガナ）", max_length=60, required=False)
    birth_year = forms.IntegerField(
        label="生まれ年（西暦）",
        required=False,
        min_value=1900,
        max_value=2100,
        error_messages={
            "invalid": "生まれ年は西暦の数字で入れてください（例：1948）。",
            "min_value": "生まれ年は1900年以降にしてください。",
            "max_value": "生まれ年が未来になっています。",
        },
    )
    contact = forms.CharField(
        label="連絡先", max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    consent_given_by = forms.CharField(
        label="同意した人", max_length=60, required=False, help_text="例：本人、長女"
    )
    consent_on = JapaneseDateField(label="同意した日", required=False, help_text=DATE_HELP)
    consent_purposes = forms.MultipleChoiceField(
        label="同意の範囲",
        choices=ConsentPurpose.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    not_duplicate = forms.BooleanField(
        label="上の個別支援とは別の方です（重複ではありません）", required=False
    )

    IDENTITY = (
        "family_name",
        "given_name",
        "family_name_kana",
        "given_name_kana",
        "birth_year",
        "contact",
        "consent_given_by",
        "consent_on",
        "consent_purposes",
    )

    def __init__(self, *args: Any, case: Case | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._field("zone").queryset = Zone.objects.active()
        self._field("region").queryset = Region.objects.active().select_related("zone")
        needs = NeedKind.objects.active()
        staff = staff_choices()
        if case is not None:
            # Keep what the case already has even if it was deactivated since.
            needs = NeedKind.objects.filter(Q(active=True) | Q(cases=case)).distinct()
            staff = User.objects.filter(writer_accounts() | Q(support_cases=case)).distinct()
        self._field("needs").queryset = needs.order_by("order", "id")
        self._field("staff").queryset = staff
        if case is None:
            self.for_new_row()

    def _field(self, name: str) -> Any:
        return self.fields[name]

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        names = (
            "pseudonym",
            "age_band",
            "zone",
            "region",
            "when_needed",
            "summary",
            "opened_on",
            *self.IDENTITY,
        )
        return {name: data.get(name) for name in names}

    def identity_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.IDENTITY]

    def basic_fields(self) -> list[forms.BoundField]:
        names = (
            "pseudonym",
            "age_band",
            "zone",
            "region",
            "needs",
            "when_needed",
            "summary",
            "opened_on",
            "staff",
        )
        return [self[name] for name in names]


def case_initial(case: Case) -> dict[str, Any]:
    return {
        "pseudonym": case.pseudonym,
        "age_band": case.age_band,
        "zone": case.zone_id,
        "region": case.region_id,
        "needs": [n.pk for n in case.needs.all()],
        "when_needed": case.when_needed,
        "summary": case.summary,
        "opened_on": case.opened_on.isoformat(),
        "staff": [u.pk for u in case.staff.all()],
        "family_name": case.family_name,
        "given_name": case.given_name,
        "family_name_kana": case.family_name_kana,
        "given_name_kana": case.given_name_kana,
        "birth_year": case.birth_year,
        "contact": case.contact,
        "consent_given_by": case.consent_given_by,
        "consent_on": case.consent_on.isoformat() if case.consent_on else "",
        "consent_purposes": case.consent_purposes,
        "version": case.version,
    }


class StatusForm(forms.Form):
    status = forms.ChoiceField(label="新しい状況", choices=CaseStatus.choices)
    on = JapaneseDateField(label="日付", help_text=DATE_HELP)
    reason = forms.ChoiceField(
        label="終了の理由（終了にするとき）",
        choices=[("", "—"), *CloseReason.choices],
        required=False,
    )
    note = forms.CharField(label="補足", max_length=500, required=False)


class AskForm(forms.Form):
    group = GroupChoiceField(label="打診した活動団体", queryset=ActivityGroup.objects.none())
    asked_on = JapaneseDateField(label="打診した日", help_text=DATE_HELP)
    occasion = forms.CharField(
        label="場面", max_length=100, required=False, help_text="例：定例会、役員会、電話"
    )
    request = _text("お願いした内容")

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        groups = ActivityGroup.objects.active().select_related("kind", "zone", "region")
        field = self.fields["group"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = nearby_first(groups, case)
        field.empty_label = "選んでください"


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(
        label="回答",
        choices=[c for c in AskAnswer.choices if c[0] != AskAnswer.PENDING],
        widget=forms.RadioSelect,
    )
    answered_on = JapaneseDateField(label="回答日", help_text=DATE_HELP)
    note = _text("回答の内容")


class MatchForm(forms.Form):
    group = GroupChoiceField(
        label="支援する活動団体", queryset=ActivityGroup.objects.none(), required=False
    )
    volunteer = VolunteerChoiceField(
        label="支援するボランティア", queryset=Volunteer.objects.none(), required=False
    )
    need = forms.ModelChoiceField(
        label="応える困りごと", queryset=NeedKind.objects.none(), required=False
    )
    frequency = forms.CharField(label="頻度", max_length=50, help_text="例：月2回、毎週火曜の朝")
    started_on = JapaneseDateField(label="開始日", help_text=DATE_HELP)
    next_review_on = JapaneseDateField(
        label="次の見直し日",
        required=False,
        help_text="様子を確かめる日。ホーム画面でお知らせします。",
    )
    reasons = forms.CharField(label="紹介した理由", max_length=300, required=False)
    note = _text("内容・メモ")

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        group = self.fields["group"]
        assert isinstance(group, forms.ModelChoiceField)
        group.queryset = nearby_first(
            ActivityGroup.objects.active().select_related("kind", "zone", "region"), case
        )
        group.empty_label = "—"
        volunteer = self.fields["volunteer"]
        assert isinstance(volunteer, forms.ModelChoiceField)
        volunteer.queryset = Volunteer.objects.introducible()
        volunteer.empty_label = "—"
        need = self.fields["need"]
        assert isinstance(need, forms.ModelChoiceField)
        need.queryset = case.needs.all()
        need.empty_label = "—"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if bool(data.get("group")) == bool(data.get("volunteer")):
            raise forms.ValidationError(
                "支援する人は、活動団体かボランティアのどちらか一つを選んでください。"
            )
        return data


class ReviewForm(forms.Form):
    reviewed_on = JapaneseDateField(label="見直した日", help_text=DATE_HELP)
    note = _text("内容")
    next_review_on = JapaneseDateField(label="次の見直し日", required=False, help_text=DATE_HELP)


class EndMatchForm(forms.Form):
    ended_on = JapaneseDateField(label="終了日", help_text=DATE_HELP)
    note = _text("終了の理由")


class FollowUpForm(forms.Form):
    due_on = JapaneseDateField(label="予定日", help_text=DATE_HELP)
    what = forms.CharField(label="確認すること", max_length=200)


class FollowUpDoneForm(forms.Form):
    done_on = JapaneseDateField(label="実施日", help_text=DATE_HELP)
    note = _text("結果")


class RecordChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg,unused-ignore]
    def label_from_instance(self, obj: Any) -> str:
        what = obj.consulter_type.name if obj.consulter_type else obj.activity_kind.name
        who = f"・{obj.staff.display_name}" if obj.staff else ""
        return f"{show_date(obj.date)} {what}{who}（No.{obj.pk}）"


class LinkRecordForm(forms.Form):
    record = RecordChoiceField(label="つなげる支援記録", queryset=SupportRecord.objects.none())

    def __init__(self, *args: Any, candidates: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["record"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = candidates
        field.empty_label = "選んでください"


class CategoryChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg,unused-ignore]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name}（{fiscal_year_label(obj.fiscal_year)}）"


class ReferralFieldsMixin(forms.Form):
    agency = AgencyChoiceField(label="紹介先の関係機関", queryset=Agency.objects.none())
    referred_on = JapaneseDateField(label="紹介した日", help_text=DATE_HELP)
    request = _text("依頼した内容", required=True)
    consent_basis = forms.ChoiceField(
        label="情報提供の根拠",
        choices=ConsentBasis.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "情報提供の根拠（本人同意・支援会議・緊急）を選んでください。根拠のない紹介は記録できません。"
        },
    )

    def setup_agencies(self) -> None:
        field = self.fields["agency"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Agency.objects.active().select_related("group")
        field.empty_label = "選んでください"


class CaseReferralForm(ReferralFieldsMixin):
    record = RecordChoiceField(
        label="数える支援記録",
        queryset=SupportRecord.objects.none(),
        required=False,
        help_text="空のままなら、この紹介の相談記録（ニーズを抱えている個人）を新しく作ります。",
    )
    place = forms.ChoiceField(
        label="相談を受けた場所（新しく作る記録）", choices=Place.choices, initial=Place.PHONE
    )
    category = CategoryChoiceField(
        label="相談内容（新しく作る記録）",
        queryset=Category.objects.none(),
        required=False,
        help_text="空のままなら、紹介した日の年度の「〜への紹介」の分類を使います。",
    )

    def __init__(self, *args: Any, case: Case, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setup_agencies()
        record = self.fields["record"]
        assert isinstance(record, forms.ModelChoiceField)
        record.queryset = (
            case.records.alive()
            .consultations()
            .select_related("consulter_type", "activity_kind", "staff")
        )
        record.empty_label = "新しく相談の記録を作る"
        fy = fiscal_year_of(today)
        category = self.fields["category"]
        assert isinstance(category, forms.ModelChoiceField)
        ids = [c.pk for year in (fy, fy - 1) for c in referral_categories(year)]
        category.queryset = Category.objects.filter(pk__in=ids).order_by(
            "-fiscal_year", "order", "id"
        )
        category.empty_label = "自動で選ぶ"


class RecordReferralForm(ReferralFieldsMixin):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setup_agencies()


class ReferralUpdateForm(forms.Form):
    status = forms.ChoiceField(label="状況", choices=ReferralStatus.choices)
    updated_on = JapaneseDateField(label="日付", help_text=DATE_HELP)
    note = _text("内容・結果", help_text="完了・不調にするときは結果を書いてください。")


class NeedKindForm(VersionedForm, forms.ModelForm):  # type: ignore[type-arg,unused-ignore]
    group_kinds = forms.ModelMultipleChoiceField(
        label="応えられる活動団体の種別",
        queryset=GroupKind.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    skills = forms.ModelMultipleChoiceField(
        label="応えられるボランティアの活動内容",
        queryset=Skill.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = NeedKind
        fields = ["name", "order", "active", "group_kinds", "skills"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        group_kinds = self.fields["group_kinds"]
        assert isinstance(group_kinds, forms.ModelMultipleChoiceField)
        group_kinds.queryset = GroupKind.objects.all()
        skills = self.fields["skills"]
        assert isinstance(skills, forms.ModelMultipleChoiceField)
        skills.queryset = Skill.objects.all()
