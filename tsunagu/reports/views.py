from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from tsunagu.accounts.decorators import AuthenticatedRequest
from tsunagu.accounts.models import User
from tsunagu.core.access import can, rule
from tsunagu.core.exporters import download
from tsunagu.core.params import ParsedQuery
from tsunagu.lib.fiscal import current_fiscal_year, fiscal_year_label
from tsunagu.records.queries import default_record_year, years_with_records
from tsunagu.reports.builder import Scope
from tsunagu.reports.cache import cached_figures
from tsunagu.reports.closures import is_closed
from tsunagu.reports.differences import compare_counts
from tsunagu.reports.exporters import MonthlyExport, ReportExport
from tsunagu.reports.forms import CompareForm, PeriodQuery, ReopenForm, ReportQueryForm, period_of
from tsunagu.reports.monthly import build_monthly
from tsunagu.reports.period import Period
from tsunagu.reports.renderers.html import chart_context
from tsunagu.reports.services import close_year, reopen_year


def _query(request: AuthenticatedRequest) -> tuple[ReportQueryForm, int, Scope]:
    form = ReportQueryForm(request.GET or None)
    fiscal_year = None
    scope = Scope()
    if form.is_bound and form.is_valid():
        fiscal_year = form.cleaned_data.get("fy")
        scope = Scope(zone=form.cleaned_data.get("zone"), region=form.cleaned_data.get("region"))
    # Asked only when no year is: a query fewer for the pages that name theirs.
    return form, fiscal_year or default_record_year(), scope


def _period(
    request: AuthenticatedRequest, fiscal_year: int
) -> tuple[ParsedQuery, Period | None, list[str]]:
    """The part of the year asked for (None: the whole year) and why what was asked is
    not shown, in Japanese: said on the form, the page shows the whole year instead."""
    query = PeriodQuery.parse(request.GET)
    period, error = period_of(fiscal_year, query)
    return query, period, [*query.errors, *([error] if error else [])]


@rule("report.view")
def report_page(request: AuthenticatedRequest) -> HttpResponse:
    user: User = request.user
    form, fiscal_year, scope = _query(request)
    period_query, period, period_errors = _period(request, fiscal_year)
    if period is not None:
        fiscal_year = period.fiscal_year  # a range names its own year
    figures = cached_figures(fiscal_year, scope, period)
    report = figures.report
    years = sorted({*years_with_records(), fiscal_year}, reverse=True)
    return render(
        request,
        "reports/report.html",
        {
            "form": form,
            "report": report,
            "figures": figures,
            **chart_context(report),
            "years": [(y, fiscal_year_label(y)) for y in years],
            "fiscal_year": fiscal_year,
            "query": request.GET.urlencode(),
            "period_query": period_query,
            "period_errors": period_errors,
            "cuts": PeriodQuery.base_fields["cut"].choices,  # type: ignore[attr-defined]
            "months": PeriodQuery.base_fields["month"].choices,  # type: ignore[attr-defined]
            "quarters": PeriodQuery.base_fields["quarter"].choices,  # type: ignore[attr-defined]
            "halves": PeriodQuery.base_fields["half"].choices,  # type: ignore[attr-defined]
            "is_period": bool(report.period_label),
            "can_close": can(user, "report.close")
            and scope.is_city
            and not report.period_label
            and fiscal_year < current_fiscal_year(),
            "reopen_form": ReopenForm(),
        },
    )


@rule("report.view")
def report_download(request: AuthenticatedRequest) -> HttpResponseBase:
    _, fiscal_year, scope = _query(request)
    _, period, _ = _period(request, fiscal_year)
    if period is not None:
        fiscal_year = period.fiscal_year
    report = cached_figures(fiscal_year, scope, period).report
    return download(
        request,
        ReportExport,
        report=report,
        fmt=request.GET.get("format", ""),
        table=request.GET.get("table", ""),
    )


@rule("report.close")
@require_POST
def year_close(request: AuthenticatedRequest) -> HttpResponse:
    fiscal_year = _posted_year(request, current_fiscal_year() - 1)
    try:
        close_year(by=request.user, fiscal_year=fiscal_year)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(
            request,
            f"{fiscal_year_label(fiscal_year)}を締めました。この年度の報告は、いまの集計を公表値として表示します。",
        )
    return redirect(f"{reverse('reports:page')}?fy={fiscal_year}")


@rule("report.close")
@require_POST
def year_reopen(request: AuthenticatedRequest) -> HttpResponse:
    fiscal_year = _posted_year(request, current_fiscal_year() - 1)
    form = ReopenForm(request.POST)
    if not form.is_valid():
        messages.error(request, "締めを解除する理由を入力してください。")
    else:
        try:
            reopen_year(
                by=request.user, fiscal_year=fiscal_year, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, f"{fiscal_year_label(fiscal_year)}の締めを解除しました。")
    return redirect(f"{reverse('reports:page')}?fy={fiscal_year}")


def _posted_year(request: AuthenticatedRequest, default: int) -> int:
    value = request.POST.get("fy", "")
    return int(value) if value.isdecimal() and len(value) <= 4 else default


@rule("report.view")
def compare_page(request: AuthenticatedRequest) -> HttpResponse:
    form = CompareForm(request.GET or None)
    context: dict[str, Any] = {"form": form}
    if form.is_bound and form.is_valid():
        a, b = form.cleaned_data["a"], form.cleaned_data["b"]
        report_a, report_b = cached_figures(a).report, cached_figures(b).report
        context.update(
            report_a=report_a,
            report_b=report_b,
            differences=compare_counts(report_b, report_a),
        )
    return render(request, "reports/compare.html", context)


@rule("report.view")
def monthly_page(request: AuthenticatedRequest) -> HttpResponse:
    """月別統計: the months of a fiscal year, counted as the year's report counts."""
    form, fiscal_year, scope = _query(request)
    table = build_monthly(fiscal_year, scope)
    years = sorted({*years_with_records(), fiscal_year}, reverse=True)
    return render(
        request,
        "reports/monthly.html",
        {
            "form": form,
            "table": table,
            "closed": is_closed(fiscal_year),
            "years": [(y, fiscal_year_label(y)) for y in years],
            "fiscal_year": fiscal_year,
            "query": request.GET.urlencode(),
        },
    )


@rule("report.view")
def monthly_download(request: AuthenticatedRequest) -> HttpResponseBase:
    _, fiscal_year, scope = _query(request)
    return download(request, MonthlyExport, table=build_monthly(fiscal_year, scope))
