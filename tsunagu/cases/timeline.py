"""The story of a case in date order: its status steps, the support records linked to it,
the asks and their answers, the matches and their reviews, the referrals and what the
agencies did, and the follow-ups (done, due, or planned)."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch
from django.urls import reverse

from tsunagu.cases.models import (
    Case,
    CaseStatus,
    Match,
    MatchReview,
    Referral,
    ReferralUpdate,
)
from tsunagu.records.models import SupportRecord


@dataclass(frozen=True)
class Event:
    on: date
    kind: str  # 受付, 記録, 打診, 回答, マッチング, 見直し, 紹介, フォローアップ …
    title: str
    detail: str = ""
    url: str = ""
    planned: bool = False  # a date still to come (a follow-up not done yet)
    overdue: bool = False
    sequence: int = 0  # keeps events of one kind on one day in the order they happened
    rank: float = -1  # the order of kinds within a day; -1: the kind's usual place


def build_timeline(case: Case, *, today: date) -> list[Event]:
    events: list[Event] = []
    for index, step in enumerate(case.status_changes.all()):
        first = index == 0
        detail = step.get_reason_display() if step.reason else ""
        if step.note:
            detail = f"{detail}（{step.note}）" if detail else step.note
        kind, title = ("受付", "受付") if first else ("状況", f"状況：{step.get_status_display()}")
        rank = _KIND_ORDER["受付"] if first else _STATUS_ORDER.get(step.status, 9)
        events.append(Event(step.changed_on, kind, title, detail, sequence=step.pk, rank=rank))

    records = case.records.alive().select_related("activity_kind", "consulter_type", "staff")
    for record in records:
        who = record.staff.display_name if record.staff else ""
        what = record.activity_kind.name + (
            f"（{record.consulter_type.name}）" if record.consulter_type else ""
        )
        events.append(
            Event(
                record.date,
                "記録",
                f"支援記録：{what}",
                f"担当 {who}" if who else "",
                url=reverse("records:detail", args=[record.pk]),
                sequence=record.pk,
            )
        )

    for ask in case.asks.select_related("group"):
        occasion = f"（{ask.occasion}で）" if ask.occasion else ""
        events.append(
            Event(
                ask.asked_on,
                "打診",
                f"{ask.group.name}に打診{occasion}",
                ask.request,
                sequence=ask.pk,
            )
        )
        if ask.answered_on is not None:
            events.append(
                Event(
                    ask.answered_on,
                    "回答",
                    f"{ask.group.name}の回答：{ask.get_answer_display()}",
                    ask.answer_note,
                    sequence=ask.pk,
                )
            )

    matches = case.matches.select_related("group", "volunteer").prefetch_related(
        Prefetch("reviews", queryset=MatchReview.objects.order_by("reviewed_on", "id"))
    )
    for match in matches:
        events.extend(_match_events(match))

    referrals = case.referrals.select_related("agency").prefetch_related(
        Prefetch("updates", queryset=ReferralUpdate.objects.order_by("updated_on", "id"))
    )
    for referral in referrals:
        events.extend(_referral_events(referral))

    for follow_up in case.follow_ups.all():
        if follow_up.done_on is not None:
            events.append(
                Event(
                    follow_up.done_on,
                    "フォローアップ",
                    f"フォローアップ実施：{follow_up.what}",
                    follow_up.done_note,
                    sequence=follow_up.pk,
                )
            )
        else:
            events.append(
                Event(
                    follow_up.due_on,
                    "フォローアップ",
                    f"フォローアップ予定：{follow_up.what}",
                    planned=follow_up.due_on > today,
                    overdue=follow_up.due_on < today,
                    sequence=follow_up.pk,
                )
            )
    return sorted(events, key=lambda e: (e.planned, e.on, _rank(e), e.sequence))


# Within one day: the opening first, then the steps in the order work usually goes; a
# status change right after the step that caused it (an ask → 打診中, a match → 支援中).
_KIND_ORDER = {
    "受付": 0.0,
    "記録": 1.0,
    "打診": 2.0,
    "回答": 3.0,
    "マッチング": 4.0,
    "見直し": 5.0,
    "紹介": 6.0,
    "フォローアップ": 7.0,
}
_STATUS_ORDER: dict[str, float] = {
    CaseStatus.ASKING: 2.5,
    CaseStatus.SUPPORTING: 4.5,
    CaseStatus.RECEIVED: 8.0,
    CaseStatus.CLOSED: 9.0,
}


def _rank(event: Event) -> float:
    return event.rank if event.rank >= 0 else _KIND_ORDER.get(event.kind, 7.0)


def _match_events(match: Match) -> list[Event]:
    events = [
        Event(
            match.started_on,
            "マッチング",
            f"マッチング：{match.helper_name}（{match.helper_kind}）・{match.frequency}",
            match.note,
            sequence=match.pk,
        )
    ]
    for review in match.reviews.all():
        events.append(
            Event(
                review.reviewed_on,
                "見直し",
                f"見直し：{match.helper_name}",
                review.note,
                sequence=review.pk,
            )
        )
    if match.ended_on is not None:
        events.append(
            Event(
                match.ended_on,
                "マッチング",
                f"マッチング終了：{match.helper_name}",
                match.end_note,
                sequence=match.pk,
            )
        )
    return events


def _referral_events(referral: Referral) -> list[Event]:
    url = reverse("cases:referral_detail", args=[referral.pk])
    events = []
    for index, update in enumerate(referral.updates.all()):
        if index == 0:  # the referral itself
            title = f"{referral.agency.name}へ紹介（{referral.get_consent_basis_display()}）"
            detail = referral.request
        else:
            title = f"紹介の経過：{referral.agency.name}・{update.get_status_display()}"
            detail = update.note
        events.append(Event(update.updated_on, "紹介", title, detail, url=url, sequence=update.pk))
    return events


def linked_records(case: Case) -> list[SupportRecord]:
    return list(case.records.alive().with_related())
