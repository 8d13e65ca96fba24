"""Schema-driven fuzzing of the REST API: schemathesis generates requests from the app's
own OpenAPI document (valid and invalid parameters and bodies) and sends them with a token
of each role, through the WSGI application, into the access world's data.

Every answer must be a documented status, of the documented content type, matching the
documented schema, never a 5xx; and a token never reads a note its role may not read
(the authorization property). Bounded: a fixed number of examples per operation and role,
derandomised, so that a run is repeatable and takes about a minute."""

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import override_settings
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.access_world import ROLES
from tests.api.conftest import tokens_for
from tsunagu.core.access import can
from tsunagu.records.models import SupportRecord
from tsunagu.wsgi import application

EXAMPLES = 12  # per operation and role
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def notes_read(body: Any) -> list[tuple[int, str]]:
    """(record id, note) of every record in an answer that carries a note."""
    items = body.get("items", [body]) if isinstance(body, dict) else []
    return [
        (item["id"], item["note"])
        for item in items
        if isinstance(item, dict) and "id" in item and item.get("note")
    ]


@pytest.fixture
def connection_kept() -> Iterator[None]:
    """schemathesis calls the WSGI application itself, whose request signals would close the
    test's database connection mid-transaction (PostgreSQL); Django's test client
    disconnects them the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.mark.django_db
@override_settings(API_RATE_PER_MINUTE=1_000_000)  # the limit has its own test
def test_no_answer_is_a_server_error_outside_the_schema_or_outside_the_role(  # type: ignore[no-untyped-def]
    world, connection_kept
) -> None:
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 10
    apis = tokens_for(world)
    calls = {role: 0 for role in ROLES}

    for role in ROLES:
        for operation in operations:
            fuzzer(operation, role, world.users[role], apis[role].secret, calls)()
    assert all(count >= len(operations) for count in calls.values()), calls


def fuzzer(operation: Any, role: str, user: Any, secret: str, calls: dict[str, int]) -> Any:
    headers = {"Authorization": f"Bearer {secret}"}

    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    def fuzz(case: Any) -> None:
        response = case.call(headers=headers)
        case.validate_response(response, checks=CHECKS)
        calls[role] += 1
        if response.status_code == 200 and operation.path.startswith("/api/v1/records"):
            for record_id, _note in notes_read(response.json()):
                record = SupportRecord.objects.get(pk=record_id)
                assert can(user, "record.view_note", record), (
                    f"{role} read the note of record {record_id}"
                )

    return fuzz
