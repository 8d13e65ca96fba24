"""The demo council's area plans, their progress and the records linked to them.

Plans are written through the services (each with its audit entry); the links to demo
records are bulk-created with one audit entry. A plan already there is left alone, so
loading twice changes nothing.
"""

import random

from django.db import transaction

from tsunagu.accounts.models import User
from tsunagu.audit.services import log_action
from tsunagu.demo import plans_data as data
from tsunagu.demo.years import DemoYears, demo_years
from tsunagu.directory.models import Region
from tsunagu.lib.textnorm import normalize
from tsunagu.plans.models import Initiative, InitiativeRecord, Plan, PlanTarget, Status
from tsunagu.plans.queries import records_of
from tsunagu.plans.services import (
    GoalData,
    InitiativeData,
    PlanData,
    StatusEntry,
    add_default_targets,
    create_plan,
    save_year_statuses,
)
from tsunagu.records.models import SupportRecord

SEED = 2019
LINKS_PER_INITIATIVE = 6
# Years of the 2019–2023 plans with progress; the current plans get the current year.
PAST_YEARS = (2019, 2020)
STATUS_WEIGHTS = {
    2019: {Status.IN_PROGRESS: 6, Status.NOT_STARTED: 2, Status.ACHIEVED: 1},
    2020: {Status.IN_PROGRESS: 3, Status.REVISED: 4, Status.ACHIEVED: 1, Status.NOT_STARTED: 1},
}
CURRENT_WEIGHTS = {Status.IN_PROGRESS: 5, Status.NOT_STARTED: 1, Status.ACHIEVED: 1}


def plan_shift(years: DemoYears) -> int:
    """Years the plans of plans_data move by. Pinned to 2020, none: the 2019–2023 plans have
    progress in 2019 and 2020 and the current ones (2024–2028) in this year. Placed later,
    one year less than the records, so that the old plans' progress falls in the demo's
    first two years and their third is the current year (the next plans are then ahead)."""
    return max(years.offset - 1, 0)


def load_demo(*, by: User, years: DemoYears | None = None) -> str:
    """Load the plans not loaded yet. Returns a one-line summary in Japanese."""
    years = years or demo_years()
    shift = plan_shift(years)
    with transaction.atomic():
        add_default_targets(by=by)
        targets = {t.name_key: t for t in PlanTarget.objects.all()}
        regions = {r.name_key: r for r in Region.objects.all()}
        created: list[tuple[Plan, data.PlanSpec]] = []
        for spec in data.PLANS:
            region = regions.get(normalize(spec.region))
            start = spec.start + shift
            if region is None or Plan.objects.filter(region=region, start_year=start).exists():
                continue
            plan = create_plan(by=by, data=_plan_data(spec, region, targets, shift))
            created.append((plan, spec))
        statuses = sum(_statuses(by, plan, years, shift) for plan, _ in created)
        links = _links(by, created, shift)
    total = Plan.objects.count()
    regions_with_plan = Plan.objects.values("region").distinct().count()
    return (
        f"エリア計画 {total}件（{regions_with_plan}地域社協、今回追加 {len(created)}件）、"
        f"進捗 {statuses}件、取り組みにつないだ記録 {links}件"
    )


def _plan_data(
    spec: data.PlanSpec, region: Region, targets: dict[str, PlanTarget], shift: int
) -> PlanData:
    return PlanData(
        region=region,
        start_year=spec.start + shift,
        end_year=spec.end + shift,
        slogans=list(spec.slogans),
        goals=[
            GoalData(text, [targets[normalize(n)] for n in names if normalize(n) in targets])
            for text, names in spec.goals
        ],
        initiatives=[InitiativeData(i.theme, list(i.actions)) for i in spec.initiatives],
        layout=spec.layout,
        initiatives_heading=spec.heading,
    )


def _statuses(by: User, plan: Plan, demo: DemoYears, shift: int) -> int:
    this_year = demo.current
    story_start = plan.start_year - shift
    rng = random.Random(SEED * 100 + plan.region_id * 10 + story_start % 10)  # noqa: S311
    groups = [g.name for g in plan.region.groups.filter(active=True)] or [plan.region.name]
    initiatives = list(plan.initiatives.all())
    past = [y + shift for y in PAST_YEARS]
    years = [y for y in dict.fromkeys((*past, this_year)) if plan.covers(y)]
    written = 0
    last: dict[int, str] = {}
    for year in years:
        weights = (
            STATUS_WEIGHTS.get(year - shift, CURRENT_WEIGHTS) if year in past else CURRENT_WEIGHTS
        )
        entries = []
        for initiative in initiatives:
            if last.get(initiative.pk) == Status.ACHIEVED:
                status = Status.ACHIEVED
            else:
                status = rng.choices(list(weights), weights=list(weights.values()))[0]
            last[initiative.pk] = status
            note = rng.choice(data.NOTES[status]).format(group=rng.choice(groups))
            entries.append(StatusEntry(initiative, status, note))
        save_year_statuses(by=by, plan=plan, fiscal_year=year, entries=entries, unchecked=True)
        written += len(entries)
    return written


def _matches(record: SupportRecord, keywords: tuple[str, ...]) -> bool:
    group = record.target_group
    text = " ".join(
        [
            record.note_key,
            normalize(group.name) if group else "",
            normalize(group.kind.name) if group else "",
        ]
    )
    return any(normalize(k) in text for k in keywords)


def _links(by: User, created: list[tuple[Plan, data.PlanSpec]], shift: int) -> int:
    links: list[InitiativeRecord] = []
    for plan, spec in created:
        rng = random.Random(SEED + plan.pk)  # noqa: S311
        keywords = {i.theme: i.keywords for i in spec.initiatives}
        initiatives: list[Initiative] = list(plan.initiatives.all())
        for year in (y + shift for y in PAST_YEARS):
            if not plan.covers(year):
                continue
            records = list(
                records_of(plan.region, [year])
                .select_related("target_group__kind")
                .order_by("date", "id")
            )
            for initiative in initiatives:
                words = keywords.get(initiative.theme, ())
                chosen = [r for r in records if words and _matches(r, words)]
                if not chosen:
                    chosen = [r for r in records if r.consulter_type_id is None]
                    chosen = rng.sample(chosen, min(2, len(chosen)))
                elif len(chosen) > LINKS_PER_INITIATIVE:
                    chosen = rng.sample(chosen, LINKS_PER_INITIATIVE)
                links.extend(
                    InitiativeRecord(initiative=initiative, record=r, linked_by=by) for r in chosen
                )
    InitiativeRecord.objects.bulk_create(links, ignore_conflicts=True)
    if links:
        log_action(
            by=by,
            action="plans.demo_loaded",
            changes={"plans": len(created), "links": len(links)},
            label="デモ用のエリア別計画",
        )
    return len(links)
