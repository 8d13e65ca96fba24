"""Retention: `tsunagu anonymise_cases` wipes the personal details of cases closed longer
ago than the retention period, keeps what is counted, and says what it did."""

import io
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from tests.cases.conftest import case_values
from tsunagu.audit.models import AuditEntry
from tsunagu.cases.models import ANONYMISED_PSEUDONYM, AskAnswer, Case, CaseStatus
from tsunagu.cases.queries import case_counts
from tsunagu.cases.referrals import refer_from_case, update_referral
from tsunagu.cases.retention import years_before
from tsunagu.cases.services import (
    add_follow_up,
    answer_ask,
    change_status,
    create_case,
    record_ask,
    record_match,
)


@pytest.fixture
def closed_case(city, needs, staff_user, lists, agencies, ayumi, today):  # type: ignore[no-untyped-def]
    """A case with a name, closed 40 days ago after a full round of support."""
    opened = today - timedelta(days=80)
    case = create_case(
        by=staff_user,
        values=case_values(
            city,
            opened,
            family_name="山田",
            given_name="花子",
            family_name_kana="ヤマダ",
            given_name_kana="ハナコ",
            birth_year=1948,
            contact="090-0000-0000",
            consent_given_by="本人",
            consent_on=opened,
            consent_purposes=["record", "groups", "agencies"],
        ),
        needs=[needs["買い物支援"]],
        staff=[staff_user],
        today=today,
    )
    ask = record_ask(
        by=staff_user,
        case=case,
        group=ayumi,
        asked_on=opened,
        request="山田さんの買い物",
        today=today,
    )
    answer_ask(
        by=staff_user,
        ask=ask,
        answer=AskAnswer.ACCEPTED,
        answered_on=opened,
        note="会員が付き添える",
        today=today,
    )
    record_match(
        by=staff_user,
        case=case,
        group=ayumi,
        frequency="月2回",
        started_on=opened,
        note="山田さん宅へ迎えに行く",
        today=today,
    )
    referral = refer_from_case(
        by=staff_user,
        case=case,
        agency=agencies["houkatsu"],
        referred_on=opened,
        request="山田さんのケアプラン",
        consent_basis="consent",
        today=today,
    )
    update_referral(
        by=staff_user,
        referral=referral,
        status="done",
        updated_on=opened,
        note="ケアマネジャーの鈴木さんへ",
        today=today,
    )
    add_follow_up(by=staff_user, case=case, due_on=opened, what="山田さんに電話", today=today)
    change_status(
        by=staff_user,
        case=case,
        status=CaseStatus.CLOSED,
        on=today - timedelta(days=40),
        reason="moved",
        note="長女宅へ転居",
        today=today,
    )
    return case


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("anonymise_cases", *args, stdout=out)
    return out.getvalue()


def _later(today: date, years: int) -> str:
    return (today + timedelta(days=366 * years)).isoformat()


def test_nothing_happens_within_the_retention_period(closed_case) -> None:  # type: ignore[no-untyped-def]
    output = _run()
    assert "匿名化しました：0件" in output
    closed_case.refresh_from_db()
    assert closed_case.family_name == "山田"


def test_a_dry_run_reports_but_changes_nothing(closed_case, today) -> None:  # type: ignore[no-untyped-def]
    output = _run("--dry-run", "--today", _later(today, 3))
    assert "【試行】何も変更していません。" in output
    assert "匿名化の対象：1件" in output
    assert f"No.{closed_case.pk}" in output
    closed_case.refresh_from_db()
    assert closed_case.family_name == "山田"
    assert not AuditEntry.objects.filter(action="cases.case.anonymised").exists()


def test_after_the_period_the_details_are_wiped_and_the_counts_kept(closed_case, today) -> None:  # type: ignore[no-untyped-def]
    counts_before = case_counts(today)
    output = _run("--today", _later(today, 3))
    assert "匿名化しました：1件" in output
    assert "打診1件・マッチング1件・紹介1件・フォローアップ1件は件数として残しました" in output

    case = Case.objects.get(pk=closed_case.pk)
    assert case.pseudonym == ANONYMISED_PSEUDONYM
    assert not case.has_identity
    assert case.consent_given_by == "" and case.summary == ""
    assert case.is_anonymised
    # What is counted stays.
    assert case.status == CaseStatus.CLOSED
    assert (
        case.age_band == "70s"
        and case.zone_id
        and [n.name for n in case.needs.all()] == ["買い物支援"]
    )
    assert case.asks.count() == case.matches.count() == case.referrals.count() == 1
    assert case_counts(today) == counts_before
    # Nothing of the person in any free text.
    texts = [
        *case.asks.values_list("request", "answer_note"),
        *case.matches.values_list("note", "end_note", "reasons"),
        *case.referrals.values_list("request", "outcome"),
        *case.follow_ups.values_list("what", "done_note"),
        *case.status_changes.values_list("note", flat=True),
    ]
    assert "山田" not in str(texts) and "長女" not in str(texts) and "鈴木" not in str(texts)
    entry = AuditEntry.objects.get(action="cases.case.anonymised")
    assert entry.actor is None and entry.target_id == str(case.pk)


def test_the_period_is_configurable(closed_case, today, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("TSUNAGU_CASE_RETENTION_YEARS", "1")
    assert "匿名化しました：1件" in _run("--today", _later(today, 1))


def test_running_twice_does_nothing_more(closed_case, today) -> None:  # type: ignore[no-untyped-def]
    _run("--today", _later(today, 3))
    assert "匿名化しました：0件" in _run("--today", _later(today, 3))


def test_an_open_case_is_never_anonymised(case, today) -> None:  # type: ignore[no-untyped-def]
    assert "匿名化しました：0件" in _run("--today", _later(today, 10))


def test_an_anonymised_case_cannot_be_changed_or_reopened(
    closed_case, staff_user, staff_client, today
) -> None:  # type: ignore[no-untyped-def]
    _run("--today", _later(today, 3))
    case = Case.objects.get(pk=closed_case.pk)
    with pytest.raises(ValidationError, match="匿名化"):
        change_status(by=staff_user, case=case, status=CaseStatus.RECEIVED, on=today, today=today)
    response = staff_client.get(reverse("cases:edit", args=[case.pk]), follow=True)
    assert "匿名化された個別支援は編集できません" in response.content.decode()


def test_a_bad_date_is_refused_in_japanese(closed_case) -> None:  # type: ignore[no-untyped-def]
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="月"):
        _run("--today", "2024-13-01")


def test_the_29th_of_february_has_a_day_three_years_before() -> None:
    assert years_before(date(2024, 2, 29), 3) == date(2021, 2, 28)
