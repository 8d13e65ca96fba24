"""The one place where roles are checked for whole views.

Object-level checks live in each app's `access.py` (get_<thing>_for_user); both call
`require_role` so the rule "who may do what" is written once.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from tsunagu.accounts.models import Role, User

View = TypeVar("View", bound=Callable[..., HttpResponse])


class AuthenticatedRequest(HttpRequest):
    """The request of a view behind login: `request.user` is a real account.

    LoginRequiredMiddleware guarantees it for every view but the login page."""

    user: User


def require_role(user: Any, role: Role) -> User:
    """Return the user if it holds `role` (or a stronger one), else raise 403."""
    if not isinstance(user, User) or not user.is_authenticated:
        raise PermissionDenied
    allowed = {
        Role.VIEWER: user.is_active,
        Role.STAFF: user.can_write,
        Role.ADMIN: user.is_admin,
    }[role]
    if not allowed:
        raise PermissionDenied
    return user


def role_required(role: Role) -> Callable[[View], View]:
    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            require_role(request.user, role)
            return view(request, *args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator


staff_required = role_required(Role.STAFF)
admin_required = role_required(Role.ADMIN)
