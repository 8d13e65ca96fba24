from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from tsunagu.accounts.services import log_failed_login
from tsunagu.audit.services import log_action


@receiver(user_logged_in)
def on_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    log_action(by=user, action="auth.login", target=user)


@receiver(user_logged_out)
def on_logout(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        log_action(by=user, action="auth.logout", target=user)


@receiver(user_login_failed)
def on_login_failed(
    sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any
) -> None:
    client = request.META.get("REMOTE_ADDR", "") if request is not None else ""
    log_failed_login(client=client or "", username=str(credentials.get("username", "")))
