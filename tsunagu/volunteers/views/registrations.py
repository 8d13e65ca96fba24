"""Registrations: the centre's start page, volunteers and their insurance."""

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
from tsunagu.lib.fiscal import (
    MAX_FISCAL_YEAR,
    MIN_FISCAL_YEAR,
    current_fiscal_year,
    fiscal_year_bounds,
    fiscal_year_label,
)
from tsunagu.volunteers.access import (
    get_enrolment_for_user,
    get_volunteer_for_user,
)
from tsunagu.volunteers.availability import SLOT_LABELS, SLOTS, WEEKDAYS
from tsunagu.volunteers.consultations import (
    REGISTRATION_CATEGORY,
    setup_problems,
    volunteer_type_name,
    year_figures,
)
from tsunagu.volunteers.exporters import InsuranceExport
from tsunagu.volunteers.forms import (
    InsuranceForm,
    VolunteerForm,
    volunteer_initial,
)
from tsunagu.volunteers.models import (
    DonationOffer,
    HelpRequest,
    InsuranceEnrolment,
    Match,
    Volunteer,
)
from tsunagu.volunteers.queries import (
    VolunteerFilter,
    VolunteerQuery,
    centre_counts,
)
from tsunagu.volunteers.services.registrations import (
    DuplicateVolunteer,
    enrol_insurance,
    register_volunteer,
    remove_insurance,
    update_volunteer,
)
from tsunagu.volunteers.views.common import (
    PAGE_SIZE,
    add_errors,
    counted_as,
    fiscal_year_of,
    year_choices,
)


@rule("help_request.view")
def index(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    fiscal_year = fiscal_year_of(request)
    today = timezone.localdate()
    context: dict[str, Any] = {
        "fiscal_year": fiscal_year,
        "fiscal_year_label": fiscal_year_label(fiscal_year),
        "years": year_choices(fiscal_year),
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
        f"{counted_as(REGISTRATION_CATEGORY, volunteer.record)}"
    )


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
                add_errors(form, error)
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
    fiscal_year = fiscal_year_of(request)
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
            "years": year_choices(fiscal_year),
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
