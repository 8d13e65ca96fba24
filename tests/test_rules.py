"""What each access rule means, role by role and object by object.

One row per rule: the answer without an object (may the role ever?) for the
administrator, the staff member assigned to the case (who wrote its records), another
staff member and a read-only account (Y/N in that order), then the answers about objects
of the world (tests/access_world.py) where they differ. A rule registered without a row
here fails; so does a rule that lets an anonymous visitor or a deactivated account in.
The querysets that list what a rule allows are held to the same answers."""

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import transaction

from tests.access_world import ROLES, World, build_world
from tsunagu.accounts.models import Role, User
from tsunagu.cases.models import Case, Referral
from tsunagu.core.access import can, role_of, rules
from tsunagu.records.models import SupportRecord
from tsunagu.records.rules import is_restricted, restricted_record_ids, trash_for
from tsunagu.transfer.formats import Kind

NOTE_RULE = {"own_record": "YYYN", "others_record": "YYYN", "case_record": "YYNN"}
CHANGE_RULE = {**NOTE_RULE, "deleted_own": "YYYN"}  # deleted: out of scope, see record.view
TABLE: dict[str, tuple[str, dict[str, str]]] = {
    "home.view": ("YYYY", {}),
    "account.manage": ("YNNN", {}),
    "audit.view": ("YNNN", {}),
    "api_token.manage": ("YNNN", {}),
    "directory.view": ("YYYY", {}),
    "directory.edit": ("YNNN", {}),
    "category.view": ("YYYY", {}),
    "category.edit": ("YNNN", {}),
    "report.view": ("YYYY", {}),
    "report.close": ("YNNN", {}),
    "transfer.import": (
        "YYYN",
        {
            f"={Kind.RECORDS}": "YYYN",
            f"={Kind.DIRECTORY}": "YNNN",
            f"={Kind.CATEGORIES}": "YNNN",
            f"={Kind.BASELINE}": "YNNN",
        },
    ),
    "transfer.export": ("YYYN", {}),
    "plan.view": ("YYYY", {}),
    "plan.edit": ("YYYN", {}),
    "record.view": (
        "YYYY",
        {"own_record": "YYYY", "case_record": "YYYY", "deleted_own": "NNNN"},
    ),
    "record.view_note": ("YYYN", NOTE_RULE),
    "record.create": ("YYYN", {}),
    "record.edit": ("YYYN", CHANGE_RULE),
    "record.delete": ("YYYN", CHANGE_RULE),
    "record.restore": (
        "YYYN",
        {
            "deleted_own": "YYNN",
            "deleted_other": "YNYN",
            "deleted_case": "YYNN",
            "own_record": "NNNN",
        },
    ),
    "record.purge": ("YNNN", {"deleted_other": "YNNN", "own_record": "NNNN"}),
    "record.export": ("YYYN", {}),
    "case.view": ("YYYN", {"case": "YYNN"}),
    "case.view_all": ("YNNN", {}),
    "case.edit": ("YYYN", {"case": "YYNN"}),
    "case.create": ("YYYN", {}),
    "case.counts": ("YYYY", {}),
    "case.export": ("YNNN", {}),
    "need.edit": ("YNNN", {}),
    "referral.view": ("YYYN", {"referral": "YYNN"}),
    "referral.edit": ("YYYN", {"referral": "YYNN"}),
    "grant.view": ("YYYY", {}),
    "grant.apply": ("YYYN", {}),
    "grant.edit": ("YYYN", {"grant": "YYYN"}),
    "grant.decide": ("YNNN", {"grant": "YNNN"}),
    "grant.pay": ("YNNN", {}),
    "grant.report": ("YYYN", {}),
    "grant.settle": ("YNNN", {}),
    "grant.configure": ("YNNN", {}),
    "fundraising.view": ("YYYY", {}),
    "fundraising.edit": ("YYYN", {}),
    "fundraising.configure": ("YNNN", {}),
    "volunteer.view": ("YYYN", {"volunteer": "YYYN"}),
    "volunteer.edit": ("YYYN", {}),
    "volunteer_match.edit": ("YYYN", {}),
    "insurance.view": ("YYYN", {}),
    "insurance.edit": ("YYYN", {}),
    "insurance.export": ("YNNN", {}),
    "offer.view": ("YYYY", {}),
    "offer.view_donor": ("YYYN", {"offer": "YYYN"}),
    "offer.edit": ("YYYN", {}),
    "help_request.view": ("YYYY", {}),
    "help_request.edit": ("YYYN", {}),
}


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


def answers(world: World, name: str, obj: Any) -> str:
    return "".join("Y" if can(world.users[role], name, obj) else "N" for role in ROLES)


def test_every_rule_has_its_row() -> None:
    assert set(rules()) == set(TABLE)


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(TABLE))
def test_the_rule_means_what_its_row_says(world: World, name: str) -> None:
    by_role, by_object = TABLE[name]
    assert answers(world, name, None) == by_role, name
    for key, expected in by_object.items():
        obj = key[1:] if key.startswith("=") else world[key]
        assert answers(world, name, obj) == expected, (name, key)


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(TABLE))
def test_no_rule_lets_in_anonymous_or_deactivated_accounts(world: World, name: str) -> None:
    gone = User(username="moto", role=Role.ADMIN, is_active=False, is_superuser=True)
    for user in (AnonymousUser(), None, gone):
        assert not can(user, name), (name, user)
        assert not can(user, name, world["case_record"]), (name, user)


def test_the_role_is_read_in_one_place() -> None:
    assert role_of(User(role=Role.VIEWER, is_superuser=True)) == Role.ADMIN
    assert role_of(User(role=Role.STAFF, is_active=False)) is None
    assert role_of(AnonymousUser()) is None


def test_an_unknown_rule_fails_loudly() -> None:
    with pytest.raises(LookupError):
        can(None, "record.veiw")


# --- the lists agree with the rules -----------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_lists_show_what_the_rules_allow(world: World, role: str) -> None:
    user = world.users[role]
    assert set(Case.objects.visible_to(user)) == {
        c for c in Case.objects.all() if can(user, "case.view", c)
    }
    assert set(Referral.objects.visible_to(user)) == {
        r for r in Referral.objects.all() if can(user, "referral.view", r)
    }
    assert set(trash_for(user, SupportRecord.objects.all())) == {
        r for r in SupportRecord.objects.all() if can(user, "record.restore", r)
    }
    hidden = set(
        SupportRecord.objects.filter(id__in=restricted_record_ids(user)).values_list(
            "pk", flat=True
        )
    )
    assert hidden == {r.pk for r in SupportRecord.objects.all() if is_restricted(user, r)}


# --- rules in one place -------------------------------------------------------------------

ROOT = Path(__file__).resolve().parent.parent / "tsunagu"
# Reading the role, or deciding by it, anywhere but the access layer.
STRAY = re.compile(
    r"\.role\s*(==|!=|\bin\b)|\bis_admin\b|\bcan_write\b|role__in|Role\.(ADMIN|STAFF|VIEWER)"
    r"|\brequire_role\b|\b(staff|admin|role)_required\b"
)
ALLOWED = {
    "core/access.py",  # the layer itself
    "accounts/models.py",  # the role field
    "demo/directory.py",  # the demo council's accounts and their roles
}


def test_no_view_service_or_template_decides_by_role() -> None:
    stray = []
    for path in [*ROOT.rglob("*.py"), *ROOT.rglob("*.html")]:
        relative = path.relative_to(ROOT).as_posix()
        if relative in ALLOWED or "/migrations/" in relative:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if STRAY.search(line):
                stray.append(f"{relative}:{number}: {line.strip()}")
    assert not stray, "ask tsunagu.core.access.can() instead:\n" + "\n".join(stray)


def test_every_rule_is_in_the_architecture_table() -> None:
    docs = (ROOT.parent / "docs" / "architecture.md").read_text(encoding="utf-8")
    assert [name for name in sorted(rules()) if f"`{name}`" not in docs] == []
