"""Every change to the area plans: the plan itself, the yearly statuses of its initiatives,
the records linked to them, and the list of target groups. Each runs in one transaction
with its audit entry and refuses bad input with a Japanese ValidationError, saving nothing.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from tsunagu.accounts.models import User
from tsunagu.audit.services import diff as audit_diff
from tsunagu.audit.services import log_action
from tsunagu.core.access import require
from tsunagu.core.concurrency import Conflict, claim_grid, claim_version
from tsunagu.directory.models import Region
from tsunagu.lib.fiscal import fiscal_year_label
from tsunagu.lib.textnorm import normalize
from tsunagu.plans.models import (
    ACTIONS_MAX_LENGTH,
    DEFAULT_HEADING,
    NOTE_MAX_LENGTH,
    TEXT_MAX_LENGTH,
    Goal,
    Initiative,
    InitiativeRecord,
    InitiativeStatus,
    Plan,
    PlanLayout,
    PlanTarget,
    PlanYear,
    Slogan,
    Status,
    period_label,
    split_lines,
)
from tsunagu.records.models import SupportRecord

# A longer period is almost always a typo (2019〜2093).
MAX_PERIOD_YEARS = 10


@dataclass
class GoalData:
    text: str
    targets: list[PlanTarget] = field(default_factory=list)


@dataclass
class InitiativeData:
    theme: str
    actions: list[str] = field(default_factory=list)
    pk: int | None = None  # an initiative of the plan being edited, kept with its history


@dataclass
class PlanData:
    """A plan as a form or an import file describes it; order of the lists = order shown."""

    region: Region
    start_year: int
    end_year: int
    slogans: list[str]
    goals: list[GoalData] = field(default_factory=list)
    initiatives: list[InitiativeData] = field(default_factory=list)
    layout: str = PlanLayout.TABLE
    initiatives_heading: str = DEFAULT_HEADING


class EditConflict(Conflict):
    """Someone else saved the plan since this user opened it."""

    def __init__(self, plan: Plan) -> None:
        who = plan.updated_by.display_name if plan.updated_by else "別の職員"
        super().__init__(
            plan,
            message=f"この計画は、あなたが開いた後に{who}さんが保存しました。上書きしないよう保存を止めました。"
            "計画を開き直して、もう一度入力してください。",
        )


# --- checking -------------------------------------------------------------------------


def _add(errors: dict[str, list[str]], key: str, message: str) -> None:
    errors.setdefault(key, []).append(message)


def _check_text(errors: dict[str, list[str]], key: str, what: str, text: str) -> None:
    if not text.strip():
        _add(errors, key, f"{what}が空です。入力するか、その行を削除してください。")
    elif len(text.strip()) > TEXT_MAX_LENGTH:
        _add(errors, key, f"{what}は{TEXT_MAX_LENGTH}文字以内にしてください。")


def check_plan(data: PlanData, *, plan: Plan | None = None) -> None:
    """The rules of one plan that need no lock. Raises ValidationError keyed by field."""
    errors: dict[str, list[str]] = {}
    if data.end_year < data.start_year:
        _add(
            errors,
            "end_year",
            f"終了年度（{fiscal_year_label(data.end_year)}）が開始年度"
            f"（{fiscal_year_label(data.start_year)}）より前です。",
        )
    elif data.end_year - data.start_year + 1 > MAX_PERIOD_YEARS:
        _add(
            errors,
            "end_year",
            f"計画期間が{data.end_year - data.start_year + 1}年間になっています。"
            f"{MAX_PERIOD_YEARS}年以内にしてください。",
        )
    if not data.slogans:
        _add(errors, "slogans", "スローガンを一つ以上入力してください。")
    for n, slogan in enumerate(data.slogans, start=1):
        _check_text(errors, "slogans", f"{n}番目のスローガン", slogan)
    for n, goal in enumerate(data.goals, start=1):
        _check_text(errors, "goals", f"{n}番目の重点目標", goal.text)
    themes: dict[str, int] = {}
    for n, initiative in enumerate(data.initiatives, start=1):
        _check_text(errors, "initiatives", f"{n}番目の取り組みのテーマ", initiative.theme)
        if len("\n".join(initiative.actions)) > ACTIONS_MAX_LENGTH:
            _add(
                errors,
                "initiatives",
                f"{n}番目の取り組みの具体的な取り組みは{ACTIONS_MAX_LENGTH}文字以内にしてください。",
            )
        key = normalize(initiative.theme)
        if key and key in themes:
            _add(
                errors,
                "initiatives",
                f"{themes[key]}番目と{n}番目の取り組みのテーマ「{initiative.theme.strip()}」が同じです。"
                "テーマは計画の中で一つずつにしてください。",
            )
        themes.setdefault(key, n)
    if data.layout not in PlanLayout.values:
        _add(errors, "layout", "取り組みの示し方を選んでください。")
    if not data.initiatives_heading.strip():
        _add(errors, "initiatives_heading", "取り組みの見出しを入力してください。")
    if plan is not None:
        known = {i.pk for i in plan.initiatives.all()}
        if any(i.pk is not None and i.pk not in known for i in data.initiatives):
            _add(errors, "initiatives", "この計画にない取り組みが含まれています。")
    if errors:
        raise ValidationError(errors)


def _check_period_locked(data: PlanData, plan: Plan | None) -> None:
    """Rules that read other rows: call with the region locked."""
    others = Plan.objects.filter(region=data.region).overlapping(data.start_year, data.end_year)
    if plan is not None:
        others = others.exclude(pk=plan.pk)
    clash = others.first()
    if clash is not None:
        raise ValidationError(
            {
                "start_year": [
                    f"{data.region.name}には計画期間が重なる計画（{clash.period_label}）がすでにあります。"
                    "期間を見直すか、その計画を編集してください。"
                ]
            }
        )
    if plan is None:
        return
    kept = [i.pk for i in data.initiatives if i.pk is not None]
    outside = (
        InitiativeStatus.objects.filter(initiative__plan=plan, initiative__in=kept)
        .exclude(fiscal_year__range=(data.start_year, data.end_year))
        .order_by("fiscal_year")
        .values_list("fiscal_year", flat=True)
        .distinct()
    )
    years = list(outside)
    if years:
        shown = "・".join(fiscal_year_label(y) for y in years)
        raise ValidationError(
            {
                "end_year": [
                    f"{shown}の進捗が記録されているため、計画期間を"
                    f"{period_label(data.start_year, data.end_year)}にはできません。"
                    "先にその年度の進捗を消してください。"
                ]
            }
        )


# --- plans ----------------------------------------------------------------------------


def snapshot(plan: Plan) -> dict[str, Any]:
    """The plan as the audit log shows it."""
    return {
        "region": plan.region.name,
        "period": plan.period_label,
        "layout": plan.get_layout_display(),
        "initiatives_heading": plan.initiatives_heading,
        "slogans": [s.text for s in plan.slogans.all()],
        "goals": [
            f"{g.text}（{'・'.join(t.name for t in g.targets.all())}）" for g in plan.goals.all()
        ],
        "initiatives": [f"{i.theme}：{' / '.join(i.action_list)}" for i in plan.initiatives.all()],
    }


def _write_contents(plan: Plan, data: PlanData) -> list[str]:
    """Replace slogans and goals; update, add and remove initiatives. Returns removed themes."""
    plan.slogans.all().delete()
    Slogan.objects.bulk_create(
        Slogan(plan=plan, text=text.strip(), order=n) for n, text in enumerate(data.slogans, 1)
    )
    plan.goals.all().delete()
    for n, goal_data in enumerate(data.goals, start=1):
        goal = Goal.objects.create(plan=plan, text=goal_data.text.strip(), order=n)
        goal.targets.set(goal_data.targets)
    existing = {i.pk: i for i in plan.initiatives.all()}
    kept: set[int] = set()
    for n, item in enumerate(data.initiatives, start=1):
        actions = "\n".join(a.strip() for a in item.actions if a.strip())
        current = existing.get(item.pk) if item.pk is not None else None
        if current is None:
            Initiative.objects.create(plan=plan, theme=item.theme.strip(), actions=actions, order=n)
            continue
        kept.add(current.pk)
        current.theme, current.actions, current.order = item.theme.strip(), actions, n
        current.save(update_fields=["theme", "actions", "order"])
    removed = [i for pk, i in existing.items() if pk not in kept]
    for initiative in removed:
        initiative.delete()
    return [i.theme for i in removed]


def create_plan(*, by: User, data: PlanData) -> Plan:
    require(by, "plan.edit")
    check_plan(data)
    try:
        with transaction.atomic():
            # The lock on the region serialises plan changes of one council, so two
            # people cannot both add overlapping periods.
            Region.objects.select_for_update().get(pk=data.region.pk)
            _check_period_locked(data, None)
            plan = Plan.objects.create(
                region=data.region,
                start_year=data.start_year,
                end_year=data.end_year,
                layout=data.layout,
                initiatives_heading=data.initiatives_heading.strip(),
                created_by=by,
                updated_by=by,
            )
            _write_contents(plan, data)
            log_action(by=by, action="plans.plan.created", target=plan, changes=snapshot(plan))
    except IntegrityError as error:
        raise ValidationError(
            f"{data.region.name}には同じ年度に始まる計画がすでにあります。"
        ) from error
    return plan


def update_plan(*, by: User, plan: Plan, data: PlanData, expected_version: int) -> Plan:
    """Save the plan unless someone else saved it since this user opened it.

    Initiatives given with their pk keep their statuses and linked records; an
    initiative left out is removed with them (the audit entry names it)."""
    require(by, "plan.edit", plan)
    if data.region.pk != plan.region_id:
        # Linked records belong to the council: a plan never moves to another one.
        raise ValidationError(
            {
                "region": [
                    "計画の地域社協は変えられません。別の地域社協の計画は新しく作ってください。"
                ]
            }
        )
    check_plan(data, plan=plan)
    try:
        with transaction.atomic():
            Region.objects.select_for_update().get(pk=plan.region_id)
            current = Plan.objects.select_for_update().get(pk=plan.pk)
            try:
                claim_version(current, expected_version)
            except Conflict:
                raise EditConflict(current) from None
            _check_period_locked(data, current)
            before = snapshot(current)
            current.start_year, current.end_year = data.start_year, data.end_year
            current.layout = data.layout
            current.initiatives_heading = data.initiatives_heading.strip()
            current.updated_by = by
            current.save(
                update_fields=[
                    "start_year",
                    "end_year",
                    "layout",
                    "initiatives_heading",
                    "updated_by",
                    "updated_at",
                ]
            )
            removed = _write_contents(current, data)
            current.refresh_from_db()
            after = snapshot(current)
            diff: dict[str, Any] = audit_diff(before, after)
            if removed:
                diff["removed_initiatives"] = removed
            if diff:
                log_action(by=by, action="plans.plan.updated", target=current, changes=diff)
    except IntegrityError as error:
        raise ValidationError(
            f"{data.region.name}には同じ年度に始まる計画がすでにあります。"
        ) from error
    return current


def delete_plan(*, by: User, plan: Plan) -> None:
    """Delete a plan with its statuses and links (the records themselves stay)."""
    require(by, "plan.edit", plan)
    with transaction.atomic():
        log_action(by=by, action="plans.plan.deleted", target=plan, changes=snapshot(plan))
        plan.delete()


# --- yearly statuses ------------------------------------------------------------------


@dataclass
class StatusEntry:
    initiative: Initiative
    status: str  # a Status value, or "" for "not recorded"
    note: str = ""


def check_year(plan: Plan, fiscal_year: int) -> None:
    if not plan.covers(fiscal_year):
        raise ValidationError(
            f"{fiscal_year_label(fiscal_year)}は、この計画の期間（{plan.period_label}）の外です。"
            "計画期間の中の年度を選んでください。"
        )


def save_year_statuses(
    *,
    by: User,
    plan: Plan,
    fiscal_year: int,
    entries: Sequence[StatusEntry],
    expected_version: int | None = None,
    unchecked: bool = False,
) -> int:
    """Set each initiative's status and note for one fiscal year of the plan.

    An entry with no status and no note clears that year's status. Returns the number of
    initiatives whose status or note changed.

    The year's form carries the version it was opened on (`expected_version`; None when
    the year had no progress yet): a save after someone else's raises `Conflict`.
    `unchecked` is for callers that are not a form opened earlier (the plan import, one
    initiative's status, the demo): they still move the version on, so a form opened
    before them is refused."""
    require(by, "plan.edit")
    check_year(plan, fiscal_year)
    errors: list[str] = []
    themes = {i.pk: i.theme for i in plan.initiatives.all()}
    for entry in entries:
        theme = themes.get(entry.initiative.pk)
        if theme is None:
            errors.append(f"取り組み「{entry.initiative.theme}」はこの計画のものではありません。")
            continue
        if entry.status and entry.status not in Status.values:
            errors.append(f"「{theme}」の状況を選び直してください。")
        if not entry.status and entry.note.strip():
            errors.append(f"「{theme}」は進捗メモがあるので、状況も選んでください。")
        if len(entry.note.strip()) > NOTE_MAX_LENGTH:
            errors.append(f"「{theme}」の進捗メモは{NOTE_MAX_LENGTH}文字以内にしてください。")
    if errors:
        raise ValidationError(errors)
    changes: dict[str, Any] = {}
    with transaction.atomic():
        claim_grid(
            PlanYear,
            by=by,
            expected_version=expected_version,
            unchecked=unchecked,
            plan=plan,
            fiscal_year=fiscal_year,
        )
        current = {
            s.initiative_id: s
            for s in InitiativeStatus.objects.select_for_update().filter(
                initiative__plan=plan, fiscal_year=fiscal_year
            )
        }
        for entry in entries:
            theme = themes[entry.initiative.pk]
            note = entry.note.strip()
            row = current.get(entry.initiative.pk)
            old = [row.get_status_display(), row.note] if row else ["", ""]
            if not entry.status:
                if row is not None:
                    row.delete()
                    changes[theme] = [old, ["", ""]]
                continue
            if row is None:
                row = InitiativeStatus(
                    initiative=entry.initiative,
                    fiscal_year=fiscal_year,
                    status=entry.status,
                    note=note,
                    updated_by=by,
                )
                row.save()
            elif (row.status, row.note) != (entry.status, note):
                row.status, row.note, row.updated_by = entry.status, note, by
                row.save(update_fields=["status", "note", "updated_by", "updated_at"])
            else:
                continue
            changes[theme] = [old, [row.get_status_display(), note]]
        if changes:
            log_action(
                by=by,
                action="plans.status.saved",
                target=plan,
                changes={"fiscal_year": fiscal_year_label(fiscal_year), **changes},
            )
    return len(changes)


def set_initiative_status(
    *, by: User, initiative: Initiative, fiscal_year: int, status: str, note: str = ""
) -> None:
    require(by, "plan.edit")
    save_year_statuses(
        by=by,
        plan=initiative.plan,
        fiscal_year=fiscal_year,
        entries=[StatusEntry(initiative, status, note)],
        unchecked=True,
    )


# --- records linked to initiatives ----------------------------------------------------


def record_regions(record: SupportRecord) -> set[int]:
    """The regional councils a record involves: its area, or its target or its group's."""
    pks = {record.region_id, record.target_region_id}
    if record.target_group is not None:
        pks.add(record.target_group.region_id)
    return {pk for pk in pks if pk is not None}


def linkable_initiatives(record: SupportRecord) -> list[Initiative]:
    """The initiatives a record may serve: of its councils' plans covering its year."""
    return list(
        Initiative.objects.filter(
            plan__region__in=record_regions(record),
            plan__start_year__lte=record.fiscal_year,
            plan__end_year__gte=record.fiscal_year,
        )
        .select_related("plan__region")
        .order_by("plan__region__order", "plan__region_id", "order", "id")
    )


def set_record_initiatives(
    *, by: User, record: SupportRecord, initiatives: Sequence[Initiative]
) -> tuple[int, int]:
    """Make `initiatives` exactly the ones the record is linked to. Returns (added, removed)."""
    require(by, "plan.edit")
    if record.deleted_at is not None:
        raise ValidationError("削除された記録は取り組みにつなげません。")
    allowed = {i.pk for i in linkable_initiatives(record)}
    wrong = [i for i in initiatives if i.pk not in allowed]
    if wrong:
        raise ValidationError(
            [
                f"取り組み「{i.theme}」は、この記録の地域社協の{fiscal_year_label(record.fiscal_year)}"
                "の計画のものではないため、つなげません。"
                for i in wrong
            ]
        )
    wanted = {i.pk: i for i in initiatives}
    with transaction.atomic():
        current = {
            link.initiative_id: link
            for link in InitiativeRecord.objects.select_for_update()
            .filter(record=record)
            .select_related("initiative")
        }
        added = [i for pk, i in wanted.items() if pk not in current]
        removed = [link for pk, link in current.items() if pk not in wanted]
        InitiativeRecord.objects.bulk_create(
            InitiativeRecord(initiative=i, record=record, linked_by=by) for i in added
        )
        for link in removed:
            link.delete()
        if added or removed:
            log_action(
                by=by,
                action="plans.record.linked",
                target=record,
                changes={
                    "added": [i.theme for i in added],
                    "removed": [link.initiative.theme for link in removed],
                },
            )
    return len(added), len(removed)


# --- target groups --------------------------------------------------------------------

DEFAULT_TARGETS = [
    "高齢者",
    "子ども・子育て世帯",
    "障害のある人",
    "マンション住民",
    "転入者",
    "外国籍の住民",
    "中高生・若い世代",
    "男性・働く世代",
    "住民全体",
]


def save_target(
    *,
    by: User,
    target: PlanTarget | None,
    name: str,
    order: int,
    expected_version: int | None = None,
) -> PlanTarget:
    """Add a target (`target=None`) or change one (`expected_version` required)."""
    require(by, "plan.edit")
    name = name.strip()
    if not name:
        raise ValidationError({"name": ["名称を入力してください。"]})
    key = normalize(name)
    duplicates = PlanTarget.objects.filter(name_key=key)
    if target is not None:
        duplicates = duplicates.exclude(pk=target.pk)
    if duplicates.exists():
        raise ValidationError({"name": [f"対象「{name}」はすでにあります。"]})
    try:
        with transaction.atomic():
            if target is None:
                target = PlanTarget.objects.create(name=name, order=order)
                log_action(
                    by=by, action="plans.target.created", target=target, changes={"name": name}
                )
                return target
            if expected_version is None:
                raise TypeError("changing a target needs the expected_version")
            claim_version(target, expected_version)
            before = {"name": target.name, "order": target.order}
            target.name, target.order = name, order
            changed = [f for f in ("name", "order") if before[f] != getattr(target, f)]
            if changed:
                target.save(update_fields=changed)
                log_action(
                    by=by,
                    action="plans.target.updated",
                    target=target,
                    changes={f: [before[f], getattr(target, f)] for f in changed},
                )
    except IntegrityError as error:
        raise ValidationError({"name": [f"対象「{name}」はすでにあります。"]}) from error
    return target


def set_target_active(*, by: User, target: PlanTarget, active: bool) -> None:
    """Targets used by goals stay; a retired one is no longer offered for new goals."""
    require(by, "plan.edit")
    if target.active == active:
        return
    with transaction.atomic():
        target.active = active
        target.save(update_fields=["active"])
        log_action(
            by=by,
            action="plans.target.activated" if active else "plans.target.deactivated",
            target=target,
        )


def add_default_targets(*, by: User) -> int:
    """Add the usual target groups that are not there yet. Returns how many were added."""
    require(by, "plan.edit")
    known = set(PlanTarget.objects.values_list("name_key", flat=True))
    start = PlanTarget.objects.count()
    added = 0
    with transaction.atomic():
        for name in DEFAULT_TARGETS:
            if normalize(name) in known:
                continue
            added += 1
            target = PlanTarget.objects.create(name=name, order=start + added)
            log_action(by=by, action="plans.target.created", target=target, changes={"name": name})
    return added


def lines(text: str) -> list[str]:
    """One item per non-empty line, trimmed (a slogan keeps any leading mark)."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def action_lines(text: str) -> list[str]:
    """The actions of a text area, one per line, without the bullets people type."""
    return split_lines(text)
