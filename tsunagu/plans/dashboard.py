"""The home page panel: how far this year's progress of the area plans is recorded."""

from datetime import date

from tsunagu.accounts.models import User
from tsunagu.core.panels import Panel
from tsunagu.directory.models import Region
from tsunagu.lib.fiscal import fiscal_year_label, fiscal_year_of
from tsunagu.plans.models import Plan
from tsunagu.plans.queries import status_summary


def panel(user: User, today: date) -> Panel | None:
    year = fiscal_year_of(today)
    plans = list(Plan.objects.covering(year).select_related("region"))
    summary = status_summary(plans, year)
    missing = [p for p in plans if summary[p.pk]["recorded"] < summary[p.pk]["total"]]
    return Panel(
        template="plans/_panel.html",
        context={
            "year_label": fiscal_year_label(year),
            "regions": Region.objects.active().count(),
            "with_plan": len({p.region_id for p in plans}),
            "missing": missing,
        },
    )
