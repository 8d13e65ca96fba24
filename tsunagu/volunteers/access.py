"""The authorisation checkpoints of the volunteer centre (the rules are in
volunteers/rules.py)."""

from django.http import HttpRequest

from tsunagu.core.access import get_for_user
from tsunagu.volunteers.models import (
    DonationOffer,
    HelpRequest,
    InsuranceEnrolment,
    Match,
    Volunteer,
)
from tsunagu.volunteers.services.offers import log_offer_read
from tsunagu.volunteers.services.registrations import log_volunteer_read


def get_volunteer_for_user(request: HttpRequest, pk: int, *, write: bool = False) -> Volunteer:
    """Every page that shows a registration (with its contact) passes here, so every read
    is written to the audit log here, as a case's is."""
    name = "volunteer.edit" if write else "volunteer.view"
    volunteer = get_for_user(request, Volunteer.objects.with_related(), pk, name)
    if request.method in ("GET", "HEAD"):
        log_volunteer_read(by=request.user, volunteer=volunteer)  # type: ignore[arg-type]
    return volunteer


def get_offer_for_user(request: HttpRequest, pk: int, *, write: bool = False) -> DonationOffer:
    name = "offer.edit" if write else "offer.view"
    offer = get_for_user(request, DonationOffer.objects.with_related(), pk, name)
    if request.method in ("GET", "HEAD"):
        log_offer_read(by=request.user, offer=offer)  # type: ignore[arg-type]
    return offer


def get_request_for_user(request: HttpRequest, pk: int, *, write: bool = False) -> HelpRequest:
    name = "help_request.edit" if write else "help_request.view"
    return get_for_user(request, HelpRequest.objects.with_related(), pk, name)


def get_match_for_user(request: HttpRequest, pk: int, *, write: bool = False) -> Match:
    """Matches are only changed (reviewed, ended) from a request's page, which shows them."""
    name = "volunteer_match.edit" if write else "help_request.view"
    return get_for_user(request, Match.objects.with_related(), pk, name)


def get_enrolment_for_user(
    request: HttpRequest, pk: int, *, write: bool = False
) -> InsuranceEnrolment:
    name = "insurance.edit" if write else "insurance.view"
    return get_for_user(
        request, InsuranceEnrolment.objects.select_related("volunteer", "plan"), pk, name
    )
