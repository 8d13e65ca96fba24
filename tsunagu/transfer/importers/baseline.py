"""Importing the published figures of the years before tsunagu (過去の集計値).

Columns: 年度, 表, 名称, 件数. 表 is a consulter type, 関係機関別 or 活動種別; 名称 is a
category, an agency reporting group or an activity kind, or 合計 for a consulter type's
total. Only for years without records: with records, the report counts them instead."""

from collections.abc import Iterator
from dataclasses import dataclass

from tsunagu.accounts.models import User
from tsunagu.lib.fiscal import FiscalParseError, fiscal_year_label, parse_fiscal_year
from tsunagu.lib.tabular import Table
from tsunagu.lib.textnorm import normalize
from tsunagu.records.models import ConsulterType, ImportBatch, SupportRecord
from tsunagu.reports.models import AGENCY_TABLE, KIND_TABLE, BaselineFigure
from tsunagu.transfer.importers.base import Importer, RowReader
from tsunagu.transfer.values import Errors

COLUMNS = ("年度", "表", "名称", "件数")


@dataclass(frozen=True)
class Figure:
    fiscal_year: int
    table: str
    name: str
    count: int


class BaselineImporter(Importer):
    kind = "baseline"

    def __init__(self, table: Table) -> None:
        self.table = table
        self.figures: list[Figure] = []

    def _tables(self) -> dict[str, str]:
        names = [*ConsulterType.objects.values_list("name", flat=True), AGENCY_TABLE, KIND_TABLE]
        return {normalize(name): name for name in names}

    def validate(self, errors: Errors) -> int:
        tables = self._tables()
        years_with_records = set(
            SupportRecord.objects.order_by().values_list("fiscal_year", flat=True).distinct()
        )
        seen: dict[tuple[int, str, str], int] = {}
        rows = 0
        for row in self.table:
            rows += 1
            cells = RowReader(row, errors)
            fiscal_year = self._year(cells, years_with_records)
            table = tables.get(normalize(cells.text("表", required=True)))
            if table is None and cells.text("表"):
                cells.problem(
                    "表",
                    f"「{cells.text('表')}」は表の名前ではありません。使えるのは：{'、'.join(tables.values())}",
                )
            name = cells.name("名称")
            count = cells.count("件数")
            if count is None and not cells.failed:
                cells.problem("件数", "件数が空です。")
            if cells.failed or fiscal_year is None or table is None or count is None:
                continue
            key = (fiscal_year, table, normalize(name))
            if key in seen:
                cells.problem("名称", f"同じ年度・表の「{name}」が{seen[key]}行目にもあります。")
                continue
            seen[key] = row.number
            self.figures.append(Figure(fiscal_year, table, name, count))
        return rows

    def _year(self, cells: RowReader, years_with_records: set[int]) -> int | None:
        text = cells.text("年度", required=True)
        if not text:
            return None
        try:
            fiscal_year = parse_fiscal_year(text)
        except FiscalParseError as error:
            cells.problem("年度", str(error))
            return None
        if fiscal_year in years_with_records:
            cells.problem(
                "年度",
                f"{fiscal_year_label(fiscal_year)}には支援記録があるため、過去の集計値は使いません（記録から集計します）。",
            )
            return None
        return fiscal_year

    def apply(self, *, by: User | None, batch: ImportBatch) -> str:
        # A (year, table) in the file replaces what was imported for it before.
        for fiscal_year, table in {(f.fiscal_year, f.table) for f in self.figures}:
            BaselineFigure.objects.filter(fiscal_year=fiscal_year, table=table).delete()
        BaselineFigure.objects.bulk_create(
            BaselineFigure(fiscal_year=f.fiscal_year, table=f.table, name=f.name, count=f.count)
            for f in self.figures
        )
        years = "、".join(
            fiscal_year_label(y) for y in sorted({f.fiscal_year for f in self.figures})
        )
        return f"{years}の過去の集計値を{len(self.figures)}件取り込みました。"


def export_rows() -> Iterator[list[object]]:
    for figure in BaselineFigure.objects.order_by("fiscal_year", "table", "id"):
        yield [fiscal_year_label(figure.fiscal_year), figure.table, figure.name, figure.count]
