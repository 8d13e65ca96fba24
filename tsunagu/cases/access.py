"""The authorisation checkpoints for cases and what hangs off them.

A case is read only by the staff assigned to it and by administrators: anyone else on
the staff gets 404 (the case does not exist for them), a read-only account 403. Every
page that shows a case passes here, so every read is written to the audit log here."""

from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from tsunagu.accounts.decorators import require_role
from tsunagu.accounts.models import Role
from tsunagu.cases.models import Ask, Case, FollowUp, Match, NeedKind, Referral
from tsunagu.cases.services import log_case_read, log_referral_read


def get_case_for_user(request: HttpRequest, pk: int, *, write: bool = False) -> Case:
    """The case, if the user is assigned to it or an administrator.

    `write` is accepted for symmetry with the other checkpoints: whoever may read a case
    may also work on it; the services refuse changes to an anonymised case."""
    user = require_role(request.user, Role.STAFF)
    case = get_object_or_404(Case.objects.visible_to(user).with_related(), pk=pk)
    if request.method in ("GET", "HEAD"):
        log_case_read(by=user, case=case)
    return case


def get_ask_for_user(request: HttpRequest, case_pk: int, pk: int, *, write: bool = False) -> Ask:
    case = get_case_for_user(request, case_pk, write=write)
    ask = get_object_or_404(case.asks.select_related("group"), pk=pk)
    ask.case = case
    return ask


def get_match_for_user(
    request: HttpRequest, case_pk: int, pk: int, *, write: bool = False
) -> Match:
    case = get_case_for_user(request, case_pk, write=write)
    match = get_object_or_404(case.matches.select_related("group", "volunteer"), pk=pk)
    match.case = case
    return match


def get_follow_up_for_user(
    request: HttpRequest, case_pk: int, pk: int, *, write: bool = False
) -> FollowUp:
    case = get_case_for_user(request, case_pk, write=write)
    follow_up = get_object_or_404(case.follow_ups, pk=pk)
    follow_up.case = case
    return follow_up


def get_referral_for_user(request: HttpRequest, pk: int, *, write: bool = False) -> Referral:
    """A referral of one of the user's cases, or (without a case) one the user made or
    whose record is theirs; administrators see all. Reads are logged like a case's."""
    user = require_role(request.user, Role.STAFF)
    referral = get_object_or_404(Referral.objects.visible_to(user).with_related(), pk=pk)
    if request.method in ("GET", "HEAD"):
        log_referral_read(by=user, referral=referral)
    return referral


def get_need_for_user(request: HttpRequest, pk: int) -> NeedKind:
    """The list of needs is the council's data: administrators edit it."""
    require_role(request.user, Role.ADMIN)
    return get_object_or_404(NeedKind, pk=pk)
