"""Support records and the yearly lists they are counted by.

Everyone signed in sees that a record exists (date, kind, target, counts): the report's
figures must add up for every role. Notes are sensitive personal data: staff and
administrators read them, read-only accounts never. A record linked to an individual
case (個別支援) takes the case's restriction: only the staff assigned to every case it is
linked to, and administrators, read its note, change it, delete it or restore it.

Staff undo their own deletions: the trash shows them the records they deleted or that
are theirs; administrators see, restore and purge everything in it.
"""

from typing import Any

from django.db import models

from tsunagu.core.access import admin, predicate, signed_in, writer
from tsunagu.records.models import SupportRecord

NOTE_HIDDEN = "この記録は個別支援につながっているため、メモは担当職員と管理者だけが見られます。"


def _case_links() -> type[models.Model]:
    """The table linking records to cases (declared by the cases app on Case.records)."""
    through = SupportRecord._meta.get_field("support_cases").through
    assert through is not None
    return through


def restricted_record_ids(user: Any) -> "models.QuerySet[Any]":
    """The ids of records linked to a case that `user` is not assigned to (as a subquery;
    for administrators, none)."""
    links = _case_links().objects.all()  # type: ignore[attr-defined]
    if admin(user):
        links = links.none()
    elif writer(user):
        links = links.exclude(case__staff=user)
    return links.values("supportrecord_id")


def is_restricted(user: Any, record: SupportRecord) -> bool:
    """Whether the record is linked to a case the user is not assigned to."""
    if admin(user):
        return False
    cache = getattr(record, "_restricted_for", None)
    if cache is not None and cache[0] == getattr(user, "pk", None):
        return bool(cache[1])
    if record.pk is None:
        return False
    cases = record.support_cases.all()
    restricted = cases.exclude(staff=user).exists() if writer(user) else cases.exists()
    record._restricted_for = (getattr(user, "pk", None), restricted)  # type: ignore[attr-defined]
    return bool(restricted)


def mark_restricted(user: Any, records: list[SupportRecord]) -> list[SupportRecord]:
    """Answer `is_restricted` for a page of records in one query."""
    hidden = set(
        SupportRecord.objects.filter(
            pk__in=[r.pk for r in records], id__in=restricted_record_ids(user)
        ).values_list("pk", flat=True)
    )
    for record in records:
        record._restricted_for = (getattr(user, "pk", None), record.pk in hidden)  # type: ignore[attr-defined]
    return records


def _alive(record: SupportRecord) -> bool:
    return record.deleted_at is None


@predicate("record.view", refusal="ログインしてください。")
def view_record(user: Any, obj: SupportRecord | None = None) -> bool:
    return signed_in(user) and (obj is None or _alive(obj))


@predicate("record.view_note", refusal=NOTE_HIDDEN)
def view_note(user: Any, obj: SupportRecord | None = None) -> bool:
    return writer(user) and (obj is None or not is_restricted(user, obj))


@predicate("record.create", refusal="記録の入力は職員と管理者が行います。", scope=None)
def create_record(user: Any, obj: Any = None) -> bool:
    return writer(user)


@predicate(
    "record.edit",
    refusal="記録の変更は職員と管理者が行います。個別支援につながっている記録は、その担当職員と管理者だけが変更できます。",
)
def edit_record(user: Any, obj: SupportRecord | None = None) -> bool:
    # A deleted record is out of scope (`record.view`); the services say so in words.
    return writer(user) and (obj is None or not is_restricted(user, obj))


@predicate(
    "record.delete",
    refusal="記録の削除は職員と管理者が行います。個別支援につながっている記録は、その担当職員と管理者だけが削除できます。",
)
def delete_record(user: Any, obj: SupportRecord | None = None) -> bool:
    return edit_record(user, obj)


@predicate(
    "record.restore",
    refusal="ごみ箱から戻せるのは、自分が削除した記録か自分の記録です（管理者はすべて）。",
    scope="record.restore",
)
def restore_record(user: Any, obj: SupportRecord | None = None) -> bool:
    if not writer(user):
        return False
    if obj is None or admin(user):
        return obj is None or not _alive(obj)
    own = user.pk in (obj.deleted_by_id, obj.staff_id)
    return not _alive(obj) and own and not is_restricted(user, obj)


@predicate(
    "record.purge",
    refusal="ごみ箱の記録を完全に削除するのは管理者です。",
    scope="record.restore",
)
def purge_record(user: Any, obj: SupportRecord | None = None) -> bool:
    return admin(user) and (obj is None or not _alive(obj))


@predicate(
    "record.export",
    refusal="記録の出力にはメモが含まれるため、職員と管理者だけが行えます。",
    scope=None,
)
def export_records(user: Any, obj: Any = None) -> bool:
    return writer(user)


def trash_for(user: Any, records: "models.QuerySet[SupportRecord]") -> Any:
    """The deleted records `user` may restore, as `record.restore` answers for each."""
    records = records.filter(deleted_at__isnull=False)
    if admin(user):
        return records
    if not writer(user):
        return records.none()
    mine = models.Q(deleted_by=user) | models.Q(staff=user)
    return records.filter(mine).exclude(id__in=restricted_record_ids(user))


# --- the yearly lists (activity kinds, consulter types, categories) ---------------------


@predicate("category.view", refusal="ログインしてください。", scope=None)
def view_categories(user: Any, obj: Any = None) -> bool:
    return signed_in(user)


@predicate("category.edit", refusal="分類の一覧の変更は管理者が行います。", scope=None)
def edit_categories(user: Any, obj: Any = None) -> bool:
    return admin(user)
