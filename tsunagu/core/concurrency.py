"""No silent overwrite: the one optimistic-concurrency mechanism of every edit form.

- A row that an edit form changes carries `version` (`version_field()`), 1 when created.
- The edit form carries the version it was opened on (`VersionedForm`: a hidden field
  that is required, so a form that lost it is refused rather than saved blind).
- The service calls `claim_version(row, expected_version)` inside its transaction: one
  `UPDATE … SET version = version + 1 WHERE pk = … AND version = …`. No row updated means
  someone else saved first: `Conflict` is raised with the row as it is stored now, and the
  transaction (nothing saved yet, or everything the service did so far) rolls back.
- The view hands the conflict to the form (`form.show_conflict(error, stored=…)`); the
  page includes `core/conflict.html`, which lists each field's stored value beside the
  user's input. The form stays bound to what they typed.
- Each edit page is declared with `@edit_page("app:url", Model, …)`; the tests enumerate
  `EDIT_PAGES` (and every URL named like an edit page) and try a lost update on each.
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from django import forms
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F

from tsunagu.core.dates import show_datetime
from tsunagu.lib.display import EMPTY

View = TypeVar("View", bound=Callable[..., Any])

MISSING_VERSION = "画面を開いた時点の版がわからないため、保存しませんでした。画面を開き直して、もう一度入力してください。"


def version_field() -> models.PositiveIntegerField:
    """The row's version: raised by one on every save through an edit form."""
    return models.PositiveIntegerField("版", default=1)


class Conflict(ValidationError):
    """Someone else saved the row after this user opened the form; nothing was saved.

    `current` is the row as stored now; `changes` is filled (by the service or by
    `VersionedForm.show_conflict`) with (項目, 保存されている内容, あなたの入力)."""

    def __init__(
        self,
        current: models.Model,
        changes: Sequence[tuple[str, str, str]] = (),
        *,
        what: str = "",
        message: str = "",
    ) -> None:
        self.current = current
        self.changes = list(changes)
        by = getattr(current, "updated_by", None) if _has(current, "updated_by") else None
        who = getattr(by, "display_name", "") or "別の職員"
        at = getattr(current, "updated_at", None)
        when = f"（{show_datetime(at)}）" if at else ""
        what = what or f"この{current._meta.verbose_name}"
        super().__init__(
            message
            or f"{what}は、あなたが開いた後に{who}さんが先に保存しました{when}。"
            "上書きしないよう保存を止めました。下の違いを確認して、もう一度入力してください。",
            code="conflict",
        )

    @property
    def saved_by(self) -> str:
        by = getattr(self.current, "updated_by", None) if _has(self.current, "updated_by") else None
        return getattr(by, "display_name", "") or "別の職員"


def _has(obj: models.Model, name: str) -> bool:
    return any(f.name == name for f in obj._meta.get_fields())


def claim_version(obj: models.Model, expected_version: int) -> None:
    """Take the row for this save, or raise `Conflict` if it changed since the form opened.

    Atomic on its own (one conditional UPDATE); call it inside the service's transaction
    so that a later failure gives the version back. `obj.version` becomes the new one."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("claim_version belongs inside the service's transaction.atomic()")
    model = type(obj)
    updated = model._base_manager.filter(pk=obj.pk, version=expected_version).update(
        version=F("version") + 1
    )
    if updated != 1:
        raise Conflict(model._base_manager.get(pk=obj.pk))
    obj.version = expected_version + 1  # type: ignore[attr-defined]


def claim_grid(
    model: type[models.Model],
    *,
    by: Any,
    expected_version: int | None,
    unchecked: bool = False,
    **key: Any,
) -> models.Model:
    """Claim the row that stands for a grid edited on one form (a year's fundraising
    totals, a plan's progress of a year), creating it on the first save.

    `expected_version` is None when the form was opened before the row existed: if someone
    created it meanwhile, that is a conflict too. `unchecked` is for callers that are not a
    form opened earlier (an import, the demo): they move the version on without checking,
    so a form opened before them is refused."""
    row, created = model._default_manager.select_for_update().get_or_create(
        **key, defaults={"updated_by": by}
    )
    if created:
        return row
    if unchecked:
        model._default_manager.filter(pk=row.pk).update(version=F("version") + 1)
        row.refresh_from_db(fields=["version"])
    elif expected_version is None:
        raise Conflict(row, what=str(row))
    else:
        claim_version(row, expected_version)
    row.updated_by = by  # type: ignore[attr-defined]
    row.save(update_fields=["updated_by", "updated_at"])
    return row


class VersionedForm(forms.Form):
    """An edit form that carries the version it was opened on. Mix it in first:
    `class CaseForm(VersionedForm)`, `class ZoneForm(VersionedForm, forms.ModelForm)`.
    A ModelForm takes the version from its instance; other forms from `initial`."""

    version = forms.IntegerField(
        label="画面を開いた時点の版",
        widget=forms.HiddenInput,
        min_value=1,
        error_messages={
            "required": MISSING_VERSION,
            "invalid": MISSING_VERSION,
            "min_value": MISSING_VERSION,
        },
    )
    conflict: Conflict | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        instance = getattr(self, "instance", None)
        if instance is not None and instance.pk and "version" not in self.initial:
            self.initial["version"] = instance.version
        if instance is not None and not instance.pk:
            self.for_new_row()

    def for_new_row(self) -> None:
        """Adding a row: there is nothing to overwrite yet, so no version to carry."""
        self.fields["version"].required = False

    @property
    def expected_version(self) -> int:
        return int(self.cleaned_data["version"])

    def show_conflict(self, conflict: Conflict, *, stored: forms.BaseForm | None = None) -> None:
        """Refuse on the page: the message, the field-by-field differences (from `stored`,
        an unbound form of the stored row, unless the service gave them), typed input kept."""
        if not conflict.changes:
            if stored is None and isinstance(self, forms.BaseModelForm):
                stored = type(self)(instance=conflict.current)
            if stored is not None:
                conflict.changes = differences(stored, self)
        self.conflict = conflict
        self.add_error(None, conflict)


def differences(stored: forms.BaseForm, mine: forms.BaseForm) -> list[tuple[str, str, str]]:
    """(項目, 保存されている内容, あなたの入力) for every visible field whose value differs."""
    rows = []
    for name, field in mine.fields.items():
        if name == "version" or field.widget.is_hidden or name not in stored.fields:
            continue
        saved_value, my_value = stored[name].value(), mine[name].value()
        if _comparable(field, saved_value) != _comparable(field, my_value):
            rows.append(
                (str(field.label or name), _shown(field, saved_value), _shown(field, my_value))
            )
    return rows


def _values(value: Any) -> list[Any]:
    if value is None or value == "":
        return []
    if isinstance(value, list | tuple | set):
        return [v for v in value if v not in (None, "")]
    return [value]


def _comparable(field: forms.Field, value: Any) -> Any:
    try:
        cleaned = field.clean(value)
    except (ValidationError, TypeError, ValueError):
        return sorted(str(v).strip() for v in _values(value))
    if isinstance(cleaned, models.QuerySet):
        return sorted(obj.pk for obj in cleaned)
    if isinstance(cleaned, models.Model):
        return cleaned.pk
    if cleaned in (None, "", [], ()):
        return None
    if isinstance(cleaned, str):
        return cleaned.strip()
    return cleaned if not isinstance(cleaned, list | tuple) else sorted(map(str, cleaned))


def _shown(field: forms.Field, value: Any) -> str:
    if isinstance(field, forms.BooleanField) or isinstance(value, bool):
        return "はい" if value in (True, "on", "true", "True", "1") else "いいえ"
    values = _values(value)
    if not values:
        return EMPTY
    choices = getattr(field, "choices", None)
    if choices is not None:
        labels = {str(key): str(label) for key, label in _flat(choices)}
        return "、".join(labels.get(str(v), str(v)) for v in values)
    return "、".join(str(v) for v in values)


def _flat(choices: Iterable[Any]) -> Iterable[tuple[Any, Any]]:
    for key, label in choices:
        if isinstance(label, list | tuple):
            yield from _flat(label)
        else:
            yield key, label


@dataclass(frozen=True)
class EditPage:
    """A screen that edits existing rows of these models, by URL name."""

    url_name: str
    models: tuple[type[models.Model], ...]


EDIT_PAGES: dict[str, EditPage] = {}


def edit_page(url_name: str, *edited: type[models.Model]) -> Callable[[View], View]:
    """Declare a view as the edit page of these models (see tests/core/test_concurrency.py)."""

    def declare(view: View) -> View:
        EDIT_PAGES[url_name] = EditPage(url_name, edited)
        view.edit_page = url_name  # type: ignore[attr-defined]
        return view

    return declare
