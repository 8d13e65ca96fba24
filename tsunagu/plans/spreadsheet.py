"""Plans as an .xlsx workbook: written by `export_plans`, read back by `import_plans`.

Sheet 「計画」 has one row per slogan, priority goal or initiative, in order; the plan
a row belongs to is named by its council and period. Sheet 「進捗」 (optional on import)
has one row per initiative and fiscal year. The layout is documented in docs/plans.md.
An import is all or nothing: every problem is reported with its sheet and row, and a
file with any problem changes nothing.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction

from tsunagu.accounts.models import User
from tsunagu.audit.services import log_action
from tsunagu.directory.models import Region
from tsunagu.lib.fiscal import FiscalParseError, fiscal_year_label, parse_fiscal_year
from tsunagu.lib.tabular import (
    Cell,
    Row,
    RowError,
    TableError,
    read_table,
    sheet_names,
    table_format,
    write_xlsx,
)
from tsunagu.lib.textnorm import normalize
from tsunagu.plans.models import (
    DEFAULT_HEADING,
    InitiativeStatus,
    Plan,
    PlanLayout,
    PlanTarget,
    Status,
    period_label,
)
from tsunagu.plans.services import (
    GoalData,
    InitiativeData,
    PlanData,
    StatusEntry,
    action_lines,
    check_plan,
    create_plan,
    save_year_statuses,
    update_plan,
)

PLAN_SHEET = "計画"
PROGRESS_SHEET = "進捗"

REGION, START, END = "地域社協", "開始年度", "終了年度"
KIND, TEXT, TARGETS, ACTIONS = "種類", "内容", "対象", "具体的な取り組み"
LAYOUT, HEADING = "取り組みの示し方", "取り組みの見出し"
THEME, YEAR, STATUS, NOTE = "取り組みのテーマ", "年度", "状況", "進捗メモ"

PLAN_COLUMNS = [REGION, START, END, KIND, TEXT, TARGETS, ACTIONS, LAYOUT, HEADING]
PLAN_REQUIRED = [REGION, START, END, KIND, TEXT]
PROGRESS_COLUMNS = [REGION, START, END, THEME, YEAR, STATUS, NOTE]
PROGRESS_REQUIRED = [REGION, START, END, THEME, YEAR, STATUS]

# What read_table says of a sheet with a header and no rows.
HEADER_ONLY = "見出し行だけで、データの行がありません。"

SLOGAN, GOAL, INITIATIVE = "スローガン", "重点目標", "取り組み"
KINDS = (SLOGAN, GOAL, INITIATIVE)
# Not 「・」: it appears inside names such as 子ども・子育て世帯.
TARGET_SEPARATORS = "、,，/／\n"
STATUS_BY_LABEL = {normalize(str(label)): value for value, label in Status.choices}
LAYOUT_BY_LABEL = {normalize(str(label)): value for value, label in PlanLayout.choices}


# --- export ---------------------------------------------------------------------------


def _plan_rows(plans: Sequence[Plan]) -> list[list[Cell]]:
    rows: list[list[Cell]] = []
    for plan in plans:
        head: list[Cell] = [plan.region.name, plan.start_year, plan.end_year]
        tail: list[Cell] = [plan.get_layout_display(), plan.initiatives_heading]
        for slogan in plan.slogans.all():
            rows.append([*head, SLOGAN, slogan.text, None, None, *tail])
        for goal in plan.goals.all():
            targets = "、".join(t.name for t in goal.targets.all())
            rows.append([*head, GOAL, goal.text, targets or None, None, *tail])
        for initiative in plan.initiatives.all():
            actions = "\n".join(initiative.action_list)
            rows.append([*head, INITIATIVE, initiative.theme, None, actions or None, *tail])
    return rows


def _progress_rows(plans: Sequence[Plan]) -> list[list[Cell]]:
    statuses = InitiativeStatus.objects.filter(initiative__plan__in=plans).order_by(
        "initiative__order", "initiative_id", "fiscal_year"
    )
    by_plan: dict[int, list[InitiativeStatus]] = {}
    for status in statuses.select_related("initiative"):
        by_plan.setdefault(status.initiative.plan_id, []).append(status)
    rows: list[list[Cell]] = []
    for plan in plans:
        for status in by_plan.get(plan.pk, []):
            rows.append(
                [
                    plan.region.name,
                    plan.start_year,
                    plan.end_year,
                    status.initiative.theme,
                    # Era labels go to Excel as text: its own era format prints 令和1年.
                    fiscal_year_label(status.fiscal_year),
                    status.get_status_display(),
                    status.note or None,
                ]
            )
    return rows


def export_plans(plans: Iterable[Plan]) -> bytes:
    """A workbook of the plans (give them `Plan.objects.with_contents()`)."""
    chosen = list(plans)
    return write_xlsx(
        [
            (PLAN_SHEET, PLAN_COLUMNS, _plan_rows(chosen)),
            (PROGRESS_SHEET, PROGRESS_COLUMNS, _progress_rows(chosen)),
        ]
    )


# --- import ---------------------------------------------------------------------------


class PlanImportError(ValueError):
    """The file was refused; `errors` says every reason, placed by sheet and row."""

    def __init__(self, errors: Sequence[RowError]) -> None:
        self.errors = list(errors)
        super().__init__("\n".join(str(e) for e in self.errors))


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    statuses: int = 0

    @property
    def message(self) -> str:
        text = f"計画を{self.created}件追加し、{self.updated}件更新しました。"
        if self.statuses:
            text += f"進捗は{self.statuses}件の取り組みで変わりました。"
        return text


@dataclass
class _Draft:
    """One plan of the file, as its rows describe it."""

    region: Region
    start_year: int
    end_year: int
    first_row: int
    slogans: list[str] = field(default_factory=list)
    goals: list[GoalData] = field(default_factory=list)
    initiatives: list[InitiativeData] = field(default_factory=list)
    layouts: dict[str, int] = field(default_factory=dict)  # value -> first row
    headings: dict[str, int] = field(default_factory=dict)
    progress: dict[tuple[str, int], tuple[str, str]] = field(default_factory=dict)

    @property
    def key(self) -> tuple[int, int, int]:
        return (self.region.pk, self.start_year, self.end_year)

    @property
    def label(self) -> str:
        return f"{self.region.name}（{period_label(self.start_year, self.end_year)}）"


class _Reader:
    def __init__(self) -> None:
        self.errors: list[RowError] = []
        self.regions = {r.name_key: r for r in Region.objects.all()}
        self.targets = {t.name_key: t for t in PlanTarget.objects.all()}
        self.drafts: dict[tuple[int, int, int], _Draft] = {}

    def error(self, sheet: str, row: Row | int | None, column: str | None, message: str) -> None:
        number = row.number if isinstance(row, Row) else row
        self.errors.append(RowError(number, column, message, sheet=sheet))

    def _year(self, sheet: str, row: Row, column: str) -> int | None:
        try:
            return parse_fiscal_year(row.text(column))
        except FiscalParseError as error:
            self.error(sheet, row, column, str(error))
            return None

    def _plan_of(self, sheet: str, row: Row) -> tuple[Region, int, int] | None:
        name = row.text(REGION)
        region = self.regions.get(normalize(name)) if name else None
        if not name:
            self.error(sheet, row, REGION, "地域社協の名前が空です。")
        elif region is None:
            self.error(
                sheet,
                row,
                REGION,
                f"地域社協「{name}」はマスタにありません。マスタの名前と同じに書いてください。",
            )
        start, end = self._year(sheet, row, START), self._year(sheet, row, END)
        if region is None or start is None or end is None:
            return None
        return region, start, end

    def read_plans(self, data: bytes, filename: str) -> None:
        table = read_table(data, filename, PLAN_SHEET, columns=PLAN_COLUMNS, required=PLAN_REQUIRED)
        for row in table:
            for problem in row.errors:
                self.errors.append(
                    RowError(problem.row, problem.column, problem.message, sheet=PLAN_SHEET)
                )
            self._plan_row(row)

    def _plan_row(self, row: Row) -> None:
        sheet = PLAN_SHEET
        where = self._plan_of(sheet, row)
        kind, text = row.text(KIND), row.text(TEXT)
        if kind not in KINDS:
            shown = "、".join(f"「{k}」" for k in KINDS)
            self.error(sheet, row, KIND, f"種類「{kind}」は使えません。{shown}のどれかです。")
            return
        if not text:
            self.error(sheet, row, TEXT, f"{kind}の内容が空です。書くか、その行を消してください。")
        targets = self._targets(row) if kind == GOAL else []
        if kind != GOAL and row.text(TARGETS):
            self.error(sheet, row, TARGETS, "対象は種類が「重点目標」の行にだけ書けます。")
        if kind != INITIATIVE and row.text(ACTIONS):
            self.error(
                sheet, row, ACTIONS, "具体的な取り組みは種類が「取り組み」の行にだけ書けます。"
            )
        if where is None:
            return
        region, start, end = where
        draft = self.drafts.setdefault(
            (region.pk, start, end), _Draft(region, start, end, first_row=row.number)
        )
        layout = row.text(LAYOUT)
        if layout:
            value = LAYOUT_BY_LABEL.get(normalize(layout))
            if value is None:
                shown = "、".join(f"「{label}」" for label in PlanLayout.labels)
                self.error(sheet, row, LAYOUT, f"「{layout}」は使えません。{shown}のどちらかです。")
            else:
                draft.layouts.setdefault(value, row.number)
        heading = row.text(HEADING)
        if heading:
            draft.headings.setdefault(heading, row.number)
        if kind == SLOGAN:
            draft.slogans.append(text)
        elif kind == GOAL:
            draft.goals.append(GoalData(text=text, targets=targets))
        else:
            draft.initiatives.append(
                InitiativeData(theme=text, actions=action_lines(row.text(ACTIONS)))
            )

    def _targets(self, row: Row) -> list[PlanTarget]:
        text = row.text(TARGETS)
        for sep in TARGET_SEPARATORS:
            text = text.replace(sep, "\n")
        found: list[PlanTarget] = []
        for name in (n.strip() for n in text.split("\n")):
            if not name:
                continue
            target = self.targets.get(normalize(name))
            if target is None:
                known = "、".join(t.name for t in self.targets.values()) or "（まだありません）"
                self.error(
                    PLAN_SHEET,
                    row,
                    TARGETS,
                    f"対象「{name}」は対象の一覧にありません（一覧：{known}）。"
                    "先に「対象の一覧」に追加してください。",
                )
            elif target not in found:
                found.append(target)
        return found

    def read_progress(self, data: bytes, filename: str) -> None:
        try:
            table = read_table(
                data,
                filename,
                PROGRESS_SHEET,
                columns=PROGRESS_COLUMNS,
                required=PROGRESS_REQUIRED,
            )
        except TableError as error:
            if [e.message for e in error.errors] == [HEADER_ONLY]:
                return  # a header and no rows: the plans have no statuses
            raise
        for row in table:
            for problem in row.errors:
                self.errors.append(
                    RowError(problem.row, problem.column, problem.message, sheet=PROGRESS_SHEET)
                )
            self._progress_row(row)

    def _progress_row(self, row: Row) -> None:
        sheet = PROGRESS_SHEET
        where = self._plan_of(sheet, row)
        year = self._year(sheet, row, YEAR)
        status_text, note = row.text(STATUS), row.text(NOTE)
        status = STATUS_BY_LABEL.get(normalize(status_text))
        if status is None:
            shown = "、".join(f"「{label}」" for label in Status.labels)
            self.error(
                sheet, row, STATUS, f"状況「{status_text}」は使えません。{shown}のどれかです。"
            )
        if where is None or year is None:
            return
        region, start, end = where
        draft = self.drafts.get((region.pk, start, end))
        if draft is None:
            self.error(
                sheet,
                row,
                None,
                f"{region.name}（{period_label(start, end)}）の計画が「{PLAN_SHEET}」シートにありません。",
            )
            return
        if not start <= year <= end:
            self.error(
                sheet,
                row,
                YEAR,
                f"{fiscal_year_label(year)}は、この計画の期間（{draft.label}）の外です。",
            )
            return
        theme = normalize(row.text(THEME))
        if theme not in {normalize(i.theme) for i in draft.initiatives}:
            self.error(
                sheet,
                row,
                THEME,
                f"テーマ「{row.text(THEME)}」の取り組みが、「{PLAN_SHEET}」シートの{draft.label}にありません。",
            )
            return
        if (theme, year) in draft.progress:
            self.error(
                sheet, row, None, f"同じ取り組みの{fiscal_year_label(year)}の行が2つあります。"
            )
            return
        if status is not None:
            draft.progress[(theme, year)] = (status, note)

    def finish(self) -> list[tuple[_Draft, PlanData, Plan | None]]:
        """Each plan of the file with the data to save and the plan it replaces."""
        existing = {
            (p.region_id, p.start_year, p.end_year): p
            for p in Plan.objects.filter(region__in=[d.region for d in self.drafts.values()])
            .select_related("region")
            .prefetch_related("initiatives")
        }
        plans = []
        for draft in self.drafts.values():
            data = self._data(draft)
            plan = existing.get(draft.key)
            if plan is not None:
                by_theme = {normalize(i.theme): i.pk for i in plan.initiatives.all()}
                for item in data.initiatives:
                    item.pk = by_theme.get(normalize(item.theme))
            try:
                check_plan(data, plan=plan)
            except ValidationError as error:
                for message in error.messages:
                    self.error(PLAN_SHEET, draft.first_row, None, f"{draft.label}：{message}")
            plans.append((draft, data, plan))
        return plans

    def _data(self, draft: _Draft) -> PlanData:
        for values, column in ((draft.layouts, LAYOUT), (draft.headings, HEADING)):
            if len(values) > 1:
                rows = "・".join(f"{n}行目" for n in values.values())
                self.error(
                    PLAN_SHEET,
                    draft.first_row,
                    column,
                    f"{draft.label}の「{column}」が行によって違います（{rows}）。一つにそろえてください。",
                )
        return PlanData(
            region=draft.region,
            start_year=draft.start_year,
            end_year=draft.end_year,
            slogans=draft.slogans,
            goals=draft.goals,
            initiatives=draft.initiatives,
            layout=next(iter(draft.layouts), PlanLayout.TABLE),
            initiatives_heading=next(iter(draft.headings), DEFAULT_HEADING),
        )


class _Refused(Exception):
    """Raised inside the transaction to roll it back."""


def import_plans(*, by: User, data: bytes, filename: str) -> ImportResult:
    """Create or replace the plans of the file (a plan is matched by council and period).

    Initiatives keep their statuses and linked records when their theme is unchanged.
    When the file has a 「進捗」 sheet, it replaces the statuses of the plans in the file."""
    try:
        if table_format(filename) != "xlsx":
            raise TableError("計画は Excel ファイル（.xlsx）で取り込んでください。")
        names = sheet_names(data)
        if PLAN_SHEET not in names:
            raise TableError(f"シート「{PLAN_SHEET}」がありません。")
        reader = _Reader()
        reader.read_plans(data, filename)
        with_progress = PROGRESS_SHEET in names
        if with_progress:
            reader.read_progress(data, filename)
    except TableError as error:
        raise PlanImportError(error.errors) from error
    plans = reader.finish()
    if reader.errors:
        raise PlanImportError(reader.errors)
    result = ImportResult()
    try:
        with transaction.atomic():
            for draft, plan_data, plan in plans:
                try:
                    saved = _save(by, plan_data, plan)
                    if with_progress:
                        result.statuses += _save_progress(by, saved, draft)
                except ValidationError as error:
                    for message in error.messages:
                        reader.error(PLAN_SHEET, draft.first_row, None, f"{draft.label}：{message}")
                    continue
                if plan is None:
                    result.created += 1
                else:
                    result.updated += 1
            if reader.errors:
                raise _Refused
            log_action(
                by=by,
                action="plans.import.done",
                changes={
                    "filename": filename,
                    "created": result.created,
                    "updated": result.updated,
                },
                label=filename,
            )
    except _Refused:
        raise PlanImportError(reader.errors) from None
    return result


def _save(by: User, data: PlanData, plan: Plan | None) -> Plan:
    if plan is None:
        return create_plan(by=by, data=data)
    return update_plan(by=by, plan=plan, data=data, expected_version=plan.version)


def _save_progress(by: User, plan: Plan, draft: _Draft) -> int:
    changed = 0
    initiatives = list(plan.initiatives.all())
    for year in plan.years:
        entries = []
        for initiative in initiatives:
            status, note = draft.progress.get((normalize(initiative.theme), year), ("", ""))
            entries.append(StatusEntry(initiative, status, note))
        changed += save_year_statuses(
            by=by, plan=plan, fiscal_year=year, entries=entries, unchecked=True
        )
    return changed
