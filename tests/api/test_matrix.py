"""Every API operation × every role's token × the world's objects: the answer is what the
pages' rules say (tests/test_rules.py), as for the pages in tests/test_permission_matrix.py.
An operation without `@ruled` fails here, and so does one whose objects are not known."""

from typing import Any

import pytest

from tests.access_world import ROLES
from tests.test_permission_matrix import expected
from tsunagu.api.api import api
from tsunagu.api.auth import SCOPED

OPERATIONS = [
    (method, path, operation.view_func)
    for router_prefix, router in api._routers
    for path, view in router.path_operations.items()
    for operation in view.operations
    for method in operation.methods
]
# Which world objects fill each path's parameter (and which rule asks about them).
OBJECTS = {
    "record_id": ["own_record", "others_record", "case_record", "deleted_own"],
    "referral_id": ["referral"],
    "slug": ["=groups"],
    "fiscal_year": ["=fy"],
}


def test_every_operation_declares_its_rule() -> None:
    assert OPERATIONS
    assert [p for _, p, f in OPERATIONS if not hasattr(f, "api_rule")] == []


def test_every_path_parameter_is_filled() -> None:
    import re

    params = {name for _, p, _ in OPERATIONS for name in re.findall(r"{(\w+)}", p)}
    assert params <= set(OBJECTS), params - set(OBJECTS)


@pytest.mark.django_db
def test_each_token_gets_what_the_rule_says(module_world: Any) -> None:
    import re

    world, apis = module_world
    wrong = []
    for method, path, view in OPERATIONS:
        name = view.api_rule
        keys = re.findall(r"{(\w+)}", path)
        fills = OBJECTS[keys[-1]] if keys else [None]
        for fill in fills:
            concrete, subject = path, None
            for key in keys:
                value = fill if key == keys[-1] else None
                if value == "=fy":
                    text = str(world.fiscal_year)
                elif value and value.startswith("="):
                    text = value[1:]
                else:
                    subject = world[value]
                    text = str(subject.pk)
                concrete = concrete.replace("{" + key + "}", text)
            for role in ROLES:
                want = expected(world.users[role], name, subject)
                if method == "GET":
                    status = apis[role].get(concrete).status_code
                else:  # a valid body without If-Match: a permitted PUT stops at 428
                    body = valid_body(world, path)
                    status = _rolled_back(apis[role], method.lower(), concrete, body)
                if want == "permitted":
                    ok = status in (200, 201) if method == "GET" else status in (200, 201, 428)
                else:
                    ok = status == want
                if not ok:
                    wrong.append(f"{method} {concrete} as {role}: {status}, rule says {want}")
    assert not wrong, "\n".join(wrong)


def valid_body(world: Any, path: str) -> dict[str, Any]:
    from django.utils import timezone

    from tests.api.test_api import consultation

    if path.startswith("/referrals"):
        return {"status": "accepted", "updated_on": timezone.localdate().isoformat()}
    return consultation(world)


def _rolled_back(api_client: Any, method: str, path: str, body: Any) -> int:
    from django.db import transaction

    with transaction.atomic():
        status = int(api_client.send(method, path, body).status_code)
        transaction.set_rollback(True)
    return status


def test_the_scope_names_only_writing_rules() -> None:
    writing = {f.api_rule for m, _, f in OPERATIONS if m != "GET"}
    assert writing == SCOPED
