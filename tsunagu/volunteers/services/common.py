"""What every volunteer-centre service shares: the values its audit entry compares, and
the day it acts on."""

from datetime import date
from typing import Any

from django.utils import timezone

from tsunagu.volunteers.availability import describe_availability, from_json


def _shown(name: str, value: Any) -> Any:
    if name == "availability":
        return describe_availability(from_json(value))
    return value


def snapshot(obj: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    """Raw values for the audit log to compare; log_action masks the personal ones that
    volunteers/audit_labels.py declares."""
    return {name: _shown(name, getattr(obj, name)) for name in fields}


def today_or(today: date | None) -> date:
    return today or timezone.localdate()
