"""Importing the yearly lists with their lineage: new, continued, renamed, split, merged."""

from datetime import date
from typing import Any

import pytest

from tests.transfer.conftest import csv_bytes, run_import, types
from tsunagu.lib.tabular import Cell
from tsunagu.records.lineage import Shape, TermSpec, shapes
from tsunagu.records.models import ActivityKind, Category, SupportRecord
from tsunagu.transfer.formats import CATEGORY_COLUMNS
from tsunagu.transfer.importers.base import ImportRefused

HEADER = ["年度", "相談者区分", "名称", "順", "前年度"]
GROUP = "地域活動団体"


def categories_file(*rows: list[Cell], headers: list[str] = HEADER) -> bytes:
    return csv_bytes(headers, rows)


def year_list(fy: int, type_name: str = GROUP) -> list[tuple[str, int, list[str], bool]]:
    return [
        (c.name, c.order, sorted(p.name for p in c.predecessors.all()), c.retired)
        for c in Category.objects.filter(fiscal_year=fy, consulter_type__name=type_name).order_by(
            "retired", "order"
        )
    ]


def lineage(fy: int) -> dict[str, Shape]:
    terms = [
        TermSpec(c.name, tuple(p.name for p in c.predecessors.all()))
        for c in Category.objects.filter(fiscal_year=fy, consulter_type__name=GROUP)
    ]
    return shapes(terms)


def test_two_years_with_a_split_a_merge_and_a_rename(db: None) -> None:
    result = run_import(
        "categories",
        categories_file(
            ["2019", GROUP, "会計", 1, ""],
            ["平成31年度", GROUP, "会則・会議", 2, ""],
            ["R1", GROUP, "役割分担", 3, ""],
            ["H31", GROUP, "その他", 4, ""],
            ["令和2年度", GROUP, "活動費", 1, "会計"],
            ["令和2年度", GROUP, "助成金", 2, "会計"],
            ["令和2年度", GROUP, "会則・会議・役割分担", 3, "会則・会議|役割分担"],
            ["令和2年度", GROUP, "そのほか", 4, "その他"],
            ["令和2年度", GROUP, "居場所の立ち上げ", "", ""],
        ),
    )
    assert (
        result.message
        == "令和元年度〜令和2年度の分類を取り込みました（追加 9件・変更 0件・使用終了 0件・削除 0件）。"
    )
    assert lineage(2020) == {
        "活動費": Shape.SPLIT,
        "助成金": Shape.SPLIT,
        "会則・会議・役割分担": Shape.MERGED,
        "そのほか": Shape.RENAMED,
        "居場所の立ち上げ": Shape.NEW,
    }
    # an empty 順 takes the row's place in its list
    assert year_list(2020)[-1] == ("居場所の立ち上げ", 5, [], False)


def test_activity_kinds_are_listed_under_their_own_heading(db: None) -> None:
    run_import(
        "categories",
        categories_file(
            ["2019", "活動種別", "出向き", 1, ""],
            ["2020", "活動種別", "出向き・参加", 1, "出向き"],
            ["2020", "活動種別", "働きかけ", 2, ""],
        ),
    )
    kind = ActivityKind.objects.get(fiscal_year=2020, name="出向き・参加")
    assert [p.name for p in kind.predecessors.all()] == ["出向き"]
    assert ActivityKind.objects.filter(fiscal_year=2020).count() == 2


def test_the_previous_year_can_come_from_the_database(lists: dict[str, Any]) -> None:
    run_import("categories", categories_file(["2021", GROUP, "会計", 1, "活動費・助成金・会計"]))
    assert year_list(2021) == [("会計", 1, ["活動費・助成金・会計"], False)]


def test_an_unknown_predecessor_is_refused_with_its_row(lists: dict[str, Any]) -> None:
    with pytest.raises(ImportRefused) as error:
        run_import(
            "categories",
            categories_file(
                ["2021", GROUP, "会計", 1, "活動費・助成金・会計"],
                ["2021", GROUP, "広報", 2, "チラシ・広報"],
            ),
        )
    (only,) = error.value.row_errors
    assert (only.row, only.column) == (3, "前年度")
    assert "「広報」の前年度「チラシ・広報」は前年度の一覧にありません。" in only.message
    assert not Category.objects.filter(fiscal_year=2021).exists()


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        (["令和200年度", GROUP, "会計", 1, ""], "年度", "「令和200年度」は範囲外です"),
        (["2020", "住民", "会計", 1, ""], "相談者区分", "相談者区分「住民」はありません。"),
        (
            ["2020", "市民社協の事業", "会計", 1, ""],
            "相談者区分",
            "「市民社協の事業」は合計だけを数える区分のため、相談内容の分類はありません。",
        ),
        (["2020", GROUP, "", 1, ""], "名称", "名称が空です。"),
        (["2020", GROUP, "会計｜監査", 1, ""], "名称", "名称に「|」は使えません"),
        (["2020", GROUP, "会計", "一", ""], "順", "「一」は順として読み取れません。"),
        (
            ["2020", GROUP, "ｶｲｹｲ", 2, ""],
            "名称",
            "「ｶｲｹｲ」は2行目と同じ年度・相談者区分に二度あります。",
        ),
        (
            ["2020", GROUP, "会費", 2, "会計"],
            "前年度",
            "令和元年度の「地域活動団体」の一覧がないため",
        ),
    ],
)
def test_bad_rows_are_named(db: None, row: list[Cell], column: str, message: str) -> None:
    with pytest.raises(ImportRefused) as error:
        run_import("categories", categories_file(["2020", GROUP, "カイケイ", 1, ""], row))
    assert [(e.row, e.column) for e in error.value.row_errors] == [(3, column)]
    assert message in error.value.row_errors[0].message
    assert not Category.objects.exists()


def test_reimporting_a_year_updates_it_and_retires_what_records_use(
    world: dict[str, Any], staff_user: Any
) -> None:
    used = world["categories"][2020, GROUP, "チラシ・広報作成"]
    record = SupportRecord.objects.create(
        date=date(2020, 6, 1),
        activity_kind=world["kinds"][2020, "相談対応"],
        place="office",
        consulter_type=types()[GROUP],
    )
    record.categories.add(used)
    result = run_import(
        "categories",
        categories_file(
            ["2020", GROUP, "会則・会議", 1, "会則・会議"],
            ["2020", GROUP, "活動費・助成金・会計", 2, "活動費・助成金・会計|チラシ・広報"],
            ["2020", GROUP, "新しい分類", 3, ""],
            headers=HEADER,
        ),
    )
    assert "追加 1件・変更 2件・使用終了 1件・削除 0件" in result.message
    assert year_list(2020) == [
        ("会則・会議", 1, ["会則・会議"], False),
        ("活動費・助成金・会計", 2, ["チラシ・広報", "活動費・助成金・会計"], False),
        ("新しい分類", 3, [], False),
        ("チラシ・広報作成", 2, [], True),
    ]
    # the other consulter types' lists of 2020 are untouched
    assert len(year_list(2020, "ニーズを抱えている個人")) == 2
    # an entry no record uses is deleted when left out
    result = run_import(
        "categories",
        categories_file(["2020", GROUP, "会則・会議", 1, "会則・会議"], headers=HEADER),
    )
    assert "使用終了 0件・削除 2件" in result.message


def test_exported_columns_include_the_optional_retired_flag(lists: dict[str, Any]) -> None:
    run_import(
        "categories",
        categories_file(["2021", GROUP, "会計", 1, "", "〇"], headers=list(CATEGORY_COLUMNS)),
    )
    assert year_list(2021) == [("会計", 1, [], True)]


CATCH_HEADER = [*HEADER, "その他扱い"]


def catch_alls(fy: int, type_name: str = GROUP) -> list[str]:
    return list(
        Category.objects.filter(
            fiscal_year=fy, consulter_type__name=type_name, catch_all=True
        ).values_list("name", flat=True)
    )


def test_the_catch_all_column_marks_one_category_per_list(db: None) -> None:
    run_import(
        "categories",
        categories_file(
            ["2020", GROUP, "会計", 1, "", ""],
            ["2020", GROUP, "雑件", 2, "", "〇"],
            ["2020", "ニーズを抱えている個人", "その他", 1, "", ""],
            headers=CATCH_HEADER,
        ),
    )
    assert catch_alls(2020) == ["雑件"]
    # The column says so: その他 left blank is not the catch-all.
    assert catch_alls(2020, "ニーズを抱えている個人") == []
    # Moving the mark to another row of the same list in a later import.
    run_import(
        "categories",
        categories_file(
            ["2020", GROUP, "会計", 1, "", "〇"],
            ["2020", GROUP, "雑件", 2, "", ""],
            headers=CATCH_HEADER,
        ),
    )
    assert catch_alls(2020) == ["会計"]


def test_without_the_column_a_new_sonota_is_the_catch_all_and_marks_are_kept(db: None) -> None:
    run_import(
        "categories",
        categories_file(["2020", GROUP, "会計", 1, ""], ["2020", GROUP, "その 他", 2, ""]),
    )
    assert catch_alls(2020) == ["その 他"]
    Category.objects.filter(fiscal_year=2020).update(catch_all=False)
    Category.objects.filter(fiscal_year=2020, name="会計").update(catch_all=True)
    run_import(
        "categories",
        categories_file(["2020", GROUP, "会計", 1, ""], ["2020", GROUP, "その 他", 3, ""]),
    )
    assert catch_alls(2020) == ["会計"]


def test_a_second_catch_all_in_one_list_is_refused_naming_the_row(db: None) -> None:
    with pytest.raises(ImportRefused) as error:
        run_import(
            "categories",
            categories_file(
                ["2020", GROUP, "会計", 1, "", "〇"],
                ["2020", "ニーズを抱えている個人", "その他", 1, "", "〇"],
                ["2020", GROUP, "その他", 2, "", "〇"],
                headers=CATCH_HEADER,
            ),
        )
    [only] = error.value.row_errors
    assert (only.row, only.column) == (4, "その他扱い")
    assert only.message == (
        "「その他」も「その他扱い」になっていますが、2行目の「会計」がすでにその他扱いです。"
        "その他扱いにできるのは、一つの一覧に一つだけです。"
    )
    assert not Category.objects.exists()


def test_activity_kinds_have_no_catch_all(db: None) -> None:
    with pytest.raises(ImportRefused) as error:
        run_import(
            "categories",
            categories_file(["2020", "活動種別", "その他", 1, "", "〇"], headers=CATCH_HEADER),
        )
    [only] = error.value.row_errors
    assert (only.row, only.column) == (2, "その他扱い")
    assert "活動種別には「その他扱い」はありません。空欄にしてください。" in only.message
    assert not ActivityKind.objects.exists()


def test_the_catch_all_goes_out_and_comes_back(db: None) -> None:
    from tsunagu.transfer.exporters import export_categories

    run_import(
        "categories",
        categories_file(
            ["2020", "活動種別", "出向き・参加", 1, "", ""],
            ["2020", GROUP, "会計", 1, "", ""],
            ["2020", GROUP, "雑件", 2, "", "〇"],
            headers=CATCH_HEADER,
        ),
    )
    rows = list(export_categories(2020))
    assert rows == [
        ["令和2年度", "活動種別", "出向き・参加", 1, "", "", ""],
        ["令和2年度", GROUP, "会計", 1, "", "", ""],
        ["令和2年度", GROUP, "雑件", 2, "", "", "〇"],
    ]
    Category.objects.all().update(catch_all=False)
    run_import("categories", categories_file(*rows, headers=list(CATEGORY_COLUMNS)))
    assert catch_alls(2020) == ["雑件"]
