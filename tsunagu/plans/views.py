"""The plan screens: a plan, its sheet for printing, editing, yearly statuses, records
linked to initiatives, import and export, and the list of target groups."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from tsunagu.accounts.decorators import AuthenticatedRequest
from tsunagu.core.access import rule
from tsunagu.core.concurrency import Conflict, edit_page
from tsunagu.core.exporters import download
from tsunagu.core.params import FiscalYearField, FlagField, IdField, QueryForm
from tsunagu.directory.models import Region
from tsunagu.lib.fiscal import (
    fiscal_year_label,
)
from tsunagu.plans.access import (
    get_plan_for_user,
    get_record_to_link,
    get_target_for_user,
)
from tsunagu.plans.exporters import PlanExport
from tsunagu.plans.forms import (
    GoalFormSet,
    ImportForm,
    InitiativeFormSet,
    LinkForm,
    PlanForm,
    TargetForm,
    YearStatusForm,
    goal_initial,
    initiative_initial,
    plan_data,
)
from tsunagu.plans.models import (
    Initiative,
    InitiativeRecord,
    InitiativeStatus,
    Plan,
    PlanTarget,
    PlanYear,
    Status,
)
from tsunagu.plans.queries import initiative_rows, records_of, status_history
from tsunagu.plans.services import (
    EditConflict,
    add_default_targets,
    check_year,
    create_plan,
    delete_plan,
    linkable_initiatives,
    save_target,
    save_year_statuses,
    set_record_initiatives,
    set_target_active,
    update_plan,
)
from tsunagu.plans.spreadsheet import PLAN_COLUMNS, PROGRESS_COLUMNS, PlanImportError
from tsunagu.plans.spreadsheet import import_plans as read_workbook
from tsunagu.records.models import ActivityKind
from tsunagu.records.queries import default_record_year

PAGE_SIZE = 50
LIST_SENT = "initiatives_listed"  # the hidden field of record_link.html's checkbox list


class YearQuery(QueryForm):
    year = FiscalYearField(label="年度")


class RegionQuery(QueryForm):
    region = IdField(label="地域")


class PlanRecordsQuery(QueryForm):
    kind = IdField(label="活動種別")
    linked = FlagField(label="計画に結び付いた記録だけ")


class RecordQuery(QueryForm):
    record = IdField(label="記録")


class TargetsQuery(QueryForm):
    inactive = FlagField(label="使わなくなった対象も表示")


def year_param(request: HttpRequest, default: int) -> int:
    """The fiscal year of ?year= (2020, 令和2年度 …), else `default`."""
    year: int = YearQuery.from_request(request).get("year", default)
    return year


def _form_errors(form: PlanForm, error: ValidationError) -> None:
    if isinstance(error, EditConflict):
        form.show_conflict(error, stored=PlanForm(plan=error.current))  # type: ignore[arg-type]
        return
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.message_dict.items():
        form.add_error(name if name in form.fields else None, errors)


def _plan_context(plan: Plan, year: int) -> dict[str, Any]:
    return {
        "plan": plan,
        "year": year,
        "year_label": fiscal_year_label(year),
        "rows": initiative_rows(plan, year),
        "statuses": Status.choices,
    }


# --- a plan ---------------------------------------------------------------------------


@rule("plan.view")
def plan_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request, pk)
    year = plan.year_in_period(year_param(request, default_record_year()))
    history = status_history(plan)
    initiatives = list(plan.initiatives.all())
    table = [(i, [history.get(i.pk, {}).get(y) for y in plan.years]) for i in initiatives]
    siblings = Plan.objects.filter(region=plan.region_id).exclude(pk=plan.pk)
    return render(
        request,
        "plans/plan_detail.html",
        {
            **_plan_context(plan, year),
            "history": table,
            "years": [(y, fiscal_year_label(y)) for y in plan.years],
            "siblings": siblings,
        },
    )


@rule("plan.view")
def plan_print(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request, pk)
    year = plan.year_in_period(year_param(request, default_record_year()))
    return render(request, "plans/plan_print.html", _plan_context(plan, year))


def _plan_forms(
    request: HttpRequest, plan: Plan | None, initial: dict[str, Any] | None = None
) -> tuple[PlanForm, Any, Any]:
    data = request.POST if request.method == "POST" else None
    form = PlanForm(data, plan=plan, initial=initial) if initial else PlanForm(data, plan=plan)
    goals = GoalFormSet(data, initial=goal_initial(plan), prefix="goals")
    initiatives = InitiativeFormSet(data, initial=initiative_initial(plan), prefix="initiatives")
    return form, goals, initiatives


def _render_form(
    request: HttpRequest, plan: Plan | None, form: PlanForm, goals: Any, initiatives: Any
) -> HttpResponse:
    return render(
        request,
        "plans/plan_form.html",
        {
            "plan": plan,
            "form": form,
            "goals": goals,
            "initiatives": initiatives,
            "has_targets": PlanTarget.objects.filter(active=True).exists(),
        },
    )


@rule("plan.edit")
def plan_create(request: AuthenticatedRequest) -> HttpResponse:
    region = RegionQuery.from_request(request).get("region")
    initial: dict[str, Any] = {}
    if region is not None:
        initial["region"] = Region.objects.filter(pk=region).first()
    form, goals, initiatives = _plan_forms(request, None, initial)
    if request.method == "POST" and all(
        [form.is_valid(), goals.is_valid(), initiatives.is_valid()]
    ):
        try:
            plan = create_plan(by=request.user, data=plan_data(form, goals, initiatives))
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, f"{plan}を登録しました。")
            return redirect("plans:detail", pk=plan.pk)
    return _render_form(request, None, form, goals, initiatives)


@rule("plan.edit")
@edit_page("plans:edit", Plan)
def plan_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request, pk, write=True)
    form, goals, initiatives = _plan_forms(request, plan)
    if request.method == "POST" and all(
        [form.is_valid(), goals.is_valid(), initiatives.is_valid()]
    ):
        try:
            plan = update_plan(
                by=request.user,
                plan=plan,
                data=plan_data(form, goals, initiatives),
                expected_version=form.expected_version,
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, f"{plan}を保存しました。")
            return redirect("plans:detail", pk=plan.pk)
    return _render_form(request, plan, form, goals, initiatives)


@rule("plan.edit")
def plan_delete(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request, pk, write=True)
    if request.method == "POST":
        region = plan.region_id
        label = str(plan)
        delete_plan(by=request.user, plan=plan)
        messages.success(request, f"{label}を削除しました。")
        return redirect("plans:region", pk=region)
    counts = {
        "statuses": InitiativeStatus.objects.filter(initiative__plan=plan).count(),
        "links": InitiativeRecord.objects.filter(initiative__plan=plan).count(),
    }
    return render(request, "plans/plan_delete.html", {"plan": plan, "counts": counts})


@rule("plan.edit")
@edit_page("plans:status", PlanYear)
def status_edit(request: AuthenticatedRequest, pk: int, year: int) -> HttpResponse:
    plan = get_plan_for_user(request, pk, write=True)
    try:
        check_year(plan, year)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("plans:detail", pk=plan.pk)
    initiatives = list(plan.initiatives.all())
    data = request.POST if request.method == "POST" else None  # an empty POST saves nothing
    form = _year_status_form(data, plan, year, initiatives)
    if request.method == "POST" and form.is_valid():
        try:
            changed = save_year_statuses(
                by=request.user,
                plan=plan,
                fiscal_year=year,
                entries=form.entries(),
                expected_version=form.cleaned_data.get("version"),
            )
        except Conflict as error:
            form.show_conflict(error, stored=_year_status_form(None, plan, year, initiatives))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                f"{fiscal_year_label(year)}の進捗を保存しました（{changed}件の取り組みを変更）。",
            )
            return redirect(f"{reverse('plans:detail', args=[plan.pk])}?year={year}")
    return render(
        request,
        "plans/status_form.html",
        {"plan": plan, "form": form, "year": year, "year_label": fiscal_year_label(year)},
    )


def _year_status_form(
    data: Any, plan: Plan, year: int, initiatives: list[Initiative]
) -> YearStatusForm:
    """The year's progress form as stored now: statuses, notes and the year's version."""
    statuses = {
        s.initiative_id: s
        for s in InitiativeStatus.objects.filter(initiative__plan=plan, fiscal_year=year)
    }
    version = (
        PlanYear.objects.filter(plan=plan, fiscal_year=year)
        .values_list("version", flat=True)
        .first()
    )
    form = YearStatusForm(
        data, initiatives=initiatives, statuses=statuses, initial={"version": version}
    )
    if version is None:
        form.for_new_row()
    return form


# --- records served by the initiatives ------------------------------------------------


@rule("plan.edit")
def plan_records(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The council's records of a year, to choose those to link to the initiatives."""
    plan = get_plan_for_user(request, pk, write=True)
    year = plan.year_in_period(year_param(request, default_record_year()))
    records = (
        records_of(plan.region, [year])
        .with_related()
        .prefetch_related(
            Prefetch(
                "initiative_links",
                queryset=InitiativeRecord.objects.filter(initiative__plan=plan).select_related(
                    "initiative"
                ),
                to_attr="plan_links",
            )
        )
        .order_by("date", "id")
    )
    kinds = ActivityKind.objects.in_year(year)
    query = PlanRecordsQuery.from_request(request)
    kind = query.shown("kind")
    if kind:
        records = records.filter(activity_kind_id=query["kind"])
    linked_only = query["linked"]
    if linked_only:
        records = records.filter(initiative_links__initiative__plan=plan).distinct()
    page = Paginator(records, PAGE_SIZE).get_page(request.GET.get("page"))
    numbers = {i.pk: n for n, i in enumerate(plan.initiatives.all(), start=1)}
    rows = [
        (
            r,
            [
                f"{numbers[link.initiative_id]}. {link.initiative.theme}"
                for link in r.plan_links  # type: ignore[attr-defined]
            ],
        )
        for r in page
    ]
    return render(
        request,
        "plans/plan_records.html",
        {
            "plan": plan,
            "year": year,
            "year_label": fiscal_year_label(year),
            "years": [(y, fiscal_year_label(y)) for y in plan.years],
            "page": page,
            "kinds": kinds,
            "kind": kind,
            "linked_only": linked_only,
            "rows": rows,
        },
    )


def _safe_next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


@rule("plan.edit")
def record_link(request: AuthenticatedRequest) -> HttpResponse:
    """Choose the initiatives a support record served (/plans/link/?record=<pk>)."""
    pk = RecordQuery.parse(request.GET).get("record")
    if pk is None:
        raise Http404("記録が指定されていません。")
    record = get_record_to_link(request, pk)
    candidates = linkable_initiatives(record)
    current = list(
        InitiativeRecord.objects.filter(record=record).values_list("initiative_id", flat=True)
    )
    form = LinkForm(request.POST or None, candidates=candidates, initial={"initiatives": current})
    fallback = reverse("records:detail", args=[record.pk])
    if request.method == "POST" and LIST_SENT not in request.POST:
        # No checkbox checked and no checkboxes sent look the same; the form marks that it
        # sent its list, so a POST without it (only a token) unlinks nothing.
        messages.info(request, "変更はありませんでした。")
        return redirect(_safe_next(request, fallback))
    if request.method == "POST" and form.is_valid():
        try:
            added, removed = set_record_initiatives(
                by=request.user, record=record, initiatives=list(form.cleaned_data["initiatives"])
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if added or removed:
                messages.success(
                    request,
                    f"取り組みとのつながりを保存しました（追加{added}件・解除{removed}件）。",
                )
            else:
                messages.info(request, "変更はありませんでした。")
            return redirect(_safe_next(request, fallback))
    by_plan: dict[int, dict[str, Any]] = {}
    field = form["initiatives"]
    chosen = {str(v) for v in (field.value() or [])}
    for n, initiative in enumerate(candidates):
        group = by_plan.setdefault(
            initiative.plan_id, {"plan": initiative.plan, "choices": [], "start": n}
        )
        group["choices"].append(
            {
                "initiative": initiative,
                "number": n - group["start"] + 1,
                "checked": str(initiative.pk) in chosen,
            }
        )
    return render(
        request,
        "plans/record_link.html",
        {
            "record": record,
            "form": form,
            "groups": list(by_plan.values()),
            "next": _safe_next(request, ""),
            "fallback": fallback,
            "year_label": fiscal_year_label(record.fiscal_year),
        },
    )


# --- import and export ----------------------------------------------------------------


@rule("plan.view")
def export_all(request: AuthenticatedRequest) -> HttpResponseBase:
    plans = Plan.objects.with_contents()
    # A download shows no page: an unusable ?region= exports every plan, said nowhere.
    if (region := RegionQuery.parse(request.GET).get("region")) is not None:
        plans = plans.filter(region_id=region)
    return download(request, PlanExport, plans=plans, filename="エリア別地域福祉活動計画.xlsx")


@rule("plan.view")
def export_one(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    plan = get_plan_for_user(request, pk)
    filename = f"エリア別計画_{plan.region.name}_{plan.start_year}-{plan.end_year}.xlsx"
    return download(request, PlanExport, plans=[plan], filename=filename)


@rule("plan.edit")
def import_upload(request: AuthenticatedRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    refused: PlanImportError | None = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = read_workbook(by=request.user, data=upload.read(), filename=upload.name)
        except PlanImportError as error:
            refused = error
        else:
            messages.success(request, result.message)
            return redirect("plans:index")
    return render(
        request,
        "plans/import.html",
        {
            "form": form,
            "refused": refused,
            "plan_columns": PLAN_COLUMNS,
            "progress_columns": PROGRESS_COLUMNS,
            "targets": PlanTarget.objects.filter(active=True),
            "statuses": Status.labels,
        },
    )


# --- target groups --------------------------------------------------------------------


@rule("plan.view", post="plan.edit")
def target_list(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    form = TargetForm(request.POST or None)
    form.for_new_row()
    if request.method == "POST" and form.is_valid():
        try:
            target = save_target(
                by=user,
                target=None,
                name=form.cleaned_data["name"],
                order=form.cleaned_data["order"],
            )
        except ValidationError as error:
            form.add_error("name", error.message_dict.get("name", error.messages))
        else:
            messages.success(request, f"対象「{target}」を追加しました。")
            return redirect("plans:targets")
    targets = PlanTarget.objects.annotate(goal_count=Count("goals"))
    show_inactive = TargetsQuery.from_request(request)["inactive"]
    if not show_inactive:
        targets = targets.filter(Q(active=True))
    return render(
        request,
        "plans/targets.html",
        {"targets": targets, "form": form, "show_inactive": show_inactive},
    )


def _target_initial(target: PlanTarget) -> dict[str, Any]:
    return {"name": target.name, "order": target.order, "version": target.version}


@rule("plan.edit")
@edit_page("plans:target_edit", PlanTarget)
def target_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    target = get_target_for_user(request, pk, write=True)
    form = TargetForm(request.POST or None, initial=_target_initial(target))
    if request.method == "POST" and form.is_valid():
        try:
            save_target(
                by=request.user,
                target=target,
                name=form.cleaned_data["name"],
                order=form.cleaned_data["order"],
                expected_version=form.expected_version,
            )
        except Conflict as error:
            stored = PlanTarget.objects.get(pk=target.pk)
            form.show_conflict(error, stored=TargetForm(initial=_target_initial(stored)))
        except ValidationError as error:
            form.add_error("name", error.message_dict.get("name", error.messages))
        else:
            messages.success(request, f"対象「{target}」を保存しました。")
            return redirect("plans:targets")
    return render(request, "plans/target_form.html", {"target": target, "form": form})


@rule("plan.edit")
@require_POST
def target_set_active(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    target = get_target_for_user(request, pk, write=True)
    active = request.POST.get("active") == "1"
    set_target_active(by=request.user, target=target, active=active)
    if active:
        messages.success(request, f"対象「{target}」を有効に戻しました。")
    else:
        messages.success(
            request,
            f"対象「{target}」を無効にしました。これまでの重点目標には残り、新しい選択肢には出ません。",
        )
    return redirect("plans:targets")


@rule("plan.edit")
@require_POST
def target_defaults(request: AuthenticatedRequest) -> HttpResponse:
    added = add_default_targets(by=request.user)
    messages.success(request, f"よく使う対象を{added}件追加しました。")
    return redirect("plans:targets")
