"""Writing the audit log. Call from inside the service's transaction.

Services compare raw values (`snapshot`, `diff`) and hand the result to `log_action`,
which masks the personal fields the target's model declares (`registry.Audited`) and
labels the row without a personal name."""

from collections.abc import Iterable
from typing import Any

from django.db import models

from tsunagu.audit.models import AuditEntry
from tsunagu.audit.registry import audited

# Masked on every model, whatever it declares: a safety net for change keys that are not
# model fields. A model's own personal fields are declared once, in its app's
# audit_labels.AUDITED.
MASKED_FIELDS = frozenset({"note", "password", "contact", "phone", "email", "address"})
MASK = "＊＊＊"


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        # A row named by the log's own label: a volunteer as 「ボランティア登録 No.5」.
        spec = audited(value)
        return spec.label_of(value) if spec is not None else str(value)
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def _masked(value: Any) -> Any:
    """An empty value stays empty (the log says it was filled in or cleared), any other
    becomes the mask."""
    if isinstance(value, list | tuple):
        return [_masked(v) for v in value]
    return value if value in ("", None) else MASK


def mask_changes(changes: dict[str, Any], personal: Iterable[str] = frozenset()) -> dict[str, Any]:
    hidden = MASKED_FIELDS | frozenset(personal)
    return {
        field: _masked(value) if field in hidden else _plain(value)
        for field, value in changes.items()
    }


def log_action(
    *,
    by: Any,
    action: str,
    target: models.Model | None = None,
    changes: dict[str, Any] | None = None,
    label: str = "",
) -> AuditEntry:
    """Record that `by` did `action` (a dotted code such as "directory.group.created").

    `changes` holds raw values: {field: value} for a creation, {field: [old, new]} for a
    change (see `diff`)."""
    spec = audited(target) if target is not None else None
    if not label and target is not None:
        label = spec.label_of(target) if spec is not None else str(target)
    return AuditEntry.objects.create(
        actor=by if getattr(by, "pk", None) else None,
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_label=label[:200],
        changes=mask_changes(changes or {}, spec.personal if spec is not None else ()),
    )


def snapshot(obj: object, fields: Iterable[str]) -> dict[str, Any]:
    """The raw values of `fields`, to compare before and after a change."""
    return {name: getattr(obj, name) for name in fields}


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """{field: [old, new]} for every field whose raw value changed. Compare before masking:
    two different names both mask to the same ＊＊＊."""
    return {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}
