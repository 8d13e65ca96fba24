"""The authorisation checkpoint for the yearly lists."""

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from tsunagu.core.access import get_for_user, require
from tsunagu.core.params import parse_id
from tsunagu.records.categories.schemes import (
    ACTIVITY_KINDS,
    KINDS_SLUG,
    ConsulterCategories,
    Scheme,
    Term,
)
from tsunagu.records.models import ConsulterType


def _rule(write: bool) -> str:
    return "category.edit" if write else "category.view"


def get_scheme_for_user(request: HttpRequest, slug: str, *, write: bool = False) -> Scheme:
    """Every signed-in account reads the lists; only administrators change them."""
    require(request.user, _rule(write))
    if slug == KINDS_SLUG:
        return ACTIVITY_KINDS
    if (pk := parse_id(slug)) is not None:
        return ConsulterCategories(get_consulter_type_for_user(request, pk, write=write))
    raise Http404


def get_entry_for_user(
    request: HttpRequest, slug: str, pk: int, *, write: bool = False
) -> tuple[Scheme, Term]:
    scheme = get_scheme_for_user(request, slug, write=write)
    return scheme, get_object_or_404(scheme.terms(), pk=pk)


def get_consulter_type_for_user(
    request: HttpRequest, pk: int, *, write: bool = False
) -> ConsulterType:
    return get_for_user(request, ConsulterType.objects.all(), pk, _rule(write))
