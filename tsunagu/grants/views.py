from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from tsunagu.accounts.decorators import AuthenticatedRequest
from tsunagu.audit.descriptions import describe, describe_changes
from tsunagu.audit.models import AuditEntry
from tsunagu.core.access import can, refusal, rule
from tsunagu.core.concurrency import Conflict, edit_page
from tsunagu.core.exporters import download
from tsunagu.core.params import FiscalYearField, QueryForm
from tsunagu.directory.models import Region
from tsunagu.grants import forms as grant_forms
from tsunagu.grants.access import get_grant_for_user
from tsunagu.grants.charts import render_fundraising_svg
from tsunagu.grants.exporters import GrantSummaryExport
from tsunagu.grants.fundraising import fall_text, fundraising_trend, fundraising_years
from tsunagu.grants.models import (
    FundraisingDrive,
    FundraisingMethod,
    FundraisingTotal,
    FundraisingYear,
    Grant,
    GrantProgramme,
    GrantState,
    LineKind,
)
from tsunagu.grants.queries import AMOUNT_COLUMNS, grant_years, year_summary
from tsunagu.grants.services.fundraising import save_fundraising_lists, save_fundraising_year
from tsunagu.grants.services.lifecycle import (
    GrantConflict,
    apply_grant,
    decide_grant,
    expected_return,
    pay_grant,
    report_expenses,
    settle_grant,
    update_application,
)
from tsunagu.grants.services.programme import save_programme
from tsunagu.lib.amounts import format_yen
from tsunagu.lib.fiscal import (
    MAX_FISCAL_YEAR,
    MIN_FISCAL_YEAR,
    current_fiscal_year,
    fiscal_year_label,
)


def _year_or_404(fiscal_year: int) -> int:
    if not MIN_FISCAL_YEAR <= fiscal_year <= MAX_FISCAL_YEAR:
        raise Http404
    return fiscal_year


class YearQuery(QueryForm):
    fy = FiscalYearField(label="年度")


def _chosen_year(request: AuthenticatedRequest) -> int:
    """?fy= (2020, 令和2年度 …), else the current year (with a message if unreadable)."""
    year: int = YearQuery.from_request(request).get("fy") or current_fiscal_year()
    return year


def _year_choices(*years: int) -> list[tuple[int, str]]:
    chosen = sorted({*grant_years(), current_fiscal_year(), *years}, reverse=True)
    return [(fy, fiscal_year_label(fy)) for fy in chosen]


# --- the year summary ----------------------------------------------------------------


@rule("grant.view")
def index(request: AuthenticatedRequest) -> HttpResponse:
    fiscal_year = _chosen_year(request)
    summary = year_summary(fiscal_year)
    return render(
        request,
        "grants/index.html",
        {
            "summary": summary,
            "fiscal_year": fiscal_year,
            "years": _year_choices(fiscal_year),
            "columns": [label for _, label in AMOUNT_COLUMNS],
            "over_sources": summary.programme is not None
            and summary.sources
            and summary.totals["decided"] > summary.source_total,
        },
    )


@rule("grant.view")
def summary_xlsx(request: AuthenticatedRequest, fy: int) -> HttpResponseBase:
    return download(request, GrantSummaryExport, fiscal_year=_year_or_404(fy))


@rule("grant.configure")
@edit_page("grants:programme", GrantProgramme)
def programme_edit(request: AuthenticatedRequest, fy: int) -> HttpResponse:
    fiscal_year = _year_or_404(fy)
    programme = (
        GrantProgramme.objects.filter(fiscal_year=fiscal_year).prefetch_related("sources").first()
    )
    initial_sources = (
        [{"name": s.name, "amount": s.amount} for s in programme.sources.all()] if programme else []
    )
    copied_from = None
    if programme is None:
        previous = (
            GrantProgramme.objects.filter(fiscal_year__lt=fiscal_year)
            .prefetch_related("sources")
            .first()
        )
        if previous is not None:  # a new year starts from the year before
            initial_sources = [{"name": s.name, "amount": s.amount} for s in previous.sources.all()]
            copied_from = previous.fiscal_year
    initial = {
        "cap": programme.cap if programme else 300_000,
        "note": programme.note if programme else "",
        "version": programme.version if programme else None,
    }
    form = grant_forms.ProgrammeForm(request.POST or None, initial=initial)
    if programme is None:
        form.for_new_row()
    sources = grant_forms.source_formset(request.POST or None, initial=initial_sources)
    if request.method == "POST" and form.is_valid() and sources.is_valid():
        try:
            save_programme(
                by=request.user,
                fiscal_year=fiscal_year,
                cap=form.cleaned_data["cap"],
                note=form.cleaned_data["note"],
                sources=[s for f in sources.forms if (s := f.source()) is not None],
                expected_version=form.cleaned_data.get("version"),
            )
        except Conflict as error:
            stored = GrantProgramme.objects.get(fiscal_year=fiscal_year)
            form.show_conflict(
                error,
                stored=grant_forms.ProgrammeForm(initial={"cap": stored.cap, "note": stored.note}),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, f"{fiscal_year_label(fiscal_year)}の助成金の設定を保存しました。"
            )
            return redirect(f"{reverse('grants:index')}?fy={fiscal_year}")
    return render(
        request,
        "grants/programme_form.html",
        {
            "form": form,
            "sources": sources,
            "fiscal_year": fiscal_year,
            "programme": programme,
            "copied_from": copied_from,
        },
    )


# --- application -------------------------------------------------------------------


def _application_context(form: Any, expenses: Any, incomes: Any, **extra: Any) -> dict[str, Any]:
    return {"form": form, "expenses": expenses, "incomes": incomes, **extra}


@rule("grant.apply")
def apply(request: AuthenticatedRequest, fy: int, region: int) -> HttpResponse:
    fiscal_year = _year_or_404(fy)
    council = get_object_or_404(Region.objects.filter(active=True), pk=region)
    programme = GrantProgramme.objects.filter(fiscal_year=fiscal_year).first()
    if programme is None:
        messages.error(
            request,
            f"{fiscal_year_label(fiscal_year)}の助成金の設定（上限額・財源）がまだありません。管理者が設定してから申請を入力してください。",
        )
        return redirect(f"{reverse('grants:index')}?fy={fiscal_year}")
    existing = Grant.objects.filter(programme=programme, region=council).first()
    if existing is not None:
        messages.info(request, f"「{council.name}」の申請はすでに入力されています。")
        return redirect(existing)
    data = request.POST if request.method == "POST" else None  # an empty POST is bound too
    form = grant_forms.ApplicationForm(data, initial={"applied_on": timezone.localdate()})
    form.for_new_row()
    expenses = grant_forms.line_formset("expenses", data, rows=grant_forms.EXPENSE_ROWS)
    incomes = grant_forms.line_formset("incomes", data, rows=grant_forms.INCOME_ROWS)
    if request.method == "POST" and _all_valid(
        {"form": form, "expenses": expenses, "incomes": incomes}
    ):
        try:
            grant = apply_grant(
                by=request.user,
                programme=programme,
                region=council,
                plan=form.cleaned_data["plan"],
                applied_amount=form.cleaned_data["applied_amount"],
                applied_on=form.cleaned_data["applied_on"],
                expenses=grant_forms.lines_of(expenses),
                incomes=grant_forms.lines_of(incomes),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"「{council.name}」の助成金の申請を登録しました。")
            if grant.applied_amount > programme.cap:
                messages.warning(
                    request,
                    f"申請額が上限額（{format_yen(programme.cap)}）を超えています。上限を超えて決定するには、管理者が理由を記録します。",
                )
            return redirect(grant)
    return render(
        request,
        "grants/application_form.html",
        _application_context(
            form, expenses, incomes, region=council, programme=programme, fiscal_year=fiscal_year
        ),
    )


def _application_form(grant: Grant, data: Any = None) -> grant_forms.ApplicationForm:
    form = grant_forms.ApplicationForm(
        data,
        initial={
            "plan": grant.plan,
            "applied_amount": grant.applied_amount,
            "applied_on": grant.applied_on,
            "version": grant.version,
        },
    )
    form.fields["applied_on"].disabled = True
    return form


@rule("grant.edit")
@edit_page("grants:application_edit", Grant)
def application_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    grant = get_grant_for_user(request, pk, write=True)
    if grant.state != GrantState.APPLIED:
        messages.error(
            request,
            "精算済みの助成金は変更できません。"
            if grant.is_settled
            else f"この助成金はすでに{grant.get_state_display()}のため、申請の内容は変更できません。",
        )
        return redirect(grant)
    data = request.POST if request.method == "POST" else None
    form = _application_form(grant, data)
    expenses = grant_forms.line_formset(
        "expenses",
        data,
        initial=grant_forms.budget_initial(grant, LineKind.EXPENSE),
        rows=grant_forms.EXPENSE_ROWS,
    )
    incomes = grant_forms.line_formset(
        "incomes",
        data,
        initial=grant_forms.budget_initial(grant, LineKind.INCOME),
        rows=grant_forms.INCOME_ROWS,
    )
    if request.method == "POST" and _all_valid(
        {"form": form, "expenses": expenses, "incomes": incomes}
    ):
        try:
            update_application(
                by=request.user,
                grant=grant,
                expected_version=form.cleaned_data["version"],
                plan=form.cleaned_data["plan"],
                applied_amount=form.cleaned_data["applied_amount"],
                expenses=grant_forms.lines_of(expenses),
                incomes=grant_forms.lines_of(incomes),
            )
        except GrantConflict as error:
            form.show_conflict(error, stored=_application_form(error.grant))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "申請の内容を保存しました。")
            return redirect(grant)
    return render(
        request,
        "grants/application_form.html",
        _application_context(
            form,
            expenses,
            incomes,
            region=grant.region,
            programme=grant.programme,
            fiscal_year=grant.fiscal_year,
            grant=grant,
        ),
    )


# --- the grant page and its steps --------------------------------------------------


def _timeline(grant: Grant) -> list[dict[str, Any]]:
    def person(user: Any) -> str:
        return user.display_name if user else ""

    steps = [
        ("申請", True, grant.applied_on, grant.applied_amount, person(grant.applied_by), "申請額"),
        (
            "決定",
            grant.decided_on is not None,
            grant.decided_on,
            grant.decided_amount,
            person(grant.decided_by),
            "決定額",
        ),
        (
            "支払",
            grant.paid_on is not None,
            grant.paid_on,
            grant.paid_amount,
            person(grant.paid_by),
            "支払額",
        ),
        (
            "収支報告",
            grant.reported_on is not None,
            grant.reported_on,
            grant.spent_amount,
            person(grant.reported_by),
            "支出額",
        ),
        (
            "精算",
            grant.settled_on is not None,
            grant.settled_on,
            grant.returned_amount,
            person(grant.settled_by),
            "返還額",
        ),
    ]
    current = next((i for i, s in enumerate(steps) if not s[1]), None)
    return [
        {
            "label": label,
            "done": done,
            "current": index == current,
            "date": day,
            "amount": amount,
            "actor": actor,
            "amount_label": amount_label,
        }
        for index, (label, done, day, amount, actor, amount_label) in enumerate(steps)
    ]


NEXT_STEP = {
    GrantState.APPLIED: "decide",
    GrantState.DECIDED: "pay",
    GrantState.PAID: "report",
    GrantState.REPORTED: "settle",
}
STEP_TITLES = {
    "decide": "決定",
    "pay": "支払の記録",
    "report": "収支報告",
    "settle": "精算",
}


def _step_forms(grant: Grant, step: str, data: Any = None) -> dict[str, Any]:
    today = timezone.localdate()
    base = {"version": grant.version}
    if step == "decide":
        amount = min(grant.applied_amount, grant.programme.cap)
        return {
            "form": grant_forms.DecisionForm(
                data, initial={**base, "amount": amount, "decided_on": today}
            )
        }
    if step == "pay":
        return {
            "form": grant_forms.PaymentForm(
                data, initial={**base, "amount": grant.decided_amount, "paid_on": today}
            )
        }
    if step == "report":
        return {
            "form": grant_forms.ReportForm(
                data, initial={**base, "reported_on": grant.reported_on or today}
            ),
            "expenses": _report_lines(grant, LineKind.EXPENSE, data),
            "incomes": _report_lines(grant, LineKind.INCOME, data),
        }
    return {
        "form": grant_forms.SettlementForm(
            data, initial={**base, "returned_amount": expected_return(grant), "settled_on": today}
        )
    }


def _report_lines(grant: Grant, kind: LineKind, data: Any) -> Any:
    initial = grant_forms.budget_initial(grant, kind, actual=True)
    rows = len(initial) + grant_forms.EXTRA_REPORT_ROWS
    prefix = "expenses" if kind == LineKind.EXPENSE else "incomes"
    return grant_forms.line_formset(prefix, data, initial=initial, rows=rows)


def _step_open(grant: Grant, step: str) -> bool:
    """Whether the grant is at `step` (an expense report may be corrected until settled)."""
    state = GrantState(grant.state)
    return NEXT_STEP.get(state) == step or (step == "report" and state == GrantState.REPORTED)


def _detail(
    request: AuthenticatedRequest,
    grant: Grant,
    forms: dict[str, Any] | None = None,
    correction: dict[str, Any] | None = None,
) -> HttpResponse:
    user = request.user
    step = NEXT_STEP.get(GrantState(grant.state))
    may_act = step is not None and can(user, f"grant.{step}", grant)
    if forms is None and step and may_act:
        forms = _step_forms(grant, step)
    may_correct = grant.state == GrantState.REPORTED and can(user, "grant.report", grant)
    if correction is None and may_correct:
        correction = _step_forms(grant, "report")
    lines = list(grant.lines.all())
    entries = (
        AuditEntry.objects.filter(target_type=Grant._meta.label_lower, target_id=str(grant.pk))
        .select_related("actor")
        .order_by("at", "id")
    )
    history = [
        (
            entry,
            describe(entry.action),
            [
                (label, f"{int(text):,}" if text.isascii() and text.isdigit() else text)
                for label, text in describe_changes(entry.target_type, entry.changes)
            ],
        )
        for entry in entries
    ]
    return render(
        request,
        "grants/detail.html",
        {
            "grant": grant,
            "timeline": _timeline(grant),
            "step": step,
            "step_title": STEP_TITLES.get(step or ""),
            "may_act": may_act,
            "step_refusal": refusal(f"grant.{step}") if step else "",
            "may_correct": may_correct,
            "self_decision": step == "decide" and grant.applied_by_id == user.pk,
            "forms": forms or {},
            "correction": correction or {},
            "expense_lines": [x for x in lines if x.kind == LineKind.EXPENSE],
            "income_lines": [x for x in lines if x.kind == LineKind.INCOME],
            "planned_total": sum(x.planned or 0 for x in lines if x.kind == LineKind.EXPENSE),
            "planned_income": sum(x.planned or 0 for x in lines if x.kind == LineKind.INCOME),
            "expected_return": expected_return(grant),
            "history": history,
            "can_edit_application": grant.state == GrantState.APPLIED
            and can(user, "grant.edit", grant),
        },
    )


@rule("grant.view")
def detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _detail(request, get_grant_for_user(request, pk))


@require_POST
@rule("grant.view", post="grant.{step}")
def take_step(request: AuthenticatedRequest, pk: int, step: str) -> HttpResponse:
    grant = get_grant_for_user(request, pk, step=step)
    posted = request.POST.get("version", "")
    if posted.isdecimal() and int(posted) != grant.version and not grant.is_settled:
        # Someone changed the grant since this form was opened: say who, save nothing.
        messages.error(request, GrantConflict(grant).messages[0])
        return redirect(grant)
    if not _step_open(grant, step):
        return _stale(request, grant)
    forms = _step_forms(grant, step, request.POST)
    form = forms["form"]
    if not _all_valid(forms):
        return _render_step_errors(request, grant, step, forms)
    data = form.cleaned_data
    version = data.get("version")
    try:
        if step == "decide":
            decide_grant(
                by=request.user,
                grant=grant,
                expected_version=version,
                amount=data["amount"],
                decided_on=data["decided_on"],
                exception_reason=data["exception_reason"],
            )
            done = f"決定額 {format_yen(data['amount'])} で決定しました。"
        elif step == "pay":
            pay_grant(
                by=request.user,
                grant=grant,
                expected_version=version,
                amount=data["amount"],
                paid_on=data["paid_on"],
            )
            done = f"支払（{format_yen(data['amount'])}）を記録しました。"
        elif step == "report":
            report_expenses(
                by=request.user,
                grant=grant,
                expected_version=version,
                expenses=grant_forms.lines_of(forms["expenses"]),
                incomes=grant_forms.lines_of(forms["incomes"]),
                reported_on=data["reported_on"],
            )
            done = "収支報告を保存しました。"
        else:
            settle_grant(
                by=request.user,
                grant=grant,
                expected_version=version,
                returned_amount=data["returned_amount"],
                settled_on=data["settled_on"],
            )
            done = "精算しました。この助成金の記録は、これ以降変更できません。"
    except GrantConflict as error:
        messages.error(request, error.messages[0])
        return redirect(grant)
    except ValidationError as error:
        form.add_error(None, error)
        return _render_step_errors(request, grant, step, forms)
    messages.success(request, f"{grant.region.name}：{done}")
    return redirect(grant)


def _all_valid(forms: dict[str, Any]) -> bool:
    """Validate every form and formset; a formset's errors are named on the main form,
    whose error summary is what the user reads first."""
    valid = [f.is_valid() for f in forms.values()]
    form = forms["form"]
    for name, formset in forms.items():
        if name != "form" and not formset.is_valid():
            title = "支出" if name == "expenses" else "収入"
            form.add_error(
                None, f"{title}の表に入力の誤りがあります。表の中の赤い文字を確かめてください。"
            )
    return all(valid)


def _render_step_errors(
    request: AuthenticatedRequest, grant: Grant, step: str, forms: dict[str, Any]
) -> HttpResponse:
    if step == "report" and grant.state == GrantState.REPORTED:
        return _detail(request, grant, correction=forms)
    return _detail(request, grant, forms)


def _stale(
    request: AuthenticatedRequest, grant: Grant, error: ValidationError | None = None
) -> HttpResponse:
    """A form for a step the grant is no longer at (another tab, another person)."""
    if error is not None:
        messages.error(request, error.messages[0])
    elif grant.is_settled:
        messages.error(
            request, "精算済みの助成金は変更できません。入力した内容は保存していません。"
        )
    else:
        messages.error(
            request,
            f"この助成金はいま「{grant.get_state_display()}」です。入力した内容は保存していません。いまの状態を確かめてください。",
        )
    return redirect(grant)


# --- fundraising ---------------------------------------------------------------------


@rule("fundraising.view")
def fundraising(request: AuthenticatedRequest) -> HttpResponse:
    trend = fundraising_trend()
    years = fundraising_years()
    entry_years = sorted(
        {*years, current_fiscal_year(), (years[-1] + 1) if years else current_fiscal_year()},
        reverse=True,
    )
    return render(
        request,
        "grants/fundraising.html",
        {
            "trend": trend,
            "chart": render_fundraising_svg(trend),
            "fall": fall_text(trend),
            "entry_years": [(fy, fiscal_year_label(fy)) for fy in entry_years],
        },
    )


def _fundraising_initial(fiscal_year: int) -> dict[str, Any]:
    year = FundraisingYear.objects.filter(fiscal_year=fiscal_year).first()
    totals = FundraisingTotal.objects.filter(fiscal_year=fiscal_year)
    initial: dict[str, Any] = {f"a_{t.drive_id}_{t.method_id}": t.amount for t in totals}
    initial["version"] = year.version if year else None
    return initial


@rule("fundraising.edit")
@edit_page("grants:fundraising_edit", FundraisingYear)
def fundraising_edit(request: AuthenticatedRequest, fy: int) -> HttpResponse:
    fiscal_year = _year_or_404(fy)
    drives = list(FundraisingDrive.objects.all())
    methods = list(FundraisingMethod.objects.all())
    totals = FundraisingTotal.objects.filter(fiscal_year=fiscal_year)
    present = {(t.drive_id, t.method_id) for t in totals}
    # Inactive drives and methods keep their place in a year that has figures for them.
    drives = [d for d in drives if d.active or any(k[0] == d.pk for k in present)]
    methods = [m for m in methods if m.active or any(k[1] == m.pk for k in present)]
    year = FundraisingYear.objects.filter(fiscal_year=fiscal_year).first()
    # Bound on every POST, even one without fields: it then saves nothing ("no change"),
    # or is refused for want of its version.
    form = grant_forms.FundraisingYearForm(
        request.POST if request.method == "POST" else None,
        initial=_fundraising_initial(fiscal_year),
        drives=drives,
        methods=methods,
    )
    if year is None:
        form.for_new_row()
    if request.method == "POST" and form.is_valid():
        try:
            changed = save_fundraising_year(
                by=request.user,
                fiscal_year=fiscal_year,
                amounts=form.amounts(),
                expected_version=form.cleaned_data.get("version"),
            )
        except Conflict as error:
            stored = grant_forms.FundraisingYearForm(
                initial=_fundraising_initial(fiscal_year), drives=drives, methods=methods
            )
            form.show_conflict(error, stored=stored)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if changed:
                messages.success(
                    request,
                    f"{fiscal_year_label(fiscal_year)}の募金実績を保存しました（{changed}項目）。",
                )
            else:
                messages.info(request, "変更はありませんでした。")
            return redirect("grants:fundraising")
    return render(
        request,
        "grants/fundraising_form.html",
        {"form": form, "drives": drives, "fiscal_year": fiscal_year},
    )


@rule("fundraising.configure")
def fundraising_lists(request: AuthenticatedRequest) -> HttpResponse:
    def initial(model: Any) -> list[dict[str, Any]]:
        return [
            {"id": e.pk, "name": e.name, "order": e.order, "active": e.active}
            for e in model.objects.all()
        ]

    data = request.POST or None
    methods = grant_forms.list_formset("methods", data, initial=initial(FundraisingMethod))
    drives = grant_forms.list_formset("drives", data, initial=initial(FundraisingDrive))
    error = None
    if request.method == "POST" and methods.is_valid() and drives.is_valid():
        try:
            changed = save_fundraising_lists(
                by=request.user, methods=_list_rows(methods), drives=_list_rows(drives)
            )
        except ValidationError as problem:
            error = problem.messages[0]
        else:
            messages.success(
                request, f"募金の方法・運動の一覧を保存しました（{changed}件の変更）。"
            )
            return redirect("grants:fundraising")
    return render(
        request,
        "grants/fundraising_lists.html",
        {"lists": [(methods, "募金の方法"), (drives, "募金運動")], "error": error},
    )


def _list_rows(formset: Any) -> list[tuple[int | None, str, int, bool]]:
    return [
        (
            f.cleaned_data.get("id"),
            f.cleaned_data.get("name") or "",
            f.cleaned_data.get("order") or 0,
            bool(f.cleaned_data.get("active")),
        )
        for f in formset.forms
        if f.cleaned_data.get("id") or f.cleaned_data.get("name")
    ]
