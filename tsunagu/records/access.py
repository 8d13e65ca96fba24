"""The authorisation checkpoint for support records."""

from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from tsunagu.accounts.decorators import require_role
from tsunagu.accounts.models import Role, User
from tsunagu.records.models import SupportRecord


def get_record_for_user(
    request: HttpRequest, pk: int, *, write: bool = False, trash: bool = False
) -> SupportRecord:
    """A live record (or, with trash=True, a deleted one for administrators).

    Every signed-in role reads records (viewers without notes, see `can_read_notes`);
    staff and administrators change them; only administrators handle the trash.
    """
    require_role(request.user, Role.ADMIN if trash else Role.STAFF if write else Role.VIEWER)
    records = SupportRecord.objects.with_related()
    return get_object_or_404(records.in_trash() if trash else records.alive(), pk=pk)


def can_read_notes(user: User) -> bool:
    """Notes hold sensitive personal data: staff and administrators only."""
    return user.can_write
