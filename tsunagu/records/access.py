"""The authorisation checkpoint for support records (the rules are in records/rules.py)."""

from django.http import HttpRequest

from tsunagu.core.access import get_for_user
from tsunagu.records.models import SupportRecord


def get_record_for_user(
    request: HttpRequest,
    pk: int,
    *,
    write: bool = False,
    action: str | None = None,
) -> SupportRecord:
    """A live record to read (`record.view`) or, with `write`, to change (`record.edit`);
    `action` names another rule: "record.delete", or "record.restore" / "record.purge"
    for a record in the trash. 404 for a record that does not exist or is out of the
    user's reach, 403 for what the user sees but may not do."""
    name = action or ("record.edit" if write else "record.view")
    records = SupportRecord.objects.with_related()
    in_trash = name in ("record.restore", "record.purge")
    return get_for_user(request, records.in_trash() if in_trash else records.alive(), pk, name)
