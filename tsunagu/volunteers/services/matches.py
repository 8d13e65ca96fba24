"""Matches (マッチング): a volunteer starts helping with a request, the match is reviewed,
and it ends."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from tsunagu.accounts.models import User
from tsunagu.audit.services import log_action
from tsunagu.core.access import require
from tsunagu.volunteers.models import HelpRequest, Match, MatchReview, RequestStatus, Volunteer
from tsunagu.volunteers.services.common import today_or


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
    today = today_or(today)
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
    today = today_or(today)
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
