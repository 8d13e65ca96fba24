"""Importing the consulter types (kind `consulter-types`): each type's report heading, the
shape of its report section and its order.

Types are matched by normalised name: a name in the file changes that type, a new name
adds one, and a type left out of the file is left as it is (types are never deleted by a
file: records and yearly lists point to them). Every change goes through
`save_consulter_type`, so each one has its own audit entry and moves the row's version on.
"""

from dataclasses import dataclass

from tsunagu.accounts.models import User
from tsunagu.lib.tabular import Table
from tsunagu.lib.textnorm import normalize
from tsunagu.records.categories.services import save_consulter_type
from tsunagu.records.models import ConsulterType, ImportBatch, ReportStyle
from tsunagu.transfer.formats import CONSULTER_TYPE_SHAPES, Kind, shape_of
from tsunagu.transfer.importers.base import Importer, RowReader
from tsunagu.transfer.values import Errors

NAME_MAX_LENGTH = ConsulterType._meta.get_field("name").max_length or 60
TITLE_MAX_LENGTH = ConsulterType._meta.get_field("report_title").max_length or 100


@dataclass(frozen=True)
class TypeRow:
    row: int
    name: str
    key: str
    title: str | None  # None: the file has no 報告書の見出し column (keep the heading)
    style: str
    order: int | None


def _shape_choices() -> str:
    return "".join(f"「{shape}」" for shape in CONSULTER_TYPE_SHAPES)


class ConsulterTypeImporter(Importer):
    kind = Kind.CONSULTER_TYPES

    def __init__(self, table: Table) -> None:
        self.table = table
        self.rows: list[TypeRow] = []

    def validate(self, errors: Errors) -> int:
        existing = {normalize(t.name): t for t in ConsulterType.objects.all()}
        with_categories = set(
            ConsulterType.objects.filter(categories__isnull=False).values_list("pk", flat=True)
        )
        seen: dict[str, int] = {}
        count = 0
        for row in self.table:
            count += 1
            cells = RowReader(row, errors)
            name = cells.name(limit=NAME_MAX_LENGTH)
            title = (
                cells.text("報告書の見出し", limit=TITLE_MAX_LENGTH)
                if cells.has("報告書の見出し")
                else None
            )
            shape_text = cells.text("集計の形", required=True)
            style = shape_of(shape_text) if shape_text else None
            if shape_text and style is None:
                cells.problem(
                    "集計の形",
                    f"集計の形「{shape_text}」は使えません。{_shape_choices()}のどれかを書いてください。",
                )
            order = cells.count("順")
            key = normalize(name)
            if name and key in seen:
                cells.problem(
                    "名称", f"「{name}」は{seen[key]}行目にもあります。一行にしてください。"
                )
            elif name:
                seen[key] = row.number
            found = existing.get(key)
            if (
                found is not None
                and style == ReportStyle.TOTAL
                and found.report_style != ReportStyle.TOTAL
                and found.pk in with_categories
            ):
                cells.problem(
                    "集計の形",
                    f"「{found.name}」には相談内容の分類があるため、「合計のみ」にはできません。",
                )
            if cells.failed or style is None:
                continue
            self.rows.append(TypeRow(row.number, name, key, title, style, order))
        return count

    def apply(self, *, by: User | None, batch: ImportBatch) -> str:
        current = {
            normalize(t.name): t for t in ConsulterType.objects.select_for_update().order_by("pk")
        }
        # A new type without 順 goes after every type there is.
        next_order = max((t.order for t in current.values()), default=0)
        created = updated = 0
        for row in self.rows:
            found = current.pop(row.key, None)
            if found is None:
                next_order += 1
                save_consulter_type(
                    by=by,
                    consulter_type=None,
                    values={
                        "name": row.name,
                        "report_title": row.title or "",
                        "order": next_order if row.order is None else row.order,
                        "report_style": row.style,
                        "active": True,
                    },
                )
                created += 1
                continue
            values = {
                "name": row.name,
                "report_title": found.report_title if row.title is None else row.title,
                "order": found.order if row.order is None else row.order,
                "report_style": row.style,
                "active": found.active,
            }
            if all(getattr(found, field) == value for field, value in values.items()):
                continue  # an unchanged type keeps its version: an open form stays valid
            # The import is not a form opened earlier: it claims the version it just read.
            save_consulter_type(
                by=by, consulter_type=found, values=values, expected_version=found.version
            )
            updated += 1
        unchanged = len(self.rows) - created - updated
        message = f"相談者区分を取り込みました（追加 {created}件・変更 {updated}件・変更なし {unchanged}件）。"
        if current:
            left = "、".join(f"「{t.name}」" for t in sorted(current.values(), key=_position))
            message += f"ファイルにない相談者区分（{left}）は、そのままです。"
        return message


def _position(consulter_type: ConsulterType) -> tuple[int, int]:
    return (consulter_type.order, consulter_type.pk)
