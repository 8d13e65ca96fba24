"""The query-string layer: whatever a visitor types, a list page answers, never 500."""

import pytest
from django.http import QueryDict
from hypothesis import given, settings
from hypothesis import strategies as st

from tsunagu.core.params import MAX_ID, ChoiceField, IdField, QueryForm, TextField


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
