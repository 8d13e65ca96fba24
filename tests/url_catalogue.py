"""Every URL of the app, with the arguments that fill it from the access world
(tests/access_world.py): enumerated from the URL conf, so a new URL is covered by the
tests that walk them (the permission matrix, the phone layout) without being added by
hand. A URL whose parameters this file does not know how to fill fails the matrix's
test_every_url_parameter_is_filled_from_the_world."""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver

from tests.access_world import World

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
# the rule is asked about is the one named by `pk` (or the only `*_pk`). The first set
# is the ordinary one: the object a user would open.
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
    "reports:book": "?format=xlsx",
    "reports:monthly": "?fy={fy}",
    "reports:monthly_download": "?fy={fy}",
}

# GET answers that are not a page of their own, so a walk of the pages leaves them out.
NOT_PAGES: dict[str, str] = {
    **dict.fromkeys(
        (
            "cases:export",
            "grants:summary_xlsx",
            "plans:export",
            "plans:export_one",
            "reports:book",
            "reports:download",
            "reports:monthly_download",
            "transfer:export",
            "volunteers:insurance_xlsx",
        ),
        "a download (xlsx, PDF, CSV or JSON), not a page",
    ),
    **dict.fromkeys(
        (
            "cases:suggestions",
            "records:choices",
            "records:lookup",
            "records:outing_choices",
            "suggest:categories",
        ),
        "a fragment htmx places inside the form that asks for it, which the walk opens",
    ),
    "plans:print": "the A4 print layout, sized for paper, not for a screen",
    "logout": "ends the session instead of showing a page",
    "healthz": "the monitoring probe's plain-text answer",
}


def value(world: World, key: str) -> str:
    if key.startswith("="):
        return key[1:]
    if key == FY:
        return str(world.fiscal_year)
    return str(world[key].pk)


def subject(world: World, kwargs: dict[str, str]) -> Any:
    """The object the view's rule is asked about."""
    key = kwargs.get("pk") or next((v for k, v in kwargs.items() if k.endswith("_pk")), None)
    return world[key] if key and not key.startswith("=") else None


def path(world: World, route: str, kwargs: dict[str, str]) -> str:
    def fill(match: re.Match[str]) -> str:
        return value(world, kwargs[match.group(2)])

    return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", fill, route)


def query(world: World, name: str) -> str:
    objects = {k: getattr(v, "pk", v) for k, v in world.objects.items()}
    return QUERY.get(name, "").format(fy=world.fiscal_year, **objects)


@dataclass(frozen=True)
class Address:
    name: str
    path: str  # with the query string
    kwargs: dict[str, str]


def addresses(world: World, name: str) -> list[Address]:
    """Every filled address of one URL, in ARGS' order."""
    route = VIEWS[name][0]
    return [
        Address(name, path(world, route, kwargs) + query(world, name), kwargs)
        for kwargs in ARGS.get(name, [{}])
    ]


def pages(world: World) -> list[Address]:
    """The address of every URL a browser might open as a page, with its ordinary
    arguments (a URL that takes only POST answers 405)."""
    return [addresses(world, name)[0] for name in sorted(VIEWS) if name not in NOT_PAGES]
