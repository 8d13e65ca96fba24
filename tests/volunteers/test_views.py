"""The volunteer centre's pages for each role: who may open what, and what a read-only
account never sees (names, contact)."""

from datetime import date
from typing import Any
from urllib.parse import quote

import pytest
from django.test import Client

from tests.volunteers.conftest import TODAY, register
from tests.volunteers.test_services import offer_values
from tsunagu.audit.models import AuditEntry
from tsunagu.volunteers.models import (
    DonationOffer,
    HelpRequest,
    InsuranceEnrolment,
    Match,
    Volunteer,
)
from tsunagu.volunteers.services.help_requests import save_help_request
from tsunagu.volunteers.services.matches import record_match
from tsunagu.volunteers.services.offers import record_offer
from tsunagu.volunteers.services.registrations import enrol_insurance

VIEWER, STAFF, ADMIN = "viewer", "staff", "admin"
EVERYONE = {VIEWER, STAFF, ADMIN}
WRITERS = {STAFF, ADMIN}


@pytest.fixture
def centre(year, skills, plans, city, staff_user) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    volunteer = register(
        staff_user,
        skills=[skills["話し相手"]],
        regions=[city["honcho"]],
        when="火曜午後",
        contact="090-9999-0000",
    )
    enrolment = enrol_insurance(
        by=staff_user,
        volunteer=volunteer,
        plan=plans["基本"],
        fiscal_year=2020,
        enrolled_on=date(2020, 6, 1),
    )
    offer = record_offer(
        by=staff_user,
        values=offer_values(donor_name="例田 寄付子", contact="03-1111-2222"),
        place="phone",
        today=TODAY,
    )
    help_request = save_help_request(
        by=staff_user,
        values={
            "group": city["hidamari"],
            "requested_on": date(2020, 6, 1),
            "title": "サロンの話し相手",
            "availability": [[1, "pm"]],
            "people_needed": 2,
            "status": "open",
        },
        skills=[skills["話し相手"]],
    )
    match = record_match(
        by=staff_user,
        help_request=help_request,
        volunteer=volunteer,
        frequency="月2回",
        started_on=date(2020, 7, 1),
        today=TODAY,
    )
    return {
        "volunteer": volunteer,
        "enrolment": enrolment,
        "offer": offer,
        "request": help_request,
        "match": match,
    }


# (method, url template, roles that may, status for them)
PAGES = [
    ("get", "/volunteers/", EVERYONE, 200),
    ("get", "/volunteers/registrations/", WRITERS, 200),
    ("get", "/volunteers/registrations/?q=ミホン&skill=1&day=1&slot=pm&insured=yes", WRITERS, 200),
    ("get", "/volunteers/registrations/new/", WRITERS, 200),
    ("get", "/volunteers/registrations/{volunteer}/", WRITERS, 200),
    ("get", "/volunteers/registrations/{volunteer}/edit/", WRITERS, 200),
    ("get", "/volunteers/registrations/{volunteer}/insurance/", WRITERS, 200),
    ("get", "/volunteers/insurance/?fy=2020", WRITERS, 200),
    ("get", "/volunteers/insurance/2020/xlsx/", {ADMIN}, 200),
    ("post", "/volunteers/insurance/{enrolment}/remove/", WRITERS, 302),
    ("get", "/volunteers/offers/?fy=2020", EVERYONE, 200),
    ("get", "/volunteers/offers/new/", WRITERS, 200),
    ("get", "/volunteers/offers/{offer}/", EVERYONE, 200),
    ("get", "/volunteers/offers/{offer}/edit/", WRITERS, 200),
    ("get", "/volunteers/requests/", EVERYONE, 200),
    ("get", "/volunteers/requests/new/", WRITERS, 200),
    ("get", "/volunteers/requests/{request}/", EVERYONE, 200),
    ("get", "/volunteers/requests/{request}/edit/", WRITERS, 200),
    ("get", "/volunteers/requests/{request}/match/", WRITERS, 200),
    ("get", "/volunteers/suggest/?skill=1&region=1&slot=1-pm", WRITERS, 200),
    ("post", "/volunteers/matches/{match}/review/", WRITERS, 302),
    ("post", "/volunteers/matches/{match}/end/", WRITERS, 302),
]


def client_for(role: str, users: dict[str, Any]) -> Client:
    client = Client()
    client.force_login(users[role])
    return client


@pytest.mark.parametrize("role", [VIEWER, STAFF, ADMIN])
@pytest.mark.parametrize(("method", "template", "allowed", "status"), PAGES)
def test_permission_matrix(  # type: ignore[no-untyped-def]
    centre, admin_user, staff_user, viewer_user, role, method, template, allowed, status
):
    users = {VIEWER: viewer_user, STAFF: staff_user, ADMIN: admin_user}
    url = template.format(**{k: v.pk for k, v in centre.items()})
    response = getattr(client_for(role, users), method)(url)
    assert response.status_code == (status if role in allowed else 403), (role, url)
    anonymous = getattr(Client(), method)(url)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/login/")


@pytest.mark.parametrize(
    "template",
    [
        "/volunteers/registrations/{pk}/",
        "/volunteers/registrations/{pk}/edit/",
        "/volunteers/offers/{pk}/",
        "/volunteers/requests/{pk}/",
        "/volunteers/requests/{pk}/match/",
        "/volunteers/insurance/1999999/xlsx/",
    ],
)
def test_unknown_ids_are_not_found(admin_client, template):  # type: ignore[no-untyped-def]
    assert admin_client.get(template.format(pk=999999)).status_code == 404


def test_a_viewer_sees_counts_but_never_a_name_or_contact(centre, viewer_client):  # type: ignore[no-untyped-def]
    pages = [
        "/volunteers/",
        "/volunteers/offers/?fy=2020",
        f"/volunteers/offers/{centre['offer'].pk}/",
        "/volunteers/requests/",
        f"/volunteers/requests/{centre['request'].pk}/",
    ]
    for url in pages:
        page = viewer_client.get(url).content.decode()
        for secret in ("見本", "ミホン", "例田 寄付子", "090-9999-0000", "03-1111-2222"):
            assert secret not in page, (url, secret)
    index = viewer_client.get("/volunteers/").content.decode()
    assert "活動中の登録" in index
    request_page = viewer_client.get(f"/volunteers/requests/{centre['request'].pk}/")
    assert "活動中 1人" in request_page.content.decode()


def test_staff_see_the_people(centre, staff_client):  # type: ignore[no-untyped-def]
    page = staff_client.get(f"/volunteers/registrations/{centre['volunteer'].pk}/").content
    assert "見本 花子" in page.decode()
    assert "090-9999-0000" in page.decode()
    offer = staff_client.get(f"/volunteers/offers/{centre['offer'].pk}/").content.decode()
    assert "例田 寄付子" in offer


def test_reading_a_registration_or_an_offer_is_logged_without_a_name(  # type: ignore[no-untyped-def]
    centre, staff_client, staff_user, admin_user
):
    volunteer, offer = centre["volunteer"], centre["offer"]
    staff_client.get(f"/volunteers/registrations/{volunteer.pk}/")
    staff_client.get(f"/volunteers/offers/{offer.pk}/")
    read = AuditEntry.objects.get(action="volunteers.volunteer.read", actor=staff_user)
    assert (read.target_id, read.target_label) == (
        str(volunteer.pk),
        f"ボランティア登録 No.{volunteer.pk}",
    )
    read = AuditEntry.objects.get(action="volunteers.offer.read", actor=staff_user)
    assert (read.target_id, read.target_label) == (str(offer.pk), f"寄付の申し出 No.{offer.pk}")
    admin = Client()
    admin.force_login(admin_user)
    log = admin.get("/audit/").content.decode()
    assert "ボランティアの登録内容を閲覧しました" in log
    assert "寄付・寄贈の申し出を閲覧しました" in log
    for personal in ("見本", "花子", "090-9999-0000", "例田", "03-1111-2222"):
        assert personal not in log


def test_the_insurance_export_is_logged(centre, admin_client, admin_user):  # type: ignore[no-untyped-def]
    response = admin_client.get("/volunteers/insurance/2020/xlsx/")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    disposition = response["Content-Disposition"]
    # RFC 6266: the charset's name is case-insensitive (Django writes utf-8).
    assert disposition.lower().startswith("attachment; filename*=utf-8''")
    assert quote("ボランティア保険加入者一覧_令和2年度.xlsx") in disposition
    entry = AuditEntry.objects.get(action="volunteers.insurance.exported")
    assert entry.actor == admin_user
    assert entry.changes == {"fiscal_year": "令和2年度", "rows": 1}


def test_the_index_shows_the_same_figures_as_the_report(centre, viewer_client):  # type: ignore[no-untyped-def]
    page = viewer_client.get("/volunteers/?fy=2020").content.decode()
    assert "令和2年度の相談件数" in page
    assert '<td class="num">1件</td>' in page


def test_registering_through_the_form_refuses_availability_that_does_not_parse(  # type: ignore[no-untyped-def]
    year, staff_client
):
    response = staff_client.post(
        "/volunteers/registrations/new/",
        {
            "kind": "person",
            "family_name": "見本",
            "given_name": "花子",
            "registered_on": "2020-06-01",
            "place": "office",
            "availability_text": "第2土曜の午前",
        },
    )
    assert response.status_code == 200
    assert "「第2土曜の午前」の「第2土曜の午」が読み取れません" in response.content.decode()
    assert not Volunteer.objects.exists()


def test_insurance_outside_the_year_is_refused_on_the_form(centre, staff_client):  # type: ignore[no-untyped-def]
    volunteer = centre["volunteer"]
    response = staff_client.post(
        f"/volunteers/registrations/{volunteer.pk}/insurance/",
        {
            "fiscal_year": "令和3年度",
            "plan": centre["enrolment"].plan_id,
            "enrolled_on": "R3.3.31",
            "insured_count": "1",
        },
    )
    assert response.status_code == 200
    assert "令和3年度（令和3年4月1日〜令和4年3月31日）の外です" in response.content.decode()
    assert InsuranceEnrolment.objects.count() == 1


def test_recording_a_match_from_the_matching_screen(centre, skills, staff_user, staff_client):  # type: ignore[no-untyped-def]
    other = register(staff_user, skills=[skills["話し相手"]], family="例田", family_kana="レイダ")
    help_request = centre["request"]
    page = staff_client.get(f"/volunteers/requests/{help_request.pk}/match/").content.decode()
    assert "話し相手ができる" in page
    assert "見本 花子" not in page  # already helping: not suggested again
    response = staff_client.post(
        f"/volunteers/requests/{help_request.pk}/match/",
        {"volunteer": other.pk, "frequency": "月2回", "started_on": "2020-08-01"},
    )
    assert response.status_code == 302
    match = Match.objects.get(volunteer=other)
    assert match.reasons.startswith("話し相手ができる")
    help_request.refresh_from_db()
    assert help_request.status == "filled"


def test_list_pages_keep_a_constant_number_of_queries(  # type: ignore[no-untyped-def]
    centre, skills, city, staff_user, staff_client, django_assert_max_num_queries
):
    for i in range(15):
        register(staff_user, skills=[skills["見守り"]], regions=[city["kyonan"]], family=f"例{i}")
    for url in ("/volunteers/registrations/", "/volunteers/", "/volunteers/requests/"):
        with django_assert_max_num_queries(25):
            assert staff_client.get(url).status_code == 200


def test_an_offer_through_the_form_links_its_record(year, staff_client):  # type: ignore[no-untyped-def]
    response = staff_client.post(
        "/volunteers/offers/new/",
        {
            "offered_on": "令和2年7月1日",
            "item": "車いす",
            "quantity": "1台",
            "condition": "good",
            "pickup": "collect",
            "status": "received",
            "place": "phone",
        },
    )
    assert response.status_code == 302
    assert HelpRequest.objects.count() == 0
    offer = DonationOffer.objects.get()
    assert offer.record is not None
    assert offer.record.date == date(2020, 7, 1)


def test_the_home_page_panel_names_people_only_for_staff(centre, staff_client, viewer_client):  # type: ignore[no-untyped-def]
    match = centre["match"]
    match.next_review_on = TODAY
    match.save(update_fields=["next_review_on"])
    staff_home = staff_client.get("/").content.decode()
    assert "ボランティアセンター" in staff_home
    assert "募集中・調整中の募集 1件" in staff_home
    viewer_home = viewer_client.get("/").content.decode()
    assert "ボランティアセンター" in viewer_home
    assert "見本" not in viewer_home


def test_editing_a_registration_through_the_form(centre, skills, staff_client):  # type: ignore[no-untyped-def]
    volunteer = centre["volunteer"]
    form = staff_client.get(f"/volunteers/registrations/{volunteer.pk}/edit/").content.decode()
    assert 'value="1-pm" checked' in form  # the stored availability is ticked in the grid
    response = staff_client.post(
        f"/volunteers/registrations/{volunteer.pk}/edit/",
        {
            "kind": "person",
            "family_name": "見本",
            "given_name": "花子",
            "family_name_kana": "ミホン",
            "given_name_kana": "ハナコ",
            "birth_year": "1960",
            "registered_on": "2020-06-01",
            "skills": [skills["朗読"].pk],
            "availability_text": "土日",
            "consent_to_introduce": "on",
            "version": volunteer.version,
        },
    )
    assert response.status_code == 302
    volunteer.refresh_from_db()
    assert not volunteer.active
    assert [s.name for s in volunteer.skills.all()] == ["朗読"]
    assert volunteer.availability_text == "土・日 終日"
