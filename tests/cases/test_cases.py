"""Registering and following a case: identity only with consent, duplicates warned
about, statuses, asks and matches, and the timeline that tells it all."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.cases.conftest import case_values
from tsunagu.audit.models import AuditEntry
from tsunagu.cases.models import AskAnswer, Case, CaseStatus, ConsentPurpose
from tsunagu.cases.services import (
    PossibleDuplicate,
    answer_ask,
    change_status,
    create_case,
    record_ask,
    record_match,
    update_case,
)
from tsunagu.cases.timeline import build_timeline

IDENTITY = {
    "family_name": "山田",
    "given_name": "花子",
    "family_name_kana": "ヤマダ",
    "given_name_kana": "ハナコ",
    "birth_year": 1948,
    "contact": "090-0000-0000",
}
CONSENT = {
    "consent_given_by": "本人",
    "consent_purposes": [ConsentPurpose.RECORD, ConsentPurpose.GROUPS],
}


def _create(city, needs, staff_user, today, **extra):  # type: ignore[no-untyped-def]
    return create_case(
        by=staff_user,
        values=case_values(city, today - timedelta(days=3), **extra),
        needs=[needs["買い物支援"]],
        staff=[staff_user],
        today=today,
    )


# --- identity and consent -------------------------------------------------------------


@pytest.mark.parametrize("field", list(IDENTITY))
def test_any_identity_without_consent_is_refused(city, needs, staff_user, today, field) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as error:
        _create(city, needs, staff_user, today, **{field: IDENTITY[field]})
    assert "同意を記録したときだけ" in str(error.value)
    assert not Case.objects.exists()


def test_identity_with_a_recorded_consent_is_kept(city, needs, staff_user, today) -> None:  # type: ignore[no-untyped-def]
    case = _create(city, needs, staff_user, today, consent_on=today, **IDENTITY, **CONSENT)
    assert case.full_name == "山田 花子"
    assert case.has_identity and case.has_consent


def test_the_consent_must_cover_keeping_the_name(city, needs, staff_user, today) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as error:
        _create(
            city,
            needs,
            staff_user,
            today,
            consent_on=today,
            consent_given_by="本人",
            consent_purposes=[ConsentPurpose.AGENCIES],
            **IDENTITY,
        )
    assert "同意の範囲" in str(error.value)


def test_a_consent_says_who_and_for_what(city, needs, staff_user, today) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as error:
        _create(city, needs, staff_user, today, consent_on=today)
    assert "同意した人" in str(error.value)
    assert "同意の範囲" in str(error.value)


def test_the_database_refuses_identity_without_consent_too(case) -> None:  # type: ignore[no-untyped-def]
    from django.db import IntegrityError, transaction

    case.family_name = "山田"
    with pytest.raises(IntegrityError), transaction.atomic():
        case.save(update_fields=["family_name"])


def test_the_audit_log_never_shows_the_name(city, needs, staff_user, today) -> None:  # type: ignore[no-untyped-def]
    case = _create(city, needs, staff_user, today, consent_on=today, **IDENTITY, **CONSENT)
    entry = AuditEntry.objects.get(action="cases.case.created", target_id=str(case.pk))
    text = str(entry.changes)
    for value in ("山田", "ヤマダ", "090", "1948", "視覚障害"):
        assert value not in text


def test_the_form_refuses_identity_without_consent_with_a_clear_message(
    staff_client, city, needs, staff_user, today
) -> None:  # type: ignore[no-untyped-def]
    response = staff_client.post(
        reverse("cases:new"),
        {
            "pseudonym": "Hさん",
            "age_band": "80s",
            "region": city["honcho"].pk,
            "needs": [needs["見守り"].pk],
            "opened_on": today.isoformat(),
            "staff": [staff_user.pk],
            "family_name": "山田",
            "given_name": "花子",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "同意を記録したときだけ登録できます" in html
    assert not Case.objects.exists()


@pytest.mark.parametrize(
    ("typed", "message"),
    [("2024-13-45", "月"), ("きのう", "日付"), ("R99.1.1", "令和")],
)
def test_an_invalid_date_gets_a_message_and_nothing_is_saved(
    staff_client, city, needs, staff_user, typed, message
) -> None:  # type: ignore[no-untyped-def]
    response = staff_client.post(
        reverse("cases:new"),
        {
            "pseudonym": "Hさん",
            "age_band": "80s",
            "region": city["honcho"].pk,
            "needs": [needs["見守り"].pk],
            "opened_on": typed,
            "staff": [staff_user.pk],
        },
    )
    html = response.content.decode()
    assert "入力内容を確認してください" in html
    assert message in html
    assert not Case.objects.exists()


def test_a_future_opening_date_is_refused(city, needs, staff_user, today) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError, match="未来"):
        create_case(
            by=staff_user,
            values=case_values(city, today + timedelta(days=1)),
            needs=[needs["見守り"]],
            staff=[staff_user],
            today=today,
        )


def test_times_needed_that_do_not_parse_are_refused(city, needs, staff_user, today) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as error:
        _create(city, needs, staff_user, today, when_needed="ときどき")
    assert "when_needed" in error.value.message_dict


def test_times_needed_are_read_for_matching(case) -> None:  # type: ignore[no-untyped-def]
    assert case.slots == frozenset({(1, "am")})


# --- duplicates -----------------------------------------------------------------------


def test_the_same_name_in_other_kana_and_width_is_a_possible_duplicate(
    city, needs, staff_user, today
) -> None:  # type: ignore[no-untyped-def]
    first = _create(city, needs, staff_user, today, consent_on=today, **IDENTITY, **CONSENT)
    with pytest.raises(PossibleDuplicate) as error:
        _create(
            city,
            needs,
            staff_user,
            today,
            consent_on=today,
            **{
                **IDENTITY,
                "family_name_kana": "ﾔﾏﾀﾞ",
                "given_name_kana": "はなこ",
                "given_name": "花子 ",
            },
            **CONSENT,
        )
    assert error.value.cases == [first]
    assert Case.objects.count() == 1


def test_a_confirmed_other_person_is_saved(city, needs, staff_user, today) -> None:  # type: ignore[no-untyped-def]
    _create(city, needs, staff_user, today, consent_on=today, **IDENTITY, **CONSENT)
    create_case(
        by=staff_user,
        values=case_values(city, today, consent_on=today, **IDENTITY, **CONSENT),
        needs=[needs["見守り"]],
        staff=[staff_user],
        not_duplicate=True,
        today=today,
    )
    assert Case.objects.count() == 2


def test_a_different_birth_year_is_not_a_duplicate(city, needs, staff_user, today) -> None:  # type: ignore[no-untyped-def]
    _create(city, needs, staff_user, today, consent_on=today, **IDENTITY, **CONSENT)
    _create(
        city,
        needs,
        staff_user,
        today,
        consent_on=today,
        **{**IDENTITY, "birth_year": 1975},
        **CONSENT,
    )
    assert Case.objects.count() == 2


def test_the_form_warns_before_saving_and_offers_the_existing_case(
    staff_client, city, needs, staff_user, today
) -> None:  # type: ignore[no-untyped-def]
    first = _create(city, needs, staff_user, today, consent_on=today, **IDENTITY, **CONSENT)
    data = {
        "pseudonym": "Yさん",
        "age_band": "70s",
        "region": city["honcho"].pk,
        "needs": [needs["見守り"].pk],
        "opened_on": today.isoformat(),
        "staff": [staff_user.pk],
        "family_name": "山田",
        "given_name": "花子",
        "consent_given_by": "本人",
        "consent_on": today.isoformat(),
        "consent_purposes": ["record"],
    }
    response = staff_client.post(reverse("cases:new"), data)
    html = response.content.decode()
    assert "同じ方がすでに登録されているかもしれません" in html
    assert reverse("cases:detail", args=[first.pk]) in html
    assert Case.objects.count() == 1
    response = staff_client.post(reverse("cases:new"), {**data, "not_duplicate": "on"})
    assert response.status_code == 302
    assert Case.objects.count() == 2


def test_a_duplicate_of_someone_elses_case_tells_only_whom_to_ask(
    client, city, needs, staff_user, other_staff, today
) -> None:  # type: ignore[no-untyped-def]
    first = _create(city, needs, staff_user, today, consent_on=today, **IDENTITY, **CONSENT)
    client.force_login(other_staff)
    response = client.post(
        reverse("cases:new"),
        {
            "pseudonym": "Yさん",
            "age_band": "70s",
            "region": city["honcho"].pk,
            "needs": [needs["見守り"].pk],
            "opened_on": today.isoformat(),
            "staff": [other_staff.pk],
            "family_name_kana": "やまだ",
            "given_name_kana": "ハナコ",
            "consent_given_by": "本人",
            "consent_on": today.isoformat(),
            "consent_purposes": ["record"],
        },
    )
    html = response.content.decode()
    assert "同じ方がすでに登録されているかもしれません" in html
    assert "あなたの担当ではない登録にも、似たものがあります" in html
    assert "管理者に確認してください" in html
    assert reverse("cases:detail", args=[first.pk]) not in html
    # Nothing that tells that the person is a client, or whose: no number, status, staff.
    assert first.number not in html
    assert "担当：" not in html and first.get_status_display() + "・" not in html
    assert Case.objects.count() == 1
    logged = AuditEntry.objects.get(action="cases.case.duplicate_warned")
    assert logged.actor == other_staff
    assert logged.changes == {"cases": [first.number], "not_assigned": 1}


def test_editing_a_case_does_not_find_itself_a_duplicate(city, needs, staff_user, today) -> None:  # type: ignore[no-untyped-def]
    case = _create(city, needs, staff_user, today, consent_on=today, **IDENTITY, **CONSENT)
    update_case(
        by=staff_user,
        case=case,
        values=case_values(
            city, case.opened_on, consent_on=today, **IDENTITY, **CONSENT, pseudonym="Hさん"
        ),
        needs=[needs["買い物支援"]],
        staff=[staff_user],
        today=today,
        expected_version=case.version,
    )
    case.refresh_from_db()
    assert case.pseudonym == "Hさん"


# --- status, asks, matches ------------------------------------------------------------


def test_asking_a_group_then_matching_moves_the_status_along(
    case, ayumi, staff_user, today
) -> None:  # type: ignore[no-untyped-def]
    assert case.status == CaseStatus.RECEIVED
    ask = record_ask(
        by=staff_user,
        case=case,
        group=ayumi,
        asked_on=today - timedelta(days=5),
        occasion="定例会",
        today=today,
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.ASKING
    answer_ask(by=staff_user, ask=ask, answer=AskAnswer.ACCEPTED, answered_on=today, today=today)
    record_match(
        by=staff_user, case=case, group=ayumi, frequency="月2回", started_on=today, today=today
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.SUPPORTING
    assert [s.status for s in case.status_changes.all()] == ["received", "asking", "supporting"]


def test_closing_needs_a_reason(case, staff_user, today) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError, match="終了の理由"):
        change_status(by=staff_user, case=case, status=CaseStatus.CLOSED, on=today, today=today)
    change_status(
        by=staff_user, case=case, status=CaseStatus.CLOSED, on=today, reason="achieved", today=today
    )
    case.refresh_from_db()
    assert case.closed_on == today
    assert case.get_close_reason_display() == "支援の目的を達成した"


def test_a_closed_case_takes_no_new_asks(case, ayumi, staff_user, today) -> None:  # type: ignore[no-untyped-def]
    change_status(
        by=staff_user, case=case, status=CaseStatus.CLOSED, on=today, reason="wish", today=today
    )
    with pytest.raises(ValidationError, match="再開"):
        record_ask(by=staff_user, case=case, group=ayumi, asked_on=today, today=today)


def test_an_answer_before_the_ask_is_refused(case, ayumi, staff_user, today) -> None:  # type: ignore[no-untyped-def]
    ask = record_ask(by=staff_user, case=case, group=ayumi, asked_on=today, today=today)
    with pytest.raises(ValidationError, match="打診した日"):
        answer_ask(
            by=staff_user,
            ask=ask,
            answer=AskAnswer.DECLINED,
            answered_on=today - timedelta(days=1),
            today=today,
        )


def test_a_match_names_exactly_one_helper(case, ayumi, staff_user, today) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError, match="どちらか一つ"):
        record_match(by=staff_user, case=case, frequency="月2回", started_on=today, today=today)


def test_the_status_screen_explains_a_refusal(staff_client, case, today) -> None:  # type: ignore[no-untyped-def]
    response = staff_client.post(
        reverse("cases:status", args=[case.pk]),
        {"status": "closed", "on": today.isoformat()},
        follow=True,
    )
    assert "終了するときは、終了の理由を選んでください。" in response.content.decode()


def test_the_timeline_tells_the_story_in_order(case, ayumi, staff_user, today) -> None:  # type: ignore[no-untyped-def]
    ask = record_ask(
        by=staff_user,
        case=case,
        group=ayumi,
        asked_on=today - timedelta(days=20),
        occasion="定例会",
        request="買い物の付き添い",
        today=today,
    )
    answer_ask(
        by=staff_user,
        ask=ask,
        answer=AskAnswer.ACCEPTED,
        answered_on=today - timedelta(days=15),
        today=today,
    )
    record_match(
        by=staff_user,
        case=case,
        group=ayumi,
        frequency="月2回",
        started_on=today - timedelta(days=10),
        today=today,
    )
    titles = [e.title for e in build_timeline(case, today=today)]
    assert titles == [
        "受付",
        "買い物サポート あゆみに打診（定例会で）",
        "状況：打診中",
        "買い物サポート あゆみの回答：引き受ける",
        "マッチング：買い物サポート あゆみ（活動団体）・月2回",
        "状況：支援中",
    ]


def test_the_detail_page_needs_a_constant_number_of_queries(
    staff_client, case, ayumi, staff_user, today, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    for days in range(1, 6):
        record_ask(
            by=staff_user,
            case=case,
            group=ayumi,
            asked_on=today - timedelta(days=days),
            today=today,
        )
    with django_assert_max_num_queries(40):
        response = staff_client.get(reverse("cases:detail", args=[case.pk]))
    assert response.status_code == 200


def test_the_list_needs_a_constant_number_of_queries(
    staff_client, city, needs, staff_user, today, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    for n in range(8):
        _create(city, needs, staff_user, today, pseudonym=f"{n}さん")
    with django_assert_max_num_queries(15):
        response = staff_client.get(reverse("cases:index"))
    assert response.content.decode().count("さん</a>") == 8


def test_admins_export_cases_without_names_and_the_export_is_logged(
    admin_client, city, needs, staff_user, today
) -> None:  # type: ignore[no-untyped-def]
    import io

    from openpyxl import load_workbook

    _create(city, needs, staff_user, today, consent_on=today, **IDENTITY, **CONSENT)
    response = admin_client.get(reverse("cases:export"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [str(c.value) for row in sheet.iter_rows() for c in row]
    assert "Tさん" in cells
    assert not any("山田" in c or "090" in c for c in cells)
    entry = AuditEntry.objects.get(action="cases.case.exported")
    assert entry.changes["rows"] == 1
