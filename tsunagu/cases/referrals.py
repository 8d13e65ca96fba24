"""Closed-loop referrals (紹介・つなぎ): a person referred to an agency, followed until
the agency has finished (完了) or it did not work out (不調).

Every referral is counted by the report through its support record: the record links
the agency with action REFERRAL. From a case, the record is a new consultation of
「ニーズを抱えている個人」 (created through the records service) or one the staff member
picks among the case's records; from a consultation record, that record itself."""

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from tsunagu.accounts.models import User
from tsunagu.audit.services import log_action
from tsunagu.cases.conf import stale_referral_days
from tsunagu.cases.models import (
    FINAL_REFERRAL_STATUSES,
    Case,
    ConsentBasis,
    Referral,
    ReferralQuerySet,
    ReferralStatus,
    ReferralUpdate,
)
from tsunagu.core.access import require
from tsunagu.core.dates import show_date
from tsunagu.directory.models import Agency
from tsunagu.lib.fiscal import fiscal_year_label, fiscal_year_of
from tsunagu.lib.textnorm import normalize
from tsunagu.records.models import (
    ActivityKind,
    AgencyAction,
    Category,
    ConsulterType,
    Place,
    RecordAgency,
    SupportRecord,
)
from tsunagu.records.services import SCALAR_FIELDS, RecordData, create_record, update_record

INDIVIDUAL = "ニーズを抱えている個人"
CONSULTATION_WORD = "相談"
REFERRAL_WORD = "紹介"
AGENCY_WORDS = ("機関", "サービス")

NO_BASIS = (
    "情報提供の根拠（本人同意・支援会議・緊急）を選んでください。根拠のない紹介は記録できません。"
)


@dataclass
class NewRecord:
    """How to write the consultation record of a referral made from a case."""

    place: str = Place.PHONE
    category: Category | None = None  # None: the year's referral category


# --- the consultation a referral is counted under -------------------------------------


def individual_type() -> ConsulterType:
    found = ConsulterType.objects.filter(name=INDIVIDUAL).first()
    if found is None:
        raise ValidationError(
            f"相談者区分「{INDIVIDUAL}」がありません。分類の画面で相談者区分を確認してください。"
        )
    return found


def consultation_kind(fiscal_year: int) -> ActivityKind:
    """The year's activity kind for consultations: the first whose name has 相談."""
    kind = (
        ActivityKind.objects.in_year(fiscal_year)
        .active()
        .filter(name_key__contains=normalize(CONSULTATION_WORD))
        .order_by("order", "id")
        .first()
    )
    if kind is None:
        raise ValidationError(
            f"{fiscal_year_label(fiscal_year)}の活動種別に「{CONSULTATION_WORD}」を含むものがありません。"
            "分類の画面で活動種別を確認するか、既存の記録を選んでください。"
        )
    return kind


def referral_categories(fiscal_year: int) -> list[Category]:
    """The year's categories of 「ニーズを抱えている個人」 to choose from."""
    return list(
        Category.objects.in_year(fiscal_year)
        .active()
        .filter(consulter_type__name=INDIVIDUAL)
        .order_by("order", "id")
    )


def default_referral_category(fiscal_year: int) -> Category | None:
    """The year's category for a referral to an agency: one whose name has 紹介, those
    naming 機関 or サービス first (福祉サービス・相談機関への紹介)."""
    candidates = [
        c for c in referral_categories(fiscal_year) if normalize(REFERRAL_WORD) in c.name_key
    ]
    for category in candidates:
        if any(normalize(word) in category.name_key for word in AGENCY_WORDS):
            return category
    return candidates[0] if candidates else None


def _referral_record(
    *,
    by: User,
    case: Case,
    agency: Agency,
    referred_on: date,
    basis: str,
    how: NewRecord,
    today: date,
) -> SupportRecord:
    fiscal_year = fiscal_year_of(referred_on)
    category = how.category or default_referral_category(fiscal_year)
    if category is None:
        raise ValidationError(
            f"{fiscal_year_label(fiscal_year)}の「{INDIVIDUAL}」の相談内容に「{REFERRAL_WORD}」を含む分類がありません。"
            "相談内容を選ぶか、既存の記録を選んでください。"
        )
    data = RecordData(
        values={
            "date": referred_on,
            "staff": by,
            "activity_kind": consultation_kind(fiscal_year),
            "place": how.place,
            "zone": case.zone,
            "region": case.region,
            "consulter_type": individual_type(),
            "consent": basis == ConsentBasis.CONSENT,
            "note": f"個別支援 {case.number}（{case.pseudonym}）：{agency.name}へ紹介",
        },
        categories=[category],
        agencies=[(agency, AgencyAction.REFERRAL)],
    )
    return create_record(by=by, data=data, today=today)


def _ensure_referral_link(*, by: User, record: SupportRecord, agency: Agency, today: date) -> None:
    """The record names the agency with action REFERRAL, through the records service."""
    links = list(RecordAgency.objects.filter(record=record).select_related("agency"))
    if any(link.agency_id == agency.pk and link.action == AgencyAction.REFERRAL for link in links):
        return
    agencies = [
        (link.agency, AgencyAction.REFERRAL if link.agency_id == agency.pk else link.action)
        for link in links
    ]
    if all(link.agency_id != agency.pk for link in links):
        agencies.append((agency, AgencyAction.REFERRAL))
    data = RecordData(
        values={name: getattr(record, name) for name in SCALAR_FIELDS},
        categories=list(record.categories.all()),
        agencies=agencies,
    )
    update_record(by=by, record=record, data=data, expected_version=record.version, today=today)


# --- making and following referrals ---------------------------------------------------


def _check_referral(
    *, agency: Agency | None, referred_on: date, request: str, basis: str, today: date
) -> None:
    errors: dict[str, list[str]] = {}
    if basis not in ConsentBasis.values:
        errors["consent_basis"] = [NO_BASIS]
    if agency is None:
        errors["agency"] = ["紹介先の関係機関を選んでください。"]
    if not request.strip():
        errors["request"] = ["依頼した内容を入れてください。"]
    if referred_on > today:
        errors["referred_on"] = ["紹介した日に未来の日付は入れられません。"]
    if errors:
        raise ValidationError(errors)


def refer_from_case(
    *,
    by: User,
    case: Case,
    agency: Agency,
    referred_on: date,
    request: str,
    consent_basis: str,
    record: SupportRecord | None = None,
    new_record: NewRecord | None = None,
    today: date | None = None,
) -> Referral:
    """Refer the person of a case to an agency. Without `record`, a consultation record is
    written for it; with one, it must be among the case's records."""
    require(by, "case.edit", case)
    today = today or timezone.localdate()
    _check_referral(
        agency=agency, referred_on=referred_on, request=request, basis=consent_basis, today=today
    )
    if case.is_anonymised:
        raise ValidationError("匿名化された個別支援からは紹介できません。")
    if case.is_closed:
        raise ValidationError("終了した個別支援からは紹介できません。先に再開してください。")
    if referred_on < case.opened_on:
        raise ValidationError(
            {
                "referred_on": f"紹介した日が受付日（{show_date(case.opened_on)}）より前になっています。"
            }
        )
    if record is not None and not case.records.filter(pk=record.pk).exists():
        raise ValidationError({"record": "この個別支援につながっている記録を選んでください。"})
    with transaction.atomic():
        if record is None:
            record = _referral_record(
                by=by,
                case=case,
                agency=agency,
                referred_on=referred_on,
                basis=consent_basis,
                how=new_record or NewRecord(),
                today=today,
            )
            case.records.add(record)
        else:
            _ensure_referral_link(by=by, record=record, agency=agency, today=today)
        referral = _create(
            by=by,
            case=case,
            record=record,
            agency=agency,
            referred_on=referred_on,
            request=request,
            basis=consent_basis,
        )
    return referral


def refer_from_record(
    *,
    by: User,
    record: SupportRecord,
    agency: Agency,
    referred_on: date,
    request: str,
    consent_basis: str,
    today: date | None = None,
) -> Referral:
    """Follow a referral made in a consultation record; the record names the agency as a
    referral (added if it did not)."""
    require(by, "record.edit", record)
    today = today or timezone.localdate()
    _check_referral(
        agency=agency, referred_on=referred_on, request=request, basis=consent_basis, today=today
    )
    if record.deleted_at is not None:
        raise ValidationError("削除された記録からは紹介を記録できません。")
    if not record.is_consultation:
        raise ValidationError("紹介は相談の記録からだけ記録できます（相談者区分のある記録）。")
    if referred_on < record.date:
        raise ValidationError(
            {
                "referred_on": f"紹介した日が記録の日付（{show_date(record.date)}）より前になっています。"
            }
        )
    with transaction.atomic():
        _ensure_referral_link(by=by, record=record, agency=agency, today=today)
        referral = _create(
            by=by,
            case=None,
            record=record,
            agency=agency,
            referred_on=referred_on,
            request=request,
            basis=consent_basis,
        )
    return referral


def _create(
    *,
    by: User,
    case: Case | None,
    record: SupportRecord,
    agency: Agency,
    referred_on: date,
    request: str,
    basis: str,
) -> Referral:
    referral = Referral.objects.create(
        case=case,
        record=record,
        agency=agency,
        referred_on=referred_on,
        request=request.strip(),
        consent_basis=basis,
        last_update_on=referred_on,
        staff=by,
        created_by=by,
    )
    ReferralUpdate.objects.create(
        referral=referral, updated_on=referred_on, status=referral.status, by=by
    )
    log_action(
        by=by,
        action="cases.referral.created",
        target=referral,
        changes={
            "agency": agency.name,
            "referred_on": referred_on,
            "consent_basis": referral.get_consent_basis_display(),
            "case": case.number if case else "",
            "record": str(record),
        },
    )
    return referral


def update_referral(
    *,
    by: User,
    referral: Referral,
    status: str,
    updated_on: date,
    note: str = "",
    today: date | None = None,
) -> Referral:
    """What the agency did since: accepted, working on it, done or not. Any update, even
    with the same status, restarts the count of days without news."""
    require(by, "referral.edit", referral)
    today = today or timezone.localdate()
    if referral.status in FINAL_REFERRAL_STATUSES:
        raise ValidationError(
            f"この紹介は「{referral.get_status_display()}」で終わっています。"
            "続きがあるときは、新しい紹介として記録してください。"
        )
    if referral.case is not None and referral.case.is_anonymised:
        raise ValidationError("匿名化された個別支援の紹介は変更できません。")
    if status not in ReferralStatus.values:
        raise ValidationError({"status": "状況を選んでください。"})
    if updated_on > today:
        raise ValidationError({"updated_on": "日付に未来の日付は入れられません。"})
    if updated_on < referral.referred_on:
        raise ValidationError(
            {
                "updated_on": f"日付が紹介した日（{show_date(referral.referred_on)}）より前になっています。"
            }
        )
    if status in FINAL_REFERRAL_STATUSES and not note.strip():
        raise ValidationError(
            {"note": f"「{ReferralStatus(status).label}」にするときは、結果を書いてください。"}
        )
    with transaction.atomic():
        old = referral.get_status_display()
        referral.status = status
        referral.last_update_on = max(referral.last_update_on, updated_on)
        fields = ["status", "last_update_on"]
        if status in FINAL_REFERRAL_STATUSES:
            referral.outcome = note.strip()
            fields.append("outcome")
        referral.save(update_fields=fields)
        ReferralUpdate.objects.create(
            referral=referral, updated_on=updated_on, status=status, note=note.strip(), by=by
        )
        log_action(
            by=by,
            action="cases.referral.updated",
            target=referral,
            changes={"status": [old, referral.get_status_display()], "updated_on": updated_on},
        )
    return referral


# --- reading --------------------------------------------------------------------------


def stale_referrals(user: Any, today: date, days: int | None = None) -> ReferralQuerySet:
    """The user's open referrals with no update for N days (TSUNAGU_REFERRAL_STALE_DAYS)."""
    days = stale_referral_days() if days is None else days
    return (
        Referral.objects.visible_to(user)
        .stale(today, days)
        .with_related()
        .order_by("last_update_on", "id")
    )


def referral_counts_by_agency_group(fiscal_year: int) -> dict[str, int]:
    """Referrals of a fiscal year by the agency's reporting group, counted as the report
    counts agencies: once per live support record and group."""
    pairs = set(
        Referral.objects.filter(
            record__fiscal_year=fiscal_year, record__deleted_at__isnull=True
        ).values_list("record_id", "agency__group__name")
    )
    return dict(Counter(group for _record, group in pairs))
