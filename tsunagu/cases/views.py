"""The case screens: my cases, a case with its timeline, registering and editing a case
(with the duplicate warning), its status, the records linked to it, who could help, the
counts for everyone, and the administrators' export."""

from datetime import date
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Min, Q
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from tsunagu.accounts.decorators import AuthenticatedRequest
from tsunagu.accounts.models import User
from tsunagu.cases.access import get_case_for_user
from tsunagu.cases.exporters import CaseExport
from tsunagu.cases.forms import CaseForm, LinkRecordForm, StatusForm, case_initial
from tsunagu.cases.matching import suggest_case_volunteers, suggest_groups
from tsunagu.cases.models import (
    AgeBand,
    Case,
    CaseStatus,
)
from tsunagu.cases.queries import case_counts
from tsunagu.cases.services import (
    TRANSITIONS,
    PossibleDuplicate,
    change_status,
    create_case,
    link_record,
    log_duplicate_warning,
    unlink_record,
    update_case,
)
from tsunagu.cases.timeline import build_timeline
from tsunagu.core.access import can, rule, writers
from tsunagu.core.concurrency import Conflict, edit_page
from tsunagu.core.exporters import download
from tsunagu.core.params import ChoiceField, IdField, QueryForm
from tsunagu.records.models import SupportRecord

PAGE_SIZE = 50
STATUS_FILTERS = [("open", "対応中（終了以外）"), *CaseStatus.choices, ("all", "すべて")]


class CaseQuery(QueryForm):
    status = ChoiceField(label="状況", choices=[("", ""), *STATUS_FILTERS])
    staff = IdField(label="担当職員")


@rule("case.counts")
def index(request: AuthenticatedRequest) -> HttpResponse:
    user: User = request.user
    if not can(user, "case.view"):
        # Read-only accounts never see cases, only how many there are.
        return redirect("cases:counts")
    query = CaseQuery.from_request(request)
    status = query.get("status", "open")
    cases = Case.objects.visible_to(user)
    if status == "open":
        cases = cases.open()
    elif status != "all":
        cases = cases.filter(status=status)
    staff_filter = query.shown("staff")
    every_case = can(user, "case.view_all")
    if every_case and staff_filter:
        cases = cases.filter(staff__pk=query["staff"])
    cases = (
        cases.with_related()
        .annotate(
            next_follow_up=Min("follow_ups__due_on", filter=Q(follow_ups__done_on__isnull=True))
        )
        .order_by("-opened_on", "-id")
    )
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "cases/index.html",
        {
            "page": page,
            "status": status,
            "status_filters": STATUS_FILTERS,
            "staff_filter": staff_filter,
            "staff_choices": writers(User.objects.all(), active_only=False) if every_case else [],
            "every_case": every_case,
            "today": timezone.localdate(),
        },
    )


@rule("case.counts")
def counts(request: AuthenticatedRequest) -> HttpResponse:
    """How many cases and referrals there are: for every role, nobody identified."""
    return render(request, "cases/counts.html", {"counts": case_counts(timezone.localdate())})


def _duplicates_context(user: User, error: PossibleDuplicate) -> dict[str, Any]:
    """The cases like the one typed that the user may open, and — for those they may not —
    only that one exists and whom to ask: never its number, status or staff (that would
    tell that the person is a client, and of whom)."""
    openable = [case for case in error.cases if can(user, "case.view", case)]
    hidden = len(error.cases) - len(openable)
    log_duplicate_warning(by=user, cases=error.cases, hidden=hidden)
    ask = [u.display_name for u in User.objects.filter(is_active=True) if can(u, "case.view_all")]
    return {"openable": openable, "hidden": hidden, "ask": "、".join(ask)}


@rule("case.create")
def case_new(request: AuthenticatedRequest) -> HttpResponse:
    user: User = request.user
    duplicates: dict[str, Any] = {}
    if request.method == "POST":
        form = CaseForm(request.POST)
        if form.is_valid():
            try:
                case = create_case(
                    by=user,
                    values=form.values(),
                    needs=form.cleaned_data["needs"],
                    staff=form.cleaned_data["staff"],
                    not_duplicate=form.cleaned_data["not_duplicate"],
                )
            except PossibleDuplicate as error:
                duplicates = _duplicates_context(user, error)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request, f"個別支援「{case.pseudonym}」（{case.number}）を登録しました。"
                )
                return redirect("cases:detail", pk=case.pk)
    else:
        zone = user.zones.filter(active=True).first()
        form = CaseForm(
            initial={
                "opened_on": timezone.localdate().isoformat(),
                "staff": [user.pk],
                "zone": zone.pk if zone else None,
                "age_band": AgeBand.UNKNOWN,
            }
        )
    return render(
        request,
        "cases/case_form.html",
        {"form": form, "duplicates": duplicates, "title": "個別支援の登録"},
    )


@rule("case.edit")
@edit_page("cases:edit", Case)
def case_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    case = get_case_for_user(request, pk, write=True)
    user = request.user
    duplicates: dict[str, Any] = {}
    if case.is_anonymised:
        messages.error(request, "匿名化された個別支援は編集できません。")
        return redirect("cases:detail", pk=case.pk)
    if request.method == "POST":
        form = CaseForm(request.POST, case=case)
        if form.is_valid():
            try:
                update_case(
                    by=user,
                    case=case,
                    values=form.values(),
                    needs=form.cleaned_data["needs"],
                    staff=form.cleaned_data["staff"],
                    not_duplicate=form.cleaned_data["not_duplicate"],
                    expected_version=form.expected_version,
                )
            except PossibleDuplicate as error:
                duplicates = _duplicates_context(user, error)
            except Conflict as error:
                stored = Case.objects.get(pk=case.pk)
                form.show_conflict(
                    error, stored=CaseForm(initial=case_initial(stored), case=stored)
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, "個別支援を保存しました。")
                if can(user, "case.view", Case.objects.with_related().get(pk=case.pk)):
                    return redirect("cases:detail", pk=case.pk)
                return redirect("cases:index")
    else:
        form = CaseForm(initial=case_initial(case), case=case)
    return render(
        request,
        "cases/case_form.html",
        {"form": form, "case": case, "duplicates": duplicates, "title": "個別支援の編集"},
    )


@rule("case.view")
def case_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    case = get_case_for_user(request, pk)
    today = timezone.localdate()
    matches = list(case.matches.select_related("group", "volunteer", "need"))
    return render(
        request,
        "cases/case_detail.html",
        {
            "case": case,
            "today": today,
            "timeline": build_timeline(case, today=today),
            "current_matches": [m for m in matches if m.is_current(today)],
            "ended_matches": [m for m in matches if not m.is_current(today)],
            "asks": list(case.asks.select_related("group")),
            "referrals": list(case.referrals.with_related()),
            "follow_ups": list(case.follow_ups.pending()),
            "records": list(case.records.alive().select_related("activity_kind", "consulter_type")),
            "status_form": StatusForm(initial={"on": today.isoformat()}),
            "next_statuses": [(s, CaseStatus(s).label) for s in TRANSITIONS[case.status]],
        },
    )


@rule("case.edit")
@require_POST
def case_status(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    case = get_case_for_user(request, pk, write=True)
    form = StatusForm(request.POST)
    if not form.is_valid():
        for field in form:
            for error in field.errors:
                messages.error(request, f"{field.label}：{error}")
        return redirect("cases:detail", pk=case.pk)
    try:
        change_status(
            by=request.user,
            case=case,
            status=form.cleaned_data["status"],
            on=form.cleaned_data["on"],
            reason=form.cleaned_data["reason"],
            note=form.cleaned_data["note"],
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, f"状況を「{case.get_status_display()}」にしました。")
    return redirect("cases:detail", pk=case.pk)


def _record_candidates(case: Case) -> Any:
    """Records the case's staff wrote since shortly before it was opened, not linked yet."""
    since = date.fromordinal(case.opened_on.toordinal() - 90)
    return (
        SupportRecord.objects.alive()
        .filter(staff__in=case.staff.all(), date__gte=since)
        .exclude(support_cases=case)
        .select_related("consulter_type", "activity_kind", "staff")
        .order_by("-date", "-id")[:200]
    )


@rule("case.edit")
def record_link(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    case = get_case_for_user(request, pk, write=True)
    candidates = SupportRecord.objects.filter(pk__in=[r.pk for r in _record_candidates(case)])
    candidates = candidates.select_related("consulter_type", "activity_kind", "staff").order_by(
        "-date", "-id"
    )
    form = LinkRecordForm(request.POST or None, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        try:
            link_record(by=request.user, case=case, record=form.cleaned_data["record"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "支援記録をつなげました。")
            return redirect("cases:detail", pk=case.pk)
    return render(request, "cases/record_link.html", {"case": case, "form": form})


@rule("case.edit")
@require_POST
def record_unlink(request: AuthenticatedRequest, pk: int, record_pk: int) -> HttpResponse:
    case = get_case_for_user(request, pk, write=True)
    record = get_object_or_404(case.records.all(), pk=record_pk)
    try:
        unlink_record(by=request.user, case=case, record=record)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request, "支援記録とのつながりをはずしました（記録そのものは残っています）。"
        )
    return redirect("cases:detail", pk=case.pk)


@rule("case.view")
def suggestions(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    case = get_case_for_user(request, pk)
    today = timezone.localdate()
    return render(
        request,
        "cases/suggestions.html",
        {
            "case": case,
            "groups": suggest_groups(case),
            "volunteers": suggest_case_volunteers(case, today=today),
        },
    )


@rule("case.export")
def export(request: AuthenticatedRequest) -> HttpResponseBase:
    """All cases as .xlsx, without names or contacts; the export itself is logged."""
    return download(request, CaseExport)
