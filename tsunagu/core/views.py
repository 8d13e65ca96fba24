import shutil

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache

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


@login_not_required
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """For monitoring: the database answers, its migrations are applied, the disk has room.

    No sign-in and no personal data: only each check's ok/failed and the free space.
    200 when every check passes, else 503 (docs/deployment.md)."""
    checks: dict[str, str] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        checks["migrations"] = "ok" if not pending else f"{len(pending)} pending"
    except DatabaseError:
        checks["database"] = "unreachable"
        checks["migrations"] = "unknown"
    free_mb = shutil.disk_usage(settings.DATA_DIR).free // (1024 * 1024)
    checks["disk"] = "ok" if free_mb >= settings.HEALTHZ_MIN_FREE_MB else "low"
    healthy = all(value == "ok" for value in checks.values())
    body = {"status": "ok" if healthy else "failing", **checks, "disk_free_mb": free_mb}
    return JsonResponse(body, status=200 if healthy else 503)
