"""Closed-loop referrals: never without a consent basis, always counted through a support
record that names the agency as a referral, followed until done — and shown on the home
page when nobody has written anything for N days."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tsunagu.cases.dashboard import panel
from tsunagu.cases.models import CaseStatus, Referral, ReferralStatus
from tsunagu.cases.referrals import (
    refer_from_case,
    refer_from_record,
    referral_counts_by_agency_group,
    update_referral,
)
from tsunagu.cases.services import change_status
from tsunagu.lib.fiscal import fiscal_year_of
from tsunagu.records.models import AgencyAction, Place, RecordAgency, SupportRecord
from tsunagu.records.services import RecordData, create_record, delete_record
from tsunagu.reports.builder import build_report


def _refer(case, agency, staff_user, on, today, **extra):  # type: ignore[no-untyped-def]
    return refer_from_case(
        by=staff_user,
        case=case,
        agency=agency,
        referred_on=on,
        request=extra.pop("request", "ケアプランの相談"),
        consent_basis=extra.pop("consent_basis", "consent"),
        today=today,
        **extra,
    )


# --- making a referral ----------------------------------------------------------------


@pytest.mark.parametrize("basis", ["", "oral", None])
def test_a_referral_without_a_consent_basis_is_refused(
    case, lists, agencies, staff_user, today, basis
) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as error:
        _refer(case, agencies["houkatsu"], staff_user, today, today, consent_basis=basis)
    assert "根拠のない紹介は記録できません" in str(error.value)
    assert not Referral.objects.exists()
    assert not SupportRecord.objects.exists()


def test_the_form_refuses_a_referral_without_a_basis(
    staff_client, case, lists, agencies, today
) -> None:  # type: ignore[no-untyped-def]
    response = staff_client.post(
        reverse("cases:referral_new", args=[case.pk]),
        {
            "agency": agencies["houkatsu"].pk,
            "referred_on": today.isoformat(),
            "request": "ケアプランの相談",
            "place": Place.PHONE,
        },
    )
    assert response.status_code == 200
    assert "根拠のない紹介は記録できません" in response.content.decode()
    assert not Referral.objects.exists()


def test_a_referral_from_a_case_writes_its_consultation_record(
    case, lists, agencies, staff_user, today
) -> None:  # type: ignore[no-untyped-def]
    referral = _refer(case, agencies["houkatsu"], staff_user, today, today)
    record = referral.record
    assert record is not None
    assert record.consulter_type.name == "ニーズを抱えている個人"
    assert [c.name for c in record.categories.all()] == ["福祉サービス・相談機関への紹介"]
    assert record.activity_kind.name == "相談対応"
    assert record.consent is True
    assert list(record.agency_links.values_list("agency__name", "action")) == [
        ("みどり台地域包括支援センター", AgencyAction.REFERRAL)
    ]
    assert case.records.filter(pk=record.pk).exists()
    assert referral.status == ReferralStatus.REFERRED


def test_a_referral_may_be_counted_under_an_existing_record_of_the_case(
    case, lists, agencies, staff_user, today
) -> None:  # type: ignore[no-untyped-def]
    first = _refer(case, agencies["kyoiku"], staff_user, today, today)
    second = _refer(case, agencies["shido"], staff_user, today, today, record=first.record)
    assert second.record == first.record
    assert set(
        RecordAgency.objects.filter(record=first.record).values_list("agency__name", "action")
    ) == {
        ("教育支援課", AgencyAction.REFERRAL),
        ("指導課", AgencyAction.REFERRAL),
    }


def test_a_record_of_another_case_cannot_be_used(case, lists, agencies, staff_user, today) -> None:  # type: ignore[no-untyped-def]
    record = create_record(
        by=staff_user,
        data=RecordData(
            values={
                "date": today,
                "staff": staff_user,
                "activity_kind": lists["kind:相談対応"],
                "place": Place.PHONE,
                "consulter_type": lists["cat:その他"].consulter_type,  # type: ignore[attr-defined]
            },
            categories=[lists["cat:その他"]],
        ),
        today=today,
    )
    with pytest.raises(ValidationError, match="つながっている記録"):
        _refer(case, agencies["kyoiku"], staff_user, today, today, record=record)


def test_a_referral_from_a_consultation_record_turns_its_liaison_into_a_referral(
    lists, agencies, staff_user, today
) -> None:  # type: ignore[no-untyped-def]
    record = create_record(
        by=staff_user,
        data=RecordData(
            values={
                "date": today,
                "staff": staff_user,
                "activity_kind": lists["kind:相談対応"],
                "place": Place.OUTREACH,
                "consulter_type": lists["cat:その他"].consulter_type,  # type: ignore[attr-defined]
            },
            categories=[lists["cat:その他"]],
            agencies=[(agencies["shogai"], AgencyAction.LIAISON)],
        ),
        today=today,
    )
    referral = refer_from_record(
        by=staff_user,
        record=record,
        agency=agencies["shogai"],
        referred_on=today,
        request="相談支援専門員につなぐ",
        consent_basis="meeting",
        today=today,
    )
    assert referral.case is None
    assert list(record.agency_links.values_list("action", flat=True)) == [AgencyAction.REFERRAL]


def test_a_referral_needs_a_consultation_record(lists, agencies, staff_user, today) -> None:  # type: ignore[no-untyped-def]
    visit = create_record(
        by=staff_user,
        data=RecordData(
            values={
                "date": today,
                "staff": staff_user,
                "activity_kind": lists["kind:出向き・参加"],
                "place": Place.OUTREACH,
            }
        ),
        today=today,
    )
    with pytest.raises(ValidationError, match="相談の記録からだけ"):
        refer_from_record(
            by=staff_user,
            record=visit,
            agency=agencies["shogai"],
            referred_on=today,
            request="x",
            consent_basis="consent",
            today=today,
        )


def test_a_year_without_a_referral_category_is_explained(case, agencies, staff_user, today) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError, match="「紹介」を含む分類がありません"):
        _refer(case, agencies["houkatsu"], staff_user, today, today)


def test_a_year_without_a_consultation_kind_is_explained(
    case, lists, agencies, staff_user, today
) -> None:  # type: ignore[no-untyped-def]
    from tsunagu.records.models import ActivityKind

    ActivityKind.objects.filter(name="相談対応").update(name="面談", name_key="めんだん")
    with pytest.raises(ValidationError, match="活動種別に「相談」を含むもの"):
        _refer(case, agencies["houkatsu"], staff_user, today, today)


# --- following it ---------------------------------------------------------------------


def test_done_or_failed_needs_the_outcome_and_then_stays(
    case, lists, agencies, staff_user, today
) -> None:  # type: ignore[no-untyped-def]
    referral = _refer(case, agencies["houkatsu"], staff_user, today - timedelta(days=3), today)
    with pytest.raises(ValidationError, match="結果を書いてください"):
        update_referral(
            by=staff_user, referral=referral, status="done", updated_on=today, today=today
        )
    update_referral(
        by=staff_user,
        referral=referral,
        status="done",
        updated_on=today,
        note="ケアプランに位置づけられた",
        today=today,
    )
    assert referral.outcome == "ケアプランに位置づけられた"
    with pytest.raises(ValidationError, match="終わっています"):
        update_referral(
            by=staff_user, referral=referral, status="in_progress", updated_on=today, today=today
        )


def test_an_update_before_the_referral_is_refused(case, lists, agencies, staff_user, today) -> None:  # type: ignore[no-untyped-def]
    referral = _refer(case, agencies["houkatsu"], staff_user, today, today)
    with pytest.raises(ValidationError, match="紹介した日"):
        update_referral(
            by=staff_user,
            referral=referral,
            status="accepted",
            updated_on=today - timedelta(days=1),
            today=today,
        )


def test_the_update_form_explains_an_invalid_date(
    staff_client, case, lists, agencies, staff_user, today
) -> None:  # type: ignore[no-untyped-def]
    referral = _refer(case, agencies["houkatsu"], staff_user, today, today)
    response = staff_client.post(
        reverse("cases:referral_detail", args=[referral.pk]),
        {"status": "accepted", "updated_on": "2024/2/30", "note": ""},
    )
    html = response.content.decode()
    assert "入力内容を確認してください" in html
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.REFERRED


def test_a_stale_referral_appears_after_n_days_and_disappears_when_answered(
    case, lists, agencies, staff_user, today
) -> None:  # type: ignore[no-untyped-def]
    referred_on = case.opened_on
    referral = _refer(case, agencies["houkatsu"], staff_user, referred_on, today)

    def stale_on(day):  # type: ignore[no-untyped-def]
        shown = panel(staff_user, day)
        assert shown is not None
        return [r for r, _days in shown.context["stale"]]

    # The clock moves: nothing for 13 days, then on the 14th day it shows.
    assert stale_on(referred_on) == []
    assert stale_on(referred_on + timedelta(days=13)) == []
    assert stale_on(referred_on + timedelta(days=14)) == [referral]
    assert panel(staff_user, referred_on + timedelta(days=20)).context["stale"][0][1] == 20  # type: ignore[union-attr]

    # The agency answers: gone, until it goes quiet again for 14 days.
    answered = referred_on + timedelta(days=20)
    update_referral(
        by=staff_user, referral=referral, status="accepted", updated_on=answered, today=answered
    )
    assert stale_on(answered) == []
    assert stale_on(answered + timedelta(days=13)) == []
    assert stale_on(answered + timedelta(days=14)) == [referral]

    # Finished: never again.
    done = answered + timedelta(days=15)
    update_referral(
        by=staff_user,
        referral=referral,
        status="failed",
        updated_on=done,
        note="本人が利用を望まなかった",
        today=done,
    )
    assert stale_on(done + timedelta(days=100)) == []


def test_the_number_of_days_is_configurable(
    case, lists, agencies, staff_user, today, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    referral = _refer(case, agencies["houkatsu"], staff_user, today - timedelta(days=10), today)
    assert panel(staff_user, today).context["stale"] == []  # type: ignore[union-attr]
    monkeypatch.setenv("TSUNAGU_REFERRAL_STALE_DAYS", "7")
    assert [r for r, _ in panel(staff_user, today).context["stale"]] == [referral]  # type: ignore[union-attr]


def test_the_home_page_lists_the_stale_referral_for_its_staff_only(
    client, case, lists, agencies, staff_user, other_staff, admin_user, today
) -> None:  # type: ignore[no-untyped-def]
    _refer(case, agencies["houkatsu"], staff_user, today - timedelta(days=30), today)
    client.force_login(staff_user)
    assert "みどり台地域包括支援センター（" in client.get("/").content.decode()
    client.force_login(admin_user)
    assert "みどり台地域包括支援センター（" in client.get("/").content.decode()
    client.force_login(other_staff)
    assert "みどり台地域包括支援センター（" not in client.get("/").content.decode()


def test_the_referral_list_can_show_only_stale_ones(
    staff_client, case, lists, agencies, staff_user, today
) -> None:  # type: ignore[no-untyped-def]
    _refer(case, agencies["houkatsu"], staff_user, today - timedelta(days=30), today)
    _refer(case, agencies["shogai"], staff_user, today, today)
    html = staff_client.get(reverse("cases:referral_list") + "?status=stale").content.decode()
    assert "みどり台地域包括支援センター" in html
    assert "障害者福祉課</a>" not in html
    assert "30日更新なし" in html


# --- agreement with the report --------------------------------------------------------


def test_referral_counts_by_agency_group_agree_with_the_report(
    case, lists, agencies, staff_user, today
) -> None:  # type: ignore[no-untyped-def]
    fy = fiscal_year_of(today)
    start = max(today - timedelta(days=20), case.opened_on)
    a = _refer(case, agencies["houkatsu"], staff_user, start, today)
    b = _refer(case, agencies["kyoiku"], staff_user, start, today)
    # Two agencies of one reporting group on one record count once, as in the report.
    _refer(case, agencies["shido"], staff_user, start, today, record=b.record)
    c = _refer(case, agencies["shogai"], staff_user, start, today)
    _refer(case, agencies["houkatsu"], staff_user, start, today)
    delete_record(by=staff_user, record=c.record)  # type: ignore[arg-type]

    counts = referral_counts_by_agency_group(fy)
    report = build_report(fy)
    table = {row.label: row.count for row in report.agency_table.rows if row.count}
    assert (
        counts
        == table
        == {
            "在宅介護・地域包括支援センター": 2,
            "教育支援課・教育企画課・指導課": 1,
        }
    )
    assert report.agency_table.total == len({a.record_id, b.record_id}) + 1


def test_the_counts_page_shows_referrals_as_the_report_counts_them(
    viewer_client, case, lists, agencies, staff_user, today
) -> None:  # type: ignore[no-untyped-def]
    _refer(case, agencies["kyoiku"], staff_user, today, today)
    html = viewer_client.get(reverse("cases:counts")).content.decode()
    assert "教育支援課・教育企画課・指導課" in html
    assert "Tさん" not in html


def test_a_closed_case_cannot_refer(case, lists, agencies, staff_user, today) -> None:  # type: ignore[no-untyped-def]
    change_status(
        by=staff_user, case=case, status=CaseStatus.CLOSED, on=today, reason="moved", today=today
    )
    with pytest.raises(ValidationError, match="再開"):
        _refer(case, agencies["houkatsu"], staff_user, today, today)
