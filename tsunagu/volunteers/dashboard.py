"""The volunteer centre's panel on the home page."""

from datetime import date

from tsunagu.accounts.models import User
from tsunagu.core.access import can
from tsunagu.core.panels import Panel
from tsunagu.volunteers.models import DonationOffer, HelpRequest, Match


def panel(user: User, today: date) -> Panel | None:
    context: dict[str, object] = {
        "open_requests": HelpRequest.objects.open().count(),
        "open_offers": DonationOffer.objects.open().count(),
        "show_people": can(user, "volunteer.view"),
    }
    if can(user, "volunteer.view"):
        context["reviews_due"] = list(
            Match.objects.review_due(today).with_related().order_by("next_review_on")[:5]
        )
    return Panel(template="volunteers/_panel.html", context=context)
