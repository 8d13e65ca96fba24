"""Every change to a case and what hangs off it: the case itself (with its identity and
consent), its status, its staff, linked records, asks, matches and follow-ups. Each runs
in one transaction with its audit entry. Referrals are in referrals.py, anonymisation in
retention.py."""

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from tsunagu.accounts.models import User
from tsunagu.audit.services import diff as audit_diff
from tsunagu.audit.services import log_action
from tsunagu.cases.duplicates import find_duplicates
from tsunagu.cases.models import (
    IDENTITY_FIELDS,
    Ask,
    AskAnswer,
    Case,
    CaseStatus,
    CloseReason,
    ConsentPurpose,
    FollowUp,
    Match,
    MatchReview,
    NeedKind,
    Referral,
    StatusChange,
)
from tsunagu.core.access import can, require
from tsunagu.core.concurrency import claim_version
from tsunagu.core.dates import show_date
from tsunagu.directory.models import ActivityGroup
from tsunagu.lib.textnorm import normalize, normalize_name
from tsunagu.records.models import SupportRecord
from tsunagu.volunteers.availability import AvailabilityParseError, parse_availability, to_json
from tsunagu.volunteers.models import Volunteer

# The fields of a case a form sets directly (needs and staff are relations).
CASE_FIELDS = (
    "pseudonym",
    "age_band",
    "zone",
    "region",
    "when_needed",
    "summary",
    "opened_on",
    *IDENTITY_FIELDS,
    "consent_given_by",
    "consent_on",
    "consent_purposes",
)
NAME_FIELDS = ("family_name", "given_name", "family_name_kana", "given_name_kana")

# Which status may follow which. A closed case may be reopened while it still has its
# details; an anonymised one never.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    CaseStatus.RECEIVED: (CaseStatus.ASKING, CaseStatus.SUPPORTING, CaseStatus.CLOSED),
    CaseStatus.ASKING: (CaseStatus.RECEIVED, CaseStatus.SUPPORTING, CaseStatus.CLOSED),
    CaseStatus.SUPPORTING: (CaseStatus.ASKING, CaseStatus.CLOSED),
    CaseStatus.CLOSED: (CaseStatus.RECEIVED,),
}


class PossibleDuplicate(ValidationError):
    """A case with the same name, フリガナ or birth year exists: the user confirms first."""

    def __init__(self, cases: list[Case]) -> None:
        super().__init__(
            "同じ氏名・フリガナ（と生まれ年）の個別支援がすでにあります。"
            "同じ方であれば、既存の個別支援を開いてください。別の方であれば、確認の欄に"
            "チェックを入れてもう一度保存してください。"
        )
        self.cases = cases


# --- reading ---------------------------------------------------------------------------


def log_case_read(*, by: User, case: Case) -> None:
    """Reading a case is itself logged: it holds sensitive personal data."""
    log_action(by=by, action="cases.case.read", target=case)


def log_referral_read(*, by: User, referral: Referral) -> None:
    log_action(by=by, action="cases.referral.read", target=referral)


def log_duplicate_warning(*, by: User, cases: list[Case], hidden: int) -> None:
    """A duplicate check that found cases: who looked for whom is itself personal data."""
    log_action(
        by=by,
        action="cases.case.duplicate_warned",
        changes={"cases": [case.number for case in cases], "not_assigned": hidden},
    )


def log_case_export(*, by: User, count: int, fmt: str) -> None:
    log_action(by=by, action="cases.case.exported", changes={"rows": count, "format": fmt})


# --- the case itself ------------------------------------------------------------------


def _audit_values(case: Case) -> dict[str, Any]:
    """The case as the audit log compares it (raw: log_action masks the private fields
    that cases/audit_labels.py declares)."""
    values: dict[str, Any] = {}
    for name in CASE_FIELDS:
        value = getattr(case, name)
        values[name] = case.consent_purpose_labels if name == "consent_purposes" else value
    values["needs"] = sorted(n.name for n in case.needs.all())
    values["staff"] = sorted(u.display_name for u in case.staff.all())
    return values


def _clean_values(values: dict[str, Any]) -> dict[str, Any]:
    """Tidy typed text: names NFKC with single spaces, blanks as ""."""
    cleaned = {name: values.get(name) for name in CASE_FIELDS}
    for name in (*NAME_FIELDS, "pseudonym", "consent_given_by"):
        cleaned[name] = normalize_name(cleaned[name] or "")
    for name in ("when_needed", "summary", "contact"):
        cleaned[name] = (cleaned[name] or "").strip()
    cleaned["consent_purposes"] = [
        p for p in ConsentPurpose.values if p in (cleaned["consent_purposes"] or [])
    ]
    if cleaned["region"] is not None:
        cleaned["zone"] = cleaned["region"].zone
    return cleaned


def check_case(
    values: dict[str, Any], needs: list[NeedKind], staff: list[User], *, today: date
) -> None:
    """The rules of a case that the form alone cannot see. Raises ValidationError."""
    errors: dict[str, list[str]] = {}

    def error(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if not values["pseudonym"]:
        error("pseudonym", "仮名またはイニシャルを入れてください（例：Tさん）。")
    if values["zone"] is None:
        error("zone", "圏域か地域社協を選んでください。")
    if not needs:
        error("needs", "困りごとを一つ以上選んでください。")
    if not staff:
        error("staff", "担当職員を一人以上選んでください。")
    if any(not can(user, "case.create") for user in staff):
        error("staff", "担当職員には職員か管理者のアカウントを選んでください。")
    if values["opened_on"] is not None and values["opened_on"] > today:
        error("opened_on", "受付日に未来の日付は入れられません。")
    if values["when_needed"]:
        try:
            parse_availability(values["when_needed"])
        except AvailabilityParseError as problem:
            error("when_needed", str(problem))

    has_identity = any(values[name] not in ("", None) for name in IDENTITY_FIELDS)
    consent_given = values["consent_on"] is not None
    if has_identity and not consent_given:
        error(
            "consent_on",
            "氏名・フリガナ・連絡先・生まれ年は、本人の同意を記録したときだけ登録できます。"
            "同意した人・同意した日・同意の範囲を入れるか、これらの欄を空にしてください。",
        )
    if consent_given:
        if not values["consent_given_by"]:
            error("consent_given_by", "同意した人を入れてください（例：本人、長女）。")
        if values["consent_on"] > today:
            error("consent_on", "同意した日に未来の日付は入れられません。")
        if not values["consent_purposes"]:
            error("consent_purposes", "同意の範囲を一つ以上選んでください。")
        elif has_identity and ConsentPurpose.RECORD not in values["consent_purposes"]:
            error(
                "consent_purposes",
                "氏名や連絡先を登録するには、同意の範囲に"
                f"「{ConsentPurpose.RECORD.label}」が含まれている必要があります。",
            )
    if values["family_name"] == "" and values["given_name"] != "":
        error("family_name", "名だけでなく氏も入れてください。")
    if errors:
        raise ValidationError(errors)


def _check_duplicates(values: dict[str, Any], *, exclude: int | None, confirmed: bool) -> None:
    if confirmed:
        return
    duplicates = find_duplicates(
        family_name=values["family_name"],
        given_name=values["given_name"],
        family_name_kana=values["family_name_kana"],
        given_name_kana=values["given_name_kana"],
        birth_year=values["birth_year"],
        exclude=exclude,
    )
    if duplicates:
        raise PossibleDuplicate(duplicates)


def create_case(
    *,
    by: User,
    values: dict[str, Any],
    needs: Iterable[NeedKind],
    staff: Iterable[User],
    not_duplicate: bool = False,
    today: date | None = None,
) -> Case:
    """Register a case. Refused without consent when it has identity; a case like an
    existing one raises PossibleDuplicate unless the user confirmed it is another."""
    require(by, "case.create")
    today = today or timezone.localdate()
    values = _clean_values(values)
    needs, staff = list(needs), list(staff)
    check_case(values, needs, staff, today=today)
    _check_duplicates(values, exclude=None, confirmed=not_duplicate)
    with transaction.atomic():
        case = Case(**values, created_by=by)
        case.slots_needed = _slots(values["when_needed"])
        case.save()
        case.needs.set(needs)
        case.staff.set(staff)
        StatusChange.objects.create(case=case, status=case.status, changed_on=case.opened_on, by=by)
        log_action(by=by, action="cases.case.created", target=case, changes=_audit_values(case))
    return case


def _slots(text: str) -> list[list[int | str]]:
    return to_json(parse_availability(text)) if text else []


def _may_work_on(by: User, case: Case) -> None:
    """The guard of every change to a case: `case.edit` for the user, then its state."""
    require(by, "case.edit", case)
    if case.is_anonymised:
        raise ValidationError(
            "この個別支援は保存期間を過ぎて匿名化されています。変更はできません。"
            "件数の集計にだけ使われます。"
        )


def update_case(
    *,
    by: User,
    case: Case,
    values: dict[str, Any],
    needs: Iterable[NeedKind],
    staff: Iterable[User],
    not_duplicate: bool = False,
    today: date | None = None,
    expected_version: int,
) -> Case:
    today = today or timezone.localdate()
    _may_work_on(by, case)
    values = _clean_values(values)
    needs, staff = list(needs), list(staff)
    check_case(values, needs, staff, today=today)
    _check_duplicates(values, exclude=case.pk, confirmed=not_duplicate)
    with transaction.atomic():
        current = Case.objects.select_for_update().get(pk=case.pk)
        claim_version(current, expected_version)
        before = _audit_values(current)
        changed = [name for name in CASE_FIELDS if getattr(current, name) != values[name]]
        for name in changed:
            setattr(current, name, values[name])
        if "when_needed" in changed:
            current.slots_needed = _slots(values["when_needed"])
            changed.append("slots_needed")
        current.save(update_fields=[*changed, "updated_at"])
        current.needs.set(needs)
        current.staff.set(staff)
        after = _audit_values(current)
        diff = audit_diff(before, after)
        if diff:
            log_action(by=by, action="cases.case.updated", target=current, changes=diff)
    return current


def change_status(
    *,
    by: User,
    case: Case,
    status: str,
    on: date,
    reason: str = "",
    note: str = "",
    today: date | None = None,
) -> Case:
    """Move the case to another status; closing needs a reason and a date."""
    today = today or timezone.localdate()
    _may_work_on(by, case)
    if status not in CaseStatus.values:
        raise ValidationError("状況の値が正しくありません。")
    if status == case.status:
        raise ValidationError(f"この個別支援はすでに「{case.get_status_display()}」です。")
    if status not in TRANSITIONS[case.status]:
        raise ValidationError(
            f"「{case.get_status_display()}」から「{CaseStatus(status).label}」には変えられません。"
        )
    if on > today:
        raise ValidationError("日付に未来の日付は入れられません。")
    if on < case.opened_on:
        raise ValidationError(f"日付が受付日（{show_date(case.opened_on)}）より前になっています。")
    if status == CaseStatus.CLOSED and reason not in CloseReason.values:
        raise ValidationError("終了するときは、終了の理由を選んでください。")
    with transaction.atomic():
        return _set_status(by=by, case=case, status=status, on=on, reason=reason, note=note)


def _set_status(
    *, by: User, case: Case, status: str, on: date, reason: str = "", note: str = ""
) -> Case:
    old = case.get_status_display()
    case.status = status
    closing = status == CaseStatus.CLOSED
    case.closed_on = on if closing else None
    case.close_reason = reason if closing else ""
    case.save(update_fields=["status", "closed_on", "close_reason", "updated_at"])
    StatusChange.objects.create(
        case=case, status=status, changed_on=on, reason=case.close_reason, note=note, by=by
    )
    changes: dict[str, Any] = {"status": [old, case.get_status_display()]}
    if closing:
        changes["close_reason"] = case.get_close_reason_display()
    log_action(by=by, action="cases.case.status_changed", target=case, changes=changes)
    return case


def _advance(*, by: User, case: Case, to: str, on: date) -> None:
    """Asking a group moves a new case to 打診中, a match moves it to 支援中; a case
    already further along (or closed) keeps its status."""
    order: list[str] = [CaseStatus.RECEIVED, CaseStatus.ASKING, CaseStatus.SUPPORTING]
    if case.status in order and order.index(case.status) < order.index(to):
        _set_status(by=by, case=case, status=to, on=on)


# --- records --------------------------------------------------------------------------


def link_record(*, by: User, case: Case, record: SupportRecord) -> None:
    _may_work_on(by, case)
    if record.deleted_at is not None:
        raise ValidationError("削除された記録はつなげられません。")
    if case.records.filter(pk=record.pk).exists():
        raise ValidationError("この記録はすでにこの個別支援につながっています。")
    with transaction.atomic():
        case.records.add(record)
        log_action(
            by=by, action="cases.record.linked", target=case, changes={"record": str(record)}
        )


def unlink_record(*, by: User, case: Case, record: SupportRecord) -> None:
    _may_work_on(by, case)
    if case.referrals.filter(record=record).exists():
        raise ValidationError(
            "この記録には紹介が結びついているため、はずせません。紹介の記録として残ります。"
        )
    with transaction.atomic():
        case.records.remove(record)
        log_action(
            by=by, action="cases.record.unlinked", target=case, changes={"record": str(record)}
        )


def _helper(match: Match) -> Any:
    """The group or volunteer row: the log names a volunteer by the registration number."""
    return match.group or match.volunteer


# --- asks -----------------------------------------------------------------------------


def _check_date(value: date, *, label: str, case: Case, today: date) -> None:
    if value > today:
        raise ValidationError(f"{label}に未来の日付は入れられません。")
    if value < case.opened_on:
        raise ValidationError(
            f"{label}が受付日（{show_date(case.opened_on)}）より前になっています。"
        )


def record_ask(
    *,
    by: User,
    case: Case,
    group: ActivityGroup,
    asked_on: date,
    occasion: str = "",
    request: str = "",
    today: date | None = None,
) -> Ask:
    """A staff member asked a group whether it could help; the case goes to 打診中."""
    today = today or timezone.localdate()
    _may_work_on(by, case)
    if case.is_closed:
        raise ValidationError("終了した個別支援には打診を記録できません。先に再開してください。")
    _check_date(asked_on, label="打診した日", case=case, today=today)
    with transaction.atomic():
        ask = Ask.objects.create(
            case=case,
            group=group,
            asked_on=asked_on,
            occasion=occasion.strip(),
            request=request.strip(),
            created_by=by,
        )
        log_action(
            by=by,
            action="cases.ask.created",
            target=case,
            changes={"group": group.name, "asked_on": asked_on, "occasion": ask.occasion},
        )
        _advance(by=by, case=case, to=CaseStatus.ASKING, on=asked_on)
    return ask


def answer_ask(
    *,
    by: User,
    ask: Ask,
    answer: str,
    answered_on: date,
    note: str = "",
    today: date | None = None,
) -> Ask:
    today = today or timezone.localdate()
    _may_work_on(by, ask.case)
    if answer not in AskAnswer.values or answer == AskAnswer.PENDING:
        raise ValidationError("回答（引き受ける・検討中・見送り）を選んでください。")
    if answered_on > today:
        raise ValidationError("回答日に未来の日付は入れられません。")
    if answered_on < ask.asked_on:
        raise ValidationError(
            f"回答日が打診した日（{show_date(ask.asked_on)}）より前になっています。"
        )
    with transaction.atomic():
        old = ask.get_answer_display()
        ask.answer, ask.answered_on, ask.answer_note = answer, answered_on, note.strip()
        ask.save(update_fields=["answer", "answered_on", "answer_note"])
        log_action(
            by=by,
            action="cases.ask.answered",
            target=ask.case,
            changes={"group": ask.group.name, "answer": [old, ask.get_answer_display()]},
        )
    return ask


# --- matches --------------------------------------------------------------------------


def record_match(
    *,
    by: User,
    case: Case,
    frequency: str,
    started_on: date,
    group: ActivityGroup | None = None,
    volunteer: Volunteer | None = None,
    need: NeedKind | None = None,
    next_review_on: date | None = None,
    reasons: str = "",
    note: str = "",
    today: date | None = None,
) -> Match:
    """Who helps, how often, from when; the case goes to 支援中."""
    today = today or timezone.localdate()
    _may_work_on(by, case)
    if case.is_closed:
        raise ValidationError(
            "終了した個別支援にはマッチングを記録できません。先に再開してください。"
        )
    if (group is None) == (volunteer is None):
        raise ValidationError(
            "支援する人は、活動団体かボランティアのどちらか一つを選んでください。"
        )
    if not frequency.strip():
        raise ValidationError("頻度を入れてください（例：月2回）。")
    _check_date(started_on, label="開始日", case=case, today=today)
    if next_review_on is not None and next_review_on < started_on:
        raise ValidationError("次の見直し日が開始日より前になっています。")
    with transaction.atomic():
        match = Match.objects.create(
            case=case,
            group=group,
            volunteer=volunteer,
            need=need,
            frequency=frequency.strip(),
            started_on=started_on,
            next_review_on=next_review_on,
            reasons=reasons.strip()[:300],
            note=note.strip(),
            created_by=by,
        )
        log_action(
            by=by,
            action="cases.match.created",
            target=case,
            changes={
                "helper": _helper(match),
                "frequency": match.frequency,
                "started_on": started_on,
            },
        )
        _advance(by=by, case=case, to=CaseStatus.SUPPORTING, on=started_on)
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
    today = today or timezone.localdate()
    _may_work_on(by, match.case)
    if reviewed_on > today:
        raise ValidationError("見直した日に未来の日付は入れられません。")
    if reviewed_on < match.started_on:
        raise ValidationError("見直した日がマッチングの開始日より前になっています。")
    if next_review_on is not None and next_review_on <= reviewed_on:
        raise ValidationError("次の見直し日は見直した日より後にしてください。")
    with transaction.atomic():
        review = MatchReview.objects.create(
            match=match, reviewed_on=reviewed_on, note=note.strip(), created_by=by
        )
        match.next_review_on = next_review_on
        match.save(update_fields=["next_review_on"])
        log_action(
            by=by,
            action="cases.match.reviewed",
            target=match.case,
            changes={"helper": _helper(match), "reviewed_on": reviewed_on},
        )
    return review


def end_match(
    *, by: User, match: Match, ended_on: date, note: str = "", today: date | None = None
) -> Match:
    today = today or timezone.localdate()
    _may_work_on(by, match.case)
    if match.ended_on is not None:
        raise ValidationError("このマッチングはすでに終了しています。")
    if ended_on < match.started_on:
        raise ValidationError("終了日がマッチングの開始日より前になっています。")
    if ended_on > today:
        raise ValidationError("終了日に未来の日付は入れられません。")
    with transaction.atomic():
        match.ended_on, match.end_note, match.next_review_on = ended_on, note.strip(), None
        match.save(update_fields=["ended_on", "end_note", "next_review_on"])
        log_action(
            by=by,
            action="cases.match.ended",
            target=match.case,
            changes={"helper": _helper(match), "ended_on": ended_on},
        )
    return match


# --- follow-ups -----------------------------------------------------------------------


def add_follow_up(
    *, by: User, case: Case, due_on: date, what: str, today: date | None = None
) -> FollowUp:
    today = today or timezone.localdate()
    _may_work_on(by, case)
    if not what.strip():
        raise ValidationError("確認することを入れてください。")
    if due_on < case.opened_on:
        raise ValidationError(
            f"予定日が受付日（{show_date(case.opened_on)}）より前になっています。"
        )
    with transaction.atomic():
        follow_up = FollowUp.objects.create(
            case=case, due_on=due_on, what=what.strip(), created_by=by
        )
        log_action(
            by=by,
            action="cases.followup.created",
            target=case,
            changes={"due_on": due_on, "what": follow_up.what},
        )
    return follow_up


def complete_follow_up(
    *, by: User, follow_up: FollowUp, done_on: date, note: str = "", today: date | None = None
) -> FollowUp:
    today = today or timezone.localdate()
    _may_work_on(by, follow_up.case)
    if follow_up.done_on is not None:
        raise ValidationError("このフォローアップはすでに済んでいます。")
    if done_on > today:
        raise ValidationError("実施日に未来の日付は入れられません。")
    with transaction.atomic():
        follow_up.done_on, follow_up.done_note = done_on, note.strip()
        follow_up.save(update_fields=["done_on", "done_note"])
        log_action(
            by=by,
            action="cases.followup.done",
            target=follow_up.case,
            changes={"what": follow_up.what, "done_on": done_on},
        )
    return follow_up


# --- the list of needs ----------------------------------------------------------------


def save_need_kind(
    *,
    by: User,
    need: NeedKind,
    fields: list[str],
    relations: dict[str, Any],
    expected_version: int | None = None,
) -> NeedKind:
    """Create or update a need kind with its group kinds and skills (`expected_version`:
    the version the edit form was opened on, required for an update)."""
    require(by, "need.edit")
    creating = need._state.adding
    if NeedKind.objects.exclude(pk=need.pk).filter(name_key=normalize(need.name)).exists():
        raise ValidationError({"name": "同じ名前の困りごとがすでにあります。"})
    with transaction.atomic():
        if creating:
            need.save()
        else:
            if expected_version is None:
                raise TypeError("changing a need kind needs the expected_version")
            claim_version(need, expected_version)
            need.save(update_fields=fields)
        need.group_kinds.set(relations["group_kinds"])
        need.skills.set(relations["skills"])
        log_action(
            by=by,
            action="cases.need.created" if creating else "cases.need.updated",
            target=need,
            changes={
                "name": need.name,
                "active": need.active,
                "group_kinds": sorted(k.name for k in relations["group_kinds"]),
                "skills": sorted(s.name for s in relations["skills"]),
            },
        )
    return need
