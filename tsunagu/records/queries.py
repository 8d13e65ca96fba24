"""Filtering the records list: one function from the query string to a QuerySet."""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Max
from django.http import QueryDict

from tsunagu.core.params import ChoiceField, IdField, ParsedQuery, QueryForm, TextField
from tsunagu.directory.models import Agency, Region, Zone
from tsunagu.lib.fiscal import (
    FiscalParseError,
    current_fiscal_year,
    default_fiscal_year,
    parse_fiscal_year,
)
from tsunagu.lib.textnorm import normalize
from tsunagu.records.models import (
    ActivityKind,
    Category,
    ConsulterType,
    Place,
    RecordQuerySet,
    SupportRecord,
)


class RecordFilterForm(QueryForm):
    """The records list's parameters (see `tsunagu.core.params`)."""

    fy = TextField(label="年度", max_length=20)
    zone = IdField(label="圏域")
    region = IdField(label="地域")
    staff = IdField(label="担当職員")
    kind = IdField(label="活動種別")
    consulter_type = IdField(label="相談者区分")
    category = IdField(label="相談内容")
    agency = IdField(label="関係機関")
    place = ChoiceField(label="場所", choices=[("", ""), *Place.choices])
    follow_up = ChoiceField(label="フォローアップ", choices=[("", ""), ("open", ""), ("due", "")])
    q = TextField(label="メモを検索")


# Filter parameter → the lookup it narrows the records by.
ID_LOOKUPS = {
    "zone": "zone_id",
    "region": "region_id",
    "staff": "staff_id",
    "kind": "activity_kind_id",
    "consulter_type": "consulter_type_id",
    "category": "categories",
    "agency": "agency_links__agency_id",
}


@dataclass
class RecordFilter:
    fiscal_year: int
    query: ParsedQuery
    errors: list[str] = field(default_factory=list)

    @property
    def values(self) -> dict[str, str]:
        """The parameters as typed (the invalid ones blank), to redraw the filter form."""
        return self.query.raw

    def apply(
        self, records: RecordQuerySet, *, search_notes: bool, today: date, user: Any = None
    ) -> RecordQuerySet:
        """The filtered records; the note search finds only notes `user` may read."""
        records = records.in_fiscal_year(self.fiscal_year)
        for name, lookup in ID_LOOKUPS.items():
            if (value := self.query.get(name)) is not None:
                records = records.filter(**{lookup: value})
        if place := self.query.get("place"):
            records = records.filter(place=place)
        if self.query.get("follow_up") == "due":
            records = records.filter(follow_up=True, follow_up_due__lte=today)
        elif self.query.get("follow_up") == "open":
            records = records.filter(follow_up=True)
        query = normalize(self.query.get("q", ""))
        if query and search_notes:
            records = records.filter(note_key__contains=query)
            if user is not None:
                from tsunagu.records.rules import restricted_record_ids

                records = records.exclude(id__in=restricted_record_ids(user))
        return records

    def choices(self) -> dict[str, Any]:
        """The options of each filter, for the form above the list."""
        from tsunagu.accounts.models import User
        from tsunagu.core.access import writers

        return {
            "zones": Zone.objects.all(),
            "regions": Region.objects.select_related("zone"),
            # Everyone who may write records, past staff included (a join over the year's
            # records to find them would cost a scan of the year).
            "staff": writers(User.objects.all(), active_only=False),
            "kinds": ActivityKind.objects.in_year(self.fiscal_year),
            "consulter_types": ConsulterType.objects.all(),
            "categories": Category.objects.in_year(self.fiscal_year).select_related(
                "consulter_type"
            ),
            "agencies": Agency.objects.all(),
            "places": Place.choices,
        }


def parse_filter(params: QueryDict) -> RecordFilter:
    query = RecordFilterForm.parse(params)
    errors = list(query.errors)
    if raw_year := query.get("fy", "").strip():
        try:
            fiscal_year = parse_fiscal_year(raw_year)
        except FiscalParseError as error:
            errors.append(str(error))
            fiscal_year = default_record_year()
    else:
        fiscal_year = default_record_year()
    return RecordFilter(fiscal_year=fiscal_year, query=query, errors=errors)


def default_record_year() -> int:
    """The year every page opens on (the records list, the reports, the カルテ, the plans,
    the lists): this fiscal year if it has records, else the latest year before it with
    records, else this year (fiscal.default_fiscal_year). One indexed MAX query."""
    latest = (
        SupportRecord.objects.alive()
        .filter(fiscal_year__lte=current_fiscal_year())
        .aggregate(latest=Max("fiscal_year"))["latest"]
    )
    return default_fiscal_year([] if latest is None else [latest])


def years_with_records() -> list[int]:
    """The years the selectors offer: every year with an activity-kind list, and the
    current one. A record's activity kind is always of the record's own fiscal year
    (`services.check_record`; kinds with records cannot be deleted, PROTECT), so the years
    of the records are among these; the small list table answers, not a DISTINCT over
    every record (95 ms at 1,000,000 on SQLite, issue #14)."""
    # order_by(): the model's default ordering would make DISTINCT sort on more columns.
    years = set(ActivityKind.objects.order_by().values_list("fiscal_year", flat=True).distinct())
    years.add(current_fiscal_year())
    return sorted(years, reverse=True)
