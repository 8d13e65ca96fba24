"""How the audit log treats each model: its pseudonymous label and its personal fields.

Every app declares its models once in `<app>/audit_labels.py`:

    AUDITED = {"volunteers.volunteer": Audited("ボランティア登録 No.{pk}", frozenset({...}))}
    UNAUDITED = {"plans.slogan": "計画の一部として、計画の履歴に残ります。"}

A test fails for a model declared in neither."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache

from django.db import models

from tsunagu.core.discovery import app_modules


@dataclass(frozen=True)
class Audited:
    """`label` is formatted with the row's `pk` and the row itself as `obj`; it never
    holds a personal name. `personal` fields are compared raw and stored masked.
    `labels` names the change keys that are not fields of the model."""

    label: str
    personal: frozenset[str] = frozenset()
    labels: Mapping[str, str] = field(default_factory=dict)

    def label_of(self, obj: models.Model) -> str:
        return self.label.format(pk=obj.pk, obj=obj)


@cache
def declarations() -> dict[str, Audited]:
    """{"app.model": Audited} over every app."""
    result: dict[str, Audited] = {}
    for module in app_modules("audit_labels"):
        result.update(getattr(module, "AUDITED", {}))
    return result


@cache
def exemptions() -> dict[str, str]:
    """{"app.model": why its rows have no audit entries of their own}."""
    result: dict[str, str] = {}
    for module in app_modules("audit_labels"):
        result.update(getattr(module, "UNAUDITED", {}))
    return result


def audited(target: models.Model | type[models.Model]) -> Audited | None:
    return declarations().get(target._meta.label_lower)
