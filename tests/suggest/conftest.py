"""A council with two years of an activity group's categories (a merge, a rename, a new
category) and consultations whose notes speak of their subjects."""

from dataclasses import dataclass
from datetime import date
from itertools import cycle
from pathlib import Path

import pytest

from tsunagu.records.models import ActivityKind, Category, ConsulterType, Place, SupportRecord

GROUP = "地域活動団体"
NOTES = {
    "助成金": [
        "助成金の申請書の書き方について相談。",
        "助成金の会計報告のまとめ方を知りたい。",
        "助成金の精算の書類について問い合わせ。",
    ],
    "広報": [
        "チラシの作り方について相談。見本を届けた。",
        "広報紙のチラシ印刷をしたいと相談。",
        "行事のチラシを配る方法を相談。",
    ],
    "会則": [
        "会則の見直しと役員の交代について相談。",
        "役員会の会則について問い合わせ。",
        "会則に役員の任期を書きたいと相談。",
    ],
}


@dataclass
class Council:
    types: dict[str, ConsulterType]
    categories: dict[str, Category]  # "2020:広報" → category

    def record(
        self, day: date, categories: list[str], note: str, type_name: str = GROUP
    ) -> SupportRecord:
        kind, _ = ActivityKind.objects.get_or_create(
            fiscal_year=2019 if day < date(2020, 4, 1) else 2020,
            name="相談対応",
        )
        record = SupportRecord.objects.create(
            date=day,
            activity_kind=kind,
            place=Place.PHONE,
            consulter_type=self.types[type_name],
            note=note,
        )
        record.categories.set([self.categories[name] for name in categories])
        return record


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    """Every test writes its model file in its own folder."""
    settings.DATA_DIR = tmp_path
    return tmp_path


@pytest.fixture
def council(db: None) -> Council:
    types = {t.name: t for t in ConsulterType.objects.all()}
    group = types[GROUP]
    made: dict[str, Category] = {}
    for order, name in enumerate(["助成金", "チラシ・広報", "会則・会議", "役割分担"]):
        made[f"2019:{name}"] = Category.objects.create(
            fiscal_year=2019, consulter_type=group, name=name, order=order
        )
    lineage = {
        "助成金": ["助成金"],
        "広報": ["チラシ・広報"],  # renamed
        "会則・会議・役割分担": ["会則・会議", "役割分担"],  # merged
        "新型コロナウイルス関連": [],  # new
    }
    for order, (name, predecessors) in enumerate(lineage.items()):
        category = Category.objects.create(
            fiscal_year=2020, consulter_type=group, name=name, order=order
        )
        category.predecessors.set([made[f"2019:{p}"] for p in predecessors])
        made[f"2020:{name}"] = category
    return Council(types=types, categories=made)


@pytest.fixture
def history(council: Council) -> Council:
    """FY2019 records only (under the old names): 12 per subject."""
    old_names = {"助成金": "助成金", "広報": "チラシ・広報", "会則": "会則・会議"}
    for subject, notes in NOTES.items():
        for index, note in zip(range(12), cycle(notes), strict=False):
            council.record(date(2019, 5, 1 + index), [f"2019:{old_names[subject]}"], note)
    return council
