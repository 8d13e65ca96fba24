"""Updating existing records from a records file (`--update`, the screen's checkbox).

A row whose 記録ID is an existing record changes that record through the records
service, as an edit on the screen would: the same rules, a new version, an audit entry
of what changed. A row that says what the record already says is left alone.
"""

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from tsunagu.accounts.models import User
from tsunagu.directory.models import ActivityGroup, Agency, Region, Zone
from tsunagu.records.models import ActivityKind, Category, ConsulterType, SupportRecord
from tsunagu.records.services import RecordData, update_record
from tsunagu.transfer.importers.record_rows import ResolvedRecord


def _unchanged(record: SupportRecord, row: ResolvedRecord) -> bool:
    stored = (
        record.date,
        record.time,
        record.duration_minutes,
        record.staff_id,
        record.activity_kind_id,
        record.place,
        record.target_group_id,
        record.target_region_id,
        record.zone_id,
        record.region_id,
        record.consulter_type_id,
        record.initiated,
        record.consent,
        record.note,
        record.follow_up,
        record.follow_up_due,
        record.support_kind,
    )
    given = (
        row.record_date,
        row.record_time,
        row.duration_minutes,
        row.staff_id,
        row.activity_kind_id,
        row.place,
        row.target_group_id,
        row.target_region_id,
        row.zone_id,
        row.region_id,
        row.consulter_type_id,
        row.initiated,
        row.consent,
        row.note,
        row.follow_up,
        row.follow_up_due,
        row.support_kind,
    )
    return (
        stored == given
        and sorted(c.pk for c in record.categories.all()) == sorted(row.category_ids)
        and sorted((a.agency_id, a.action) for a in record.agency_links.all())
        == sorted(row.agencies)
    )


def get(table: Mapping[Any, Any], pk: int | None) -> Any:
    return table[pk] if pk else None


class RecordUpdater:
    """Applies rows to the records they name; counts what was updated and left alone."""

    def __init__(self, *, by: User, today: date) -> None:
        self.by = by
        self.today = today
        self.updated = 0
        self.unchanged = 0

    def update(self, chunk: Sequence[ResolvedRecord]) -> None:
        if not chunk:
            return
        records = SupportRecord.objects.filter(
            pk__in=[r.record_id for r in chunk]
        ).prefetch_related("categories", "agency_links")
        by_id = {record.pk: record for record in records}
        users = User.objects.in_bulk({r.staff_id for r in chunk if r.staff_id})
        kinds = ActivityKind.objects.in_bulk({r.activity_kind_id for r in chunk})
        groups = ActivityGroup.objects.select_related("zone", "region").in_bulk(
            {r.target_group_id for r in chunk if r.target_group_id}
        )
        region_ids = {i for r in chunk for i in (r.target_region_id, r.region_id) if i}
        regions = Region.objects.select_related("zone").in_bulk(region_ids)
        zones = Zone.objects.in_bulk({r.zone_id for r in chunk if r.zone_id})
        types = ConsulterType.objects.in_bulk(
            {r.consulter_type_id for r in chunk if r.consulter_type_id}
        )
        categories = Category.objects.select_related("consulter_type").in_bulk(
            {c for r in chunk for c in r.category_ids}
        )
        agencies = Agency.objects.in_bulk({a for r in chunk for a, _ in r.agencies})
        for row in chunk:
            assert row.record_id is not None
            record = by_id[row.record_id]
            if _unchanged(record, row):
                self.unchanged += 1
                continue

            values = {
                "date": row.record_date,
                "time": row.record_time,
                "duration_minutes": row.duration_minutes,
                "staff": get(users, row.staff_id),
                "activity_kind": kinds[row.activity_kind_id],
                "place": row.place,
                "target_group": get(groups, row.target_group_id),
                "target_region": get(regions, row.target_region_id),
                "zone": get(zones, row.zone_id),
                "region": get(regions, row.region_id),
                "consulter_type": get(types, row.consulter_type_id),
                "initiated": row.initiated,
                "consent": row.consent,
                "note": row.note,
                "follow_up": row.follow_up,
                "follow_up_due": row.follow_up_due,
                "support_kind": row.support_kind,
            }
            data = RecordData(
                values=values,
                categories=[categories[c] for c in row.category_ids],
                agencies=[(agencies[a], action) for a, action in row.agencies],
            )
            update_record(
                by=self.by,
                record=record,
                data=data,
                expected_version=record.version,
                today=self.today,
            )
            self.updated += 1
