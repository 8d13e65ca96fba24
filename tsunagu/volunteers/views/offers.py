"""Donation offers: list, record, edit and detail."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from tsunagu.accounts.decorators import AuthenticatedRequest
from tsunagu.core.access import can, rule
from tsunagu.core.concurrency import Conflict, edit_page
from tsunagu.lib.fiscal import (
    current_fiscal_year,
    fiscal_year_label,
)
from tsunagu.volunteers.access import (
    get_offer_for_user,
)
from tsunagu.volunteers.consultations import (
    DONATION_CATEGORY,
    setup_problems,
)
from tsunagu.volunteers.forms import (
    OfferForm,
)
from tsunagu.volunteers.models import (
    DonationOffer,
    OfferStatus,
)
from tsunagu.volunteers.services.offers import record_offer, update_offer
from tsunagu.volunteers.views.common import (
    PAGE_SIZE,
    OfferQuery,
    add_errors,
    counted_as,
    year_choices,
)


@rule("offer.view")
def offer_list(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    query = OfferQuery.from_request(request)
    fiscal_year = query.get("fy") or current_fiscal_year()
    status = query.get("status", "")
    offers = DonationOffer.objects.in_fiscal_year(fiscal_year).with_related()
    if status:
        offers = offers.filter(status=status)
    page = Paginator(offers, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "volunteers/offer_list.html",
        {
            "page": page,
            "fiscal_year": fiscal_year,
            "fiscal_year_label": fiscal_year_label(fiscal_year),
            "years": year_choices(fiscal_year),
            "statuses": OfferStatus.choices,
            "status": status,
            "show_people": can(user, "offer.view_donor"),
            "query_string": f"fy={fiscal_year}&status={status}",
        },
    )


def _offer_form_page(
    request: AuthenticatedRequest,
    form: OfferForm,
    *,
    title: str,
    offer: DonationOffer | None = None,
) -> HttpResponse:
    problems = [] if offer else setup_problems(DONATION_CATEGORY, current_fiscal_year())
    return render(
        request,
        "volunteers/offer_form.html",
        {"form": form, "title": title, "offer": offer, "setup_problems": problems},
    )


@rule("offer.edit")
def offer_new(request: AuthenticatedRequest) -> HttpResponse:
    if request.method == "POST":
        form = OfferForm(request.POST)
        if form.is_valid():
            try:
                offer = record_offer(
                    by=request.user,
                    values=form.offer_values(),
                    place=form.cleaned_data["place"],
                    record=form.cleaned_data.get("record"),
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(
                    request,
                    f"寄付・寄贈の申し出（{offer.item}）を受け付けました。"
                    f"{counted_as(DONATION_CATEGORY, offer.record)}",
                )
                return redirect("volunteers:offer", pk=offer.pk)
    else:
        form = OfferForm(
            initial={
                "offered_on": timezone.localdate().isoformat(),
                "place": "phone",
                "status": "received",
                "condition": "unknown",
                "pickup": "undecided",
            }
        )
    return _offer_form_page(request, form, title="寄付・寄贈の申し出の受付")


@rule("offer.edit")
@edit_page("volunteers:offer_edit", DonationOffer)
def offer_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    offer = get_offer_for_user(request, pk, write=True)
    if request.method == "POST":
        form = OfferForm(request.POST, creating=False)
        if form.is_valid():
            try:
                update_offer(
                    by=request.user,
                    offer=offer,
                    values=form.offer_values(),
                    expected_version=form.expected_version,
                )
            except Conflict as error:
                stored = DonationOffer.objects.get(pk=offer.pk)
                form.show_conflict(
                    error, stored=OfferForm(initial=_offer_initial(stored), creating=False)
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, "申し出の内容を保存しました。")
                return redirect("volunteers:offer", pk=offer.pk)
    else:
        form = OfferForm(initial=_offer_initial(offer), creating=False)
    return _offer_form_page(request, form, title="申し出の変更", offer=offer)


def _offer_initial(offer: DonationOffer) -> dict[str, Any]:
    initial = {
        name: getattr(offer, name)
        for name in OfferForm.base_fields
        if name not in ("place", "record") and hasattr(offer, name)
    }
    initial["recipient_group"] = offer.recipient_group_id
    for name in ("offered_on", "given_on"):
        initial[name] = initial[name].isoformat() if initial.get(name) else ""
    return initial


@rule("offer.view")
def offer_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    offer = get_offer_for_user(request, pk)
    return render(
        request,
        "volunteers/offer_detail.html",
        {"offer": offer, "show_people": can(request.user, "offer.view_donor", offer)},
    )


# --- groups' requests ----------------------------------------------------------------------
