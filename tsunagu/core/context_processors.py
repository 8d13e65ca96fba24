from typing import Any

from django.conf import settings
from django.http import HttpRequest

from tsunagu.directory.models import MunicipalityProfile


def site(request: HttpRequest) -> dict[str, Any]:
    profile = MunicipalityProfile.objects.only("council_name", "name").first()
    council = ""
    if profile is not None:
        council = profile.council_name or profile.name
    return {
        "council_name": council,
        "session_idle_minutes": settings.SESSION_IDLE_MINUTES,
        "demo_mode": settings.DEMO_MODE,
    }
