"""The authorisation checkpoint for grants (the rules are in grants/rules.py)."""

from django.http import HttpRequest

from tsunagu.core.access import get_for_user
from tsunagu.grants.models import Grant


def get_grant_for_user(
    request: HttpRequest, pk: int, *, step: str | None = None, write: bool = False
) -> Grant:
    """The grant, if the user may read it (with `write`, edit its application; with
    `step`, take that step): 404 for a grant that does not exist, 403 for a role that may
    not act."""
    name = f"grant.{step}" if step else "grant.edit" if write else "grant.view"
    return get_for_user(request, Grant.objects.with_people(), pk, name)
