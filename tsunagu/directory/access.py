"""The authorisation checkpoint for directory rows."""

from django.db import models
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from tsunagu.accounts.decorators import require_role
from tsunagu.accounts.models import Role
from tsunagu.directory.entities import Entity


def get_entry_for_user(
    request: HttpRequest, entity: Entity, pk: int, *, write: bool = False
) -> models.Model:
    """Every signed-in account reads the directory; only administrators change it."""
    require_role(request.user, Role.ADMIN if write else Role.VIEWER)
    return get_object_or_404(entity.queryset(), pk=pk)
