"""The query-string layer: whatever a visitor types, a list page answers, never 500."""

import pytest
from django.http import QueryDict
from hypothesis import given, settings
from hypothesis import strategies as st

from tsunagu.core.params import (
    MAX_ID,
    ChoiceField,
    FiscalYearField,
    FlagField,
    IdField,
    QueryForm,
    TextField,
    parse_id,
)


class SampleForm(QueryForm):
    zone = IdField(label="圏域")
    place = ChoiceField(label="場所", choices=[("", ""), ("office", "来所")])
    q = TextField(label="検索")


def parse(text: str):  # type: ignore[no-untyped-def]
    return SampleForm.parse(QueryDict(text))


def test_valid_values_come_back_typed() -> None:
    query = parse("zone=12&place=office&q=ほうかつ")
    assert query.values == {"zone": 12, "place": "office", "q": "ほうかつ"}
    assert query.errors == []


def test_full_width_digits_are_a_number() -> None:
    assert parse("zone=%EF%BC%91%EF%BC%92").get("zone") == 12  # １２


@pytest.mark.parametrize(
    "value",
    ["%C2%B2", "0", "-3", str(MAX_ID + 1), "9" * 30, "9" * 5000, "abc", "1e3"],
)
def test_a_bad_id_is_dropped_with_a_message(value: str) -> None:
    query = parse(f"zone={value}&place=office")
    assert query.get("zone") is None
    assert query.get("place") == "office"
    assert query.errors and "「圏域」の指定" in query.errors[0]
    assert query.raw["zone"] == ""


def test_a_nul_byte_in_text_is_dropped() -> None:
    query = parse("q=a%00b")
    assert query.get("q") is None
    assert query.values["q"] == ""
    assert "「検索」" in query.errors[0]


def test_an_unknown_choice_is_dropped() -> None:
    assert parse("place=rooftop").get("place") is None


def test_a_missing_parameter_is_empty_and_silent() -> None:
    query = parse("")
    assert query.values == {"zone": None, "place": "", "q": ""}
    assert query.errors == []


@settings(max_examples=300)
@given(st.dictionaries(st.sampled_from(["zone", "place", "q", "other"]), st.text(max_size=300)))
def test_parse_never_raises(params: dict[str, str]) -> None:
    query_dict = QueryDict(mutable=True)
    query_dict.update(params)
    query = SampleForm.parse(query_dict)
    zone = query.get("zone")
    assert zone is None or 1 <= zone <= MAX_ID
    assert "\x00" not in query.values["q"]
    assert len(query.values["q"]) <= 200


class YearForm(QueryForm):
    fy = FiscalYearField(label="年度")
    inactive = FlagField(label="無効のものも表示")


@pytest.mark.parametrize(("text", "year"), [("2020", 2020), ("令和2年度", 2020), ("", None)])
def test_a_fiscal_year_is_read_as_people_write_it(text: str, year: int | None) -> None:
    query = YearForm.parse(QueryDict(f"fy={text}"))
    assert query.get("fy") == year
    assert query.errors == []


@pytest.mark.parametrize("text", ["来年度", "令和99999年度", "9" * 30, "2020%00", "x" * 300])
def test_an_unreadable_fiscal_year_says_why(text: str) -> None:
    query = YearForm.parse(QueryDict(f"fy={text}"))
    assert query.get("fy") is None
    assert len(query.errors) == 1
    assert "年度" in query.errors[0] and "「年度」の指定は使いませんでした。" in query.errors[0]
    assert "\x00" not in query.errors[0] and len(query.errors[0]) < 200


@pytest.mark.parametrize(("text", "on"), [("1", True), ("on", True), ("0", False), ("²", False)])
def test_a_flag_is_on_or_off_and_never_an_error(text: str, on: bool) -> None:
    query = YearForm.parse(QueryDict(f"inactive={text}"))
    assert query["inactive"] is on
    assert query.errors == []


def test_control_characters_are_removed_from_text() -> None:
    assert parse("q=a%01b%1Fc%7F%09d").get("q") == "abc\td"


@pytest.mark.parametrize(
    ("text", "pk"),
    [
        ("12", 12),
        ("１２", 12),
        ("²", None),
        ("9" * 30, None),
        ("-1", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_id_reads_an_id_inside_a_value(text: str | None, pk: int | None) -> None:
    assert parse_id(text) == pk


def test_every_query_form_is_declared_for_the_fuzz_test() -> None:
    assert SampleForm in QueryForm.declared and YearForm in QueryForm.declared
