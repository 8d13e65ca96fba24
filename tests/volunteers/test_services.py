"""Registrations, insurance, offers, requests and matches through their services."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from tests.volunteers.conftest import TODAY, make_year, person, register
from tsunagu.audit.models import AuditEntry
from tsunagu.records.models import Category, SupportRecord
from tsunagu.records.services import RecordData, create_record, delete_record
from tsunagu.volunteers.consultations import year_figures
from tsunagu.volunteers.models import HelpRequest, InsuranceEnrolment, OfferStatus, RequestStatus
from tsunagu.volunteers.services.help_requests import save_help_request
from tsunagu.volunteers.services.matches import end_match, record_match, review_match
from tsunagu.volunteers.services.offers import record_offer, update_offer
from tsunagu.volunteers.services.registrations import (
    VolunteerData,
    enrol_insurance,
    register_volunteer,
    update_volunteer,
)


def offer_values(**extra):  # type: ignore[no-untyped-def]
    values = {
        "offered_on": date(2020, 7, 1),
        "item": "未使用のタオル",
        "quantity": "2箱",
        "condition": "unused",
        "donor_name": "見本 花子",
        "contact": "03-0000-0000",
        "pickup": "bring",
        "pickup_note": "",
        "status": OfferStatus.RECEIVED,
        "recipient_group": None,
        "recipient_case_id": None,
        "recipient_note": "",
        "given_on": None,
        "note": "",
    }
    values.update(extra)
    return values


# --- registrations and the support records behind them -----------------------------------


def test_registering_writes_the_consultation_the_report_counts(year, skills, city, staff_user):  # type: ignore[no-untyped-def]
    volunteer = register(
        staff_user, skills=[skills["見守り"]], regions=[city["kyonan"]], place="phone"
    )
    record = volunteer.record
    assert record is not None
    assert record.date == date(2020, 6, 1)
    assert record.consulter_type.name == "ボランティア希望（活動）者"
    assert [c.name for c in record.categories.all()] == ["ボランティアしたい"]
    assert record.activity_kind == year["kind"]
    assert record.place == "phone"
    assert record.staff == staff_user
    # One region: the consultation is counted in that region's report too.
    assert record.region == city["kyonan"]
    assert record.zone == city["west"]
    # The name stays out of the record's note.
    assert "見本" not in record.note


def test_names_are_stored_as_typed_and_searched_normalised(year, staff_user):  # type: ignore[no-untyped-def]
    volunteer = register(
        staff_user, family="見本", given="花子", family_kana="ﾐﾎﾝ", given_kana="はなこ"
    )
    assert volunteer.full_name == "見本 花子"
    assert volunteer.full_kana == "ﾐﾎﾝ はなこ"
    assert volunteer.kana_key == "みほんはなこ"
    assert list(type(volunteer).objects.matching("ミホン　ハナコ")) == [volunteer]


def test_a_year_without_the_category_is_refused_naming_it(db, skills, staff_user):  # type: ignore[no-untyped-def]
    make_year(2020, categories=["寄付（寄贈）したい"])
    with pytest.raises(ValidationError) as error:
        register(staff_user)
    assert error.value.messages == [
        "令和2年度の「ボランティア希望（活動）者」の相談内容に、ボランティアの登録を数える分類が"
        "ありません。分類の画面でこの年度の一覧に、「ボランティアしたい」という名称の分類を"
        "加えてください。"
    ]
    assert not SupportRecord.objects.exists()


def test_a_year_without_the_activity_kind_is_refused(db, skills, staff_user):  # type: ignore[no-untyped-def]
    made = make_year(2020)
    made["kind"].delete()
    with pytest.raises(ValidationError) as error:
        register(staff_user)
    assert error.value.messages == [
        "令和2年度の活動種別に、ボランティアセンターの登録と申し出を記録する活動種別がありません。"
        "分類の画面でこの年度の一覧に、「相談対応」という名称の種別を加えてください。"
    ]


def test_links_an_existing_consultation_instead_of_writing_another(year, staff_user):  # type: ignore[no-untyped-def]
    record = create_record(
        by=staff_user,
        data=RecordData(
            values={
                "date": date(2020, 5, 20),
                "activity_kind": year["kind"],
                "place": "outreach",
                "consulter_type": year["type"],
            },
            categories=[year["categories"]["ボランティアしたい"]],
        ),
        today=TODAY,
    )
    volunteer = register_volunteer(
        by=staff_user,
        data=VolunteerData(values=person(registered_on=date(2020, 5, 20))),
        place="office",
        record=record,
        today=TODAY,
    )
    assert volunteer.record == record
    assert SupportRecord.objects.count() == 1
    # The same record cannot count two registrations.
    with pytest.raises(ValidationError, match="すでに別の登録"):
        register_volunteer(
            by=staff_user,
            data=VolunteerData(values=person(family="例田", registered_on=date(2020, 5, 20))),
            place="office",
            record=record,
            allow_duplicate=True,
            today=TODAY,
        )


@pytest.mark.parametrize(
    ("change", "says"),
    [
        ({"registered_on": date(2021, 4, 5)}, "令和2年度の記録です"),
        ({"category": "寄付（寄贈）したい"}, "「ボランティアしたい」がありません"),
        ({"deleted": True}, "削除されています"),
    ],
)
def test_a_record_that_would_disagree_with_the_report_is_refused(year, staff_user, change, says):  # type: ignore[no-untyped-def]
    make_year(2021)
    record = create_record(
        by=staff_user,
        data=RecordData(
            values={
                "date": date(2020, 5, 20),
                "activity_kind": year["kind"],
                "place": "phone",
                "consulter_type": year["type"],
            },
            categories=[year["categories"][change.get("category", "ボランティアしたい")]],
        ),
        today=TODAY,
    )
    if change.get("deleted"):
        delete_record(by=staff_user, record=record)
    with pytest.raises(ValidationError, match=says):
        register_volunteer(
            by=staff_user,
            data=VolunteerData(
                values=person(registered_on=change.get("registered_on", date(2020, 5, 20)))
            ),
            place="office",
            record=record,
            today=date(2021, 5, 1),
        )


def test_a_future_registration_and_a_group_without_name_are_refused(year, staff_user):  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError, match="未来の日付"):
        register(staff_user, registered_on=date(2020, 12, 2))
    with pytest.raises(ValidationError, match="団体名"):
        register(staff_user, kind="group", group_name="")


def test_editing_cannot_move_a_registration_out_of_its_records_year(year, staff_user):  # type: ignore[no-untyped-def]
    volunteer = register(staff_user)
    with pytest.raises(ValidationError, match="同じ年度の日付"):
        update_volunteer(
            by=staff_user,
            volunteer=volunteer,
            data=VolunteerData(values=person(registered_on=date(2020, 3, 31))),
            today=TODAY,
            expected_version=volunteer.version,
        )
    update_volunteer(
        by=staff_user,
        volunteer=volunteer,
        data=VolunteerData(values=person(registered_on=date(2020, 4, 2), active=False)),
        today=TODAY,
        expected_version=volunteer.version,
    )
    volunteer.refresh_from_db()
    assert not volunteer.active
    entry = AuditEntry.objects.filter(action="volunteers.volunteer.updated").get()
    assert entry.changes["active"] == [True, False]


def test_contact_and_names_are_masked_in_the_audit_log(year, staff_user):  # type: ignore[no-untyped-def]
    register(staff_user, contact="090-1234-5678")
    entry = AuditEntry.objects.get(action="volunteers.volunteer.registered")
    text = str(entry.changes)
    assert "090-1234-5678" not in text
    assert "ミホン" not in text
    assert entry.changes["contact"] == "＊＊＊"


# --- insurance -----------------------------------------------------------------------------


def test_insurance_is_valid_to_31_march_of_its_year(year, plans, staff_user):  # type: ignore[no-untyped-def]
    volunteer = register(staff_user)
    enrolment = enrol_insurance(
        by=staff_user,
        volunteer=volunteer,
        plan=plans["天災"],
        fiscal_year=2020,
        enrolled_on=date(2021, 3, 31),
    )
    assert enrolment.valid_until == date(2021, 3, 31)
    assert enrolment.fiscal_year_label == "令和2年度"
    assert list(InsuranceEnrolment.objects.valid_on(date(2021, 3, 31))) == [enrolment]
    assert not InsuranceEnrolment.objects.valid_on(date(2021, 4, 1)).exists()


@pytest.mark.parametrize(
    ("enrolled_on", "says"),
    [
        (date(2020, 3, 31), "令和2年度（令和2年4月1日〜令和3年3月31日）の外です"),
        (date(2021, 4, 1), "令和3年度の加入として登録するか"),
    ],
)
def test_an_enrolment_outside_its_fiscal_year_is_refused(
    year, plans, staff_user, enrolled_on, says
):  # type: ignore[no-untyped-def]
    volunteer = register(staff_user)
    with pytest.raises(ValidationError, match=says):
        enrol_insurance(
            by=staff_user,
            volunteer=volunteer,
            plan=plans["基本"],
            fiscal_year=2020,
            enrolled_on=enrolled_on,
        )
    assert not InsuranceEnrolment.objects.exists()


def test_one_enrolment_per_year_and_one_person_per_personal_enrolment(year, plans, staff_user):  # type: ignore[no-untyped-def]
    volunteer = register(staff_user)
    enrol_insurance(
        by=staff_user,
        volunteer=volunteer,
        plan=plans["基本"],
        fiscal_year=2020,
        enrolled_on=date(2020, 4, 1),
    )
    with pytest.raises(ValidationError, match="すでに加入しています"):
        enrol_insurance(
            by=staff_user,
            volunteer=volunteer,
            plan=plans["天災"],
            fiscal_year=2020,
            enrolled_on=date(2020, 5, 1),
        )
    with pytest.raises(ValidationError, match="個人の加入人数は1人"):
        enrol_insurance(
            by=staff_user,
            volunteer=volunteer,
            plan=plans["基本"],
            fiscal_year=2021,
            enrolled_on=date(2021, 5, 1),
            insured_count=3,
        )


# --- donation offers -----------------------------------------------------------------------


def test_an_offer_writes_the_consultation_donation(year, staff_user):  # type: ignore[no-untyped-def]
    offer = record_offer(by=staff_user, values=offer_values(), place="phone", today=TODAY)
    assert offer.record is not None
    assert [c.name for c in offer.record.categories.all()] == ["寄付（寄贈）したい"]
    assert offer.record.place == "phone"
    entry = AuditEntry.objects.get(action="volunteers.offer.recorded")
    assert "見本" not in str(entry.changes)
    assert "03-0000-0000" not in str(entry.changes)


def test_a_given_offer_needs_a_recipient_and_a_date(year, city, staff_user):  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as error:
        record_offer(
            by=staff_user,
            values=offer_values(status=OfferStatus.GIVEN),
            place="phone",
            today=TODAY,
        )
    assert "渡した先" in str(error.value)
    assert "渡した日" in str(error.value)
    assert not SupportRecord.objects.exists()
    offer = record_offer(by=staff_user, values=offer_values(), place="phone", today=TODAY)
    update_offer(
        by=staff_user,
        offer=offer,
        values={
            "status": OfferStatus.GIVEN,
            "recipient_group": city["hidamari"],
            "given_on": date(2020, 7, 8),
        },
        today=TODAY,
        expected_version=offer.version,
    )
    offer.refresh_from_db()
    assert offer.recipient_text == "サロンひだまり"
    with pytest.raises(ValidationError, match="どちらか一つ"):
        update_offer(
            by=staff_user,
            offer=offer,
            values={"recipient_case_id": 3},
            today=TODAY,
            expected_version=offer.version,
        )
    with pytest.raises(ValidationError, match="受付日より前"):
        update_offer(
            by=staff_user,
            offer=offer,
            values={"given_on": date(2020, 6, 30)},
            today=TODAY,
            expected_version=offer.version,
        )


def test_year_figures_count_what_the_report_counts(year, staff_user):  # type: ignore[no-untyped-def]
    for family in ("見本", "例田", "仮野"):
        register(staff_user, family=family)
    offer = record_offer(by=staff_user, values=offer_values(), place="phone", today=TODAY)
    # A consultation written in the records only, with no registration behind it.
    create_record(
        by=staff_user,
        data=RecordData(
            values={
                "date": date(2020, 9, 1),
                "activity_kind": year["kind"],
                "place": "phone",
                "consulter_type": year["type"],
            },
            categories=[year["categories"]["ボランティアしたい"]],
        ),
        today=TODAY,
    )
    assert offer.record is not None
    delete_record(by=staff_user, record=offer.record)
    registrations, offers = year_figures(2020)
    assert (registrations.in_report, registrations.with_entry, registrations.entries) == (4, 3, 3)
    assert registrations.without_entry == 1
    assert (offers.in_report, offers.with_entry, offers.entries, offers.uncounted) == (0, 0, 1, 1)
    assert not year_figures(2019)[0].exists


# --- requests and matches ------------------------------------------------------------------


def test_a_match_fills_the_request_and_is_reviewed_and_ended(year, skills, city, staff_user):  # type: ignore[no-untyped-def]
    volunteer = register(staff_user, skills=[skills["話し相手"]])
    help_request = save_help_request(
        by=staff_user,
        values={
            "group": city["hidamari"],
            "requested_on": date(2020, 6, 1),
            "title": "サロンの話し相手",
            "people_needed": 1,
            "status": RequestStatus.OPEN,
        },
        skills=[skills["話し相手"]],
    )
    match = record_match(
        by=staff_user,
        help_request=help_request,
        volunteer=volunteer,
        frequency="月2回",
        started_on=date(2020, 7, 1),
        next_review_on=date(2020, 10, 1),
        today=TODAY,
    )
    help_request.refresh_from_db()
    assert help_request.status == RequestStatus.FILLED
    with pytest.raises(ValidationError, match="すでに活動中"):
        record_match(
            by=staff_user,
            help_request=help_request,
            volunteer=volunteer,
            frequency="月1回",
            started_on=date(2020, 8, 1),
            today=TODAY,
        )
    with pytest.raises(ValidationError, match="見直した日より後"):
        review_match(
            by=staff_user,
            match=match,
            reviewed_on=date(2020, 10, 1),
            next_review_on=date(2020, 9, 1),
            today=TODAY,
        )
    review_match(
        by=staff_user,
        match=match,
        reviewed_on=date(2020, 10, 1),
        note="順調",
        next_review_on=date(2021, 1, 1),
        today=TODAY,
    )
    match.refresh_from_db()
    assert match.next_review_on == date(2021, 1, 1)
    assert [r.note for r in match.reviews.all()] == ["順調"]
    with pytest.raises(ValidationError, match="終了の理由"):
        end_match(by=staff_user, match=match, ended_on=date(2020, 11, 1), reason=" ")
    end_match(by=staff_user, match=match, ended_on=date(2020, 11, 1), reason="転居のため")
    assert not match.is_current(TODAY)
    assert help_request.matches.current(TODAY).count() == 0


def test_a_volunteer_without_consent_cannot_be_matched(year, city, staff_user):  # type: ignore[no-untyped-def]
    volunteer = register(staff_user, consent_to_introduce=False)
    help_request = HelpRequest.objects.create(
        group=city["hidamari"], requested_on=date(2020, 6, 1), title="見守り"
    )
    with pytest.raises(ValidationError, match="紹介の同意"):
        record_match(
            by=staff_user,
            help_request=help_request,
            volunteer=volunteer,
            frequency="月2回",
            started_on=date(2020, 7, 1),
            today=TODAY,
        )


def test_request_end_before_start_is_refused(year, city, staff_user):  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError, match="終了日が開始日より前"):
        save_help_request(
            by=staff_user,
            values={
                "group": city["hidamari"],
                "requested_on": date(2020, 6, 1),
                "title": "送迎",
                "starts_on": date(2020, 7, 1),
                "ends_on": date(2020, 6, 1),
                "people_needed": 1,
            },
            skills=[],
        )
    assert not Category.objects.filter(name="送迎").exists()
