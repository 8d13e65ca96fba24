"""Writing the audit log. Call from inside the service's transaction."""

from typing import Any

from django.db import models

from tsunagu.audit.models import AuditEntry

# Fields whose contents are sensitive: the log records that they changed, never
# what they said.
MASKED_FIELDS = frozenset({"note", "password", "contact", "phone", "email", "address"})
MASK = "＊＊＊"


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def mask_changes(changes: dict[str, Any]) -> dict[str, Any]:
    masked: dict[str, Any] = {}
    for field, value in changes.items():
        if field in MASKED_FIELDS:
            masked[field] = MASK if not isinstance(value, list) else [MASK for _ in value]
        else:
            masked[field] = _plain(value)
    return masked


def log_action(
    *,
    by: Any,
    action: str,
    target: models.Model | None = None,
    changes: dict[str, Any] | None = None,
    label: str = "",
) -> AuditEntry:
    """Record that `by` did `action` (a dotted code such as "directory.group.created")."""
    return AuditEntry.objects.create(
        actor=by if getattr(by, "pk", None) else None,
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_label=(label or str(target))[:200] if target is not None else label[:200],
        changes=mask_changes(changes or {}),
    )


def diff_fields(instance: models.Model, old: dict[str, Any], fields: list[str]) -> dict[str, Any]:
    """{field: [old, new]} for the fields whose value changed."""
    result: dict[str, Any] = {}
    for field in fields:
        new = getattr(instance, field)
        if old.get(field) != new:
            result[field] = [old.get(field), new]
    return result
