"""Volunteers' registrations and their insurance. A registration also creates (or
links) the support record the report counts it by (consultations.py)."""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from tsunagu.accounts.models import User
from tsunagu.audit.services import diff as _diff
from tsunagu.audit.services import log_action
from tsunagu.core.access import require
from tsunagu.core.concurrency import claim_version
from tsunagu.core.dates import show_date
from tsunagu.directory.models import Region, Zone
from tsunagu.lib.fiscal import fiscal_year_bounds, fiscal_year_label, fiscal_year_of
from tsunagu.records.models import SupportRecord
from tsunagu.volunteers.consultations import REGISTRATION_CATEGORY, check_link, create_consultation
from tsunagu.volunteers.duplicates import Identity, find_duplicates, identity_of
from tsunagu.volunteers.models import (
    InsuranceEnrolment,
    InsurancePlan,
    Skill,
    Volunteer,
    VolunteerKind,
)
from tsunagu.volunteers.services.common import snapshot, today_or

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
REGISTRATION_NOTE = "ボランティアセンターで登録（ボランティア登録票あり）"


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


def _volunteer_snapshot(volunteer: Volunteer) -> dict[str, Any]:
    data = snapshot(volunteer, VOLUNTEER_FIELDS)
    data["skills"] = [s.name for s in volunteer.skills.order_by("order", "id")]
    data["regions"] = [r.name for r in volunteer.regions.order_by("order", "id")]
    data["zones"] = [z.name for z in volunteer.zones.order_by("order", "id")]
    return data


def log_volunteer_read(*, by: User, volunteer: Volunteer) -> None:
    """Reading a registration is itself logged: it shows the person's name and contact."""
    log_action(by=by, action="volunteers.volunteer.read", target=volunteer)


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
    today = today_or(today)
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
    today = today_or(today)
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
