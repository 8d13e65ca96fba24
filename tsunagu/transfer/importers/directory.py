"""Importing the directory (kind `directory`): one sheet or CSV file per entity.

Rows are matched by normalised name (groups: by name within their zone), so importing a
corrected file updates rows instead of duplicating them. A column left out of the file
leaves that field alone; an empty cell of a column that is there clears it. Entities are
read in dependency order, so a sheet may name a zone or region that an earlier sheet of
the same file adds.
"""

from dataclasses import dataclass, field
from typing import Any

from tsunagu.accounts.models import User
from tsunagu.directory.models import ActivityGroup, Agency, AgencyGroup, GroupKind, Region, Zone
from tsunagu.lib.tabular import Table
from tsunagu.lib.textnorm import normalize
from tsunagu.records.models import ImportBatch
from tsunagu.transfer.formats import ENTITY_FORMATS, EntityFormat, Kind
from tsunagu.transfer.importers.base import Importer, RowReader, model_changes
from tsunagu.transfer.values import Errors, StaffLookup, ValueProblem

NAME_MAX_LENGTH = 100
READING_MAX_LENGTH = 200


@dataclass
class Plan:
    """What one row asks for. `values` holds only the fields the file speaks about."""

    row: int
    key: str
    values: dict[str, Any]
    refs: dict[str, str | None] = field(default_factory=dict)  # field → name_key


@dataclass
class Known:
    """Names a row may refer to: those in the database and those added by the file."""

    zones: dict[str, str]  # key → display name
    regions: dict[str, str]  # key → zone key
    region_names: dict[str, str]
    kinds: set[str]
    groups: dict[tuple[str, str], int]  # (zone key, key) → pk
    group_zones: dict[str, list[str]]  # key → zone keys

    @classmethod
    def from_db(cls) -> "Known":
        groups: dict[tuple[str, str], int] = {}
        group_zones: dict[str, list[str]] = {}
        for pk, key, zone_key in ActivityGroup.objects.values_list(
            "pk", "name_key", "zone__name_key"
        ):
            groups[zone_key, key] = pk
            group_zones.setdefault(key, []).append(zone_key)
        return cls(
            zones=dict(Zone.objects.values_list("name_key", "name")),
            regions=dict(Region.objects.values_list("name_key", "zone__name_key")),
            region_names=dict(Region.objects.values_list("name_key", "name")),
            kinds=set(GroupKind.objects.values_list("name_key", flat=True)),
            groups=groups,
            group_zones=group_zones,
        )


class DirectoryImporter(Importer):
    kind = Kind.DIRECTORY

    def __init__(self, sheets: list[tuple[EntityFormat, Table]]) -> None:
        order = {entity.slug: i for i, entity in enumerate(ENTITY_FORMATS)}
        self.sheets = sorted(sheets, key=lambda sheet: order[sheet[0].slug])
        self.plans: dict[str, list[Plan]] = {}

    # --- pass 1 -----------------------------------------------------------------------

    def validate(self, errors: Errors) -> int:
        self.known = Known.from_db()
        self.staff = StaffLookup()
        rows = 0
        for entity, table in self.sheets:
            planner = getattr(self, f"_plan_{entity.slug.replace('-', '_')}")
            plans: list[Plan] = []
            seen: dict[Any, int] = {}
            for row in table:
                rows += 1
                cells = RowReader(row, errors, sheet=table.sheet)
                plan = planner(cells)
                if plan is None or cells.failed:
                    continue
                identity = (
                    (plan.refs.get("zone"), plan.key) if entity.slug == "groups" else plan.key
                )
                if identity in seen:
                    cells.problem("名称", f"{seen[identity]}行目と同じ{entity.name}です。")
                    continue
                seen[identity] = row.number
                plans.append(plan)
            self.plans[entity.slug] = plans
        return rows

    def _common(self, cells: RowReader) -> Plan | None:
        name = cells.name(limit=NAME_MAX_LENGTH)
        if not name:
            return None
        values: dict[str, Any] = {"name": name}
        if cells.has("よみ"):
            # An empty よみ cell asks for the reading guessed from the name (as on screen).
            values["reading"] = cells.text("よみ", limit=READING_MAX_LENGTH)
        if cells.has("順"):
            order = cells.count("順")
            if order is not None:
                values["order"] = order
        active = cells.flag("有効", empty=True)
        if active is not None:
            values["active"] = active
        return Plan(cells.row.number, normalize(name), values)

    def _texts(self, cells: RowReader, plan: Plan, fields: dict[str, tuple[str, int]]) -> None:
        for column, (name, limit) in fields.items():
            if cells.has(column):
                plan.values[name] = cells.text(column, limit=limit)

    def _zone_ref(self, cells: RowReader, column: str = "圏域") -> str | None:
        text = cells.text(column)
        if not text:
            return None
        key = normalize(text)
        if key not in self.known.zones:
            cells.problem(
                column,
                f"圏域「{text}」が見つかりません（登録済みの圏域にも、このファイルの「圏域」にもありません）。",
            )
            return None
        return key

    def _plan_zones(self, cells: RowReader) -> Plan | None:
        plan = self._common(cells)
        if plan is None:
            return None
        self._texts(cells, plan, {"説明": ("description", 200)})
        if cells.has("地域担当職員"):
            text = cells.text("地域担当職員")
            try:
                plan.values["staff_id"] = self.staff.find(text) if text else None
            except ValueProblem as problem:
                cells.problem("地域担当職員", str(problem))
        self.known.zones.setdefault(plan.key, plan.values["name"])
        return plan

    def _plan_regions(self, cells: RowReader) -> Plan | None:
        plan = self._common(cells)
        if plan is None:
            return None
        self._texts(cells, plan, {"代表者": ("representative", 60)})
        if cells.has("会員数"):
            plan.values["member_count"] = cells.count("会員数")
        zone = self._zone_ref(cells)
        if zone is not None:
            plan.refs["zone"] = zone
        elif plan.key not in self.known.regions and not cells.failed:
            cells.problem("圏域", "新しい地域社協には圏域を書いてください。")
        if zone is not None or plan.key in self.known.regions:
            self.known.regions[plan.key] = zone or self.known.regions[plan.key]
            self.known.region_names.setdefault(plan.key, plan.values["name"])
        return plan

    def _plan_group_kinds(self, cells: RowReader) -> Plan | None:
        plan = self._common(cells)
        if plan is not None:
            self.known.kinds.add(plan.key)
        return plan

    def _plan_groups(self, cells: RowReader) -> Plan | None:
        plan = self._common(cells)
        if plan is None:
            return None
        self._texts(cells, plan, {"開催日時": ("schedule", 200), "連絡先": ("contact", 200)})
        zone = self._zone_ref(cells)
        region = self._region_ref(cells)
        if region is not None:
            region_zone = self.known.regions[region]
            if zone is not None and zone != region_zone:
                cells.problem(
                    "地域社協",
                    f"地域社協「{self.known.region_names[region]}」は"
                    f"{self.known.zones[region_zone]}の地域社協です。",
                )
            zone = region_zone
        if zone is None and not cells.failed:
            zone = self._only_zone_of(cells, plan.key)
        if zone is None:
            return None
        plan.refs["zone"] = zone
        if cells.has("地域社協"):
            plan.refs["region"] = region
        exists = (zone, plan.key) in self.known.groups
        kind = cells.text("種別")
        if kind:
            if normalize(kind) in self.known.kinds:
                plan.refs["kind"] = normalize(kind)
            else:
                cells.problem(
                    "種別",
                    f"種別「{kind}」が見つかりません（登録済みの種別にも、このファイルの「活動団体の種別」にもありません）。",
                )
        elif not exists:
            cells.problem("種別", "新しい活動団体には種別を書いてください。")
        return plan

    def _region_ref(self, cells: RowReader) -> str | None:
        text = cells.text("地域社協")
        if not text:
            return None
        key = normalize(text)
        if key not in self.known.regions:
            cells.problem(
                "地域社協",
                f"地域社協「{text}」が見つかりません（登録済みの地域社協にも、このファイルの「地域社協」にもありません）。",
            )
            return None
        return key

    def _only_zone_of(self, cells: RowReader, key: str) -> str | None:
        zones = self.known.group_zones.get(key, [])
        if len(zones) == 1:
            return zones[0]
        if zones:
            cells.problem(
                "圏域", "同じ名称の活動団体が複数の圏域にあります。圏域を書いてください。"
            )
        else:
            cells.problem("圏域", "新しい活動団体には圏域か地域社協を書いてください。")
        return None

    def _plan_agencies(self, cells: RowReader) -> Plan | None:
        plan = self._common(cells)
        if plan is None:
            return None
        if cells.has("報告区分"):
            group = cells.text("報告区分", limit=NAME_MAX_LENGTH)
            plan.values["group"] = group or plan.values["name"]
        return plan

    # --- pass 2 -----------------------------------------------------------------------

    def apply(self, *, by: User | None, batch: ImportBatch) -> str:
        parts = []
        for entity, _ in self.sheets:
            applier = getattr(self, f"_apply_{entity.slug.replace('-', '_')}")
            created, updated = applier(self.plans.get(entity.slug, []))
            parts.append(f"{entity.name} 追加 {created}件・変更 {updated}件")
        return f"マスタを取り込みました（{'、'.join(parts)}）。"

    def _save(
        self, model: Any, existing: Any, plan: Plan, values: dict[str, Any]
    ) -> tuple[int, int]:
        if existing is None:
            values.setdefault("order", plan.row - 1)
            model.objects.create(**values)
            return 1, 0
        changed = model_changes(existing, values)
        if changed:
            existing.save(update_fields=changed)
            return 0, 1
        return 0, 0

    def _apply_all(
        self, model: Any, plans: list[Plan], values_of: Any, existing_of: Any
    ) -> tuple[int, int]:
        created = updated = 0
        for plan in plans:
            c, u = self._save(model, existing_of(plan), plan, values_of(plan))
            created, updated = created + c, updated + u
        return created, updated

    def _apply_zones(self, plans: list[Plan]) -> tuple[int, int]:
        zones = {z.name_key: z for z in Zone.objects.all()}
        return self._apply_all(Zone, plans, lambda p: dict(p.values), lambda p: zones.get(p.key))

    def _apply_regions(self, plans: list[Plan]) -> tuple[int, int]:
        zone_ids = dict(Zone.objects.values_list("name_key", "pk"))
        regions = {r.name_key: r for r in Region.objects.all()}

        def values(plan: Plan) -> dict[str, Any]:
            result = dict(plan.values)
            zone = plan.refs.get("zone")
            if zone:
                result["zone_id"] = zone_ids[zone]
            return result

        return self._apply_all(Region, plans, values, lambda p: regions.get(p.key))

    def _apply_group_kinds(self, plans: list[Plan]) -> tuple[int, int]:
        kinds = {k.name_key: k for k in GroupKind.objects.all()}
        return self._apply_all(
            GroupKind, plans, lambda p: dict(p.values), lambda p: kinds.get(p.key)
        )

    def _apply_groups(self, plans: list[Plan]) -> tuple[int, int]:
        zone_ids = dict(Zone.objects.values_list("name_key", "pk"))
        region_ids = dict(Region.objects.values_list("name_key", "pk"))
        kind_ids = dict(GroupKind.objects.values_list("name_key", "pk"))
        groups = {(g.zone_id, g.name_key): g for g in ActivityGroup.objects.all()}

        def values(plan: Plan) -> dict[str, Any]:
            result = dict(plan.values)
            result["zone_id"] = zone_ids[plan.refs["zone"] or ""]
            if "region" in plan.refs:
                region = plan.refs["region"]
                result["region_id"] = region_ids[region] if region else None
            if plan.refs.get("kind"):
                result["kind_id"] = kind_ids[plan.refs["kind"] or ""]
            return result

        def existing(plan: Plan) -> ActivityGroup | None:
            return groups.get((zone_ids[plan.refs["zone"] or ""], plan.key))

        return self._apply_all(ActivityGroup, plans, values, existing)

    def _apply_agencies(self, plans: list[Plan]) -> tuple[int, int]:
        agencies = {a.name_key: a for a in Agency.objects.all()}
        groups = {g.name_key: g for g in AgencyGroup.objects.all()}

        def group_id(name: str, order: int) -> int:
            key = normalize(name)
            if key not in groups:
                groups[key] = AgencyGroup.objects.create(name=name, order=order)
            return groups[key].pk

        def values(plan: Plan) -> dict[str, Any]:
            result = dict(plan.values)
            group = result.pop("group", None)
            if group is None and plan.key not in agencies:
                group = result["name"]
            if group is not None:
                result["group_id"] = group_id(group, result.get("order", plan.row - 1))
            return result

        return self._apply_all(Agency, plans, values, lambda p: agencies.get(p.key))
