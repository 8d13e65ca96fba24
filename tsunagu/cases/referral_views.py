"""Referral screens: the list (with those waiting too long), one referral with its steps,
referring from a case or from a consultation record, and recording what happened."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from tsunagu.accounts.decorators import AuthenticatedRequest
from tsunagu.cases.access import get_case_for_user, get_referral_for_user
from tsunagu.cases.conf import stale_referral_days
from tsunagu.cases.forms import CaseReferralForm, RecordReferralForm, ReferralUpdateForm
from tsunagu.cases.models import Referral, ReferralStatus
from tsunagu.cases.referrals import NewRecord, refer_from_case, refer_from_record, update_referral
from tsunagu.core.access import rule
from tsunagu.core.params import ChoiceField, QueryForm
from tsunagu.records.access import get_record_for_user
from tsunagu.records.models import Place

PAGE_SIZE = 50
FILTERS = [
    ("open", "対応中（完了・不調以外）"),
    ("stale", "更新が止まっているもの"),
    *ReferralStatus.choices,
    ("all", "すべて"),
]


class ReferralQuery(QueryForm):
    status = ChoiceField(label="状況", choices=[("", ""), *FILTERS])


@rule("referral.view")
def referral_list(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    today = timezone.localdate()
    days = stale_referral_days()
    status = ReferralQuery.from_request(request).get("status", "open")
    referrals = Referral.objects.visible_to(user)
    if status == "open":
        referrals = referrals.open()
    elif status == "stale":
        referrals = referrals.stale(today, days)
    elif status != "all":
        referrals = referrals.filter(status=status)
    referrals = referrals.with_related().order_by("last_update_on", "id")
    page = Paginator(referrals, PAGE_SIZE).get_page(request.GET.get("page"))
    for referral in page:
        referral.idle_days = referral.days_without_update(today)  # type: ignore[attr-defined]
    return render(
        request,
        "cases/referral_list.html",
        {
            "page": page,
            "status": status,
            "filters": FILTERS,
            "today": today,
            "stale_days": days,
        },
    )


@rule("referral.view", post="referral.edit")
def referral_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    referral = get_referral_for_user(request, pk, write=request.method == "POST")
    form = None
    if request.method == "POST":
        form = ReferralUpdateForm(request.POST)
        if form.is_valid():
            try:
                update_referral(by=request.user, referral=referral, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request, f"紹介の状況を「{referral.get_status_display()}」として記録しました。"
                )
                return redirect("cases:referral_detail", pk=referral.pk)
    if form is None:
        next_status = {
            ReferralStatus.REFERRED: ReferralStatus.ACCEPTED,
            ReferralStatus.ACCEPTED: ReferralStatus.IN_PROGRESS,
        }.get(ReferralStatus(referral.status), referral.status)
        form = ReferralUpdateForm(
            initial={"status": next_status, "updated_on": timezone.localdate().isoformat()}
        )
    today = timezone.localdate()
    return render(
        request,
        "cases/referral_detail.html",
        {
            "referral": referral,
            "updates": list(referral.updates.select_related("by")),
            "form": form if referral.is_open else None,
            "today": today,
            "days": referral.days_without_update(today),
            "stale_days": stale_referral_days(),
        },
    )


@rule("case.edit")
def referral_new(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    case = get_case_for_user(request, pk, write=True)
    today = timezone.localdate()
    if request.method == "POST":
        form = CaseReferralForm(request.POST, case=case, today=today)
        if form.is_valid():
            data = form.cleaned_data
            try:
                referral = refer_from_case(
                    by=request.user,
                    case=case,
                    agency=data["agency"],
                    referred_on=data["referred_on"],
                    request=data["request"],
                    consent_basis=data["consent_basis"],
                    record=data["record"],
                    new_record=NewRecord(place=data["place"], category=data["category"]),
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    f"{referral.agency.name}への紹介を記録しました（支援記録 No.{referral.record_id} で数えます）。",
                )
                return redirect("cases:detail", pk=case.pk)
    else:
        form = CaseReferralForm(
            initial={"referred_on": today.isoformat(), "place": Place.PHONE}, case=case, today=today
        )
    return render(request, "cases/referral_form.html", {"form": form, "case": case})


@rule("record.edit")
def referral_from_record(request: AuthenticatedRequest, record_pk: int) -> HttpResponse:
    """Follow a referral made in a consultation record that belongs to no case."""
    record = get_record_for_user(request, record_pk, write=True)
    if request.method == "POST":
        form = RecordReferralForm(request.POST)
        if form.is_valid():
            try:
                referral = refer_from_record(by=request.user, record=record, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, f"{referral.agency.name}への紹介を記録しました。")
                return redirect("cases:referral_detail", pk=referral.pk)
    else:
        referral_links = [link for link in record.agency_links.all() if link.action == "referral"]
        initial: dict[str, object] = {"referred_on": record.date.isoformat()}
        if referral_links:
            initial["agency"] = referral_links[0].agency_id
        form = RecordReferralForm(initial=initial)
    return render(request, "cases/referral_form.html", {"form": form, "record": record})
