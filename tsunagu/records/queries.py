"""Filtering the records list: one function from the query string to a QuerySet."""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.http import QueryDict

from tsunagu.directory.models import Agency, Region, Zone
from tsunagu.lib.fiscal import FiscalParseError, current_fiscal_year, parse_fiscal_year
from tsunagu.lib.textnorm import normalize
from tsunagu.records.models import (
    ActivityKind,
    Category,
    ConsulterType,
    Place,
    RecordQuerySet,
    SupportRecord,
)


@dataclass
class RecordFilter:
    fiscal_year: int
    values: dict[str, str] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    def apply(self, records: RecordQuerySet, *, search_notes: bool, today: date) -> RecordQuerySet:
        records = records.in_fiscal_year(self.fiscal_year)
        for name, lookup in [
            ("zone", "zone_id"),
            ("region", "region_id"),
            ("staff", "staff_id"),
            ("kind", "activity_kind_id"),
            ("consulter_type", "consulter_type_id"),
            ("category", "categories"),
            ("agency", "agency_links__agency_id"),
        ]:
            value = self.values.get(name, "")
            if value.isdigit():
                records = records.filter(**{lookup: int(value)})
        if self.values.get("place") in Place.values:
            records = records.filter(place=self.values["place"])
        if self.values.get("follow_up") == "due":
            records = records.filter(follow_up=True, follow_up_due__lte=today)
        elif self.values.get("follow_up") == "open":
            records = records.filter(follow_up=True)
        query = normalize(self.values.get("q", ""))
        if query and search_notes:
            records = records.filter(note_key__contains=query)
        return records

    def choices(self) -> dict[str, Any]:
        """The options of each filter, for the form above the list."""
        from tsunagu.accounts.models import Role, User

        return {
            "zones": Zone.objects.all(),
            "regions": Region.objects.select_related("zone"),
            # Everyone who may write records, past staff included (a join over the year's
            # records to find them would cost a scan of the year).
            "staff": User.objects.exclude(role=Role.VIEWER),
            "kinds": ActivityKind.objects.in_year(self.fiscal_year),
            "consulter_types": ConsulterType.objects.all(),
            "categories": Category.objects.in_year(self.fiscal_year).select_related(
                "consulter_type"
            ),
            "agencies": Agency.objects.all(),
            "places": Place.choices,
        }


FILTER_NAMES = (
    "zone",
    "region",
    "staff",
    "kind",
    "consulter_type",
    "category",
    "agency",
    "place",
    "follow_up",
    "q",
)


def parse_filter(params: QueryDict) -> RecordFilter:
    errors = []
    fiscal_year = current_fiscal_year()
    raw_year = params.get("fy", "").strip()
    if raw_year:
        try:
            fiscal_year = parse_fiscal_year(raw_year)
        except FiscalParseError as error:
            errors.append(str(error))
    values = {name: params.get(name, "").strip() for name in FILTER_NAMES}
    return RecordFilter(fiscal_year=fiscal_year, values=values, errors=errors)


def years_with_records() -> list[int]:
    # order_by(): the models' default orderings would make DISTINCT run over every row.
    years = set(
        SupportRecord.objects.alive().order_by().values_list("fiscal_year", flat=True).distinct()
    )
    years |= set(ActivityKind.objects.order_by().values_list("fiscal_year", flat=True).distinct())
    years.add(current_fiscal_year())
    return sorted(years, reverse=True)
