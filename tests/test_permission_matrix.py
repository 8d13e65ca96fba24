"""Every URL × every role × real objects, GET and POST: the answer is what the rule the
view declares (`@rule`, tsunagu/core/access.py) says, with the checkpoints' convention:
403 for a role that may never do it, 404 for an object outside what the user may see,
403 for one they see but may not act on. A URL without a declared rule fails here, and
so does a URL whose objects this file does not know how to fill.

The rules themselves are held to their meaning by tests/test_rules.py."""

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction
from django.test import Client

from tests.access_world import ROLES, World, build_world
from tests.url_catalogue import (
    ARGS,
    NOT_PAGES,
    UNGUARDED,
    VIEWS,
    addresses,
    subject,
    value,
)
from tsunagu.core.access import can, rules

# The answer a permitted user gets: a page, a redirect (saved, or sent on), a form
# refused as incomplete (400), or 405 where a view takes only POST.
PERMITTED = {200, 302, 400, 405}


def guarded_views() -> list[str]:
    return sorted(name for name in VIEWS if name not in UNGUARDED)


def test_every_url_declares_its_rule() -> None:
    undeclared = [n for n in guarded_views() if not hasattr(VIEWS[n][1], "access_rule")]
    assert not undeclared, f"URLs without @rule: {undeclared}"


def test_every_url_parameter_is_filled_from_the_world() -> None:
    missing = [name for name in guarded_views() if "<" in VIEWS[name][0] and name not in ARGS]
    assert not missing, f"add the URLs' objects to ARGS: {missing}"


def test_the_enumeration_found_the_app() -> None:
    assert {"records:detail", "cases:detail", "grants:step", "audit_log"} <= set(VIEWS)


def expected(user: Any, name: str, obj: Any) -> str | int:
    """What the checkpoint convention answers, from the rules alone."""
    found = rules()[name]
    if not can(user, name):
        return 403
    if obj is not None:
        if found.scope and found.scope != name and not can(user, found.scope, obj):
            return 404
        if not can(user, name, obj):
            return 404 if found.scope == name else 403
    return "permitted"


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    """Built once per module (and worker) inside a transaction rolled back at the end;
    each test runs in a savepoint of it."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


def _ask(client: Client, method: str, path: str) -> int:
    with transaction.atomic():
        response = getattr(client, method)(path)
        transaction.set_rollback(True)  # a permitted POST changes nothing for the next
    return int(response.status_code)


# Pages that fail for a reason of their own, fixed elsewhere.
KNOWN_FAILURES: dict[str, str] = {}


@pytest.mark.django_db
@pytest.mark.parametrize("name", guarded_views())
def test_the_answer_follows_the_declared_rule(world: World, name: str) -> None:
    if name in KNOWN_FAILURES:
        pytest.xfail(KNOWN_FAILURES[name])
    view = VIEWS[name][1]
    get_rule, post_rule = view.access_rule
    wrong = []
    for address in addresses(world, name):
        kwargs, path = address.kwargs, address.path
        obj = subject(world, kwargs)
        for method, declared in (("get", get_rule), ("post", post_rule or get_rule)):
            rule_name = declared.format(**{k: value(world, v) for k, v in kwargs.items()})
            for role in (*ROLES, "anonymous"):
                client = Client()
                user = world.users.get(role)
                if user is not None:
                    client.force_login(user)
                status = _ask(client, method, path)
                want = "login" if user is None else expected(user, rule_name, obj)
                ok = (
                    status == 302
                    if want == "login"
                    else status in PERMITTED
                    if want == "permitted"
                    else status == want or (method == "get" and status == 405)
                )
                if not ok:
                    wrong.append(f"{method.upper()} {path} as {role}: {status}, rule says {want}")
    assert not wrong, "\n".join(wrong)


def test_the_catalogue_names_only_real_urls() -> None:
    stale = (set(ARGS) | set(NOT_PAGES)) - set(VIEWS)
    assert not stale, f"no such URL: {sorted(stale)}"
