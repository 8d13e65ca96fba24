"""The authorisation checkpoint for the yearly lists."""

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from tsunagu.accounts.decorators import require_role
from tsunagu.accounts.models import Role
from tsunagu.records.category_services import (
    ACTIVITY_KINDS,
    KINDS_SLUG,
    Scheme,
    Term,
    terms_of,
)
from tsunagu.records.models import ConsulterType


def get_scheme_for_user(request: HttpRequest, slug: str, *, write: bool = False) -> Scheme:
    """Every signed-in account reads the lists; only administrators change them."""
    require_role(request.user, Role.ADMIN if write else Role.VIEWER)
    if slug == KINDS_SLUG:
        return ACTIVITY_KINDS
    if slug.isdigit():
        return get_consulter_type_for_user(request, int(slug), write=write)
    raise Http404


def get_entry_for_user(
    request: HttpRequest, slug: str, pk: int, *, write: bool = False
) -> tuple[Scheme, Term]:
    scheme = get_scheme_for_user(request, slug, write=write)
    return scheme, get_object_or_404(terms_of(scheme), pk=pk)


def get_consulter_type_for_user(
    request: HttpRequest, pk: int, *, write: bool = False
) -> ConsulterType:
    require_role(request.user, Role.ADMIN if write else Role.VIEWER)
    return get_object_or_404(ConsulterType, pk=pk)
