"""Every page asked with whatever a visitor could type into its query string: unicode
digits (² ٣ ５), thirty-digit and negative numbers, NUL and control characters, long
strings, emoji, under every parameter name any page reads (the layer declares them,
tsunagu/core/params.py) and under names no page reads. No answer is a server error.

The pages and their objects are those of the permission matrix (tests/access_world.py),
so a page is asked with a real object, not only answered 404."""

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import pytest
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.access_world import World, build_world
from tests.test_permission_matrix import KNOWN_FAILURES, guarded_views
from tests.url_catalogue import ARGS, QUERY, VIEWS
from tests.url_catalogue import path as _path
from tsunagu.core.params import QueryForm
from tsunagu.reports.forms import CompareForm, ReportQueryForm
from tsunagu.transfer.forms import ExportForm

# Parameters read by forms that are not QueryForms (the report's, the export's), and the
# ones every list reads: the page number, the download format.
OTHER_NAMES = {
    *ReportQueryForm.base_fields,
    *CompareForm.base_fields,
    *ExportForm.base_fields,
    "page",
    "download",
    "format",
    "table",
    "next",
}
NAMES = sorted({n for form in QueryForm.declared for n in form.base_fields} | OTHER_NAMES)

# One request per value sets every parameter to it, on every page: each class of value
# that crashed a page once (issue #9): a digit that int() refuses, an id past the
# database's integers, NUL and control characters, a long string with an emoji.
SWEEP = ["²", "9" * 30, "a\x00b\x01\x7f", "ｱ" * 300 + "😀"]
# More of the same, drawn at random by the hypothesis test below.
NASTY = [
    *SWEEP,
    "٣",
    "５",
    "１２",
    "-" + "9" * 30,
    "-1",
    "0",
    str(2**63),
    str(2**63 - 1),
    "1e400",
    "nan",
    "\x00",
    "x" * 5000,
    "令和99999年度",
    "2018-13-45",
    " ",
    # Valid values too, so that a page is also asked with filters it applies.
    "1",
    "2",
    "2020",
    "令和2年度",
    "open",
    "all",
    # The report's periods (reports/period.py): a range that ends before it starts or
    # spans two years, the first and last dates a date field reads.
    "range",
    "half",
    "2020-09-01",
    "2021-06-30",
    "1868-10-23",
    "2201-03-31",
]
ROLES = ("admin", "other", "viewer")


def get_views() -> list[str]:
    """Every page (POST-only views answer 405 and are cheap to ask too), but those that
    fail for a reason of their own, fixed elsewhere."""
    return [name for name in guarded_views() if name not in KNOWN_FAILURES]


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def clients(world: World) -> dict[str, Client]:
    found = {}
    for role in ROLES:
        client = Client(raise_request_exception=False)
        client.force_login(world.users[role])
        found[role] = client
    return found


def _paths(world: World, name: str) -> list[str]:
    route, _view = VIEWS[name]
    objects = {k: getattr(v, "pk", v) for k, v in world.objects.items()}
    query = QUERY.get(name, "").format(fy=world.fiscal_year, **objects)
    return [_path(world, route, kwargs) + query for kwargs in ARGS.get(name, [{}])]


def _get(client: Client, path: str, params: list[tuple[str, str]]) -> int:
    glue = "&" if "?" in path else "?"
    url = path + (glue + urlencode(params) if params else "")
    with transaction.atomic():
        response = client.get(url)
        transaction.set_rollback(True)
    return int(response.status_code)


def test_the_layer_declares_the_lists_parameters() -> None:
    assert {"zone", "region", "staff", "q", "status", "fy", "kind", "inactive"} <= set(NAMES)
    assert {"cut", "month", "quarter", "half", "start", "end"} <= set(NAMES)


@pytest.mark.django_db
@pytest.mark.parametrize("value", SWEEP, ids=["unicode-digit", "30-digits", "nul", "long"])
def test_every_page_answers_a_nasty_value_in_every_parameter(
    world: World, clients: dict[str, Client], value: str
) -> None:
    """Every parameter set to one value at once, every page, as an administrator (who
    reaches every page; the other roles are drawn below)."""
    failed = []
    params = [(name, value) for name in NAMES]
    for name in get_views():
        for path in _paths(world, name):
            if (status := _get(clients["admin"], path, params)) >= 500:
                failed.append(f"{path}: {status}")
    assert not failed, "\n".join(failed)


values = st.one_of(st.sampled_from(NASTY), st.text(max_size=40), st.integers().map(str))
names = st.one_of(st.sampled_from(NAMES), st.text(min_size=1, max_size=10))


@pytest.mark.django_db
@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    name=st.sampled_from(get_views()),
    role=st.sampled_from(ROLES),
    params=st.lists(st.tuples(names, values), max_size=6),
)
def test_no_query_string_makes_a_server_error(
    world: World, clients: dict[str, Client], name: str, role: str, params: list[tuple[str, str]]
) -> None:
    for path in _paths(world, name):
        assert _get(clients[role], path, params) < 500, (path, role, params)


REPORT_PAGES = ("reports:page", "reports:download")
PERIOD_DATES = ["", "2020-09-30", "2021-06-30", "1868-10-23", "2201-03-31", "9" * 30]
PERIOD_PARTS = ["", "0", "2", "4", "13", "²", "-1"]


def _period_queries() -> Iterator[list[tuple[str, str]]]:
    for start in PERIOD_DATES:
        for end in PERIOD_DATES:
            yield [("cut", "range"), ("start", start), ("end", end)]
    for cut in ("year", "month", "quarter", "half", "week"):
        for part in PERIOD_PARTS:
            yield [("cut", cut), ("month", part), ("quarter", part), ("half", part)]


@pytest.mark.django_db
def test_every_period_of_the_report_is_answered(world: World, clients: dict[str, Client]) -> None:
    """Ranges whose end comes before the start, that span two fiscal years, or that reach
    the first and the last date a date field reads, and odd months, quarters and halves:
    the report page and its download never answer a server error."""
    failed = []
    for name in REPORT_PAGES:
        for path in _paths(world, name):
            for params in _period_queries():
                params = [*params, ("format", "text")]
                if (status := _get(clients["viewer"], path, params)) >= 500:
                    failed.append(f"{path} {params}: {status}")
    assert not failed, "\n".join(failed[:20])
