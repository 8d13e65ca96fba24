"""The home page panel: referrals waiting too long for news, follow-ups and match
reviews that are due — for staff, their own; for administrators, everyone's. Read-only
accounts see only how many cases there are."""

from datetime import date

from django.db.models import Count

from tsunagu.accounts.models import User
from tsunagu.cases.conf import stale_referral_days
from tsunagu.cases.models import Case, CaseStatus, FollowUp, Match
from tsunagu.cases.referrals import stale_referrals
from tsunagu.core.access import can
from tsunagu.core.panels import Panel

LIMIT = 20


def panel(user: User, today: date) -> Panel | None:
    if not can(user, "case.counts"):
        return None
    if not can(user, "case.view"):
        counts = dict(Case.objects.values_list("status").annotate(n=Count("id")))
        return Panel(
            template="cases/_panel_counts.html",
            context={
                "counts": [(label, counts.get(value, 0)) for value, label in CaseStatus.choices]
            },
        )
    cases = Case.objects.visible_to(user)
    days = stale_referral_days()
    stale = list(stale_referrals(user, today, days)[:LIMIT])
    follow_ups = list(
        FollowUp.objects.due(today)
        .filter(case__in=cases)
        .select_related("case")
        .order_by("due_on", "id")[:LIMIT]
    )
    reviews = list(
        Match.objects.review_due(today)
        .filter(case__in=cases)
        .select_related("case", "group", "volunteer")
        .order_by("next_review_on", "id")[:LIMIT]
    )
    return Panel(
        template="cases/_panel.html",
        context={
            "stale": [(r, r.days_without_update(today)) for r in stale],
            "stale_days": days,
            "follow_ups": follow_ups,
            "reviews": reviews,
            "today": today,
            "open_count": cases.open().count(),
        },
    )
