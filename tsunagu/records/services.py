"""Every change to a support record: create, update (with conflict detection), delete
into the trash, restore, purge. Each runs in one transaction with its audit entry."""

import secrets
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from tsunagu.accounts.models import User
from tsunagu.audit.services import diff as audit_diff
from tsunagu.audit.services import log_action
from tsunagu.core.access import require
from tsunagu.core.concurrency import Conflict, claim_version
from tsunagu.core.dates import show_datetime
from tsunagu.directory.models import Agency
from tsunagu.lib.display import show_value
from tsunagu.lib.fiscal import fiscal_year_label, fiscal_year_of
from tsunagu.records.models import (
    AgencyAction,
    Category,
    RecordAgency,
    SavedEntry,
    SupportRecord,
)
from tsunagu.reports.cache import invalidate

TRASH_DAYS = 30

# The fields a form may set directly on the record (relations handled separately).
SCALAR_FIELDS = (
    "date",
    "time",
    "duration_minutes",
    "staff",
    "activity_kind",
    "place",
    "target_group",
    "target_region",
    "zone",
    "region",
    "consulter_type",
    "initiated",
    "support_kind",
    "consent",
    "note",
    "follow_up",
    "follow_up_due",
)


@dataclass
class RecordData:
    """A validated record, as a form or an import produces it."""

    values: dict[str, Any]
    categories: list[Category] = field(default_factory=list)
    agencies: list[tuple[Agency, str]] = field(default_factory=list)  # (agency, AgencyAction)


class EditConflict(Conflict):
    """Someone else saved the record since this user opened it."""

    def __init__(self, record: SupportRecord, changes: list[tuple[str, str, str]]) -> None:
        who = record.updated_by.display_name if record.updated_by else "別の職員"
        when = show_datetime(record.updated_at)
        super().__init__(
            record,
            changes,
            message=f"この記録は、あなたが開いた後に{who}さんが保存しました（{when}）。"
            "上書きしないよう保存を止めました。下の違いを確認して、もう一度入力してください。",
        )
        self.record = record


ALREADY_SAVED = "この記録はすでに保存されています。"


class AlreadySaved(ValidationError):
    """The entry screen's token was used by a save already: nothing more is created."""

    def __init__(self, entry: SavedEntry) -> None:
        super().__init__(ALREADY_SAVED)
        self.record = entry.record


def new_entry_token() -> str:
    """The one-time token an entry screen carries (SavedEntry)."""
    return secrets.token_urlsafe(24)


def find_saved_entry(token: str) -> SavedEntry | None:
    if not token:
        return None
    return SavedEntry.objects.select_related("record").filter(token=token).first()


def _claim_entry(token: str, by: User) -> SavedEntry | None:
    """Inside the save's transaction: the token's row, or AlreadySaved if it was used.
    The unique token makes a concurrent second save wait for the first, then refuse."""
    if not token:
        return None
    try:
        with transaction.atomic():
            return SavedEntry.objects.create(token=token, created_by=by)
    except IntegrityError:
        entry = find_saved_entry(token)
        if entry is None:  # pragma: no cover - the row that refused us is gone again
            raise
        raise AlreadySaved(entry) from None


def check_record(data: RecordData, *, today: date) -> None:
    """The rules of one record that span its relations. Raises ValidationError."""
    values = data.values
    errors: dict[str, list[str]] = {}
    record_date: date = values["date"]
    fy = fiscal_year_of(record_date)
    if record_date > today:
        errors.setdefault("date", []).append("未来の日付は記録できません。")
    kind = values["activity_kind"]
    if kind.fiscal_year != fy:
        errors.setdefault("activity_kind", []).append(
            f"活動種別「{kind.name}」は{fiscal_year_label(kind.fiscal_year)}のものです。"
            f"日付の年度（{fiscal_year_label(fy)}）の活動種別を選んでください。"
        )
    consulter_type = values.get("consulter_type")
    # The counting rule: the kind says whether this is a consultation, and only then is
    # there a consulter type (so 活動内容別「相談対応」 and the consultation count agree).
    if kind.is_consultation and consulter_type is None:
        errors.setdefault("consulter_type", []).append(
            f"活動種別「{kind.name}」は相談として数える種別です。"
            "相談者区分を選んでください（「相談ではない」は選べません）。"
        )
    if not kind.is_consultation and consulter_type is not None:
        errors.setdefault("consulter_type", []).append(
            f"活動種別「{kind.name}」は相談として数えない種別です。"
            "相談を受けたときは相談の活動種別を選び、そうでなければ相談者区分を"
            "「相談ではない」にしてください。"
        )
    if consulter_type is None and data.categories:
        errors.setdefault("categories", []).append(
            "相談内容を選ぶときは相談者区分も選んでください。"
        )
    if consulter_type is not None:
        wrong = [
            c
            for c in data.categories
            if c.consulter_type_id != consulter_type.pk or c.fiscal_year != fy
        ]
        for category in wrong:
            errors.setdefault("categories", []).append(
                f"相談内容「{category.name}」は{fiscal_year_label(category.fiscal_year)}の"
                f"「{category.consulter_type.name}」の分類で、この記録には使えません。"
            )
        if consulter_type.has_categories and not data.categories:
            errors.setdefault("categories", []).append(
                f"「{consulter_type.name}」の相談は、相談内容を一つ以上選んでください。"
            )
        if not consulter_type.has_categories and data.categories:
            errors.setdefault("categories", []).append(
                f"「{consulter_type.name}」の相談には相談内容の分類はありません。"
            )
    if values.get("follow_up") and not values.get("follow_up_due"):
        errors.setdefault("follow_up_due", []).append("フォローアップの期日を入れてください。")
    if values.get("target_group") is not None and values.get("target_region") is not None:
        errors.setdefault("target_group", []).append(
            "支援先は活動団体か地域社協のどちらか一つです。"
        )
    if errors:
        raise ValidationError(errors)


def derive_area(values: dict[str, Any]) -> None:
    """Zone and region follow the support target when there is one."""
    group, region = values.get("target_group"), values.get("target_region")
    if group is not None:
        values["zone"] = group.zone
        values["region"] = group.region
    elif region is not None:
        values["zone"] = region.zone
        values["region"] = region
    elif values.get("region") is not None and values.get("zone") is None:
        values["zone"] = values["region"].zone


def _snapshot(record: SupportRecord) -> dict[str, Any]:
    data = {name: getattr(record, name) for name in SCALAR_FIELDS}
    data["categories"] = sorted(c.name for c in record.categories.all())
    data["agencies"] = sorted(str(link) for link in record.agency_links.select_related("agency"))
    return data


def _set_relations(record: SupportRecord, data: RecordData) -> None:
    record.categories.set(data.categories)
    RecordAgency.objects.filter(record=record).delete()
    RecordAgency.objects.bulk_create(
        RecordAgency(record=record, agency=agency, action=action or AgencyAction.LIAISON)
        for agency, action in data.agencies
    )
    invalidate()  # bulk_create sends no model signal


def create_record(
    *, by: User, data: RecordData, today: date | None = None, entry_token: str = ""
) -> SupportRecord:
    """`entry_token`: the entry screen's one-time token; a second save with it creates
    nothing and raises AlreadySaved."""
    require(by, "record.create")
    derive_area(data.values)
    check_record(data, today=today or timezone.localdate())
    with transaction.atomic():
        entry = _claim_entry(entry_token, by)
        record = SupportRecord(**data.values, created_by=by, updated_by=by)
        record.save()
        _set_relations(record, data)
        log_action(by=by, action="records.record.created", target=record, changes=_snapshot(record))
        if entry is not None:
            entry.record = record
            entry.save(update_fields=["record"])
    return record


def update_record(
    *,
    by: User,
    record: SupportRecord,
    data: RecordData,
    expected_version: int,
    today: date | None = None,
) -> SupportRecord:
    """Save the user's changes unless someone else saved since they opened the record."""
    require(by, "record.edit", record)
    derive_area(data.values)
    check_record(data, today=today or timezone.localdate())
    with transaction.atomic():
        current = SupportRecord.objects.select_for_update().get(pk=record.pk)
        if current.deleted_at is not None:
            raise ValidationError(
                "この記録は削除されています。ごみ箱から戻してから編集してください。"
            )
        before = _snapshot(current)
        try:
            claim_version(current, expected_version)
        except Conflict:
            proposed = {n: data.values.get(n, before[n]) for n in SCALAR_FIELDS}
            proposed["categories"] = sorted(c.name for c in data.categories)
            proposed["agencies"] = sorted(
                f"{a.name}（{AgencyAction(act or AgencyAction.LIAISON).label}）"
                for a, act in data.agencies
            )
            raise EditConflict(current, describe_differences(before, proposed)) from None
        # Fields the caller did not give keep their value.
        changed = [
            n for n in SCALAR_FIELDS if n in data.values and getattr(current, n) != data.values[n]
        ]
        for name in changed:
            setattr(current, name, data.values[name])
        current.updated_by = by
        current.save(update_fields=[*changed, "updated_by", "updated_at"])
        _set_relations(current, data)
        current.refresh_from_db()
        after = _snapshot(current)
        diff = audit_diff(before, after)
        if diff:
            log_action(by=by, action="records.record.updated", target=current, changes=diff)
    return current


FIELD_LABELS = {
    **{n: str(getattr(SupportRecord._meta.get_field(n), "verbose_name", n)) for n in SCALAR_FIELDS},
    "categories": "相談内容",
    "agencies": "関係機関",
}


def _show(name: str, value: Any) -> str:
    if name == "place" and value:
        from tsunagu.records.models import Place

        return str(Place(value).label)
    return show_value(value)


def describe_differences(
    saved: dict[str, Any], proposed: dict[str, Any]
) -> list[tuple[str, str, str]]:
    """(項目, 保存されている内容, あなたの入力) for every field that differs."""
    rows = []
    for name, label in FIELD_LABELS.items():
        if saved.get(name) != proposed.get(name):
            rows.append((label, _show(name, saved.get(name)), _show(name, proposed.get(name))))
    return rows


def delete_record(*, by: User, record: SupportRecord) -> None:
    """Move to the trash; it can be restored for TRASH_DAYS days."""
    require(by, "record.delete", record)
    with transaction.atomic():
        record.deleted_at = timezone.now()
        record.deleted_by = by
        record.save(update_fields=["deleted_at", "deleted_by"])
        log_action(by=by, action="records.record.deleted", target=record)


def restore_record(*, by: User, record: SupportRecord) -> None:
    require(by, "record.restore", record)
    with transaction.atomic():
        record.deleted_at = None
        record.deleted_by = None
        record.save(update_fields=["deleted_at", "deleted_by"])
        log_action(by=by, action="records.record.restored", target=record)


def purge_record(*, by: User | None, record: SupportRecord) -> None:
    """Delete for good. Only from the trash: a live record is never purged.
    `by=None`: the daily purge run as the system (`tsunagu purge_trash`)."""
    if record.deleted_at is None:
        raise ValidationError("ごみ箱にない記録は完全に削除できません。先に削除してください。")
    require(by, "record.purge", record, system=True)
    with transaction.atomic():
        log_action(
            by=by,
            action="records.record.purged",
            target=record,
            changes={"date": record.date, "activity_kind": record.activity_kind.name},
        )
        record.delete()


def purge_expired(*, by: User | None, now: Any = None) -> int:
    """Purge what has been in the trash longer than TRASH_DAYS. Returns the count."""
    limit = (now or timezone.now()) - timedelta(days=TRASH_DAYS)
    count = 0
    for record in (
        SupportRecord.objects.in_trash()
        .filter(deleted_at__lt=limit)
        .select_related("activity_kind")
    ):
        purge_record(by=by, record=record)
        count += 1
    return count


def log_note_read(*, by: User, record: SupportRecord) -> None:
    """Reading a note is itself logged: notes are sensitive personal data."""
    log_action(by=by, action="records.note.read", target=record)


def record_outing(
    *,
    by: User,
    shared: dict[str, Any],
    visit: dict[str, Any] | None,
    consultations: list[RecordData],
    today: date | None = None,
    entry_token: str = "",
) -> list[SupportRecord]:
    """One outing: optionally the visit itself, then each consultation taken there.

    All of them share date, staff, place and target, and are saved together or not at all;
    once per `entry_token` (see create_record)."""
    require(by, "record.create")
    today = today or timezone.localdate()
    if not visit and not consultations:
        raise ValidationError(
            "記録する内容がありません。出向きの記録か、相談を1件以上入力してください。"
        )
    items = ([RecordData(values={**shared, **visit})] if visit else []) + [
        RecordData(values={**shared, **c.values}, categories=c.categories, agencies=c.agencies)
        for c in consultations
    ]
    for item in items:
        derive_area(item.values)
        check_record(item, today=today)
    with transaction.atomic():
        entry = _claim_entry(entry_token, by)
        records = [create_record(by=by, data=item, today=today) for item in items]
        if entry is not None:
            entry.record = records[0]
            entry.save(update_fields=["record"])
        return records
