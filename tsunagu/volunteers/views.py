from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from tsunagu.accounts.decorators import AuthenticatedRequest
from tsunagu.accounts.models import User
from tsunagu.core.access import can, rule
from tsunagu.core.concurrency import Conflict, edit_page
from tsunagu.core.exporters import download
from tsunagu.core.params import ChoiceField, FiscalYearField, IdField, QueryForm
from tsunagu.directory.models import Region, Zone
from tsunagu.lib.fiscal import (
    MAX_FISCAL_YEAR,
    MIN_FISCAL_YEAR,
    current_fiscal_year,
    fiscal_year_bounds,
    fiscal_year_label,
)
from tsunagu.records.models import SupportRecord
from tsunagu.volunteers.access import (
    get_enrolment_for_user,
    get_match_for_user,
    get_offer_for_user,
    get_request_for_user,
    get_volunteer_for_user,
)
from tsunagu.volunteers.availability import SLOT_LABELS, SLOTS, WEEKDAYS
from tsunagu.volunteers.consultations import (
    DONATION_CATEGORY,
    REGISTRATION_CATEGORY,
    category_name,
    setup_problems,
    volunteer_type_name,
    year_figures,
)
from tsunagu.volunteers.exporters import InsuranceExport
from tsunagu.volunteers.forms import (
    EndMatchForm,
    HelpRequestForm,
    InsuranceForm,
    MatchForm,
    OfferForm,
    ReviewForm,
    VolunteerForm,
    parse_slot_values,
    slot_values,
    volunteer_initial,
)
from tsunagu.volunteers.matching import suggest_volunteers
from tsunagu.volunteers.models import (
    DonationOffer,
    HelpRequest,
    InsuranceEnrolment,
    Match,
    OfferStatus,
    RequestStatus,
    Skill,
    Volunteer,
)
from tsunagu.volunteers.queries import (
    VolunteerFilter,
    VolunteerQuery,
    centre_counts,
    insurance_years,
)
from tsunagu.volunteers.services.help_requests import save_help_request
from tsunagu.volunteers.services.matches import end_match, record_match, review_match
from tsunagu.volunteers.services.offers import record_offer, update_offer
from tsunagu.volunteers.services.registrations import (
    DuplicateVolunteer,
    enrol_insurance,
    register_volunteer,
    remove_insurance,
    update_volunteer,
)

PAGE_SIZE = 50
SUGGESTION_LIMIT = 10


class YearQuery(QueryForm):
    fy = FiscalYearField(label="年度")


class OfferQuery(YearQuery):
    status = ChoiceField(label="状況", choices=[("", ""), *OfferStatus.choices])


class RequestQuery(QueryForm):
    status = ChoiceField(
        label="状況", choices=[("", ""), ("current", ""), ("all", ""), *RequestStatus.choices]
    )


class SuggestQuery(QueryForm):
    """The suggestion form's area (its skills and slots are lists, matched as text)."""

    region = IdField(label="地域")
    zone = IdField(label="圏域")


def _fiscal_year(request: AuthenticatedRequest) -> int:
    """The fiscal year of ?fy= (2020, 令和2年度 …), else the current one."""
    return int(YearQuery.from_request(request).get("fy") or current_fiscal_year())


def _year_choices(selected: int) -> list[tuple[int, str]]:
    current = current_fiscal_year()
    years = set(range(current - 3, current + 1)) | {selected} | set(insurance_years())
    return [(fy, fiscal_year_label(fy)) for fy in sorted(years, reverse=True)]


# --- landing page --------------------------------------------------------------------------


@rule("help_request.view")
def index(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    fiscal_year = _fiscal_year(request)
    today = timezone.localdate()
    context: dict[str, Any] = {
        "fiscal_year": fiscal_year,
        "fiscal_year_label": fiscal_year_label(fiscal_year),
        "years": _year_choices(fiscal_year),
        "figures": year_figures(fiscal_year),
        "volunteer_type": volunteer_type_name(),
        "counts": centre_counts(fiscal_year),
        "requests": HelpRequest.objects.open().with_related()[:10],
        "offers": DonationOffer.objects.open().with_related()[:10],
        "show_people": can(user, "volunteer.view"),
    }
    if can(user, "volunteer.view"):
        context["reviews_due"] = (
            Match.objects.review_due(today).with_related().order_by("next_review_on")[:10]
        )
    return render(request, "volunteers/index.html", context)


# --- registrations -------------------------------------------------------------------------


@rule("volunteer.view")
def volunteer_list(request: AuthenticatedRequest) -> HttpResponse:
    today = timezone.localdate()
    volunteer_filter = VolunteerFilter.from_query(VolunteerQuery.from_request(request))
    volunteers = volunteer_filter.apply(Volunteer.objects.all(), today=today)
    insured = set(
        InsuranceEnrolment.objects.filter(fiscal_year=current_fiscal_year(today)).values_list(
            "volunteer_id", flat=True
        )
    )
    page = Paginator(
        Volunteer.objects.filter(pk__in=volunteers.values("pk"))
        .with_related()
        .order_by("kana_key", "id"),
        PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "volunteers/volunteer_list.html",
        {
            "page": page,
            "filter": volunteer_filter,
            "choices": VolunteerFilter.choices(),
            "weekdays": list(enumerate(WEEKDAYS)),
            "slots": [(s, SLOT_LABELS[s]) for s in SLOTS],
            "insured": insured,
            "query_string": params.urlencode(),
        },
    )


def _volunteer_form_page(
    request: AuthenticatedRequest,
    form: VolunteerForm,
    *,
    title: str,
    volunteer: Volunteer | None = None,
    duplicates: list[Volunteer] | None = None,
) -> HttpResponse:
    return render(
        request,
        "volunteers/volunteer_form.html",
        {
            "form": form,
            "title": title,
            "volunteer": volunteer,
            "duplicates": duplicates or [],
            "setup_problems": []
            if volunteer
            else setup_problems(REGISTRATION_CATEGORY, current_fiscal_year()),
            "slot_grid": form.slot_grid(),
            "slot_headers": [SLOT_LABELS[s] for s in SLOTS],
        },
    )


def _registered_message(volunteer: Volunteer) -> str:
    return (
        f"{volunteer.full_name}さんを登録しました。"
        f"{_counted_as(REGISTRATION_CATEGORY, volunteer.record)}"
    )


def _counted_as(category_code: str, record: SupportRecord | None) -> str:
    """「…」の相談として令和2年度の支援記録に数えます。 with the category's name that year."""
    if record is None:
        return ""
    name = category_name(category_code, record.fiscal_year)
    label = fiscal_year_label(record.fiscal_year)
    return f"「{name}」の相談として{label}の支援記録に数えます。" if name else ""


@rule("volunteer.edit")
def volunteer_new(request: AuthenticatedRequest) -> HttpResponse:
    user: User = request.user
    duplicates: list[Volunteer] = []
    if request.method == "POST":
        form = VolunteerForm(request.POST)
        if form.is_valid():
            try:
                volunteer = register_volunteer(
                    by=user,
                    data=form.volunteer_data(),
                    place=form.cleaned_data["place"],
                    record=form.cleaned_data.get("record"),
                    allow_duplicate=form.cleaned_data.get("allow_duplicate", False),
                )
            except DuplicateVolunteer as warning:
                duplicates = warning.duplicates
                form.add_error(None, warning)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _registered_message(volunteer))
                return redirect("volunteers:volunteer", pk=volunteer.pk)
    else:
        form = VolunteerForm(
            initial={
                "kind": "person",
                "registered_on": timezone.localdate().isoformat(),
                "active": True,
                "place": "office",
            }
        )
    return _volunteer_form_page(request, form, title="ボランティアの登録", duplicates=duplicates)


@rule("volunteer.edit")
@edit_page("volunteers:volunteer_edit", Volunteer)
def volunteer_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    volunteer = get_volunteer_for_user(request, pk, write=True)
    duplicates: list[Volunteer] = []
    if request.method == "POST":
        form = VolunteerForm(request.POST, creating=False)
        if form.is_valid():
            try:
                update_volunteer(
                    by=request.user,
                    volunteer=volunteer,
                    data=form.volunteer_data(),
                    allow_duplicate=form.cleaned_data.get("allow_duplicate", False),
                    expected_version=form.expected_version,
                )
            except Conflict as error:
                stored = Volunteer.objects.get(pk=volunteer.pk)
                form.show_conflict(
                    error, stored=VolunteerForm(initial=volunteer_initial(stored), creating=False)
                )
            except DuplicateVolunteer as warning:
                duplicates = warning.duplicates
                form.add_error(None, warning)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, "登録内容を保存しました。")
                return redirect("volunteers:volunteer", pk=volunteer.pk)
    else:
        form = VolunteerForm(initial=volunteer_initial(volunteer), creating=False)
    return _volunteer_form_page(
        request, form, title="登録内容の変更", volunteer=volunteer, duplicates=duplicates
    )


@rule("volunteer.view")
def volunteer_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    volunteer = get_volunteer_for_user(request, pk)
    enrolments = volunteer.insurance_enrolments.select_related("plan").order_by("-fiscal_year")
    matches = volunteer.matches.select_related("help_request", "help_request__group").order_by(
        "-started_on"
    )
    return render(
        request,
        "volunteers/volunteer_detail.html",
        {
            "volunteer": volunteer,
            "enrolments": enrolments,
            "matches": matches,
            "today": timezone.localdate(),
            "current_fiscal_year": current_fiscal_year(),
        },
    )


# --- insurance -----------------------------------------------------------------------------


@rule("insurance.edit")
def insurance_new(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    volunteer = get_volunteer_for_user(request, pk, write=True)
    if request.method == "POST":
        form = InsuranceForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                enrolment = enrol_insurance(
                    by=request.user,
                    volunteer=volunteer,
                    plan=data["plan"],
                    fiscal_year=data["fiscal_year"],
                    enrolled_on=data["enrolled_on"],
                    insured_count=data["insured_count"],
                    note=data.get("note", ""),
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(
                    request,
                    f"{enrolment.fiscal_year_label}の保険（{enrolment.plan.name}）の加入を登録しました。"
                    f"{enrolment.valid_until.month}月{enrolment.valid_until.day}日まで有効です。",
                )
                return redirect("volunteers:volunteer", pk=volunteer.pk)
    else:
        form = InsuranceForm()
    return render(request, "volunteers/insurance_form.html", {"form": form, "volunteer": volunteer})


def _add_errors(form: Any, error: ValidationError) -> None:
    """Put a service's field errors on the form's fields where it has them."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, texts in error.message_dict.items():
        form.add_error(field if field in form.fields else None, texts)


@rule("insurance.edit")
@require_POST
def insurance_remove(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    enrolment = get_enrolment_for_user(request, pk, write=True)
    volunteer_pk = enrolment.volunteer_id
    label = enrolment.fiscal_year_label
    remove_insurance(by=request.user, enrolment=enrolment)
    messages.success(request, f"{label}の保険加入を取り消しました。")
    return redirect("volunteers:volunteer", pk=volunteer_pk)


@rule("insurance.view")
def insurance_list(request: AuthenticatedRequest) -> HttpResponse:
    fiscal_year = _fiscal_year(request)
    enrolments = (
        InsuranceEnrolment.objects.in_year(fiscal_year)
        .select_related("volunteer", "plan")
        .order_by("volunteer__kana_key", "id")
    )
    start, end = fiscal_year_bounds(fiscal_year)
    return render(
        request,
        "volunteers/insurance_list.html",
        {
            "enrolments": enrolments,
            "fiscal_year": fiscal_year,
            "fiscal_year_label": fiscal_year_label(fiscal_year),
            "years": _year_choices(fiscal_year),
            "valid_from": start,
            "valid_until": end,
            "counts": centre_counts(fiscal_year).insured,
        },
    )


@rule("insurance.export")
def insurance_download(request: AuthenticatedRequest, fiscal_year: int) -> HttpResponseBase:
    """Personal data leaves the system here: administrators only, and logged."""
    if not MIN_FISCAL_YEAR <= fiscal_year <= MAX_FISCAL_YEAR:
        raise Http404
    return download(request, InsuranceExport, fiscal_year=fiscal_year)


# --- donation offers -----------------------------------------------------------------------


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
            "years": _year_choices(fiscal_year),
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
                _add_errors(form, error)
            else:
                messages.success(
                    request,
                    f"寄付・寄贈の申し出（{offer.item}）を受け付けました。"
                    f"{_counted_as(DONATION_CATEGORY, offer.record)}",
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
                _add_errors(form, error)
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


@rule("help_request.view")
def request_list(request: AuthenticatedRequest) -> HttpResponse:
    status = RequestQuery.from_request(request).get("status", "current")
    requests = HelpRequest.objects.with_related()
    if status == "current":
        requests = requests.open()
    elif status in RequestStatus.values:
        requests = requests.filter(status=status)
    page = Paginator(requests, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "volunteers/request_list.html",
        {
            "page": page,
            "status": status,
            "statuses": [("current", "募集中・調整中"), *RequestStatus.choices, ("all", "すべて")],
            "query_string": f"status={status}",
        },
    )


def _request_form_page(
    request: AuthenticatedRequest,
    form: HelpRequestForm,
    *,
    title: str,
    help_request: HelpRequest | None = None,
) -> HttpResponse:
    return render(
        request,
        "volunteers/request_form.html",
        {
            "form": form,
            "title": title,
            "help_request": help_request,
            "slot_grid": form.slot_grid(),
            "slot_headers": [SLOT_LABELS[s] for s in SLOTS],
        },
    )


@rule("help_request.edit")
def request_new(request: AuthenticatedRequest) -> HttpResponse:
    if request.method == "POST":
        form = HelpRequestForm(request.POST)
        form.for_new_row()
        if form.is_valid():
            try:
                help_request = save_help_request(
                    by=request.user,
                    values=form.request_values(),
                    skills=list(form.cleaned_data.get("skills") or []),
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(
                    request, f"ボランティア募集（{help_request.title}）を登録しました。"
                )
                return redirect("volunteers:request", pk=help_request.pk)
    else:
        form = HelpRequestForm(
            initial={
                "requested_on": timezone.localdate().isoformat(),
                "people_needed": 1,
                "status": "open",
            }
        )
    return _request_form_page(request, form, title="ボランティア募集の登録")


@rule("help_request.edit")
@edit_page("volunteers:request_edit", HelpRequest)
def request_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    help_request = get_request_for_user(request, pk, write=True)
    if request.method == "POST":
        form = HelpRequestForm(request.POST)
        if form.is_valid():
            try:
                save_help_request(
                    by=request.user,
                    values=form.request_values(),
                    skills=list(form.cleaned_data.get("skills") or []),
                    help_request=help_request,
                    expected_version=form.expected_version,
                )
            except Conflict as error:
                stored = HelpRequest.objects.get(pk=help_request.pk)
                form.show_conflict(error, stored=HelpRequestForm(initial=_request_initial(stored)))
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, "募集の内容を保存しました。")
                return redirect("volunteers:request", pk=help_request.pk)
    else:
        form = HelpRequestForm(initial=_request_initial(help_request))
    return _request_form_page(request, form, title="募集の変更", help_request=help_request)


def _request_initial(help_request: HelpRequest) -> dict[str, Any]:
    return {
        "group": help_request.group_id,
        "requested_on": help_request.requested_on.isoformat(),
        "title": help_request.title,
        "description": help_request.description,
        "skills": [s.pk for s in help_request.skills.all()],
        "schedule": help_request.schedule,
        "slots": slot_values(help_request.slots),
        "starts_on": help_request.starts_on.isoformat() if help_request.starts_on else "",
        "ends_on": help_request.ends_on.isoformat() if help_request.ends_on else "",
        "place": help_request.place,
        "people_needed": help_request.people_needed,
        "status": help_request.status,
        "version": help_request.version,
    }


@rule("help_request.view")
def request_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    help_request = get_request_for_user(request, pk)
    today = timezone.localdate()
    matches = list(
        help_request.matches.select_related("volunteer")
        .prefetch_related("reviews")
        .order_by("-started_on", "-id")
    )
    return render(
        request,
        "volunteers/request_detail.html",
        {
            "help_request": help_request,
            "matches": matches,
            "current_count": sum(1 for m in matches if m.is_current(today)),
            "show_people": can(request.user, "volunteer.view"),
            "today": today,
            "review_form": ReviewForm(initial={"reviewed_on": today.isoformat()}),
            "end_form": EndMatchForm(initial={"ended_on": today.isoformat()}),
        },
    )


# --- matching ------------------------------------------------------------------------------


@rule("help_request.edit")
def request_match(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Suggestions for a group's request, and the form that records the chosen one."""
    help_request = get_request_for_user(request, pk, write=True)
    today = timezone.localdate()
    helping = list(help_request.matches.current(today).values_list("volunteer_id", flat=True))
    group = help_request.group
    suggestions = suggest_volunteers(
        skills=[s.name for s in help_request.skills.all()],
        region=group.region,
        zone=group.zone,
        available=help_request.slots,
        limit=SUGGESTION_LIMIT,
        today=today,
        exclude=helping,
    )
    reasons = {s.volunteer.pk: s.reason_text for s in suggestions}
    if request.method == "POST":
        form = MatchForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                record_match(
                    by=request.user,
                    help_request=help_request,
                    volunteer=data["volunteer"],
                    frequency=data["frequency"],
                    started_on=data["started_on"],
                    next_review_on=data.get("next_review_on"),
                    reasons=reasons.get(data["volunteer"].pk, ""),
                    note=data.get("note", ""),
                    today=today,
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(
                    request,
                    f"{data['volunteer'].full_name}さんのマッチング（{data['frequency']}）を記録しました。",
                )
                return redirect("volunteers:request", pk=help_request.pk)
    else:
        first = suggestions[0].volunteer.pk if suggestions else None
        form = MatchForm(initial={"volunteer": first, "started_on": today.isoformat()})
    return render(
        request,
        "volunteers/request_match.html",
        {"help_request": help_request, "suggestions": suggestions, "form": form},
    )


@rule("volunteer.view")
def suggest(request: AuthenticatedRequest) -> HttpResponse:
    """Who could help with a need described here (skills, area, days and times)."""
    skills = Skill.objects.active()
    chosen_skills = [s for s in skills if str(s.pk) in request.GET.getlist("skill")]
    query = SuggestQuery.from_request(request)
    region_pk, zone_pk = query.get("region"), query.get("zone")
    region = Region.objects.filter(pk=region_pk).first() if region_pk else None
    zone = Zone.objects.filter(pk=zone_pk).first() if zone_pk else None
    slots = parse_slot_values(request.GET.getlist("slot"))
    searched = bool(chosen_skills or region or zone or slots)
    suggestions = (
        suggest_volunteers(
            skills=[s.name for s in chosen_skills],
            region=region,
            zone=zone,
            available=slots,
            limit=20,
        )
        if searched
        else []
    )
    chosen_slot_values = set(request.GET.getlist("slot"))
    return render(
        request,
        "volunteers/suggest.html",
        {
            "skills": [(s, s in chosen_skills) for s in skills],
            "regions": Region.objects.active(),
            "zones": Zone.objects.active(),
            "region": region,
            "zone": zone,
            "slot_grid": [
                {
                    "day": WEEKDAYS[d],
                    "cells": [
                        {
                            "value": f"{d}-{s}",
                            "label": f"{WEEKDAYS[d]}曜{SLOT_LABELS[s]}",
                            "checked": f"{d}-{s}" in chosen_slot_values,
                        }
                        for s in SLOTS
                    ],
                }
                for d in range(7)
            ],
            "slot_headers": [SLOT_LABELS[s] for s in SLOTS],
            "searched": searched,
            "suggestions": suggestions,
        },
    )


def _form_messages(request: AuthenticatedRequest, prefix: str, form: Any) -> None:
    """A small form posted from a detail page: its errors come back as messages."""
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for problem in errors:
            messages.error(request, f"{prefix}：{label}　{problem}")


@rule("volunteer_match.edit")
@require_POST
def match_review(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    match = get_match_for_user(request, pk, write=True)
    form = ReviewForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            review_match(
                by=request.user,
                match=match,
                reviewed_on=data["reviewed_on"],
                note=data.get("note", ""),
                next_review_on=data.get("next_review_on"),
            )
        except ValidationError as error:
            for text in error.messages:
                messages.error(request, f"見直しを記録できませんでした：{text}")
        else:
            messages.success(request, "見直しを記録しました。")
    else:
        _form_messages(request, "見直しを記録できませんでした", form)
    return redirect("volunteers:request", pk=match.help_request_id)


@rule("volunteer_match.edit")
@require_POST
def match_end(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    match = get_match_for_user(request, pk, write=True)
    form = EndMatchForm(request.POST)
    if form.is_valid():
        try:
            end_match(
                by=request.user,
                match=match,
                ended_on=form.cleaned_data["ended_on"],
                reason=form.cleaned_data["end_reason"],
            )
        except ValidationError as error:
            for text in error.messages:
                messages.error(request, f"終了を記録できませんでした：{text}")
        else:
            messages.success(request, "マッチングの終了を記録しました。")
    else:
        _form_messages(request, "終了を記録できませんでした", form)
    return redirect("volunteers:request", pk=match.help_request_id)
