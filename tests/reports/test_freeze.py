"""A closed year freezes every figure it published (#13.4).

The frozen report is the JSON a closure keeps. Every number in it is changed by one, in
turn, and compare() must name that figure in Japanese: a figure added to the report
later and not watched by reports/differences.py fails here, not silently."""

import copy
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from django.test import Client

from tests.reports.factories import sample_report
from tsunagu.records.models import ActivityKind, Place, SupportRecord
from tsunagu.records.services import RecordData, create_record, delete_record
from tsunagu.reports.builder import build_report
from tsunagu.reports.differences import compare
from tsunagu.reports.renderers.jsonio import report_from_dict, report_to_dict
from tsunagu.reports.services import close_year, figures_for

Path = tuple[str | int, ...]

# Numbers of the frozen JSON that are not published figures, and why.
NOT_FIGURES = {
    "version": "the version of the JSON format",
    "fiscal_year": "which year the report is of (its label is the report's title)",
    "years": "which years the columns are (their labels name the figures)",
    "shares": "written for the reader and ignored when reading: computed from the counts",
}


def numeric_leaves(data: Any, path: Path = ()) -> Iterator[Path]:
    if isinstance(data, dict):
        for key, value in data.items():
            if key not in NOT_FIGURES:
                yield from numeric_leaves(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from numeric_leaves(value, (*path, index))
    elif isinstance(data, int) and not isinstance(data, bool):
        yield path


def at(data: Any, path: Path) -> Any:
    for key in path:
        data = data[key]
    return data


def expected_name(data: dict[str, Any], path: Path) -> str:
    """The Japanese name a reader gives the figure at `path`: 「表：項目」."""
    head, *rest = path
    if head in ("sections", "agency_table"):
        section = data["agency_table"] if head == "agency_table" else data[head][rest.pop(0)]
        if rest == ["total"]:
            return f"{section['title']}：合計"
        if rest == ["total_delta", "value"]:
            return f"{section['title']}：合計の前年度比"
        _, index, *field = rest
        label = section["rows"][index]["label"]
        suffix = {("count",): "", ("rank",): "の順位", ("delta", "value"): "の前年度比"}
        return f"{section['title']}：{label}{suffix[tuple(field)]}"
    if head == "trends":
        trend_index, _, row, _, year = rest
        trend = data["trends"][trend_index]
        return f"{trend['title']}：{trend['rows'][row]['label']}（{trend['year_labels'][year]}）"
    if head == "outreach":
        column, year = rest
        item = {"consultations": "相談件数", "at_outreach": "うち出向いた先"}[column]
        return f"出向いた先で受けた相談の割合：{item}（{data['outreach']['year_labels'][year]}）"
    if head == "support_split":
        split = data["support_split"]
        *place, field = rest
        row = split["total"] if place == ["total"] else split["rows"][place[1]]
        kind = "個別支援" if field.endswith("individual") else "地域支援"
        year = split["previous_label"] if field.startswith("previous_") else split["year_label"]
        return f"個別支援・地域支援：{row['label']}の{kind}（{year}）"
    raise AssertionError(f"{path} は公表される数字として名前がありません")


def assert_every_figure_is_watched(frozen: dict[str, Any], current: Any) -> set[Path]:
    assert compare(report_from_dict(frozen), current) == []
    leaves = list(numeric_leaves(frozen))
    for path in leaves:
        changed = copy.deepcopy(frozen)
        parent = at(changed, path[:-1])
        parent[path[-1]] += 1
        names = [d.name for d in compare(report_from_dict(changed), current)]
        assert names, f"{path} を変えても compare() は違いを見つけません"
        assert expected_name(frozen, path) in names, (path, names)
    return {tuple(k for k in path if isinstance(k, str)) for path in leaves}


EVERY_KIND_OF_FIGURE = {
    ("sections", "total"),
    ("sections", "total_delta", "value"),
    ("sections", "rows", "count"),
    ("sections", "rows", "rank"),
    ("sections", "rows", "delta", "value"),
    ("agency_table", "total"),
    ("agency_table", "rows", "count"),
    ("agency_table", "rows", "delta", "value"),
    ("trends", "rows", "counts"),
    ("outreach", "consultations"),
    ("outreach", "at_outreach"),
}

SUPPORT_SPLIT_FIGURES = {
    ("support_split", "rows", "individual"),
    ("support_split", "rows", "area"),
    ("support_split", "rows", "previous_individual"),
    ("support_split", "rows", "previous_area"),
    ("support_split", "total", "individual"),
    ("support_split", "total", "area"),
    ("support_split", "total", "previous_individual"),
    ("support_split", "total", "previous_area"),
}


def test_every_number_of_a_published_report_is_watched() -> None:
    report = sample_report()
    kinds = assert_every_figure_is_watched(report_to_dict(report), report)
    assert kinds >= EVERY_KIND_OF_FIGURE


def test_every_number_of_a_closed_year_is_watched(two_years, admin_user) -> None:  # type: ignore[no-untyped-def]
    closure = close_year(by=admin_user, fiscal_year=2020)
    kinds = assert_every_figure_is_watched(closure.data, build_report(2020))
    # 令和元年度 named no agency: 関係機関別 is 新 throughout.
    assert kinds >= EVERY_KIND_OF_FIGURE - {("agency_table", "rows", "delta", "value")}
    assert kinds >= SUPPORT_SPLIT_FIGURES


def test_the_texts_of_a_published_report_are_watched_too() -> None:
    report = report_to_dict(sample_report())
    report["sections"][1]["notes"][0] = "「近況報告など」と「その他」の合計7件は前年度比－5件"
    report["trends"][0]["notes"] = []
    report["municipality"]["population"] = "149,000人"
    names = [d.name for d in compare(report_from_dict(report), sample_report())]
    assert names == [
        "ニーズを抱えている個人からの相談：注記1",
        "活動内容別：注記1",
        "報告全体：人口",
    ]


def test_a_note_frozen_before_notes_named_ranks_is_not_a_difference() -> None:
    # Closed before split notes quoted the ranks: the same note, worded without them.
    report = report_to_dict(sample_report())
    assert report["sections"][1]["notes"] == [
        "「4位：近況報告など」と「5位：その他」の合計7件は前年度比－6件"
    ]
    report["sections"][1]["notes"][0] = "「近況報告など」と「その他」の合計7件は前年度比－6件"
    assert compare(report_from_dict(report), sample_report()) == []
    # A note that says another figure still differs, shown as each report words it.
    report["sections"][1]["notes"][0] = "「近況報告など」と「その他」の合計8件は前年度比－5件"
    [difference] = compare(report_from_dict(report), sample_report())
    assert difference.name == "ニーズを抱えている個人からの相談：注記1"
    assert difference.published == "「近況報告など」と「その他」の合計8件は前年度比－5件"
    assert difference.current == "「4位：近況報告など」と「5位：その他」の合計7件は前年度比－6件"


def test_a_rank_that_moved_is_a_difference_of_its_own() -> None:
    # The catch-all marked after closing: its rank is a difference, the note's is not.
    report = report_to_dict(sample_report())
    report["sections"][1]["rows"][4]["rank"] = 4
    report["sections"][1]["notes"][0] = (
        "「4位：近況報告など」と「4位：その他」の合計7件は前年度比－6件"
    )
    names = [d.name for d in compare(report_from_dict(report), sample_report())]
    assert names == ["ニーズを抱えている個人からの相談：その他の順位"]


def outing(staff_user, day: date) -> SupportRecord:  # type: ignore[no-untyped-def]
    kind = ActivityKind.objects.get(fiscal_year=2020, name="出向き・参加")
    return create_record(
        by=staff_user,
        data=RecordData(values={"date": day, "activity_kind": kind, "place": Place.VISIT}),
    )


def test_an_outing_added_to_a_closed_year_is_a_difference(
    two_years, admin_user, staff_user
) -> None:  # type: ignore[no-untyped-def]
    close_year(by=admin_user, fiscal_year=2020)
    outing(staff_user, date(2020, 7, 1))
    figures = figures_for(2020)
    assert [(d.name, d.published, d.current) for d in figures.differences] == [
        ("活動内容別：出向き・参加（令和2年度）", 2, 3),
        ("支援先別：支援先なし（令和2年度）", None, 1),
        # No target, no case: the outing is 個別支援.
        ("個別支援・地域支援：出向き・参加の個別支援（令和2年度）", 0, 1),
        ("個別支援・地域支援：合計の個別支援（令和2年度）", 0, 1),
    ]
    assert figures.report == report_from_dict(figures.closure.data)  # type: ignore[union-attr]


def test_the_report_page_groups_the_differences_by_table(two_years, admin_user, staff_user) -> None:  # type: ignore[no-untyped-def]
    close_year(by=admin_user, fiscal_year=2020)
    outing(staff_user, date(2020, 7, 1))
    delete_record(
        by=staff_user,
        record=SupportRecord.objects.filter(fiscal_year=2020, place=Place.PHONE).get(),
    )
    client = Client()
    client.force_login(staff_user)
    page = client.get("/reports/", {"fy": "2020"}).content.decode()
    assert "締めた後に記録が変更されています" in page
    for table in ("活動内容別", "支援先別", "出向いた先で受けた相談の割合"):
        assert f'colspan="3" class="diff-table">{table}（' in page
    assert '<span class="visually-hidden">活動内容別：</span>出向き・参加（令和2年度）' in page
    assert (
        '<span class="visually-hidden">出向いた先で受けた相談の割合：</span>割合（令和2年度）'
        in page
    )


@pytest.mark.parametrize("fy", [2019, 2020])
def test_a_year_that_is_not_closed_shows_no_difference(two_years, fy) -> None:  # type: ignore[no-untyped-def]
    assert figures_for(fy).differences == ()
