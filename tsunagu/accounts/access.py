from django.http import HttpRequest

from tsunagu.accounts.models import User
from tsunagu.core.access import get_for_user


def get_user_for_user(request: HttpRequest, pk: int) -> User:
    """Staff accounts are managed by administrators only."""
    return get_for_user(request, User.objects.all(), pk, "account.manage")
