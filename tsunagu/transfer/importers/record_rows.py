"""Reading one row of a records file: every name looked up in dicts loaded once.

`RecordResolver.resolve` turns a row into a `ResolvedRecord` (ids and values, ready to
insert) or adds to the errors why it cannot; the records importer runs it on every row.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from functools import lru_cache
from typing import NamedTuple

from tsunagu.directory.models import ActivityGroup, Agency, Region, Zone
from tsunagu.lib.fiscal import DateParseError, fiscal_year_label, fiscal_year_of, parse_date
from tsunagu.lib.tabular import Cell, Row, cell_text
from tsunagu.lib.textnorm import normalize
from tsunagu.records.models import (
    NOTE_MAX_LENGTH,
    ActivityKind,
    AgencyAction,
    Category,
    ConsulterType,
    Place,
    ReportStyle,
    SupportKind,
)
from tsunagu.records.support_kind import AUTO
from tsunagu.transfer.formats import RECORD_ID, SUPPORT_KIND_COLUMN
from tsunagu.transfer.importers.base import RowReader
from tsunagu.transfer.values import Errors, StaffLookup, ValueProblem, split_names

# An agency written as 「子ども政策課（紹介・つなぎ）」 records what was done with it;
# the plain name means 連携・情報共有. Compared after NFKC, so （） and () both work.
_ACTION = re.compile(r"(?P<name>.+?)\s*\((?P<action>[^()]+)\)")
_TIME = re.compile(
    r"(?P<h>[0-9]{1,2})(?::(?P<m>[0-9]{2})(?::(?P<s>[0-9]{2}))?|時(?:(?P<jm>[0-9]{1,2})分)?)"
)
ACTION_BY_LABEL = {normalize(str(a.label)): a.value for a in AgencyAction}


def agency_cell(name: str, action: str) -> str:
    """How an export writes one agency of a record."""
    if action == AgencyAction.LIAISON:
        return name
    return f"{name}（{AgencyAction(action).label}）"


class GroupRow(NamedTuple):
    pk: int
    name: str
    zone_id: int
    region_id: int | None


class RegionRow(NamedTuple):
    pk: int
    name: str
    zone_id: int


class TypeRow(NamedTuple):
    pk: int
    name: str
    has_categories: bool


@dataclass(frozen=True, slots=True)
class ResolvedRecord:
    record_id: int | None  # the 記録ID of the file: kept as the new record's id
    record_date: date
    staff_id: int | None
    activity_kind_id: int
    place: str
    target_group_id: int | None
    target_region_id: int | None
    zone_id: int | None
    region_id: int | None
    consulter_type_id: int | None
    initiated: bool
    consent: bool
    note: str
    category_ids: tuple[int, ...]
    agencies: tuple[tuple[int, str], ...]
    record_time: time | None
    duration_minutes: int | None
    follow_up: bool
    follow_up_due: date | None
    support_kind: str | None = None  # None: derived (records/support_kind.py)


class Lookups:
    """Everything a records file may name, loaded once."""

    def __init__(self) -> None:
        self.staff = StaffLookup()
        self.kinds: dict[tuple[int, str], int] = {}
        self.kind_years: dict[str, set[int]] = {}
        self.consultation_kinds: set[int] = set()
        for pk, fy, key, consultation in ActivityKind.objects.values_list(
            "pk", "fiscal_year", "name_key", "is_consultation"
        ):
            self.kinds[fy, key] = pk
            self.kind_years.setdefault(key, set()).add(fy)
            if consultation:
                self.consultation_kinds.add(pk)
        self.years_with_kinds = {fy for years in self.kind_years.values() for fy in years}
        self.support_kinds = {normalize(str(k.label)): k.value for k in SupportKind}
        self.places = {normalize(str(p.label)): p.value for p in Place} | {
            p.value: p.value for p in Place
        }
        self.groups: dict[str, list[GroupRow]] = {}
        for pk, name, key, zone_id, region_id in ActivityGroup.objects.values_list(
            "pk", "name", "name_key", "zone_id", "region_id"
        ):
            self.groups.setdefault(key, []).append(GroupRow(pk, name, zone_id, region_id))
        self.zones = {
            key: (pk, name) for pk, name, key in Zone.objects.values_list("pk", "name", "name_key")
        }
        self.zone_names = {pk: name for pk, name in self.zones.values()}
        self.regions: dict[str, RegionRow] = {}
        self.region_names: dict[int, str] = {}
        for pk, name, key, zone_id in Region.objects.values_list(
            "pk", "name", "name_key", "zone_id"
        ):
            self.regions[key] = RegionRow(pk, name, zone_id)
            self.region_names[pk] = name
        self.types = {
            normalize(t.name): TypeRow(t.pk, t.name, t.report_style != ReportStyle.TOTAL)
            for t in ConsulterType.objects.all()
        }
        self.type_names = {t.pk: t.name for t in self.types.values()}
        self.categories: dict[tuple[int, int, str], int] = {}
        self.category_places: dict[str, set[tuple[int, int]]] = {}
        for pk, fy, type_id, key in Category.objects.values_list(
            "pk", "fiscal_year", "consulter_type_id", "name_key"
        ):
            self.categories[fy, type_id, key] = pk
            self.category_places.setdefault(key, set()).add((fy, type_id))
        self.category_lists = {
            (fy, t) for places in self.category_places.values() for fy, t in places
        }
        self.agencies = dict(Agency.objects.values_list("name_key", "pk"))


def _years(years: set[int]) -> str:
    return "、".join(fiscal_year_label(fy) for fy in sorted(years))


class RecordResolver:
    """Turns one row into a ResolvedRecord, or reports why it cannot."""

    def __init__(self, lookups: Lookups, today: date) -> None:
        self.lookups = lookups
        self.today = today
        self.norm: Callable[[str], str] = lru_cache(maxsize=16384)(normalize)
        self._date: Callable[[str | date], date] = lru_cache(maxsize=4096)(parse_date)

    def resolve(self, row: Row, errors: Errors) -> ResolvedRecord | None:
        cells = RowReader(row, errors)
        record_id = self._record_id(cells)
        record_date = self._record_date(cells)
        # A future date says nothing about which year's lists to check.
        usable = record_date is not None and record_date <= self.today
        fy = fiscal_year_of(record_date) if record_date is not None and usable else None
        staff_id = self._staff(cells)
        kind_id = self._kind(cells, fy)
        place = self._place(cells)
        group_id, target_region_id, zone_id, region_id = self._target(cells)
        zone_id = self._zone(cells, zone_id)
        type_row = self._consulter_type(cells)
        self._counting_rule(cells, kind_id, type_row)
        category_ids = self._categories(cells, fy, type_row)
        agencies = self._agencies(cells)
        initiated = cells.flag("働きかけ", empty=False) or False
        consent = cells.flag("同意", empty=False) or False
        note = cells.text("メモ", limit=NOTE_MAX_LENGTH)
        record_time = self._time(cells)
        duration = cells.count("所要時間")
        follow_up = cells.flag("フォローアップ", empty=False) or False
        follow_up_due = self._follow_up_due(cells, follow_up)
        support_kind = self._support_kind(cells)
        if cells.failed or record_date is None or kind_id is None or place is None:
            return None
        return ResolvedRecord(
            record_id=record_id,
            record_date=record_date,
            staff_id=staff_id,
            activity_kind_id=kind_id,
            place=place,
            target_group_id=group_id,
            target_region_id=target_region_id,
            zone_id=zone_id,
            region_id=region_id,
            consulter_type_id=type_row.pk if type_row else None,
            initiated=initiated,
            consent=consent,
            note=note,
            category_ids=category_ids,
            agencies=agencies,
            record_time=record_time,
            duration_minutes=duration,
            follow_up=follow_up,
            follow_up_due=follow_up_due,
            support_kind=support_kind,
        )

    def _record_id(self, cells: RowReader) -> int | None:
        number = cells.count(RECORD_ID)
        if number == 0:
            cells.problem(
                RECORD_ID,
                "記録IDは、つなぐ が出力した番号です。新しい記録では空欄にしてください。",
            )
            return None
        return number

    def _record_date(self, cells: RowReader) -> date | None:
        value: Cell = cells.raw("日付")
        if value is None:
            cells.problem("日付", "日付が空です。")
            return None
        if not isinstance(value, (str, date)):
            value = cell_text(value)
        try:
            record_date = self._date(value)
        except DateParseError as error:
            cells.problem("日付", str(error))
            return None
        if record_date > self.today:
            cells.problem(
                "日付", f"{record_date:%Y-%m-%d}は未来の日付です。未来の記録は取り込めません。"
            )
        return record_date

    def _staff(self, cells: RowReader) -> int | None:
        text = cells.text("担当職員")
        if not text:
            return None
        try:
            return self.lookups.staff.find(text)
        except ValueProblem as problem:
            cells.problem("担当職員", str(problem))
            return None

    def _kind(self, cells: RowReader, fy: int | None) -> int | None:
        text = cells.text("活動種別", required=True)
        if not text or fy is None:
            return None
        key = self.norm(text)
        found = self.lookups.kinds.get((fy, key))
        if found is not None:
            return found
        label = fiscal_year_label(fy)
        if fy not in self.lookups.years_with_kinds:
            message = f"{label}の活動種別がまだありません。先に分類の一覧（categories）を取り込んでください。"
        elif key in self.lookups.kind_years:
            message = f"活動種別「{text}」は{label}の一覧にありません（{_years(self.lookups.kind_years[key])}の活動種別です）。"
        else:
            message = f"活動種別「{text}」は{label}の一覧にありません。"
        cells.problem("活動種別", message)
        return None

    def _place(self, cells: RowReader) -> str | None:
        text = cells.text("場所", required=True)
        if not text:
            return None
        place = self.lookups.places.get(self.norm(text))
        if place is None:
            choices = "".join(f"「{p.label}」" for p in Place)
            cells.problem(
                "場所", f"場所「{text}」は使えません。{choices}のどれかを書いてください。"
            )
        return place

    def _target(self, cells: RowReader) -> tuple[int | None, int | None, int | None, int | None]:
        """(target group, target region, zone, region); zone and region follow the target."""
        lookups = self.lookups
        target, area = cells.text("支援先"), cells.text("地域")
        area_region = lookups.regions.get(self.norm(area)) if area else None
        if area and area_region is None:
            cells.problem("地域", f"地域社協「{area}」が見つかりません。")
        if not target:
            if area_region is None:
                return None, None, None, None
            return None, None, area_region.zone_id, area_region.pk
        key = self.norm(target)
        candidates: list[GroupRow | RegionRow] = [*lookups.groups.get(key, [])]
        if key in lookups.regions:
            candidates.append(lookups.regions[key])
        if len(candidates) > 1 and area_region is not None:
            candidates = [c for c in candidates if _region_of(c) == area_region.pk]
        if not candidates:
            cells.problem("支援先", f"支援先「{target}」が活動団体にも地域社協にも見つかりません。")
            return None, None, None, None
        if len(candidates) > 1:
            cells.problem(
                "支援先",
                f"支援先「{target}」という名称が{len(candidates)}件あります。"
                "「地域」の列に地域社協を書いて区別してください。",
            )
            return None, None, None, None
        chosen = candidates[0]
        region_id = _region_of(chosen)
        if area_region is not None and area_region.pk != region_id:
            if region_id is None:
                message = f"支援先「{target}」はどの地域社協にも属していません。地域は空欄にしてください。"
            else:
                name = lookups.region_names[region_id]
                message = f"支援先「{target}」の地域は「{name}」です。地域は空欄にするか「{name}」と書いてください。"
            cells.problem("地域", message)
        if isinstance(chosen, GroupRow):
            return chosen.pk, None, chosen.zone_id, region_id
        return None, chosen.pk, chosen.zone_id, region_id

    def _zone(self, cells: RowReader, derived: int | None) -> int | None:
        """The zone follows the target or region; 圏域 is only needed when neither is given."""
        text = cells.text("圏域")
        if not text:
            return derived
        found = self.lookups.zones.get(self.norm(text))
        if found is None:
            cells.problem("圏域", f"圏域「{text}」が見つかりません。")
            return derived
        if derived is not None and found[0] != derived:
            name = self.lookups.zone_names[derived]
            cells.problem(
                "圏域",
                f"支援先・地域から見て圏域は「{name}」です。圏域は空欄にするか「{name}」と書いてください。",
            )
        return found[0]

    def _time(self, cells: RowReader) -> time | None:
        value = cells.raw("時刻")
        if value is None:
            return None
        if isinstance(value, datetime):
            return value.time()
        if isinstance(value, time):
            return value
        text = self.norm(cell_text(value))
        match = _TIME.fullmatch(text)
        if match:
            hour, minute = int(match["h"]), int(match["m"] or match["jm"] or 0)
            second = int(match["s"] or 0)
            if hour < 24 and minute < 60 and second < 60:
                return time(hour, minute, second)
        cells.problem(
            "時刻",
            f"「{cell_text(value)}」は時刻として読み取れません。10:30 のように書いてください。",
        )
        return None

    def _support_kind(self, cells: RowReader) -> str | None:
        text = cells.text(SUPPORT_KIND_COLUMN)
        if not text or self.norm(text) == AUTO:
            return None
        kind = self.lookups.support_kinds.get(self.norm(text))
        if kind is None:
            cells.problem(
                SUPPORT_KIND_COLUMN,
                f"個別・地域の区分「{text}」は使えません。"
                "「個別支援」か「地域支援」を書くか、空欄（自動）にしてください。",
            )
        return kind

    def _follow_up_due(self, cells: RowReader, follow_up: bool) -> date | None:
        value = cells.raw("フォローアップ期日")
        if value is None:
            if follow_up:
                cells.problem(
                    "フォローアップ期日", "フォローアップが必要な記録には期日を書いてください。"
                )
            return None
        try:
            return self._date(value if isinstance(value, (str, date)) else cell_text(value))
        except DateParseError as error:
            cells.problem("フォローアップ期日", str(error))
            return None

    def _counting_rule(
        self, cells: RowReader, kind_id: int | None, type_row: TypeRow | None
    ) -> None:
        """A consultation kind has a consulter type; another kind has none
        (services.check_record says the same on the screens)."""
        if kind_id is None or (type_row is None and cells.text("相談者区分")):
            return  # the kind or the type is wrong already, and said so
        kind = cells.text("活動種別")
        if kind_id in self.lookups.consultation_kinds and type_row is None:
            cells.problem(
                "相談者区分",
                f"活動種別「{kind}」は相談として数える種別です。相談者区分を書いてください。",
            )
        elif kind_id not in self.lookups.consultation_kinds and type_row is not None:
            cells.problem(
                "相談者区分",
                f"活動種別「{kind}」は相談として数えない種別です。"
                "相談者区分は空欄にするか、相談の活動種別を書いてください。",
            )

    def _consulter_type(self, cells: RowReader) -> TypeRow | None:
        text = cells.text("相談者区分")
        if not text:
            return None
        found = self.lookups.types.get(self.norm(text))
        if found is None:
            choices = "".join(f"「{t.name}」" for t in self.lookups.types.values())
            cells.problem(
                "相談者区分",
                f"相談者区分「{text}」はありません。{choices}のどれかを書いてください。",
            )
        return found

    def _categories(
        self, cells: RowReader, fy: int | None, type_row: TypeRow | None
    ) -> tuple[int, ...]:
        names = split_names(cells.raw("相談内容"))
        if type_row is None:
            if names and not cells.text("相談者区分"):
                cells.problem("相談内容", "相談内容を書くときは相談者区分も書いてください。")
            return ()
        if not type_row.has_categories:
            if names:
                cells.problem(
                    "相談内容",
                    f"「{type_row.name}」の相談には相談内容の分類はありません。相談内容は空欄にしてください。",
                )
            return ()
        if not names:
            cells.problem(
                "相談内容", f"「{type_row.name}」の相談は、相談内容を一つ以上書いてください。"
            )
            return ()
        if fy is None:
            return ()
        ids: list[int] = []
        for name in names:
            key = self.norm(name)
            found = self.lookups.categories.get((fy, type_row.pk, key))
            if found is None:
                cells.problem("相談内容", self._category_problem(name, key, fy, type_row))
            elif found in ids:
                cells.problem("相談内容", f"「{name}」が二度書かれています。")
            else:
                ids.append(found)
        return tuple(ids)

    def _category_problem(self, name: str, key: str, fy: int, type_row: TypeRow) -> str:
        label = fiscal_year_label(fy)
        if (fy, type_row.pk) not in self.lookups.category_lists:
            return (
                f"{label}の「{type_row.name}」の分類がまだありません。"
                "先に分類の一覧（categories）を取り込んでください。"
            )
        places = self.lookups.category_places.get(key, set())
        other_types = sorted(self.lookups.type_names[t] for year, t in places if year == fy)
        if other_types:
            return (
                f"相談内容「{name}」は{label}の「{'」「'.join(other_types)}」の分類です。"
                f"「{type_row.name}」の分類を書いてください。"
            )
        other_years = {year for year, t in places if t == type_row.pk}
        if other_years:
            return (
                f"相談内容「{name}」は{label}の「{type_row.name}」の一覧にありません"
                f"（{_years(other_years)}の分類です）。"
            )
        return f"相談内容「{name}」は{label}の「{type_row.name}」の一覧にありません。"

    def _agencies(self, cells: RowReader) -> tuple[tuple[int, str], ...]:
        found: dict[int, str] = {}
        for name in split_names(cells.raw("関係機関")):
            pk, action = self._agency(name)
            if pk is None:
                cells.problem("関係機関", f"関係機関「{name}」が見つかりません。")
            elif pk in found:
                cells.problem("関係機関", f"「{name}」が二度書かれています。")
            else:
                found[pk] = action
        return tuple(found.items())

    def _agency(self, name: str) -> tuple[int | None, str]:
        pk = self.lookups.agencies.get(self.norm(name))
        if pk is not None:
            return pk, AgencyAction.LIAISON
        match = _ACTION.fullmatch(name)
        if match:
            action = ACTION_BY_LABEL.get(self.norm(match["action"]))
            pk = self.lookups.agencies.get(self.norm(match["name"]))
            if action is not None and pk is not None:
                return pk, action
        return None, AgencyAction.LIAISON


def _region_of(candidate: GroupRow | RegionRow) -> int | None:
    return candidate.region_id if isinstance(candidate, GroupRow) else candidate.pk
