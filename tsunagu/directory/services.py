"""Changes to the directory. Each runs in a transaction and writes the audit log."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction

from tsunagu.accounts.models import User
from tsunagu.audit.services import diff, log_action, snapshot
from tsunagu.core.access import require
from tsunagu.core.concurrency import VersionedForm, claim_version


def save_entry(*, by: User, form: forms.ModelForm) -> models.Model:
    """Create or update the directory row that a valid form describes."""
    require(by, "directory.edit")
    instance = form.instance
    creating = instance._state.adding
    changed = [name for name in form.changed_data if name in form.fields and name != "version"]
    # The form has already written the new values onto `instance`: read the old ones anew.
    before = None if creating else type(instance)._default_manager.get(pk=instance.pk)
    try:
        with transaction.atomic():
            obj = form.save(commit=False)
            if not creating and isinstance(form, VersionedForm):
                claim_version(obj, form.expected_version)
            if creating:
                obj.save()
                log_action(
                    by=by,
                    action="directory.entry.created",
                    target=obj,
                    changes={name: form.cleaned_data.get(name) for name in form.fields},
                )
            elif changed:
                obj.save(update_fields=changed)
                log_action(
                    by=by,
                    action="directory.entry.updated",
                    target=obj,
                    changes=diff(snapshot(before, changed), snapshot(obj, changed)),
                )
            form.save_m2m()
    except IntegrityError as error:
        # Two people adding the same name at once: the form check passed for both.
        raise ValidationError(
            f"同じ名称の{instance._meta.verbose_name}がすでにあります。"
        ) from error
    return obj


def set_entry_active(*, by: User, entry: models.Model, active: bool) -> None:
    """Deactivate (or reactivate) a row. Rows are never deleted: records point to them."""
    require(by, "directory.edit")
    if entry.active == active:  # type: ignore[attr-defined]
        return
    with transaction.atomic():
        entry.active = active  # type: ignore[attr-defined]
        entry.save(update_fields=["active"])
        log_action(
            by=by,
            action="directory.entry.activated" if active else "directory.entry.deactivated",
            target=entry,
        )
