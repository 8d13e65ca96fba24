from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from tsunagu.accounts.decorators import require_role
from tsunagu.accounts.models import Role, User


def get_user_for_user(request: HttpRequest, pk: int) -> User:
    """Staff accounts are managed by administrators only."""
    require_role(request.user, Role.ADMIN)
    return get_object_or_404(User, pk=pk)
