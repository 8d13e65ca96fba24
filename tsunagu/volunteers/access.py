"""The authorisation checkpoints of the volunteer centre.

Registrations hold personal data (names, contact, availability): staff and administrators
only. Read-only accounts see counts and what is not personal — groups' requests and
donation offers without the donor — and never a volunteer's name.
"""

from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from tsunagu.accounts.decorators import require_role
from tsunagu.accounts.models import Role, User
from tsunagu.volunteers.models import (
    DonationOffer,
    HelpRequest,
    InsuranceEnrolment,
    Match,
    Volunteer,
)


def can_see_people(user: User) -> bool:
    """Names, contact and notes of volunteers and donors."""
    return user.can_write


def get_volunteer_for_user(request: HttpRequest, pk: int, *, write: bool = False) -> Volunteer:
    require_role(request.user, Role.STAFF)
    return get_object_or_404(Volunteer.objects.with_related(), pk=pk)


def get_offer_for_user(request: HttpRequest, pk: int, *, write: bool = False) -> DonationOffer:
    require_role(request.user, Role.STAFF if write else Role.VIEWER)
    return get_object_or_404(DonationOffer.objects.with_related(), pk=pk)


def get_request_for_user(request: HttpRequest, pk: int, *, write: bool = False) -> HelpRequest:
    require_role(request.user, Role.STAFF if write else Role.VIEWER)
    return get_object_or_404(HelpRequest.objects.with_related(), pk=pk)


def get_match_for_user(request: HttpRequest, pk: int, *, write: bool = False) -> Match:
    require_role(request.user, Role.STAFF)
    return get_object_or_404(Match.objects.with_related(), pk=pk)


def get_enrolment_for_user(
    request: HttpRequest, pk: int, *, write: bool = False
) -> InsuranceEnrolment:
    require_role(request.user, Role.STAFF)
    return get_object_or_404(InsuranceEnrolment.objects.select_related("volunteer", "plan"), pk=pk)
