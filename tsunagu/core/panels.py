"""Panels that apps add to the home page.

An app with a module `dashboard.py` defining `panel(user, today) -> Panel | None` gets its
panel shown, in INSTALLED_APPS order. The home page knows no app's internals."""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from tsunagu.accounts.models import User
from tsunagu.core.discovery import app_modules


@dataclass(frozen=True)
class Panel:
    template: str  # included with `panel` in its context
    context: dict[str, Any] = field(default_factory=dict)


def app_panels(user: User, today: date) -> list[Panel]:
    panels = []
    for module in app_modules("dashboard"):
        panel = module.panel(user, today)
        if panel is not None:
            panels.append(panel)
    return panels
