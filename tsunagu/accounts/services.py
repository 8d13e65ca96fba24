from datetime import timedelta

from axes.utils import reset as reset_login_failures
from django.db import transaction
from django.utils import timezone

from tsunagu.accounts.forms import NewUserForm, UserForm
from tsunagu.accounts.models import User
from tsunagu.audit.models import AuditEntry
from tsunagu.audit.services import diff, log_action, snapshot
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
                changes=diff(snapshot(before, changed), snapshot(user, changed)),
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


def locked_usernames() -> set[str]:
    """Usernames that the login lockout (axes) refuses right now, from any address."""
    from axes.helpers import get_cool_off
    from axes.models import AccessAttempt
    from django.conf import settings

    recent = AccessAttempt.objects.filter(failures_since_start__gte=settings.AXES_FAILURE_LIMIT)
    cool_off = get_cool_off()
    if cool_off is not None:
        recent = recent.filter(attempt_time__gte=timezone.now() - cool_off)
    return set(recent.values_list("username", flat=True))


def unlock_user(*, by: User, user: User) -> int:
    """Lift the login lockout of `user` from every address; returns how many were lifted."""
    require(by, "account.manage")
    with transaction.atomic():
        lifted = reset_login_failures(username=user.username)
        log_action(
            by=by,
            action="accounts.user.unlocked",
            target=user,
            changes={"解除したロック": lifted},
        )
    return lifted


# Failed logins are written at most once per client address and window, with a count:
# someone guessing passwords must not be able to flood the log (the lockout is axes').
FAILED_LOGIN_WINDOW = timedelta(minutes=1)
# The username is text the attacker chose: keep only its start.
FAILED_USERNAME_LENGTH = 50


def log_failed_login(*, client: str, username: str) -> AuditEntry:
    """Record a failed login from `client` (the REMOTE_ADDR), or count it on the entry of
    the same address written within the window."""
    with transaction.atomic():
        recent = (
            AuditEntry.objects.select_for_update()
            .filter(
                action="auth.login_failed",
                changes__client=client,
                at__gte=timezone.now() - FAILED_LOGIN_WINDOW,
            )
            .order_by("-at", "-id")
            .first()
        )
        if recent is not None:
            recent.changes["attempts"] = int(recent.changes.get("attempts", 1)) + 1
            recent.save(update_fields=["changes"])
            return recent
        return log_action(
            by=None,
            action="auth.login_failed",
            label=username[:FAILED_USERNAME_LENGTH],
            changes={"client": client, "attempts": 1},
        )
