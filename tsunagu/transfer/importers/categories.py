"""Importing the yearly lists (kind `categories`): categories per consulter type, and the
activity kinds (相談者区分 = 活動種別), with their lineage to the year before.

A (year, consulter type) present in the file replaces that year's list: entries are
matched by normalised name and updated; new names are added; entries left out are
retired when records or next year's lineage use them, deleted otherwise.

その他扱い marks a list's catch-all, at most one per list. A file without the column
leaves the marks as they are, and marks a new その他 when its list has no catch-all.
"""

from dataclasses import dataclass
from typing import Any

from tsunagu.accounts.models import User
from tsunagu.lib.fiscal import FiscalParseError, fiscal_year_label, parse_fiscal_year
from tsunagu.lib.tabular import Table
from tsunagu.lib.textnorm import normalize
from tsunagu.records.codes import settle_codes
from tsunagu.records.lineage import TermSpec, lineage_errors
from tsunagu.records.models import (
    ActivityKind,
    Category,
    ConsulterType,
    ImportBatch,
    ReportStyle,
    is_catch_all_name,
)
from tsunagu.transfer.formats import ACTIVITY_KIND_TYPE, CATCH_ALL_COLUMN, Kind
from tsunagu.transfer.importers.base import Importer, RowReader, model_changes
from tsunagu.transfer.values import Errors, split_names

NAME_MAX_LENGTH = 100
# A list is (fiscal year, consulter type id); None stands for the activity kinds.
ListKey = tuple[int, int | None]


@dataclass(frozen=True)
class TermRow:
    row: int
    name: str
    key: str
    order: int | None
    predecessors: tuple[str, ...]
    retired: bool
    catch_all: bool | None = None  # None: the file has no その他扱い column


def _model(type_id: int | None) -> Any:
    return ActivityKind if type_id is None else Category


def _terms(fiscal_year: int, type_id: int | None) -> Any:
    if type_id is None:
        return ActivityKind.objects.filter(fiscal_year=fiscal_year)
    return Category.objects.filter(fiscal_year=fiscal_year, consulter_type_id=type_id)


class CategoryImporter(Importer):
    kind = Kind.CATEGORIES

    def __init__(self, table: Table) -> None:
        self.table = table
        self.lists: dict[ListKey, list[TermRow]] = {}
        self.type_names: dict[int | None, str] = {None: ACTIVITY_KIND_TYPE}

    def validate(self, errors: Errors) -> int:
        types = {normalize(t.name): t for t in ConsulterType.objects.all()}
        self.type_names |= {t.pk: t.name for t in types.values()}
        seen: dict[tuple[ListKey, str], int] = {}
        catch_alls: dict[ListKey, TermRow] = {}
        rows = 0
        for row in self.table:
            rows += 1
            cells = RowReader(row, errors)
            fiscal_year = self._year(cells)
            type_id = self._type(cells, types)
            name = cells.name(limit=NAME_MAX_LENGTH)
            order = cells.count("順")
            predecessors = tuple(split_names(cells.raw("前年度")))
            retired = cells.flag("使用終了", empty=False) or False
            catch_all = cells.flag(CATCH_ALL_COLUMN, empty=False)
            if cells.failed or fiscal_year is None or type_id is False:
                continue
            assert type_id is not True
            if type_id is None and catch_all:
                cells.problem(
                    CATCH_ALL_COLUMN,
                    "活動種別には「その他扱い」はありません。空欄にしてください。",
                )
                continue
            list_key = (fiscal_year, type_id)
            key = normalize(name)
            if (list_key, key) in seen:
                cells.problem(
                    "名称",
                    f"「{name}」は{seen[list_key, key]}行目と同じ年度・相談者区分に二度あります。",
                )
                continue
            seen[list_key, key] = row.number
            term = TermRow(row.number, name, key, order, predecessors, retired, catch_all)
            if catch_all and list_key in catch_alls:
                first = catch_alls[list_key]
                cells.problem(
                    CATCH_ALL_COLUMN,
                    f"「{name}」も「その他扱い」になっていますが、{first.row}行目の「{first.name}」"
                    "がすでにその他扱いです。その他扱いにできるのは、一つの一覧に一つだけです。",
                )
                continue
            if catch_all:
                catch_alls[list_key] = term
            self.lists.setdefault(list_key, []).append(term)
        if not errors:
            self._check_lineage(errors)
        return rows

    def _year(self, cells: RowReader) -> int | None:
        text = cells.text("年度", required=True)
        if not text:
            return None
        try:
            return parse_fiscal_year(text)
        except FiscalParseError as error:
            cells.problem("年度", str(error))
            return None

    def _type(self, cells: RowReader, types: dict[str, ConsulterType]) -> int | bool | None:
        """The consulter type's id, None for the activity kinds, False when unusable."""
        text = cells.text("相談者区分", required=True)
        if not text:
            return False
        if normalize(text) == normalize(ACTIVITY_KIND_TYPE):
            return None
        found = types.get(normalize(text))
        if found is None:
            choices = "".join(
                f"「{name}」" for name in [*(t.name for t in types.values()), ACTIVITY_KIND_TYPE]
            )
            cells.problem(
                "相談者区分",
                f"相談者区分「{text}」はありません。{choices}のどれかを書いてください。",
            )
            return False
        if found.report_style == ReportStyle.TOTAL:
            cells.problem(
                "相談者区分",
                f"「{found.name}」は合計だけを数える区分のため、相談内容の分類はありません。",
            )
            return False
        return found.pk

    def _previous_names(self, list_key: ListKey) -> list[str]:
        fiscal_year, type_id = list_key
        previous = (fiscal_year - 1, type_id)
        if previous in self.lists:
            return [term.name for term in self.lists[previous]]
        return list(_terms(fiscal_year - 1, type_id).values_list("name", flat=True))

    def _check_lineage(self, errors: Errors) -> None:
        for list_key, terms in self.lists.items():
            previous = self._previous_names(list_key)
            for term in terms:
                for message in lineage_errors(previous, [TermSpec(term.name, term.predecessors)]):
                    if not previous and term.predecessors:
                        fiscal_year, type_id = list_key
                        message = (
                            f"{fiscal_year_label(fiscal_year - 1)}の「{self.type_names[type_id]}」"
                            "の一覧がないため、前年度は書けません。空欄（新規）にするか、"
                            "前年度の一覧もファイルに入れてください。"
                        )
                    errors.add(term.row, "前年度", message)

    def apply(self, *, by: User | None, batch: ImportBatch) -> str:
        counts = {"created": 0, "updated": 0, "retired": 0, "deleted": 0}
        for list_key in sorted(self.lists, key=lambda k: (k[0], k[1] is not None, k[1] or 0)):
            self._apply_list(list_key, self.lists[list_key], counts)
        years = sorted({fy for fy, _ in self.lists})
        settle_codes(years[0])
        span = fiscal_year_label(years[0])
        if len(years) > 1:
            span += f"〜{fiscal_year_label(years[-1])}"
        return (
            f"{span}の分類を取り込みました（追加 {counts['created']}件・変更 {counts['updated']}件・"
            f"使用終了 {counts['retired']}件・削除 {counts['deleted']}件）。"
        )

    @staticmethod
    def _catch_all(
        fiscal_year: int, type_id: int | None, terms: list[TermRow], existing: dict[str, Any]
    ) -> dict[str, bool]:
        """{name key: is the catch-all} for the rows whose mark is set; a row left out
        keeps its mark (or the model's default). As the file says when it has the column;
        else a new その他 is the catch-all when its list has none."""
        if type_id is None:
            return {}
        if any(term.catch_all is not None for term in terms):
            return {term.key: bool(term.catch_all) for term in terms}
        if _terms(fiscal_year, type_id).filter(catch_all=True).exists():
            return {}
        return {
            term.key: True
            for term in terms
            if term.key not in existing and is_catch_all_name(term.name)
        }

    def _apply_list(self, list_key: ListKey, terms: list[TermRow], counts: dict[str, int]) -> None:
        fiscal_year, type_id = list_key
        model = _model(type_id)
        existing = {obj.name_key: obj for obj in _terms(fiscal_year, type_id)}
        previous = dict(_terms(fiscal_year - 1, type_id).values_list("name_key", "pk"))
        scope = {} if type_id is None else {"consulter_type_id": type_id}
        catch_all = self._catch_all(fiscal_year, type_id, terms, existing)
        if type_id is not None and any(term.catch_all is not None for term in terms):
            # One catch-all per list: take the mark off first, so that moving it to
            # another row never holds two for a moment.
            _terms(fiscal_year, type_id).filter(catch_all=True).exclude(
                name_key__in=[t.key for t in terms if catch_all.get(t.key)]
            ).update(catch_all=False)
        for position, term in enumerate(terms, start=1):
            values = {
                "name": term.name,
                "order": position if term.order is None else term.order,
                "retired": term.retired,
            }
            if term.key in catch_all:
                values["catch_all"] = catch_all[term.key]
            obj = existing.pop(term.key, None)
            created = obj is None
            if obj is None:
                obj = model.objects.create(fiscal_year=fiscal_year, **scope, **values)
                changed = False
            else:
                fields = model_changes(obj, values)
                if fields:
                    obj.save(update_fields=fields)
                changed = bool(fields)
            wanted = {previous[normalize(p)] for p in term.predecessors}
            if wanted != set(obj.predecessors.values_list("pk", flat=True)):
                obj.predecessors.set(wanted)
                changed = True
            if created:
                counts["created"] += 1
            elif changed:
                counts["updated"] += 1
        for obj in existing.values():
            if obj.records.exists() or obj.successors.exists():
                if not obj.retired:
                    obj.retired = True
                    obj.save(update_fields=["retired"])
                    counts["retired"] += 1
            else:
                obj.delete()
                counts["deleted"] += 1
