"""Filtering the records list: one function from the query string to a QuerySet."""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Max
from django.http import QueryDict

from tsunagu.core.dates import show_date
from tsunagu.core.params import (
    ChoiceField,
    DateField,
    FlagField,
    IdField,
    IdListField,
    ParsedQuery,
    QueryForm,
    TextField,
    parse_id,
)
from tsunagu.directory.models import ActivityGroup, Agency, Region, Zone
from tsunagu.lib.fiscal import (
    FiscalParseError,
    current_fiscal_year,
    default_fiscal_year,
    fiscal_year_bounds,
    fiscal_year_label,
    fiscal_year_of,
    parse_fiscal_year,
)
from tsunagu.lib.textnorm import normalize
from tsunagu.records import note_index
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
    date_from = DateField(label="期間（から）")
    date_to = DateField(label="期間（まで）")
    target = TextField(label="支援先", max_length=40)
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
    # Not filters: the rows just saved (highlighted) and the one just deleted (undo).
    saved = IdListField(label="保存した記録")
    deleted = IdField(label="削除した記録")
    clear = FlagField(label="条件をクリア")


# The parameters that choose the rows: what the session remembers and 「条件をクリア」 forgets.
# Not the note search: what is typed there may be a person's name, kept in no session row.
FILTER_NAMES = tuple(
    n for n in RecordFilterForm.base_fields if n not in ("saved", "deleted", "clear", "q")
)


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
    date_from: date | None = None
    date_to: date | None = None
    # ("g", id) for an activity group, ("r", id) for a regional council, as the pickers say.
    target: tuple[str, int] | None = None
    year_ignored: bool = False

    def remembered(self) -> dict[str, str]:
        """The valid filter parameters as typed, for the session (an ignored one is not
        kept, so that its message is not said again on every return)."""
        kept = {n: self.query.raw[n] for n in FILTER_NAMES if self.query.raw.get(n)}
        if self.year_ignored:
            kept.pop("fy", None)
        if self.date_from is None:
            kept.pop("date_from", None)
        if self.date_to is None:
            kept.pop("date_to", None)
        if self.target is None:
            kept.pop("target", None)
        return kept

    @property
    def is_narrowed(self) -> bool:
        """Whether anything but the year is chosen (「条件をクリア」 is then offered)."""
        return any(n != "fy" for n in self.remembered())

    @property
    def values(self) -> dict[str, str]:
        """The parameters as typed (the invalid ones blank), to redraw the filter form."""
        return self.query.raw

    def apply(
        self, records: RecordQuerySet, *, search_notes: bool, today: date, user: Any = None
    ) -> RecordQuerySet:
        """The filtered records; the note search finds only notes `user` may read."""
        records = records.in_fiscal_year(self.fiscal_year)
        if self.date_from is not None:
            records = records.filter(date__gte=self.date_from)
        if self.date_to is not None:
            records = records.filter(date__lte=self.date_to)
        if self.target is not None:
            kind, pk = self.target
            records = records.filter(
                **{"target_group_id" if kind == "g" else "target_region_id": pk}
            )
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
            # Through the trigram index from three characters (records/note_index.py).
            records = note_index.matching(records, query)
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
            "groups": ActivityGroup.objects.all(),
            "places": Place.choices,
        }


def parse_filter(params: QueryDict) -> RecordFilter:
    query = RecordFilterForm.parse(params)
    errors = list(query.errors)
    date_from, date_to = query.get("date_from"), query.get("date_to")
    # Without a year, a period names its own (「期間」 alone finds the records of 2019).
    fiscal_year = fiscal_year_of(date_from or date_to) if date_from or date_to else None
    year_ignored = False
    if raw_year := query.get("fy", "").strip():
        try:
            fiscal_year = parse_fiscal_year(raw_year)
        except FiscalParseError as error:
            errors.append(str(error))
            year_ignored = True
    if fiscal_year is None:
        fiscal_year = default_record_year()
    first, last = fiscal_year_bounds(fiscal_year)
    for name, label, day in (
        ("date_from", "期間（から）", date_from),
        ("date_to", "期間（まで）", date_to),
    ):
        if day is not None and not first <= day <= last:
            errors.append(
                f"「{label}」の{show_date(day)}は{fiscal_year_label(fiscal_year)}"
                f"（{show_date(first)}～{show_date(last)}）の外の日付のため、"
                "使いませんでした。"
            )
            if name == "date_from":
                date_from = None
            else:
                date_to = None
    if date_from and date_to and date_from > date_to:
        errors.append(
            f"「期間（から）」の{show_date(date_from)}が「期間（まで）」の"
            f"{show_date(date_to)}より後のため、期間の指定は使いませんでした。"
        )
        date_from = date_to = None
    target = None
    if raw_target := query.get("target", "").strip():
        kind, _, rest = raw_target.partition(":")
        if kind in ("g", "r") and (pk := parse_id(rest)) is not None:
            target = (kind, pk)
        else:
            errors.append("「支援先」の指定が正しくないため、使いませんでした。")
    return RecordFilter(
        fiscal_year=fiscal_year,
        query=query,
        errors=errors,
        date_from=date_from,
        date_to=date_to,
        target=target,
        year_ignored=year_ignored,
    )


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
