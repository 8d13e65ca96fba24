"""What the case pages do for each role besides answering 200/403/404: reads are logged,
a refused read is not, counts without people for read-only accounts, nothing of the case
for another staff member, assigning opens it."""

from datetime import timedelta

import pytest
from django.urls import reverse

from tests.conftest import make_user
from tsunagu.accounts.models import Role
from tsunagu.audit.models import AuditEntry
from tsunagu.cases.models import NeedKind
from tsunagu.cases.referrals import refer_from_case
from tsunagu.cases.services import add_follow_up, record_ask, record_match
from tsunagu.records.models import SupportRecord


@pytest.fixture
def world(case, lists, agencies, ayumi, today, staff_user, city):  # type: ignore[no-untyped-def]
    ask = record_ask(
        by=staff_user, case=case, group=ayumi, asked_on=today - timedelta(days=20), today=today
    )
    match = record_match(
        by=staff_user,
        case=case,
        group=ayumi,
        frequency="月2回",
        started_on=today - timedelta(days=10),
        today=today,
    )
    follow_up = add_follow_up(
        by=staff_user, case=case, due_on=today, what="様子を聞く", today=today
    )
    referral = refer_from_case(
        by=staff_user,
        case=case,
        agency=agencies["houkatsu"],
        referred_on=today - timedelta(days=5),
        request="ケアプランの相談",
        consent_basis="consent",
        today=today,
    )
    record = referral.record
    assert record is not None
    case_record = SupportRecord.objects.get(pk=record.pk)
    return {
        "case": case,
        "ask": ask,
        "match": match,
        "follow_up": follow_up,
        "referral": referral,
        "record": case_record,
        "need": NeedKind.objects.first(),
    }


@pytest.fixture
def login_as(client, admin_user, staff_user, other_staff, viewer_user):  # type: ignore[no-untyped-def]
    users = {
        "admin": admin_user,
        "assigned": staff_user,
        "other": other_staff,
        "viewer": viewer_user,
    }

    def login(role: str):  # type: ignore[no-untyped-def]
        client.logout()
        if role != "anonymous":
            client.force_login(users[role])
        return client

    return login


# Who may open which case page, and who gets 404 or 403, is asked of every URL by
# tests/test_permission_matrix.py and held to its meaning by tests/test_rules.py
# ("case.view": the administrator and the assigned staff member; 404 for other staff,
# 403 for a read-only account). Here: what those pages do besides answering.
CASE_PAGES = [
    ("cases:detail", {"pk": "case"}),
    ("cases:edit", {"pk": "case"}),
    ("cases:suggestions", {"pk": "case"}),
    ("cases:record_link", {"pk": "case"}),
    ("cases:ask_new", {"pk": "case"}),
    ("cases:ask_answer", {"pk": "case", "ask_pk": "ask"}),
    ("cases:match_new", {"pk": "case"}),
    ("cases:match_review", {"pk": "case", "match_pk": "match"}),
    ("cases:match_end", {"pk": "case", "match_pk": "match"}),
    ("cases:follow_up_new", {"pk": "case"}),
    ("cases:follow_up_done", {"pk": "case", "follow_up_pk": "follow_up"}),
    ("cases:referral_new", {"pk": "case"}),
    ("cases:referral_detail", {"pk": "referral"}),
]


@pytest.mark.parametrize(("name", "kwargs"), CASE_PAGES, ids=[name for name, _ in CASE_PAGES])
def test_every_case_page_read_is_logged(world, login_as, name, kwargs) -> None:  # type: ignore[no-untyped-def]
    client = login_as("assigned")
    before = AuditEntry.objects.filter(
        action__in=["cases.case.read", "cases.referral.read"]
    ).count()
    client.get(reverse(name, kwargs={k: world[v].pk for k, v in kwargs.items()}))
    after = AuditEntry.objects.filter(action__in=["cases.case.read", "cases.referral.read"])
    assert after.count() == before + 1
    assert after.first().actor.username == "shokuin"  # type: ignore[union-attr]


def test_a_refused_read_is_not_logged_as_a_read(world, login_as) -> None:  # type: ignore[no-untyped-def]
    client = login_as("other")
    client.get(reverse("cases:detail", args=[world["case"].pk]))
    assert not AuditEntry.objects.filter(action="cases.case.read", actor__username="hoka").exists()


def test_the_viewer_sees_counts_but_no_case(world, login_as) -> None:  # type: ignore[no-untyped-def]
    client = login_as("viewer")
    response = client.get(reverse("cases:index"), follow=True)
    html = response.content.decode()
    assert "個別支援の件数" in html
    assert "Tさん" not in html
    home = client.get("/").content.decode()
    assert "個別支援の件数" in home and "Tさん" not in home
    assert "ケアプランの相談" not in home


def test_an_unassigned_staff_member_does_not_see_the_case_anywhere(world, login_as) -> None:  # type: ignore[no-untyped-def]
    client = login_as("other")
    assert "Tさん" not in client.get(reverse("cases:index")).content.decode()
    assert "みどり台" not in client.get(reverse("cases:referral_list")).content.decode()
    assert "Tさん" not in client.get("/").content.decode()


def test_assigning_a_second_staff_member_opens_the_case_to_them(
    world, login_as, other_staff
) -> None:  # type: ignore[no-untyped-def]
    world["case"].staff.add(other_staff)
    client = login_as("other")
    assert client.get(reverse("cases:detail", args=[world["case"].pk])).status_code == 200


def test_an_inactive_administrator_is_refused(world, client) -> None:  # type: ignore[no-untyped-def]
    gone = make_user("moto", Role.ADMIN, is_active=False)
    client.force_login(gone)
    response = client.get(reverse("cases:detail", args=[world["case"].pk]))
    assert response.status_code in (302, 403)
