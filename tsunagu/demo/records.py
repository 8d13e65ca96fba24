"""The demo council's support records: three fiscal years of yearly lists and plausible
records, so that every report has something real to show. The data is written for
平成30年度〜令和2年度 (the story years); tsunagu/demo/years.py places them, by default
so that the last is the current fiscal year, whose records stop at today.

Each year is loaded once: an ImportBatch (kind "demo") marks it and owns its records,
so running `tsunagu demo` again changes nothing. The records are written with
bulk_create, which skips SupportRecord.save(): fiscal_year and note_key are set here.
"""

import hashlib
import random
from dataclasses import dataclass, field
from datetime import date, time, timedelta

from tsunagu.accounts.models import User
from tsunagu.audit.services import log_action
from tsunagu.demo import records_data as data
from tsunagu.demo.years import DemoYears, demo_years
from tsunagu.directory.models import ActivityGroup, Agency, Region, Zone
from tsunagu.lib.fiscal import current_fiscal_year, fiscal_year_bounds, fiscal_year_of
from tsunagu.lib.textnorm import normalize
from tsunagu.records.codes import settle_codes
from tsunagu.records.models import (
    DEMO_BATCH_KIND,
    ActivityKind,
    AgencyAction,
    Category,
    ConsulterType,
    ImportBatch,
    Place,
    RecordAgency,
    SupportRecord,
    is_catch_all_name,
)
from tsunagu.reports.cache import invalidate

SEED = 2020
WEEKEND_SHARE = 0.1
# Where a consultation arrives when it is not taken while out at an activity.
ARRIVAL_PLACES: dict[str, dict[Place, int]] = {
    data.COUNCIL: {Place.PHONE: 50, Place.OFFICE: 30, Place.EMAIL: 20},
    data.INDIVIDUAL: {
        Place.PHONE: 45,
        Place.OFFICE: 30,
        Place.VISIT: 15,
        Place.EMAIL: 5,
        Place.OTHER: 5,
    },
    data.VOLUNTEER: {Place.PHONE: 40, Place.OFFICE: 35, Place.EMAIL: 25},
    data.GROUP: {Place.PHONE: 40, Place.OFFICE: 25, Place.EMAIL: 20, Place.VISIT: 15},
    data.AGENCY: {Place.PHONE: 55, Place.EMAIL: 20, Place.OFFICE: 15, Place.VISIT: 10},
}
# How likely a consultation of each type is to be among those taken while out.
OUTREACH_WEIGHTS = {
    data.COUNCIL: 2.0,
    data.INDIVIDUAL: 3.0,
    data.VOLUNTEER: 2.0,
    data.GROUP: 3.0,
    data.AGENCY: 0.5,
}
FOLLOW_UPS_PER_STAFF = 2

Target = ActivityGroup | Region | None


def batch_filename(fiscal_year: int) -> str:
    return f"demo-FY{fiscal_year}"


def load_records(years: DemoYears | None = None) -> dict[int, int]:
    """Load each demo year not loaded yet: its lists, its records and one audit entry.

    Call inside a transaction, after the directory demo. Returns {fiscal year: records
    loaded}, empty when every year was already there."""
    years = years or demo_years()
    city = _City.load()
    if city is None:
        return {}
    types = {t.name: t for t in ConsulterType.objects.all()}
    loaded: dict[int, int] = {}
    for story in data.DEMO_YEARS:
        fy = years.year(story)
        if ImportBatch.objects.filter(kind=DEMO_BATCH_KIND, filename=batch_filename(fy)).exists():
            continue
        kinds = _load_kinds(fy, story)
        categories = _load_categories(fy, story, types)
        settle_codes(fy)
        drafts = _YearBuilder(fy, story, city, kinds, categories, types, years).build()
        loaded[fy] = _save(fy, drafts)
    return loaded


# --- the yearly lists -------------------------------------------------------------------


def _predecessor_names(
    story: int, type_name: str, name: str, previous: set[str]
) -> tuple[str, ...]:
    explicit = data.LINEAGE.get(story, {}).get(type_name, {})
    if name in explicit:
        return explicit[name]
    return (name,) if normalize(name) in previous else ()


def _load_kinds(fy: int, story: int) -> dict[str, ActivityKind]:
    previous = {k.name_key: k for k in ActivityKind.objects.in_year(fy - 1)}
    kinds: dict[str, ActivityKind] = {}
    for order, name in enumerate(data.ACTIVITY_KINDS[story], start=1):
        kind, created = ActivityKind.objects.get_or_create(
            fiscal_year=fy, name_key=normalize(name), defaults={"name": name, "order": order}
        )
        if created:
            keys = [normalize(p) for p in _predecessor_names(story, "", name, set(previous))]
            kind.predecessors.add(*(previous[k] for k in keys if k in previous))
        kinds[name] = kind
    return kinds


def _load_categories(
    fy: int, story: int, types: dict[str, ConsulterType]
) -> dict[str, dict[str, Category]]:
    result: dict[str, dict[str, Category]] = {}
    for type_name, years in data.CATEGORIES.items():
        consulter_type = types.get(type_name)
        if consulter_type is None:
            continue
        previous = {
            c.name_key: c
            for c in Category.objects.in_year(fy - 1).filter(consulter_type=consulter_type)
        }
        result[type_name] = {}
        for order, (name, _count) in enumerate(years[story], start=1):
            category, created = Category.objects.get_or_create(
                fiscal_year=fy,
                consulter_type=consulter_type,
                name_key=normalize(name),
                defaults={"name": name, "order": order, "catch_all": is_catch_all_name(name)},
            )
            if created:
                preds = _predecessor_names(story, type_name, name, set(previous))
                keys = [normalize(p) for p in preds]
                category.predecessors.add(*(previous[k] for k in keys if k in previous))
            result[type_name][name] = category
    return result


# --- the directory the records point to --------------------------------------------------


@dataclass
class _City:
    zones: list[Zone]
    regions: list[Region]
    groups: list[ActivityGroup]
    groups_by_kind: dict[str, list[ActivityGroup]]
    groups_by_name: dict[str, ActivityGroup]
    agencies_by_group: dict[str, list[Agency]]
    agencies_by_name: dict[str, Agency]

    @classmethod
    def load(cls) -> "_City | None":
        regions = list(Region.objects.active().select_related("zone__staff"))
        if not regions:
            return None
        groups = list(
            ActivityGroup.objects.active().select_related("kind", "zone__staff", "region")
        )
        agencies = list(Agency.objects.active().select_related("group"))
        by_kind: dict[str, list[ActivityGroup]] = {}
        for group in groups:
            by_kind.setdefault(group.kind.name, []).append(group)
        by_group: dict[str, list[Agency]] = {}
        for agency in agencies:
            by_group.setdefault(agency.group.name, []).append(agency)
        zones = sorted({r.zone for r in regions}, key=lambda z: (z.order, z.pk))
        return cls(
            zones=zones,
            regions=regions,
            groups=groups,
            groups_by_kind=by_kind,
            groups_by_name={g.name: g for g in groups},
            agencies_by_group=by_group,
            agencies_by_name={a.name: a for a in agencies},
        )


# --- one year's records ------------------------------------------------------------------


@dataclass
class _Draft:
    record: SupportRecord
    type_name: str = ""
    categories: list[Category] = field(default_factory=list)
    agencies: list[tuple[Agency, str]] = field(default_factory=list)
    fixed: bool = False  # a told example: keeps its own date and place


def _open_days(fy: int) -> list[tuple[list[date], list[date]]]:
    """(weekdays, weekend days) of each month of the year, April first; the office is
    closed over the New Year (Dec 29 – Jan 3)."""
    first, last = fiscal_year_bounds(fy)
    months: list[tuple[list[date], list[date]]] = [([], []) for _ in range(12)]
    day = first
    while day <= last:
        closed = (day.month == 12 and day.day >= 29) or (day.month == 1 and day.day <= 3)
        if not closed:
            months[(day.month - 4) % 12][day.weekday() >= 5].append(day)
        day += timedelta(days=1)
    return months


class _YearBuilder:
    def __init__(
        self,
        fy: int,
        story: int,
        city: _City,
        kinds: dict[str, ActivityKind],
        categories: dict[str, dict[str, Category]],
        types: dict[str, ConsulterType],
        years: DemoYears,
    ) -> None:
        # `fy` is where the records go; `story` the year of records_data they are drawn from.
        self.fy = fy
        self.story = story
        self.city = city
        self.kinds = kinds
        self.categories = categories
        self.types = types
        self.years = years
        self.today = years.today
        self.days = _open_days(fy)
        # A seed per story year: a year loaded on its own comes out the same as in a full
        # load, and wherever the story is placed.
        self.rng = random.Random(SEED * 10_000 + story)  # noqa: S311 - sample data, not secrets
        self.drafts: list[_Draft] = []

    def build(self) -> list[_Draft]:
        if fiscal_year_bounds(self.fy)[0] > self.today:
            return []
        self._activities()
        consultations = self._consultations()
        # The year in progress has the records of a whole year drawn, and keeps those up
        # to today: its figures so far are those of a year going the same way.
        self.drafts = [d for d in self.drafts if d.record.date <= self.today]
        consultations = [d for d in consultations if d.record.date <= self.today]
        self._take_some_while_out(consultations)
        for draft in consultations:
            if not draft.fixed:
                self._link_agencies(draft)
        self._follow_ups(consultations)
        self.drafts.extend(consultations)
        return self.drafts

    # picking ------------------------------------------------------------------------

    def _date(self, months: tuple[int, ...] = data.MONTHS_USUAL) -> date:
        weights = [w if any(self.days[i]) else 0 for i, w in enumerate(months)]
        weekdays, weekends = self.days[self.rng.choices(range(12), weights=weights)[0]]
        if weekends and (not weekdays or self.rng.random() < WEEKEND_SHARE):
            return self.rng.choice(weekends)
        return self.rng.choice(weekdays)

    def _time(self, first_hour: int, last_hour: int) -> time:
        return time(self.rng.randint(first_hour, last_hour), self.rng.choice((0, 15, 30, 45)))

    def _place(self, weights: dict[Place, int]) -> Place:
        return self.rng.choices(list(weights), weights=list(weights.values()))[0]

    def _group(self, weights: dict[str, int] | None = None) -> ActivityGroup | None:
        groups = self.city.groups
        if not groups:
            return None
        kind_weights = weights or {}
        chosen = self.rng.choices(
            groups, weights=[kind_weights.get(g.kind.name, 1) for g in groups]
        )
        return chosen[0]

    def _group_or_region(self, group_share: float, weights: dict[str, int] | None = None) -> Target:
        if self.rng.random() < group_share:
            group = self._group(weights)
            if group is not None:
                return group
        return self.rng.choice(self.city.regions)

    def _agency(self, group_names: list[str], zone: Zone | None = None) -> Agency | None:
        group_name = self.rng.choice(group_names)
        agencies = self.city.agencies_by_group.get(group_name, [])
        if not agencies:
            return None
        zones = self.city.zones
        if group_name == data.CARE_CENTRES and zone in zones and len(agencies) == len(zones):
            # Each zone has its own care centre, listed in zone order.
            return agencies[zones.index(zone)]
        return self.rng.choice(agencies)

    def _note(self, pool: list[str], target: Target = None) -> str:
        return self.rng.choice(pool).format(target=target.name if target else "")

    # building -----------------------------------------------------------------------

    def _draft(
        self,
        kind_name: str,
        when: date,
        place: Place,
        target: Target,
        note: str,
        *,
        at: time | None = None,
        minutes: int | None = None,
        home: Region | None = None,
        **values: object,
    ) -> _Draft:
        record = SupportRecord(
            date=when,
            fiscal_year=fiscal_year_of(when),
            time=at,
            duration_minutes=minutes,
            activity_kind=self.kinds[kind_name],
            place=place,
            note=note,
            note_key=normalize(note),
            **values,
        )
        self._aim(record, target, home)
        return _Draft(record)

    @staticmethod
    def _aim(record: SupportRecord, target: Target, home: Region | None = None) -> None:
        """Target, area and staff member: the staff of the target's (or home's) zone."""
        record.target_group = target if isinstance(target, ActivityGroup) else None
        record.target_region = target if isinstance(target, Region) else None
        if isinstance(target, ActivityGroup):
            record.zone, record.region = target.zone, target.region
        elif isinstance(target, Region):
            record.zone, record.region = target.zone, target
        elif home is not None:
            record.zone, record.region = home.zone, home
        staff = record.zone.staff if record.zone else None
        record.staff = record.created_by = record.updated_by = staff

    def _activities(self) -> None:
        makers = {
            data.OUTREACH_KIND: self._visit,
            data.MEETING_KIND: self._meeting,
            data.INFORMATION_KIND: self._information,
            data.OTHER_KIND: self._other,
            data.APPROACH_KIND: self._approach,
        }
        for kind_name, count in data.ACTIVITY_COUNTS[self.story].items():
            self.drafts.extend(makers[kind_name]() for _ in range(count))

    def _visit(self) -> _Draft:
        target = self._group_or_region(0.75, data.VISIT_WEIGHTS)
        pool = data.VISIT_NOTES if isinstance(target, ActivityGroup) else data.VISIT_NOTES_REGION
        if self.story >= 2020 and self.rng.random() < 0.4:
            pool = data.VISIT_NOTES_2020
        return self._draft(
            data.OUTREACH_KIND,
            self._date(data.MONTHS_GOING_OUT[self.story]),
            Place.OUTREACH if self.rng.random() < 0.92 else Place.VISIT,
            target,
            self._note(pool, target) if self.rng.random() < 0.7 else "",
            at=self._time(10, 14),
            minutes=self.rng.choice((60, 90, 120, 150, 180)),
        )

    def _meeting(self) -> _Draft:
        late = self.story >= 2020
        target = self._group_or_region(0.35, data.MEETING_WEIGHTS)
        pool = data.MEETING_NOTES + (
            data.MEETING_NOTES_REGION if isinstance(target, Region) else []
        )
        place = self._place({Place.OUTREACH: 78, Place.OFFICE: 22})
        if late and self.rng.random() < 0.15:
            pool, place = data.MEETING_NOTES_ONLINE, Place.OTHER
        elif late and self.rng.random() < 0.4:
            pool = data.MEETING_NOTES_2020
        draft = self._draft(
            data.MEETING_KIND,
            self._date(data.MONTHS_GOING_OUT[self.story] if late else data.MONTHS_USUAL),
            place,
            target,
            self._note(pool, target) if place == Place.OTHER or self.rng.random() < 0.7 else "",
            # Residents' meetings are held mornings or evenings.
            at=self._time(10, 11) if self.rng.random() < 0.6 else time(18, 30),
            minutes=self.rng.choice((60, 90, 120)),
        )
        if self.rng.random() < 0.15:
            self._add_agency(draft, [data.CARE_CENTRES], AgencyAction.LIAISON)
        return draft

    def _information(self) -> _Draft:
        target = self._group_or_region(0.5)
        pool = data.INFORMATION_NOTES
        if self.story >= 2020 and self.rng.random() < 0.4:
            pool = data.INFORMATION_NOTES_2020
        places = {Place.PHONE: 35, Place.EMAIL: 20, Place.VISIT: 20, Place.OFFICE: 15}
        return self._draft(
            data.INFORMATION_KIND,
            self._date(),
            self._place({**places, Place.OUTREACH: 10}),
            target,
            self._note(pool, target),
            at=self._time(9, 17),
            minutes=self.rng.choice((10, 15, 20, 30)),
        )

    def _other(self) -> _Draft:
        draft = self._draft(
            data.OTHER_KIND,
            self._date(),
            self._place({Place.OTHER: 50, Place.OFFICE: 30, Place.OUTREACH: 20}),
            None,
            self._note(data.OTHER_NOTES),
            at=self._time(9, 17),
            minutes=self.rng.choice((30, 60, 90, 120)),
            home=self.rng.choice(self.city.regions),
        )
        draft.record.region = None  # the zone's work, not one regional council's
        return draft

    def _approach(self) -> _Draft:
        target = self._group_or_region(0.6, data.VISIT_WEIGHTS)
        draft = self._draft(
            data.APPROACH_KIND,
            self._date(),
            self._place({Place.PHONE: 40, Place.VISIT: 40, Place.EMAIL: 20}),
            target,
            self._note(data.APPROACH_NOTES, target),
            at=self._time(9, 17),
            minutes=self.rng.choice((15, 30, 45, 60)),
            initiated=True,
        )
        if self.rng.random() < 0.4:
            self._add_agency(draft, [*data.CITY_HALL, data.CARE_CENTRES], AgencyAction.LIAISON)
        return draft

    def _add_agency(self, draft: _Draft, group_names: list[str], action: str) -> None:
        agency = self._agency(group_names, draft.record.zone)
        if agency is not None:
            draft.agencies.append((agency, action))

    def _consultation(self, type_name: str, target: Target, note: str, **values: object) -> _Draft:
        home = None if target else self.rng.choice(self.city.regions)
        draft = self._draft(
            data.CONSULTATION_KIND,
            self._date(),
            self._place(ARRIVAL_PLACES[type_name]),
            target,
            note,
            at=self._time(9, 17),
            minutes=self.rng.choice((10, 15, 20, 30, 45, 60)),
            home=home,
            consulter_type=self.types[type_name],
            **values,
        )
        draft.type_name = type_name
        return draft

    def _consultations(self) -> list[_Draft]:
        result: list[_Draft] = []
        if data.COUNCIL in self.types:
            for _ in range(data.COUNCIL_COUNTS[self.story]):
                pool = data.COUNCIL_NOTES
                if self.story >= 2020 and self.rng.random() < 0.3:
                    pool = data.COUNCIL_NOTES_2020
                target = self.rng.choice(self.city.regions) if self.rng.random() < 0.3 else None
                result.append(self._consultation(data.COUNCIL, target, self._note(pool)))
        result += self._examples()
        for type_name in (data.INDIVIDUAL, data.VOLUNTEER, data.AGENCY):
            for category, count in self._counts(type_name, result):
                for _ in range(count):
                    result.append(self._single(type_name, category))
        result += self._group_consultations()
        return result

    def _counts(self, type_name: str, so_far: list[_Draft]) -> list[tuple[Category, int]]:
        """The categories still to fill: the year's counts less the told examples."""
        categories = self.categories.get(type_name)
        if not categories:
            return []
        done = [c.pk for d in so_far for c in d.categories]
        return [
            (categories[name], count - done.count(categories[name].pk))
            for name, count in data.CATEGORIES[type_name][self.story]
        ]

    def _single(self, type_name: str, category: Category) -> _Draft:
        """A consultation naming one category: an individual's, a volunteer's, an agency's."""
        notes = data.CATEGORY_NOTES[type_name].get(category.name, [""])
        target: Target = None
        if type_name == data.VOLUNTEER and self.rng.random() < 0.4:
            target = self._group(data.VISIT_WEIGHTS)
        elif type_name == data.AGENCY:
            kind = data.AGENCY_SUBJECT_GROUP_KIND.get(category.name)
            if kind and self.city.groups_by_kind.get(kind) and self.rng.random() < 0.7:
                target = self.rng.choice(self.city.groups_by_kind[kind])
            elif category.name in data.REGION_SUBJECTS:
                target = self.rng.choice(self.city.regions)
        values: dict[str, object] = {}
        if type_name == data.INDIVIDUAL:
            # Most people agree to their case being recorded; some stay anonymous.
            values["consent"] = self.rng.random() < 0.85
        draft = self._consultation(type_name, target, self._note(notes), **values)
        draft.categories.append(category)
        return draft

    def _group_consultations(self) -> list[_Draft]:
        categories = self.categories.get(data.GROUP)
        if not categories:
            return []
        subjects = _spread(
            self.rng,
            [(categories[name], count) for name, count in data.CATEGORIES[data.GROUP][self.story]],
            data.GROUP_RECORDS[self.story],
        )
        result = []
        for chosen in subjects:
            chosen.sort(key=lambda c: c.order)
            target = self._group_or_region(0.6, data.VISIT_WEIGHTS)
            notes = data.CATEGORY_NOTES[data.GROUP].get(chosen[0].name, [""])
            draft = self._consultation(data.GROUP, target, self._note(notes))
            draft.categories.extend(chosen)
            result.append(draft)
        return result

    def _examples(self) -> list[_Draft]:
        """The three connections docs/domain.md tells of, as the consultations that began them."""
        category = self.categories.get(data.INDIVIDUAL, {}).get(data.EXAMPLE_CATEGORY)
        if self.story != data.EXAMPLE_YEAR or category is None:
            return []
        result = []
        for (y, m, d), group_name, agency_name, action, place, note in data.CONNECTION_EXAMPLES:
            when = self.years.date(date(y, m, d))
            group = self.city.groups_by_name.get(group_name)
            open_day = any(when in days for days in self.days[(m - 4) % 12])
            if group is None or not open_day or when > self.today:
                continue
            draft = self._consultation(data.INDIVIDUAL, group, note, consent=True)
            draft.record.date = when
            draft.record.place = Place(place)
            draft.categories.append(category)
            draft.fixed = True
            agency = self.city.agencies_by_name.get(agency_name)
            if agency:
                draft.agencies.append((agency, action))
            result.append(draft)
        return result

    def _link_agencies(self, draft: _Draft) -> None:
        """The agency a consultation involved, once its zone is settled."""
        names = {c.name for c in draft.categories}
        choice: tuple[list[str], str] | None = None
        if draft.type_name == data.AGENCY:
            subject = next(iter(names), "")
            choice = data.AGENCY_FOR_SUBJECT.get(subject, data.CITY_HALL), AgencyAction.LIAISON
        elif draft.type_name == data.INDIVIDUAL and data.REFERRAL_CATEGORY in names:
            choice = data.REFERRAL_AGENCIES, AgencyAction.REFERRAL
        elif draft.type_name == data.INDIVIDUAL and self.rng.random() < 0.2:
            choice = [data.CARE_CENTRES], AgencyAction.LIAISON
        elif draft.type_name == data.GROUP and data.CITY_HALL_CATEGORY in names:
            choice = data.CITY_HALL, AgencyAction.LIAISON
        if choice is not None:
            self._add_agency(draft, *choice)

    def _take_some_while_out(self, consultations: list[_Draft]) -> None:
        """Move the watched share of consultations to visits: same day, place and target."""
        visits = [
            d.record
            for d in self.drafts
            if d.record.place == Place.OUTREACH
            and d.record.activity_kind.name in (data.OUTREACH_KIND, data.MEETING_KIND)
        ]
        if not visits or not consultations:
            return
        wanted = round(data.OUTREACH_SHARE[self.story] * len(consultations))
        wanted -= sum(d.record.place == Place.OUTREACH for d in consultations if d.fixed)
        movable = [d for d in consultations if not d.fixed]
        # Weighted sampling without replacement (Efraimidis–Spirakis keys).
        keyed = sorted(
            movable,
            key=lambda d: self.rng.random() ** (1 / OUTREACH_WEIGHTS[d.type_name]),
            reverse=True,
        )
        for draft in keyed[: max(wanted, 0)]:
            visit = self.rng.choice(visits)
            record = draft.record
            record.date, record.time, record.place = visit.date, visit.time, Place.OUTREACH
            self._aim(record, visit.target_group or visit.target_region)

    def _follow_ups(self, consultations: list[_Draft]) -> None:
        """A few of the last year's latest consultations still need a follow-up: due in the
        coming days when the year is the current one."""
        if self.story != data.DEMO_YEARS[-1]:
            return
        latest = sorted(consultations, key=lambda d: d.record.date, reverse=True)[:40]
        per_staff: dict[object, int] = {}
        for draft in latest:
            record = draft.record
            if per_staff.get(record.staff_id, 0) >= FOLLOW_UPS_PER_STAFF:
                continue
            if draft.type_name not in (data.INDIVIDUAL, data.GROUP):
                continue
            per_staff[record.staff_id] = per_staff.get(record.staff_id, 0) + 1
            record.follow_up = True
            days = self.rng.randint(7, 14)
            if self.years.lives_today:
                record.follow_up_due = self.today + timedelta(days=days - 6)
            else:
                record.follow_up_due = record.date + timedelta(days=days)


def _spread(
    rng: random.Random, counts: list[tuple[Category, int]], records: int
) -> list[list[Category]]:
    """Deal the subject mentions out to `records` consultations, one to three distinct
    subjects each, so that each category is named exactly its count of times."""
    mentions = [category for category, count in counts for _ in range(count)]
    if not records <= len(mentions) <= 3 * records or any(c > records for _, c in counts):
        raise ValueError("デモの相談件数と相談内容の件数が合いません。")
    rng.shuffle(mentions)
    # Each consultation's first subject, then the rest where there is room.
    dealt = [[category] for category in mentions[:records]]
    for category in mentions[records:]:
        open_ = [d for d in dealt if len(d) < 3 and all(c.pk != category.pk for c in d)]
        rng.choice(open_).append(category)
    return dealt


# --- writing ------------------------------------------------------------------------------


def _save(fy: int, drafts: list[_Draft]) -> int:
    drafts.sort(key=lambda d: (d.record.date, d.record.time or time(0)))
    digest = hashlib.sha256(f"tsunagu demo records {batch_filename(fy)}".encode()).hexdigest()
    batch = ImportBatch.objects.create(
        kind=DEMO_BATCH_KIND, filename=batch_filename(fy), digest=digest, row_count=len(drafts)
    )
    records = [d.record for d in drafts]
    for record in records:
        record.import_batch = batch
    SupportRecord.objects.bulk_create(records, batch_size=500)
    through = SupportRecord.categories.through
    through.objects.bulk_create(
        [
            through(supportrecord_id=d.record.pk, category_id=c.pk)
            for d in drafts
            for c in d.categories
        ],
        batch_size=1000,
    )
    RecordAgency.objects.bulk_create(
        [
            RecordAgency(record=d.record, agency=agency, action=action)
            for d in drafts
            for agency, action in d.agencies
        ],
        batch_size=1000,
    )
    invalidate()  # bulk_create sends no model signal
    log_action(
        by=None,
        action="records.demo_loaded",
        target=batch,
        changes={"filename": batch.filename, "row_count": len(drafts)},
    )
    return len(drafts)


def extend_lists(*, by: User, years: DemoYears | None = None) -> list[int]:
    """Carry the last demo year's lists forward, year by year, to the current fiscal year,
    as a council that kept using tsunagu would have: so that entry works today."""
    from tsunagu.records.categories.services import start_year

    years = years or demo_years()
    started = []
    for fiscal_year in range(years.last + 1, current_fiscal_year(years.today) + 1):
        if not ActivityKind.objects.filter(fiscal_year=fiscal_year).exists():
            start_year(by=by, fiscal_year=fiscal_year)
            started.append(fiscal_year)
    return started
