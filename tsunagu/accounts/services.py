from django.db import transaction

from tsunagu.accounts.forms import NewUserForm, UserForm
from tsunagu.accounts.models import User
from tsunagu.audit.services import log_action
from tsunagu.core.access import require
from tsunagu.core.concurrency import claim_version


def create_user(*, by: User, form: NewUserForm) -> User:
    require(by, "account.manage")
    with transaction.atomic():
        user: User = form.save(commit=False)
        user.set_password(form.cleaned_data["password1"])
        user.save()
        log_action(
            by=by,
            action="accounts.user.created",
            target=user,
            changes={name: form.cleaned_data[name] for name in UserForm.Meta.fields},
        )
    return user


def update_user(*, by: User, form: UserForm) -> User:
    require(by, "account.manage")
    changed = [name for name in form.changed_data if name != "version"]
    before = User.objects.get(pk=form.instance.pk)
    with transaction.atomic():
        user: User = form.save(commit=False)
        claim_version(user, form.expected_version)
        if changed:
            user.save(update_fields=changed)
            log_action(
                by=by,
                action="accounts.user.updated",
                target=user,
                changes={name: [getattr(before, name), getattr(user, name)] for name in changed},
            )
    return user


def set_user_password(*, by: User, user: User, password: str) -> None:
    require(by, "account.manage")
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        log_action(by=by, action="accounts.user.password_set", target=user)


def set_user_active(*, by: User, user: User, active: bool) -> None:
    require(by, "account.manage")
    from django.core.exceptions import ValidationError

    if user.pk == by.pk and not active:
        raise ValidationError("自分のアカウントは無効にできません。")
    with transaction.atomic():
        user.is_active = active
        user.save(update_fields=["is_active"])
        log_action(
            by=by,
            action="accounts.user.activated" if active else "accounts.user.deactivated",
            target=user,
        )
