"""Help requests and matching a volunteer to one."""

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
from tsunagu.volunteers.access import (
    get_request_for_user,
)
from tsunagu.volunteers.availability import SLOT_LABELS, SLOTS
from tsunagu.volunteers.forms import (
    EndMatchForm,
    HelpRequestForm,
    MatchForm,
    ReviewForm,
    slot_values,
)
from tsunagu.volunteers.matching import suggest_volunteers
from tsunagu.volunteers.models import (
    HelpRequest,
    RequestStatus,
)
from tsunagu.volunteers.services.help_requests import save_help_request
from tsunagu.volunteers.services.matches import record_match
from tsunagu.volunteers.views.common import (
    PAGE_SIZE,
    SUGGESTION_LIMIT,
    RequestQuery,
    add_errors,
)


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
                add_errors(form, error)
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
                add_errors(form, error)
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
                add_errors(form, error)
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
