"""The request type of views behind login. Who may use a view is declared with
`tsunagu.core.access.rule`, and decided there."""

from django.http import HttpRequest

from tsunagu.accounts.models import User


class AuthenticatedRequest(HttpRequest):
    """The request of a view behind login: `request.user` is a real account.

    LoginRequiredMiddleware guarantees it for every view but the login page."""

    user: User
