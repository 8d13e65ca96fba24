"""The authorisation checkpoints for cases and what hangs off them (the rules are in
cases/rules.py).

A case is read only by the staff assigned to it and by administrators: anyone else on
the staff gets 404 (the case does not exist for them), a read-only account 403. Every
page that shows a case passes here, so every read is written to the audit log here."""

from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from tsunagu.cases.models import Ask, Case, FollowUp, Match, NeedKind, Referral
from tsunagu.cases.services import log_case_read, log_referral_read
from tsunagu.core.access import get_for_user


def get_case_for_user(request: HttpRequest, pk: int, *, write: bool = False) -> Case:
    """The case, if the user may read it (with `write`: work on it)."""
    name = "case.edit" if write else "case.view"
    case = get_for_user(request, Case.objects.with_related(), pk, name)
    if request.method in ("GET", "HEAD"):
        log_case_read(by=request.user, case=case)  # type: ignore[arg-type]
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
    name = "referral.edit" if write else "referral.view"
    referral = get_for_user(
        request, Referral.objects.with_related().prefetch_related("case__staff"), pk, name
    )
    if request.method in ("GET", "HEAD"):
        log_referral_read(by=request.user, referral=referral)  # type: ignore[arg-type]
    return referral


def get_need_for_user(request: HttpRequest, pk: int) -> NeedKind:
    """The list of needs is the council's data: administrators edit it."""
    return get_for_user(request, NeedKind.objects.all(), pk, "need.edit")
