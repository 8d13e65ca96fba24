"""Groups' requests for volunteers (依頼): saving one."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from tsunagu.accounts.models import User
from tsunagu.audit.services import diff as _diff
from tsunagu.audit.services import log_action
from tsunagu.core.access import require
from tsunagu.core.concurrency import claim_version
from tsunagu.volunteers.models import HelpRequest, Skill
from tsunagu.volunteers.services.common import snapshot

REQUEST_FIELDS = (
    "group",
    "requested_on",
    "title",
    "description",
    "schedule",
    "availability",
    "starts_on",
    "ends_on",
    "place",
    "people_needed",
    "status",
)


def check_request(values: dict[str, Any]) -> None:
    errors: dict[str, list[str]] = {}
    starts_on, ends_on = values.get("starts_on"), values.get("ends_on")
    if starts_on is not None and ends_on is not None and ends_on < starts_on:
        errors["ends_on"] = ["終了日が開始日より前になっています。"]
    if (values.get("people_needed") or 0) < 1:
        errors["people_needed"] = ["必要な人数は1人以上にしてください。"]
    if errors:
        raise ValidationError(errors)


def _request_snapshot(help_request: HelpRequest) -> dict[str, Any]:
    data = snapshot(help_request, REQUEST_FIELDS)
    data["skills"] = [s.name for s in help_request.skills.order_by("order", "id")]
    return data


def save_help_request(
    *,
    by: User,
    values: dict[str, Any],
    skills: list[Skill],
    help_request: HelpRequest | None = None,
    expected_version: int | None = None,
) -> HelpRequest:
    """Create a group's request for helpers, or change one (`expected_version`: the
    version the edit form was opened on, required for a change)."""
    require(by, "help_request.edit", help_request)
    check_request(values)
    with transaction.atomic():
        if help_request is None:
            help_request = HelpRequest.objects.create(**values, created_by=by)
            help_request.skills.set(skills)
            log_action(
                by=by,
                action="volunteers.request.created",
                target=help_request,
                changes=_request_snapshot(help_request),
            )
            return help_request
        if expected_version is None:
            raise TypeError("changing a help request needs the expected_version")
        current = HelpRequest.objects.select_for_update().get(pk=help_request.pk)
        claim_version(current, expected_version)
        before = _request_snapshot(current)
        changed = [n for n in REQUEST_FIELDS if n in values and getattr(current, n) != values[n]]
        for name in changed:
            setattr(current, name, values[name])
        if changed:
            current.save(update_fields=[*changed, "updated_at"])
        current.skills.set(skills)
        diff = _diff(before, _request_snapshot(current))
        if diff:
            log_action(by=by, action="volunteers.request.updated", target=current, changes=diff)
    return current
