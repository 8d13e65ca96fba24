"""A small city with two fiscal years of lists, and helpers that build import files."""

from collections.abc import Sequence
from typing import Any

import pytest

from tsunagu.accounts.models import User
from tsunagu.directory.models import Agency, AgencyGroup
from tsunagu.lib.tabular import Cell, write_csv
from tsunagu.records.models import ActivityKind, Category, ConsulterType
from tsunagu.transfer.formats import RECORD_CORE_COLUMNS
from tsunagu.transfer.services import ImportResult, import_file

FY = 2020


def csv_bytes(headers: Sequence[str], rows: Sequence[Sequence[Cell]]) -> bytes:
    return write_csv(headers, rows)


def record_row(**values: Cell) -> list[Cell]:
    """A records row with sensible defaults: a salon visit in FY2020 by 職員 二郎."""
    row: dict[str, Cell] = {
        "日付": "2020-06-01",
        "担当職員": "職員 二郎",
        "活動種別": "出向き・参加",
        "場所": "出向いた先",
        "支援先": "サロンひだまり",
    }
    row.update(values)
    return [row.get(column) for column in RECORD_CORE_COLUMNS]


def records_file(*rows: list[Cell]) -> bytes:
    return csv_bytes(RECORD_CORE_COLUMNS, rows)


def run_import(
    kind: str, data: bytes, filename: str = "t.csv", by: User | None = None, **kwargs: Any
) -> ImportResult:
    return import_file(by=by, kind=kind, data=data, filename=filename, **kwargs)


def types() -> dict[str, ConsulterType]:
    return {t.name: t for t in ConsulterType.objects.all()}


@pytest.fixture
def agencies(city: dict[str, Any]) -> dict[str, Agency]:
    children = AgencyGroup.objects.create(name="子ども政策課", order=1)
    centres = AgencyGroup.objects.create(name="在宅介護・地域包括支援センター", order=2)
    return {
        "children": Agency.objects.create(name="子ども政策課", group=children, order=1),
        "midori": Agency.objects.create(
            name="みどり台地域包括支援センター", group=centres, order=2
        ),
        "old": Agency.objects.create(name="旧福祉課", group=children, order=3, active=False),
    }


@pytest.fixture
def lists(db: None) -> dict[str, Any]:
    """FY2019 and FY2020 activity kinds and categories."""
    kinds = {}
    for fy in (2019, 2020):
        for order, name in enumerate(["出向き・参加", "話し合いへの参加", "相談対応"], start=1):
            kinds[fy, name] = ActivityKind.objects.create(fiscal_year=fy, name=name, order=order)
    t = types()
    categories = {}
    for fy, type_name, names in [
        (2019, "地域活動団体", ["活動費・助成金・会計", "チラシ・広報", "会則・会議"]),
        (2020, "地域活動団体", ["活動費・助成金・会計", "チラシ・広報作成", "会則・会議"]),
        (2020, "ニーズを抱えている個人", ["福祉サービス・相談機関への紹介", "近況報告"]),
        (2020, "関係機関", ["特定の個人について"]),
    ]:
        for order, name in enumerate(names, start=1):
            categories[fy, type_name, name] = Category.objects.create(
                fiscal_year=fy, consulter_type=t[type_name], name=name, order=order
            )
    return {"kinds": kinds, "categories": categories}


@pytest.fixture
def world(
    city: dict[str, Any], agencies: dict[str, Agency], lists: dict[str, Any]
) -> dict[str, Any]:
    return {**city, **agencies, **lists}
