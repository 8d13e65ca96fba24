from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from tsunagu.accounts.decorators import AuthenticatedRequest
from tsunagu.core.access import can, rule
from tsunagu.core.panels import app_panels
from tsunagu.directory.models import ActivityGroup, Agency, Region, Zone
from tsunagu.records.models import SupportRecord


@rule("home.view")
def dashboard(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    my_zones = list(Zone.objects.active().filter(staff=user))
    today = timezone.localdate()
    follow_ups = (
        SupportRecord.objects.follow_ups_due(user, today)
        .with_related()
        .order_by("follow_up_due")[:20]
    )
    context = {
        "panels": app_panels(user, today),
        "my_zones": my_zones,
        "follow_ups": follow_ups if can(user, "record.edit") else [],
        "today": today,
        "counts": {
            "圏域": Zone.objects.active().count(),
            "地域社協": Region.objects.active().count(),
            "活動団体・活動の場": ActivityGroup.objects.active().count(),
            "関係機関": Agency.objects.active().count(),
        },
    }
    return render(request, "core/dashboard.html", context)
