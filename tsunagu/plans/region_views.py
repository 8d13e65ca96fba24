"""The regional councils: the landing page, the overview of all plans side by side, and
one page per council (地域社協カルテ) for a staff member preparing for its meeting."""

from django.http import HttpResponse
from django.shortcuts import render

from tsunagu.accounts.decorators import AuthenticatedRequest
from tsunagu.core.access import rule
from tsunagu.directory.models import Region
from tsunagu.grants.queries import grant_summary_for
from tsunagu.lib.fiscal import current_fiscal_year, fiscal_year_label
from tsunagu.plans.access import get_region_for_user
from tsunagu.plans.models import Plan, PlanTarget
from tsunagu.plans.queries import (
    current_plans,
    initiative_rows,
    region_groups,
    status_summary,
    support_counts,
)
from tsunagu.plans.views import year_param
from tsunagu.records.queries import default_record_year, years_with_records


def _regions() -> list[Region]:
    return list(
        Region.objects.active()
        .select_related("zone__staff")
        .order_by("zone__order", "zone_id", "order", "id")
    )


@rule("plan.view")
def index(request: AuthenticatedRequest) -> HttpResponse:
    year = year_param(request, default_record_year())
    regions = _regions()
    plans = current_plans(regions, year)
    summary = status_summary(plans.values(), year)
    rows = [
        {
            "region": region,
            "plan": plans.get(region.pk),
            "covers": region.pk in plans and plans[region.pk].covers(year),
            "summary": summary.get(plans[region.pk].pk)
            if region.pk in plans and plans[region.pk].covers(year)
            else None,
        }
        for region in regions
    ]
    return render(
        request,
        "plans/index.html",
        {"rows": rows, "year": year, "year_label": fiscal_year_label(year)},
    )


@rule("plan.view")
def overview(request: AuthenticatedRequest) -> HttpResponse:
    """Every council's slogans and priority goals for one fiscal year, side by side."""
    year = year_param(request, default_record_year())
    regions = _regions()
    plans = {p.region_id: p for p in Plan.objects.covering(year).with_contents()}
    used = {t.pk for p in plans.values() for g in p.goals.all() for t in g.targets.all()}
    targets = [t for t in PlanTarget.objects.all() if t.active or t.pk in used]
    rows = []
    for region in regions:
        plan = plans.get(region.pk)
        covered = {t.pk for g in plan.goals.all() for t in g.targets.all()} if plan else set()
        rows.append(
            {
                "region": region,
                "plan": plan,
                "marks": [t.pk in covered for t in targets],
            }
        )
    years = sorted(
        {y for p in Plan.objects.all() for y in p.years} | {current_fiscal_year()},
        reverse=True,
    )
    return render(
        request,
        "plans/overview.html",
        {
            "rows": rows,
            "targets": targets,
            "year": year,
            "year_label": fiscal_year_label(year),
            "years": [(y, fiscal_year_label(y)) for y in years],
            "with_plan": len(plans),
        },
    )


@rule("plan.view")
def region_page(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    region = get_region_for_user(request, pk)
    year = year_param(request, default_record_year())
    plans = list(Plan.objects.filter(region=region).with_contents().order_by("-start_year"))
    plan = next((p for p in plans if p.covers(year)), None)
    counts = support_counts(region, year)
    return render(
        request,
        "plans/region.html",
        {
            "region": region,
            "year": year,
            "year_label": fiscal_year_label(year),
            "years": [
                (y, fiscal_year_label(y))
                for y in sorted({*years_with_records(), year}, reverse=True)
            ],
            "groups": region_groups(region),
            "plans": plans,
            "plan": plan,
            "rows": initiative_rows(plan, year) if plan else [],
            "grant": grant_summary_for(region, year),
            "counts": counts,
            "count_tables": [
                ("活動種別ごとの件数", "活動種別", counts.by_kind),
                ("相談者区分ごとの相談件数", "相談者区分", counts.by_consulter),
            ],
            "count_years": [(y, fiscal_year_label(y)) for y in counts.by_kind.years],
        },
    )
