"""Every case URL × every role: the administrator and the assigned staff member work on
the case, another staff member is told it does not exist (404), a read-only account is
refused (403) and sees only counts, an anonymous visitor is sent to log in."""

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

ROLES = ("admin", "assigned", "other", "viewer", "anonymous")


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


def expect(admin: int, assigned: int, other: int, viewer: int) -> dict[str, int]:
    return {
        "admin": admin,
        "assigned": assigned,
        "other": other,
        "viewer": viewer,
        "anonymous": 302,
    }


CASE_PAGE = expect(200, 200, 404, 403)
STAFF_PAGE = expect(200, 200, 200, 403)
ADMIN_PAGE = expect(200, 403, 403, 403)

# (name, kwargs built from the world, method, expected by role)
MATRIX = [
    ("cases:index", {}, "get", expect(200, 200, 200, 302)),
    ("cases:counts", {}, "get", expect(200, 200, 200, 200)),
    ("cases:export", {}, "get", ADMIN_PAGE),
    ("cases:new", {}, "get", STAFF_PAGE),
    ("cases:detail", {"pk": "case"}, "get", CASE_PAGE),
    ("cases:edit", {"pk": "case"}, "get", CASE_PAGE),
    ("cases:status", {"pk": "case"}, "post", expect(302, 302, 404, 403)),
    ("cases:suggestions", {"pk": "case"}, "get", CASE_PAGE),
    ("cases:record_link", {"pk": "case"}, "get", CASE_PAGE),
    (
        "cases:record_unlink",
        {"pk": "case", "record_pk": "record"},
        "post",
        expect(302, 302, 404, 403),
    ),
    ("cases:ask_new", {"pk": "case"}, "get", CASE_PAGE),
    ("cases:ask_answer", {"pk": "case", "ask_pk": "ask"}, "get", CASE_PAGE),
    ("cases:match_new", {"pk": "case"}, "get", CASE_PAGE),
    ("cases:match_review", {"pk": "case", "match_pk": "match"}, "get", CASE_PAGE),
    ("cases:match_end", {"pk": "case", "match_pk": "match"}, "get", CASE_PAGE),
    ("cases:follow_up_new", {"pk": "case"}, "get", CASE_PAGE),
    (
        "cases:follow_up_done",
        {"pk": "case", "follow_up_pk": "follow_up"},
        "get",
        CASE_PAGE,
    ),
    ("cases:referral_new", {"pk": "case"}, "get", CASE_PAGE),
    ("cases:referral_list", {}, "get", STAFF_PAGE),
    ("cases:referral_detail", {"pk": "referral"}, "get", CASE_PAGE),
    # The case's own record takes the case's restriction: others see it exists (403,
    # not 404) but cannot start a referral from it.
    ("cases:referral_from_record", {"record_pk": "record"}, "get", expect(200, 200, 403, 403)),
    ("cases:need_list", {}, "get", ADMIN_PAGE),
    ("cases:need_new", {}, "get", ADMIN_PAGE),
    ("cases:need_edit", {"pk": "need"}, "get", ADMIN_PAGE),
]


def test_the_matrix_covers_every_case_url() -> None:
    from tsunagu.cases import urls

    assert {f"cases:{p.name}" for p in urls.urlpatterns} == {name for name, *_ in MATRIX}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("name", "kwargs", "method", "expected"), MATRIX, ids=[m[0] for m in MATRIX]
)
def test_permission_matrix(world, login_as, role, name, kwargs, method, expected) -> None:  # type: ignore[no-untyped-def]
    client = login_as(role)
    url = reverse(name, kwargs={k: world[v].pk for k, v in kwargs.items()})
    response = getattr(client, method)(url)
    assert response.status_code == expected[role], (name, role, response.status_code)
    if role == "anonymous":
        assert response["Location"].startswith("/login/?next=")


@pytest.mark.parametrize(
    "name", [name for name, kwargs, method, exp in MATRIX if exp is CASE_PAGE and "pk" in kwargs]
)
def test_every_case_page_read_is_logged(world, login_as, name) -> None:  # type: ignore[no-untyped-def]
    _n, kwargs, _m, _e = next(m for m in MATRIX if m[0] == name)
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
