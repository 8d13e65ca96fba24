"""The authorisation checkpoint for directory rows."""

from django.db import models
from django.http import HttpRequest

from tsunagu.core.access import get_for_user
from tsunagu.directory.entities import Entity


def get_entry_for_user(
    request: HttpRequest, entity: Entity, pk: int, *, write: bool = False
) -> models.Model:
    """Every signed-in account reads the directory; only administrators change it."""
    return get_for_user(
        request, entity.queryset(), pk, "directory.edit" if write else "directory.view"
    )
