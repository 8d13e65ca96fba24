"""Every change in the volunteer centre. Each runs in one transaction with its audit entry;
registrations and donation offers also create (or link) the support record the report
counts them by (consultations.py)."""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from tsunagu.accounts.models import User
from tsunagu.audit.services import diff as _diff
from tsunagu.audit.services import log_action
from tsunagu.core.access import require
from tsunagu.core.concurrency import claim_version
from tsunagu.core.dates import show_date
from tsunagu.directory.models import Region, Zone
from tsunagu.lib.fiscal import (
    fiscal_year_bounds,
    fiscal_year_label,
    fiscal_year_of,
)
from tsunagu.records.models import SupportRecord
from tsunagu.volunteers.availability import describe_availability, from_json
from tsunagu.volunteers.consultations import (
    DONATION_CATEGORY,
    REGISTRATION_CATEGORY,
    check_link,
    create_consultation,
)
from tsunagu.volunteers.duplicates import Identity, find_duplicates, identity_of
from tsunagu.volunteers.models import (
    DonationOffer,
    HelpRequest,
    InsuranceEnrolment,
    InsurancePlan,
    Match,
    MatchReview,
    OfferStatus,
    RequestStatus,
    Skill,
    Volunteer,
    VolunteerKind,
)

VOLUNTEER_FIELDS = (
    "kind",
    "family_name",
    "given_name",
    "family_name_kana",
    "given_name_kana",
    "group_name",
    "group_name_kana",
    "birth_year",
    "member_count",
    "availability",
    "availability_note",
    "contact",
    "consent_to_introduce",
    "active",
    "registered_on",
    "note",
)
OFFER_FIELDS = (
    "offered_on",
    "donor_name",
    "contact",
    "item",
    "quantity",
    "condition",
    "pickup",
    "pickup_note",
    "status",
    "recipient_group",
    "recipient_case_id",
    "recipient_note",
    "given_on",
    "note",
)
REQUEST_FIELDS = (
    "group",
    "requested_on",
    "title",
    "description",
    "schedule",
    "availability",
    "starts_on",
    "ends_on",
    "place",
    "people_needed",
    "status",
)
REGISTRATION_NOTE = "ボランティアセンターで登録（ボランティア登録票あり）"
OFFER_NOTE = "ボランティアセンターで寄付・寄贈の申し出を受付"


class DuplicateVolunteer(ValidationError):
    """Registrations that may be the same volunteer; saving needs the user's confirmation."""

    def __init__(self, duplicates: list[Volunteer]) -> None:
        names = "、".join(v.full_name for v in duplicates)
        super().__init__(
            f"同じ方かもしれない登録がすでにあります（{names}）。内容を確かめ、別の方であれば"
            "「別の方として登録する」にチェックを入れて、もう一度保存してください。"
        )
        self.duplicates = duplicates


@dataclass
class VolunteerData:
    """A validated registration, as the form produces it."""

    values: dict[str, Any]
    skills: list[Skill] = field(default_factory=list)
    regions: list[Region] = field(default_factory=list)
    zones: list[Zone] = field(default_factory=list)


def _shown(name: str, value: Any) -> Any:
    if name == "availability":
        return describe_availability(from_json(value))
    return value


def _snapshot(obj: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    """Raw values for the audit log to compare; log_action masks the personal ones that
    volunteers/audit_labels.py declares."""
    return {name: _shown(name, getattr(obj, name)) for name in fields}


def _volunteer_snapshot(volunteer: Volunteer) -> dict[str, Any]:
    data = _snapshot(volunteer, VOLUNTEER_FIELDS)
    data["skills"] = [s.name for s in volunteer.skills.order_by("order", "id")]
    data["regions"] = [r.name for r in volunteer.regions.order_by("order", "id")]
    data["zones"] = [z.name for z in volunteer.zones.order_by("order", "id")]
    return data


def _today(today: date | None) -> date:
    return today or timezone.localdate()


# --- reading ---------------------------------------------------------------------------------


def log_volunteer_read(*, by: User, volunteer: Volunteer) -> None:
    """Reading a registration is itself logged: it shows the person's name and contact."""
    log_action(by=by, action="volunteers.volunteer.read", target=volunteer)


def log_offer_read(*, by: User, offer: DonationOffer) -> None:
    """Reading an offer is logged: it may show the donor and how to reach them."""
    log_action(by=by, action="volunteers.offer.read", target=offer)


# --- registrations -------------------------------------------------------------------------


def check_volunteer(values: dict[str, Any], *, today: date) -> None:
    errors: dict[str, list[str]] = {}
    if values.get("kind") == VolunteerKind.GROUP:
        if not values.get("group_name"):
            errors["group_name"] = ["団体名を入力してください。"]
    else:
        if not values.get("family_name"):
            errors["family_name"] = ["氏を入力してください。"]
        if not values.get("given_name"):
            errors["given_name"] = ["名を入力してください。"]
    registered_on: date | None = values.get("registered_on")
    if registered_on is not None and registered_on > today:
        errors["registered_on"] = ["未来の日付では登録できません。"]
    birth_year = values.get("birth_year")
    if birth_year is not None and not 1900 <= birth_year <= today.year:
        errors["birth_year"] = [f"生まれ年は1900年から{today.year}年までで入力してください。"]
    if errors:
        raise ValidationError(errors)


def identity_from(values: dict[str, Any]) -> Identity:
    if values.get("kind") == VolunteerKind.GROUP:
        name, kana = values.get("group_name", ""), values.get("group_name_kana", "")
    else:
        name = " ".join(p for p in (values.get("family_name"), values.get("given_name")) if p)
        kana = " ".join(
            p for p in (values.get("family_name_kana"), values.get("given_name_kana")) if p
        )
    return Identity.of(
        kind=values.get("kind", VolunteerKind.PERSON),
        name=name,
        kana=kana,
        birth_year=values.get("birth_year"),
    )


def register_volunteer(
    *,
    by: User,
    data: VolunteerData,
    place: str,
    record: SupportRecord | None = None,
    allow_duplicate: bool = False,
    today: date | None = None,
) -> Volunteer:
    """Register a volunteer and the consultation it is counted as (the category coded
    `volunteer-wish`, by default 「ボランティアしたい」):
    the given record when linking one already written, else a new one on the same day.

    Raises DuplicateVolunteer when a registration may be the same person, unless the user
    confirmed (allow_duplicate)."""
    require(by, "volunteer.edit")
    today = _today(today)
    values = data.values
    check_volunteer(values, today=today)
    if not allow_duplicate and (duplicates := find_duplicates(identity_from(values))):
        raise DuplicateVolunteer(duplicates)
    try:
        with transaction.atomic():
            if record is not None:
                record = SupportRecord.objects.select_for_update().get(pk=record.pk)
                check_link(
                    record,
                    category_code=REGISTRATION_CATEGORY,
                    day=values["registered_on"],
                    related_name="volunteer_registration",
                    own_pk=None,
                )
            else:
                record = create_consultation(
                    by=by,
                    category_code=REGISTRATION_CATEGORY,
                    day=values["registered_on"],
                    place=place,
                    region=data.regions[0] if len(data.regions) == 1 else None,
                    consent=bool(values.get("consent_to_introduce")),
                    note=REGISTRATION_NOTE,
                    today=today,
                )
            volunteer = Volunteer(**values, record=record, created_by=by)
            volunteer.save()
            volunteer.skills.set(data.skills)
            volunteer.regions.set(data.regions)
            volunteer.zones.set(data.zones)
            log_action(
                by=by,
                action="volunteers.volunteer.registered",
                target=volunteer,
                changes={**_volunteer_snapshot(volunteer), "record": record.pk},
            )
    except IntegrityError as error:
        # Two people linking the same record at once: the check passed for both.
        raise ValidationError("選んだ支援記録は、すでに別の登録に結び付いています。") from error
    return volunteer


def update_volunteer(
    *,
    by: User,
    volunteer: Volunteer,
    data: VolunteerData,
    allow_duplicate: bool = False,
    today: date | None = None,
    expected_version: int,
) -> Volunteer:
    require(by, "volunteer.edit", volunteer)
    today = _today(today)
    values = data.values
    check_volunteer(values, today=today)
    identity = identity_from(values)
    # Only a changed identity is checked again: a registration saved as a different
    # person despite a warning is not warned about at every later edit.
    if (
        not allow_duplicate
        and identity != identity_of(volunteer)
        and (duplicates := find_duplicates(identity, exclude_pk=volunteer.pk))
    ):
        raise DuplicateVolunteer(duplicates)
    registered_on = values.get("registered_on", volunteer.registered_on)
    if (
        volunteer.record is not None
        and fiscal_year_of(registered_on) != volunteer.record.fiscal_year
    ):
        raise ValidationError(
            {
                "registered_on": [
                    f"この登録は{fiscal_year_label(volunteer.record.fiscal_year)}の支援記録"
                    f"（{show_date(volunteer.record.date)}）として数えられています。"
                    "登録日は同じ年度の日付にしてください。"
                ]
            }
        )
    with transaction.atomic():
        current = Volunteer.objects.select_for_update().get(pk=volunteer.pk)
        claim_version(current, expected_version)
        before = _volunteer_snapshot(current)
        changed = [n for n in VOLUNTEER_FIELDS if n in values and getattr(current, n) != values[n]]
        for name in changed:
            setattr(current, name, values[name])
        if changed:
            current.save(update_fields=[*changed, "updated_at"])
        current.skills.set(data.skills)
        current.regions.set(data.regions)
        current.zones.set(data.zones)
        diff = _diff(before, _volunteer_snapshot(current))
        if diff:
            log_action(by=by, action="volunteers.volunteer.updated", target=current, changes=diff)
    return current


# --- insurance -----------------------------------------------------------------------------


def enrol_insurance(
    *,
    by: User,
    volunteer: Volunteer,
    plan: InsurancePlan,
    fiscal_year: int,
    enrolled_on: date,
    insured_count: int = 1,
    note: str = "",
) -> InsuranceEnrolment:
    """One enrolment per volunteer and fiscal year, dated inside that year; it is valid
    to 31 March. A date outside the year is refused (enrol for next year from 1 April)."""
    require(by, "insurance.edit")
    start, end = fiscal_year_bounds(fiscal_year)
    label = fiscal_year_label(fiscal_year)
    if not start <= enrolled_on <= end:
        raise ValidationError(
            {
                "enrolled_on": [
                    f"加入日（{show_date(enrolled_on)}）が{label}"
                    f"（{show_date(start)}〜{show_date(end)}）の外です。"
                    f"{fiscal_year_label(fiscal_year_of(enrolled_on))}の加入として登録するか、"
                    "加入日を直してください。"
                ]
            }
        )
    if insured_count < 1:
        raise ValidationError({"insured_count": ["加入人数は1人以上にしてください。"]})
    if volunteer.kind == VolunteerKind.PERSON and insured_count != 1:
        raise ValidationError({"insured_count": ["個人の加入人数は1人です。"]})
    if InsuranceEnrolment.objects.filter(volunteer=volunteer, fiscal_year=fiscal_year).exists():
        raise ValidationError(f"{volunteer.full_name}さんは{label}の保険にすでに加入しています。")
    try:
        with transaction.atomic():
            enrolment = InsuranceEnrolment.objects.create(
                volunteer=volunteer,
                plan=plan,
                fiscal_year=fiscal_year,
                enrolled_on=enrolled_on,
                insured_count=insured_count,
                note=note,
                created_by=by,
            )
            log_action(
                by=by,
                action="volunteers.insurance.enrolled",
                target=volunteer,
                changes={
                    "fiscal_year": label,
                    "plan": plan.name,
                    "enrolled_on": enrolled_on,
                    "insured_count": insured_count,
                },
            )
    except IntegrityError as error:
        raise ValidationError(
            f"{volunteer.full_name}さんは{label}の保険にすでに加入しています。"
        ) from error
    return enrolment


def remove_insurance(*, by: User, enrolment: InsuranceEnrolment) -> None:
    """Take back an enrolment entered by mistake."""
    require(by, "insurance.edit")
    with transaction.atomic():
        log_action(
            by=by,
            action="volunteers.insurance.removed",
            target=enrolment.volunteer,
            changes={"fiscal_year": enrolment.fiscal_year_label, "plan": enrolment.plan.name},
        )
        enrolment.delete()


# --- donation offers -----------------------------------------------------------------------


def _case_exists(case_id: int) -> bool:
    try:
        case_model = apps.get_model("cases", "Case")
    except LookupError:
        return True  # the cases app has no model yet: the number is kept as typed
    return bool(case_model._default_manager.filter(pk=case_id).exists())


def check_offer(values: dict[str, Any], *, today: date) -> None:
    errors: dict[str, list[str]] = {}
    offered_on: date | None = values.get("offered_on")
    if offered_on is not None and offered_on > today:
        errors.setdefault("offered_on", []).append("未来の日付では受け付けられません。")
    group, case_id = values.get("recipient_group"), values.get("recipient_case_id")
    if group is not None and case_id is not None:
        errors.setdefault("recipient_group", []).append(
            "渡した先は、活動団体か個別支援のどちらか一つにしてください。"
        )
    if case_id is not None and not _case_exists(case_id):
        errors.setdefault("recipient_case_id", []).append(
            f"個別支援 No.{case_id} が見つかりません。番号を確かめてください。"
        )
    status = values.get("status")
    if status == OfferStatus.GIVEN:
        if group is None and case_id is None and not values.get("recipient_note"):
            errors.setdefault("recipient_group", []).append(
                "譲渡済にするときは、渡した先（活動団体・個別支援・その他のどれか）を入れてください。"
            )
        if values.get("given_on") is None:
            errors.setdefault("given_on", []).append(
                "譲渡済にするときは、渡した日を入れてください。"
            )
    given_on: date | None = values.get("given_on")
    if given_on is not None and offered_on is not None and given_on < offered_on:
        errors.setdefault("given_on", []).append("渡した日が受付日より前になっています。")
    if given_on is not None and given_on > today:
        errors.setdefault("given_on", []).append("渡した日に未来の日付は入れられません。")
    if errors:
        raise ValidationError(errors)


def record_offer(
    *,
    by: User,
    values: dict[str, Any],
    place: str,
    record: SupportRecord | None = None,
    today: date | None = None,
) -> DonationOffer:
    """Record a donation offer and the consultation it is counted as (the category coded
    `donation-wish`, by default 「寄付（寄贈）したい」)."""
    require(by, "offer.edit")
    today = _today(today)
    check_offer(values, today=today)
    try:
        with transaction.atomic():
            if record is not None:
                record = SupportRecord.objects.select_for_update().get(pk=record.pk)
                check_link(
                    record,
                    category_code=DONATION_CATEGORY,
                    day=values["offered_on"],
                    related_name="donation_offer",
                    own_pk=None,
                )
            else:
                record = create_consultation(
                    by=by,
                    category_code=DONATION_CATEGORY,
                    day=values["offered_on"],
                    place=place,
                    region=None,
                    consent=False,
                    note=OFFER_NOTE,
                    today=today,
                )
            offer = DonationOffer.objects.create(**values, record=record, created_by=by)
            log_action(
                by=by,
                action="volunteers.offer.recorded",
                target=offer,
                changes={**_snapshot(offer, OFFER_FIELDS), "record": record.pk},
            )
    except IntegrityError as error:
        raise ValidationError("選んだ支援記録は、すでに別の申し出に結び付いています。") from error
    return offer


def update_offer(
    *,
    by: User,
    offer: DonationOffer,
    values: dict[str, Any],
    today: date | None = None,
    expected_version: int,
) -> DonationOffer:
    require(by, "offer.edit", offer)
    today = _today(today)
    merged = {n: values.get(n, getattr(offer, n)) for n in OFFER_FIELDS}
    check_offer(merged, today=today)
    if (
        offer.record is not None
        and fiscal_year_of(merged["offered_on"]) != offer.record.fiscal_year
    ):
        raise ValidationError(
            {
                "offered_on": [
                    f"この申し出は{fiscal_year_label(offer.record.fiscal_year)}の支援記録として"
                    "数えられています。受付日は同じ年度の日付にしてください。"
                ]
            }
        )
    with transaction.atomic():
        current = DonationOffer.objects.select_for_update().get(pk=offer.pk)
        claim_version(current, expected_version)
        before = _snapshot(current, OFFER_FIELDS)
        changed = [n for n in OFFER_FIELDS if n in values and getattr(current, n) != values[n]]
        for name in changed:
            setattr(current, name, values[name])
        if changed:
            current.save(update_fields=[*changed, "updated_at"])
            log_action(
                by=by,
                action="volunteers.offer.updated",
                target=current,
                changes=_diff(before, _snapshot(current, OFFER_FIELDS)),
            )
    return current


# --- groups' requests ----------------------------------------------------------------------


def check_request(values: dict[str, Any]) -> None:
    errors: dict[str, list[str]] = {}
    starts_on, ends_on = values.get("starts_on"), values.get("ends_on")
    if starts_on is not None and ends_on is not None and ends_on < starts_on:
        errors["ends_on"] = ["終了日が開始日より前になっています。"]
    if (values.get("people_needed") or 0) < 1:
        errors["people_needed"] = ["必要な人数は1人以上にしてください。"]
    if errors:
        raise ValidationError(errors)


def _request_snapshot(help_request: HelpRequest) -> dict[str, Any]:
    data = _snapshot(help_request, REQUEST_FIELDS)
    data["skills"] = [s.name for s in help_request.skills.order_by("order", "id")]
    return data


def save_help_request(
    *,
    by: User,
    values: dict[str, Any],
    skills: list[Skill],
    help_request: HelpRequest | None = None,
    expected_version: int | None = None,
) -> HelpRequest:
    """Create a group's request for helpers, or change one (`expected_version`: the
    version the edit form was opened on, required for a change)."""
    require(by, "help_request.edit", help_request)
    check_request(values)
    with transaction.atomic():
        if help_request is None:
            help_request = HelpRequest.objects.create(**values, created_by=by)
            help_request.skills.set(skills)
            log_action(
                by=by,
                action="volunteers.request.created",
                target=help_request,
                changes=_request_snapshot(help_request),
            )
            return help_request
        if expected_version is None:
            raise TypeError("changing a help request needs the expected_version")
        current = HelpRequest.objects.select_for_update().get(pk=help_request.pk)
        claim_version(current, expected_version)
        before = _request_snapshot(current)
        changed = [n for n in REQUEST_FIELDS if n in values and getattr(current, n) != values[n]]
        for name in changed:
            setattr(current, name, values[name])
        if changed:
            current.save(update_fields=[*changed, "updated_at"])
        current.skills.set(skills)
        diff = _diff(before, _request_snapshot(current))
        if diff:
            log_action(by=by, action="volunteers.request.updated", target=current, changes=diff)
    return current


# --- matches -------------------------------------------------------------------------------


def record_match(
    *,
    by: User,
    help_request: HelpRequest,
    volunteer: Volunteer,
    frequency: str,
    started_on: date,
    next_review_on: date | None = None,
    reasons: str = "",
    note: str = "",
    today: date | None = None,
) -> Match:
    """A volunteer starts helping with a request. When the request then has as many
    helpers as it needs, it is marked 充足."""
    require(by, "help_request.edit", help_request)
    today = _today(today)
    errors: dict[str, list[str]] = {}
    if not volunteer.active:
        errors.setdefault("volunteer", []).append(
            f"{volunteer.full_name}さんの登録は休止中です。紹介できません。"
        )
    if not volunteer.consent_to_introduce:
        errors.setdefault("volunteer", []).append(
            f"{volunteer.full_name}さんからは紹介の同意を得ていません。同意を確かめて登録を直してから紹介してください。"
        )
    if help_request.status == RequestStatus.CLOSED:
        errors.setdefault("__all__", []).append("終了した募集にはマッチングを記録できません。")
    if not frequency.strip():
        errors.setdefault("frequency", []).append("頻度を入れてください（例：月2回）。")
    if next_review_on is not None and next_review_on < started_on:
        errors.setdefault("next_review_on", []).append("見直し日が開始日より前になっています。")
    if help_request.matches.current(today).filter(volunteer=volunteer).exists():
        errors.setdefault("volunteer", []).append(
            f"{volunteer.full_name}さんはこの募集ですでに活動中です。"
        )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        match = Match.objects.create(
            help_request=help_request,
            volunteer=volunteer,
            frequency=frequency.strip(),
            started_on=started_on,
            next_review_on=next_review_on,
            reasons=reasons[:300],
            note=note,
            created_by=by,
        )
        log_action(
            by=by,
            action="volunteers.match.recorded",
            target=match,
            changes={
                "help_request": str(help_request),
                "frequency": match.frequency,
                "started_on": started_on,
                "next_review_on": next_review_on,
                "reasons": match.reasons,
            },
        )
        helpers = help_request.matches.current(today).count()
        if (
            help_request.status in (RequestStatus.OPEN, RequestStatus.ARRANGING)
            and helpers >= help_request.people_needed
        ):
            old = help_request.status
            help_request.status = RequestStatus.FILLED
            help_request.save(update_fields=["status", "updated_at"])
            log_action(
                by=by,
                action="volunteers.request.updated",
                target=help_request,
                changes={"status": [RequestStatus(old).label, RequestStatus.FILLED.label]},
            )
    return match


def review_match(
    *,
    by: User,
    match: Match,
    reviewed_on: date,
    note: str = "",
    next_review_on: date | None = None,
    today: date | None = None,
) -> MatchReview:
    require(by, "volunteer_match.edit")
    today = _today(today)
    errors: dict[str, list[str]] = {}
    if reviewed_on > today:
        errors["reviewed_on"] = ["見直した日に未来の日付は入れられません。"]
    if reviewed_on < match.started_on:
        errors["reviewed_on"] = ["見直した日がマッチングの開始日より前になっています。"]
    if next_review_on is not None and next_review_on <= reviewed_on:
        errors["next_review_on"] = ["次の見直し日は、見直した日より後にしてください。"]
    if match.ended_on is not None:
        errors["__all__"] = ["終了したマッチングは見直せません。"]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        review = MatchReview.objects.create(
            match=match, reviewed_on=reviewed_on, note=note, created_by=by
        )
        old = match.next_review_on
        match.next_review_on = next_review_on
        match.save(update_fields=["next_review_on"])
        log_action(
            by=by,
            action="volunteers.match.reviewed",
            target=match,
            changes={
                "reviewed_on": reviewed_on,
                "note": note,
                "next_review_on": [old, next_review_on],
            },
        )
    return review


def end_match(*, by: User, match: Match, ended_on: date, reason: str) -> Match:
    require(by, "volunteer_match.edit")
    errors: dict[str, list[str]] = {}
    if match.ended_on is not None:
        errors["__all__"] = ["このマッチングはすでに終了しています。"]
    if ended_on < match.started_on:
        errors["ended_on"] = ["終了日がマッチングの開始日より前になっています。"]
    if not reason.strip():
        errors["end_reason"] = ["終了の理由を入れてください。"]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        match.ended_on = ended_on
        match.end_reason = reason.strip()
        match.save(update_fields=["ended_on", "end_reason"])
        log_action(
            by=by,
            action="volunteers.match.ended",
            target=match,
            changes={"ended_on": ended_on, "end_reason": match.end_reason},
        )
    return match
