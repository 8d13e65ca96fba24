"""Retention: a closed case keeps its personal details for a set period after closing
(TSUNAGU_CASE_RETENTION_YEARS, 3 years by default), then loses them.

Anonymising wipes what identifies or describes the person — name, フリガナ, contact,
birth year, who consented, the pseudonym, every free-text note of the case, its asks,
matches, referrals and follow-ups — and keeps what is counted: the case row with its age
band, area, needs and status, and its asks, matches, referrals and follow-ups as rows.
The support records linked to the case are the records app's and keep their own rules.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.utils import timezone

from tsunagu.accounts.models import User
from tsunagu.audit.services import log_action
from tsunagu.cases.conf import retention_years
from tsunagu.cases.models import (
    ANONYMISED_PSEUDONYM,
    Ask,
    Case,
    CaseStatus,
    FollowUp,
    Match,
    MatchReview,
    Referral,
    ReferralUpdate,
    StatusChange,
)

WIPED = "氏名・フリガナ・連絡先・生まれ年・同意した人・仮名・状況メモ・打診／マッチング／紹介／フォローアップの記述"


@dataclass(frozen=True)
class AnonymisedCase:
    pk: int
    closed_on: date
    asks: int
    matches: int
    referrals: int
    follow_ups: int


@dataclass
class AnonymisationResult:
    cutoff: date
    years: int
    dry_run: bool
    cases: list[AnonymisedCase] = field(default_factory=list)

    def summary(self) -> str:
        verb = "匿名化の対象" if self.dry_run else "匿名化しました"
        return (
            f"{verb}：{len(self.cases)}件（{self.cutoff:%Y-%m-%d}までに終了し、"
            f"終了から{self.years}年を過ぎた個別支援）"
        )


def years_before(day: date, years: int) -> date:
    """The same calendar day `years` earlier; 29 February becomes the 28th."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def expired_cases(today: date, years: int) -> list[Case]:
    return list(
        Case.objects.filter(
            status=CaseStatus.CLOSED,
            closed_on__lte=years_before(today, years),
            anonymised_at__isnull=True,
        ).order_by("closed_on", "id")
    )


def anonymise_expired_cases(
    *, by: User | None, today: date | None = None, dry_run: bool = False, years: int | None = None
) -> AnonymisationResult:
    today = today or timezone.localdate()
    years = retention_years() if years is None else years
    result = AnonymisationResult(cutoff=years_before(today, years), years=years, dry_run=dry_run)
    for case in expired_cases(today, years):
        assert case.closed_on is not None  # closed cases have a date (a constraint)
        result.cases.append(
            AnonymisedCase(
                pk=case.pk,
                closed_on=case.closed_on,
                asks=case.asks.count(),
                matches=case.matches.count(),
                referrals=case.referrals.count(),
                follow_ups=case.follow_ups.count(),
            )
        )
        if not dry_run:
            anonymise_case(by=by, case=case)
    return result


def anonymise_case(*, by: User | None, case: Case) -> None:
    """Wipe the personal details of one case and everything hanging off it."""
    with transaction.atomic():
        case.pseudonym = ANONYMISED_PSEUDONYM
        case.family_name = case.given_name = ""
        case.family_name_kana = case.given_name_kana = ""
        case.contact = ""
        case.birth_year = None
        case.consent_given_by = ""
        case.summary = ""
        case.when_needed = ""
        case.anonymised_at = timezone.now()
        case.save(
            update_fields=[
                "pseudonym",
                "family_name",
                "given_name",
                "family_name_kana",
                "given_name_kana",
                "contact",
                "birth_year",
                "consent_given_by",
                "summary",
                "when_needed",
                "anonymised_at",
            ]
        )
        StatusChange.objects.filter(case=case).update(note="")
        Ask.objects.filter(case=case).update(request="", answer_note="")
        Match.objects.filter(case=case).update(note="", end_note="", reasons="")
        MatchReview.objects.filter(match__case=case).update(note="")
        Referral.objects.filter(case=case).update(request=ANONYMISED_PSEUDONYM, outcome="")
        ReferralUpdate.objects.filter(referral__case=case).update(note="")
        FollowUp.objects.filter(case=case).update(what=ANONYMISED_PSEUDONYM, done_note="")
        log_action(
            by=by,
            action="cases.case.anonymised",
            target=case,
            changes={"wiped": WIPED},
        )
