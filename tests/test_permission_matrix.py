"""Every URL × every role × real objects, GET and POST: the answer is what the rule the
view declares (`@rule`, tsunagu/core/access.py) says, with the checkpoints' convention:
403 for a role that may never do it, 404 for an object outside what the user may see,
403 for one they see but may not act on. A URL without a declared rule fails here, and
so does a URL whose objects this file does not know how to fill.

The rules themselves are held to their meaning by tests/test_rules.py."""

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tests.access_world import ROLES, World, build_world
from tsunagu.core.access import can, rules

# URLs outside the access layer: the login page, logout (which only ends a session) and
# the monitoring probe (no personal data; tests/core/test_hardening.py).
UNGUARDED = {"login", "logout", "healthz"}


def iter_views(resolver: URLResolver, prefix: str = "", namespace: str = "") -> Iterator[Any]:
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            if route.startswith("api/v1/"):
                continue  # the REST API: asked operation by operation in tests/api/test_matrix.py
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from iter_views(entry, route, inner)
        elif isinstance(entry, URLPattern):
            yield f"{namespace}{entry.name}", route, entry.callback


VIEWS = {name: (route, callback) for name, route, callback in iter_views(get_resolver())}

# How to fill each URL's parameters from the world: one or more sets of keyword arguments
# (values name world objects, or are literal strings), and a query string. The object
# the rule is asked about is the one named by `pk` (or the only `*_pk`).
FY = "{fy}"
ARGS: dict[str, list[dict[str, str]]] = {
    "accounts:edit": [{"pk": "account"}],
    "accounts:password": [{"pk": "account"}],
    "accounts:set_active": [{"pk": "account"}],
    "accounts:unlock": [{"pk": "account"}],
    "api_tokens:revoke": [{"pk": "api_token"}],
    "directory:list": [{"slug": "=groups"}],
    "directory:create": [{"slug": "=groups"}],
    "directory:edit": [{"slug": "=groups", "pk": "group"}],
    "directory:set_active": [{"slug": "=groups", "pk": "group"}],
    "records:lookup": [{"source": "=targets"}],
    **{
        f"records:{name}": [
            {"pk": "own_record"},
            {"pk": "others_record"},
            {"pk": "case_record"},
            {"pk": "deleted_own"},
        ]
        for name in ("detail", "edit", "delete")
    },
    **{
        f"records:{name}": [
            {"pk": "deleted_own"},
            {"pk": "deleted_other"},
            {"pk": "deleted_case"},
            {"pk": "own_record"},
        ]
        for name in ("restore", "purge")
    },
    "categories:edit": [{"slug": "=kinds"}],
    "categories:merge": [{"slug": "=kinds"}],
    "categories:split": [{"slug": "=kinds", "pk": "kind"}],
    "categories:type_edit": [{"pk": "consulter_type"}],
    "plans:region": [{"pk": "region"}],
    **{
        f"plans:{name}": [{"pk": "plan"}]
        for name in ("detail", "edit", "delete", "print", "records", "export_one")
    },
    "plans:status": [{"pk": "plan", "year": FY}],
    "plans:target_edit": [{"pk": "target"}],
    "plans:target_active": [{"pk": "target"}],
    "grants:summary_xlsx": [{"fy": FY}],
    "grants:programme": [{"fy": FY}],
    "grants:apply": [{"fy": FY, "region": "free_region"}],
    "grants:detail": [{"pk": "grant"}],
    "grants:application_edit": [{"pk": "grant"}],
    "grants:step": [{"pk": "grant", "step": f"={step}"} for step in ("decide", "pay", "settle")]
    + [{"pk": "grant", "step": "=report"}],
    "grants:fundraising_edit": [{"fy": FY}],
    **{
        f"cases:{name}": [{"pk": "case"}]
        for name in (
            "detail",
            "edit",
            "status",
            "suggestions",
            "record_link",
            "ask_new",
            "match_new",
            "follow_up_new",
            "referral_new",
        )
    },
    "cases:record_unlink": [{"pk": "case", "record_pk": "case_record"}],
    "cases:ask_answer": [{"pk": "case", "ask_pk": "ask"}],
    "cases:match_review": [{"pk": "case", "match_pk": "case_match"}],
    "cases:match_end": [{"pk": "case", "match_pk": "case_match"}],
    "cases:follow_up_done": [{"pk": "case", "follow_up_pk": "follow_up"}],
    "cases:referral_detail": [{"pk": "referral"}],
    "cases:referral_from_record": [{"record_pk": "others_record"}, {"record_pk": "case_record"}],
    "cases:need_edit": [{"pk": "need"}],
    **{
        f"volunteers:{name}": [{"pk": "volunteer"}]
        for name in ("volunteer", "volunteer_edit", "insurance_new")
    },
    "volunteers:insurance_xlsx": [{"fiscal_year": FY}],
    "volunteers:insurance_remove": [{"pk": "enrolment"}],
    "volunteers:offer": [{"pk": "offer"}],
    "volunteers:offer_edit": [{"pk": "offer"}],
    **{
        f"volunteers:{name}": [{"pk": "help_request"}]
        for name in ("request", "request_edit", "request_match")
    },
    "volunteers:match_review": [{"pk": "volunteer_match"}],
    "volunteers:match_end": [{"pk": "volunteer_match"}],
}
QUERY = {
    "categories:edit": "?year={fy}",
    "categories:merge": "?year={fy}",
    "categories:split": "?year={fy}",
    "plans:link": "?record={own_record}",
    "reports:download": "?format=json",
}
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


def _value(world: World, key: str) -> str:
    if key.startswith("="):
        return key[1:]
    if key == FY:
        return str(world.fiscal_year)
    return str(world[key].pk)


def _subject(world: World, kwargs: dict[str, str]) -> Any:
    """The object the view's rule is asked about."""
    key = kwargs.get("pk") or next((v for k, v in kwargs.items() if k.endswith("_pk")), None)
    return world[key] if key and not key.startswith("=") else None


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


def _path(world: World, route: str, kwargs: dict[str, str]) -> str:
    def fill(match: re.Match[str]) -> str:
        return _value(world, kwargs[match.group(2)])

    return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", fill, route)


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
    route, view = VIEWS[name]
    get_rule, post_rule = view.access_rule
    objects = {k: world[k] for k in world.objects}
    query = QUERY.get(name, "").format(
        fy=world.fiscal_year, **{k: getattr(v, "pk", v) for k, v in objects.items()}
    )
    wrong = []
    for kwargs in ARGS.get(name, [{}]):
        path = _path(world, route, kwargs) + query
        subject = _subject(world, kwargs)
        for method, declared in (("get", get_rule), ("post", post_rule or get_rule)):
            rule_name = declared.format(**{k: _value(world, v) for k, v in kwargs.items()})
            for role in (*ROLES, "anonymous"):
                client = Client()
                user = world.users.get(role)
                if user is not None:
                    client.force_login(user)
                status = _ask(client, method, path)
                want = "login" if user is None else expected(user, rule_name, subject)
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
