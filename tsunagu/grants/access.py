"""The authorisation checkpoint for grants.

Every signed-in account reads grants. Staff enter applications and expense reports;
administrators decide, record payments, record exceptions and settle."""

from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from tsunagu.accounts.decorators import require_role
from tsunagu.accounts.models import Role
from tsunagu.grants.models import Grant

# Who may take each step (the services check it again).
STEP_ROLES = {
    "apply": Role.STAFF,
    "edit": Role.STAFF,
    "decide": Role.ADMIN,
    "pay": Role.ADMIN,
    "report": Role.STAFF,
    "settle": Role.ADMIN,
}


def get_grant_for_user(request: HttpRequest, pk: int, *, step: str | None = None) -> Grant:
    """The grant, if the user may read it (or, with `step`, take that step): 404 for a
    grant that does not exist, 403 for a role that may not act."""
    require_role(request.user, STEP_ROLES[step] if step else Role.VIEWER)
    return get_object_or_404(Grant.objects.with_people(), pk=pk)
