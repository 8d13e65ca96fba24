"""The report as JSON: the published figures are frozen in it and rendered again years
later, so reading it back must give exactly the report that was written."""

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.reports.published_example import published_report, volunteer_section
from tsunagu.reports.renderers.jsonio import (
    ReportFormatError,
    render_json,
    report_from_dict,
    report_from_json,
    report_to_dict,
)
from tsunagu.reports.renderers.text import render_text
from tsunagu.reports.result import (
    Delta,
    DeltaKind,
    OutreachShare,
    Report,
    Row,
    Section,
    Style,
    SupportSplit,
    SupportSplitRow,
    Trend,
    TrendRow,
)

DOC = Path(__file__).resolve().parents[2] / "docs" / "report-json.md"

# Any text a council might type, without lone surrogates (not representable in UTF-8).
texts = st.text(st.characters(codec="utf-8"), max_size=12)
counts = st.integers(0, 10**7)
deltas = st.one_of(
    st.builds(Delta, st.just(DeltaKind.NUMBER), st.integers(-(10**7), 10**7)),
    st.just(Delta(DeltaKind.NEW)),
    st.just(Delta(DeltaKind.NONE)),
)
rows = st.builds(Row, label=texts, count=counts, delta=deltas, rank=st.none() | st.integers(1, 99))
sections = st.builds(
    Section,
    key=texts,
    title=texts,
    style=st.sampled_from(list(Style)),
    total=counts,
    total_delta=deltas,
    rows=st.lists(rows, max_size=5).map(tuple),
    notes=st.lists(texts, max_size=3).map(tuple),
)


@st.composite
def trends(draw: st.DrawFn) -> Trend:
    n = draw(st.integers(0, 4))
    return Trend(
        key=draw(texts),
        title=draw(texts),
        years=tuple(draw(st.lists(st.integers(1989, 2100), min_size=n, max_size=n))),
        year_labels=tuple(draw(st.lists(texts, min_size=n, max_size=n))),
        rows=tuple(
            draw(
                st.lists(
                    st.builds(
                        TrendRow,
                        label=texts,
                        counts=st.lists(st.none() | counts, min_size=n, max_size=n).map(tuple),
                    ),
                    max_size=4,
                )
            )
        ),
        notes=tuple(draw(st.lists(texts, max_size=2))),
    )


@st.composite
def outreach_shares(draw: st.DrawFn) -> OutreachShare:
    n = draw(st.integers(0, 4))

    def column(values: st.SearchStrategy[Any]) -> tuple[Any, ...]:
        return tuple(draw(st.lists(values, min_size=n, max_size=n)))

    return OutreachShare(
        years=column(st.integers(1989, 2100)),
        year_labels=column(texts),
        consultations=column(counts),
        at_outreach=column(counts),
    )


split_rows = st.builds(
    SupportSplitRow,
    label=texts,
    individual=counts,
    area=counts,
    previous_individual=st.none() | counts,
    previous_area=st.none() | counts,
)
support_splits = st.builds(
    SupportSplit,
    key=texts,
    title=texts,
    year_label=texts,
    previous_label=st.none() | texts,
    rows=st.lists(split_rows, max_size=4).map(tuple),
    total=split_rows,
)

reports = st.builds(
    Report,
    fiscal_year=st.integers(1989, 2100),
    fiscal_year_label=texts,
    previous_label=texts,
    scope_label=texts,
    sections=st.lists(sections, max_size=4).map(tuple),
    agency_table=sections,
    trends=st.lists(trends(), max_size=2).map(tuple),
    outreach=outreach_shares(),
    notes=st.lists(texts, max_size=2).map(tuple),
    municipality=st.dictionaries(texts, texts, max_size=3),
    support_split=st.none() | support_splits,
)


@given(reports)
def test_a_report_reads_back_exactly(report: Report) -> None:
    assert report_from_dict(report_to_dict(report)) == report
    assert report_from_json(render_json(report)) == report


@given(reports)
def test_the_json_text_is_the_dict(report: Report) -> None:
    assert json.loads(render_json(report)) == report_to_dict(report)


def test_the_published_report_reads_back_and_renders_the_same_text() -> None:
    report = published_report()
    again = report_from_json(render_json(report))
    assert again == report
    assert render_text(again) == render_text(report)


def test_a_section_as_json() -> None:
    # The ボランティア希望 section of the hand-built report (see test_text.py): both 20件
    # are 1位, the next is 3位; the catch-all その他 takes 5位 after the tie at 4位.
    def delta(kind: str, value: int | None, text: str) -> dict[str, Any]:
        return {"kind": kind, "value": value, "text": text}

    def row(rank: int, label: str, count: int, d: dict[str, Any]) -> dict[str, Any]:
        return {"rank": rank, "label": label, "count": count, "delta": d, "new": d["kind"] == "new"}

    data = report_to_dict(published_report())
    assert data["sections"][2] == {
        "key": "volunteer",
        "title": "ボランティア希望（活動）者からの相談",
        "style": "ranked",
        "total": 48,
        "total_delta": delta("number", 5, "＋5件"),
        "rows": [
            row(1, "ボランティアしたい", 20, delta("number", 9, "＋9件")),
            row(1, "寄付（寄贈）したい", 20, delta("number", -2, "－2件")),
            row(3, "ボランティア活動中の悩み、活動報告など", 6, delta("number", 0, "±0件")),
            row(4, "地域活動等への見学の希望、紹介など", 1, delta("new", None, "新")),
            row(5, "その他", 1, delta("number", -2, "－2件")),
        ],
        "notes": [],
    }
    assert report_from_dict(data).sections[2] == volunteer_section()


def test_the_top_level_of_the_published_report() -> None:
    data = report_to_dict(published_report())
    assert {k: v for k, v in data.items() if not isinstance(v, list | dict)} == {
        "format": "tsunagu-report",
        "version": 1,
        "fiscal_year": 2020,
        "fiscal_year_label": "令和2年度",
        "previous_label": "令和元年度",
        "scope_label": "市全体",
    }
    assert data["sections"][1]["rows"][2] == {
        "rank": 3,
        "label": "近況報告など",
        "count": 4,
        "delta": {"kind": "none", "value": None, "text": ""},
        "new": False,
    }
    assert data["sections"][1]["notes"] == [
        "「3位：近況報告など」と「5位：その他」の合計7件は前年度比－6件"
    ]
    assert data["agency_table"]["rows"][1]["label"] == "教育支援課・教育企画課・指導課"
    assert data["trends"][0]["rows"][3] == {"label": "働きかけ", "counts": [None, None, 40]}
    assert data["outreach"]["shares"] == [0.32, 0.35, 123 / 350]


def test_japanese_is_written_as_is() -> None:
    text = render_json(published_report())
    assert '"title": "ボランティア希望（活動）者からの相談"' in text
    assert "\\u" not in text
    assert text.startswith('{\n  "format": "tsunagu-report",\n  "version": 1,\n')


def documented_example() -> dict[str, Any]:
    blocks = re.findall(r"```json\n(.*?)\n```", DOC.read_text(encoding="utf-8"), re.DOTALL)
    assert len(blocks) == 1
    data: dict[str, Any] = json.loads(blocks[0])
    return data


def test_the_documented_example_is_what_tsunagu_writes() -> None:
    data = documented_example()
    report = report_from_dict(data)
    assert report_to_dict(report) == data
    text = re.findall(r"```text\n(.*?)\n```", DOC.read_text(encoding="utf-8"), re.DOTALL)
    assert text == [render_text(report).strip()]


def damaged(change: str) -> dict[str, Any]:
    data = copy.deepcopy(report_to_dict(published_report()))
    section = data["sections"][1]
    match change:
        case "missing field":
            del data["scope_label"]
        case "count as text":
            section["rows"][0]["count"] = "14"
        case "count as boolean":
            section["total"] = True
        case "number without value":
            section["rows"][0]["delta"]["value"] = None
        case "new with a value":
            section["rows"][3]["delta"]["value"] = 3
        case "unknown delta kind":
            section["rows"][0]["delta"]["kind"] = "plus"
        case "unknown style":
            section["style"] = "table"
        case "rows not a list":
            section["rows"] = {}
        case "trend counts of another length":
            data["trends"][0]["rows"][0]["counts"].append(5)
        case "outreach of another length":
            data["outreach"]["at_outreach"].pop()
        case "municipality not text":
            data["municipality"] = {"population": 148000}
    return data


@pytest.mark.parametrize(
    "change",
    [
        "missing field",
        "count as text",
        "count as boolean",
        "number without value",
        "new with a value",
        "unknown delta kind",
        "unknown style",
        "rows not a list",
        "trend counts of another length",
        "outreach of another length",
        "municipality not text",
    ],
)
def test_damaged_figures_are_refused_not_shown_wrong(change: str) -> None:
    with pytest.raises(ReportFormatError, match=r"^報告書のデータが壊れています（"):
        report_from_dict(damaged(change))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"format": "something-else"}, "tsunaguの報告書のデータではありません。"),
        ({"format": None}, "tsunaguの報告書のデータではありません。"),
        ({"version": 2}, "報告書のデータの版（2）を読めません。このtsunaguが読めるのは版1です。"),
    ],
)
def test_another_format_or_version_is_refused(change: dict[str, Any], message: str) -> None:
    data = {**report_to_dict(published_report()), **change}
    with pytest.raises(ReportFormatError) as error:
        report_from_dict(data)
    assert str(error.value) == message


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{", "報告書のデータがJSONとして読めません"),
        ("[1, 2]", "tsunaguの報告書のデータではありません。"),
        ("{}", "tsunaguの報告書のデータではありません。"),
    ],
)
def test_text_that_is_not_a_report_is_refused(text: str, message: str) -> None:
    with pytest.raises(ReportFormatError, match=f"^{message}"):
        report_from_json(text)
