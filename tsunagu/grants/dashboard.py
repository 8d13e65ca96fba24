"""The grants panel of the home page: this year's grants by state."""

from datetime import date

from tsunagu.accounts.models import User
from tsunagu.core.access import can
from tsunagu.core.panels import Panel
from tsunagu.grants.models import GrantState
from tsunagu.grants.queries import year_summary
from tsunagu.lib.fiscal import fiscal_year_of


def panel(user: User, today: date) -> Panel | None:
    summary = year_summary(fiscal_year_of(today))
    if summary.programme is None and not any(row.grant for row in summary.rows):
        return None
    # What waits for this user's role: decisions and settlements for administrators,
    # expense reports for staff.
    if can(user, "grant.decide"):
        states = {GrantState.APPLIED, GrantState.REPORTED}
    elif can(user, "grant.report"):
        states = {GrantState.PAID}
    else:
        states = set()
    waiting = [row for row in summary.rows if row.grant and row.grant.state in states]
    return Panel(
        template="grants/_panel.html",
        context={"summary": summary, "waiting": waiting[:8], "more": max(0, len(waiting) - 8)},
    )
