"""Reading the days and times a volunteer can help, as staff type them."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tsunagu.volunteers.availability import (
    ALL_SLOTS,
    AvailabilityParseError,
    describe_availability,
    from_json,
    parse_availability,
    slot_code,
    slot_label,
    to_json,
)

MON, TUE, WED, THU, FRI, SAT, SUN = range(7)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("火・木の午前", {(TUE, "am"), (THU, "am")}),
        ("火曜午前", {(TUE, "am")}),
        ("火曜日 午前", {(TUE, "am")}),
        ("水曜の午後と夜", {(WED, "pm"), (WED, "night")}),
        ("平日午後", {(d, "pm") for d in range(5)}),
        ("土日", {(d, s) for d in (SAT, SUN) for s in ("am", "pm", "night")}),
        ("月水金", {(d, s) for d in (MON, WED, FRI) for s in ("am", "pm", "night")}),
        ("火曜午前、金曜夜", {(TUE, "am"), (FRI, "night")}),
        ("午前は火・木、午後は金", {(TUE, "am"), (THU, "am"), (FRI, "pm")}),
        ("火・木の午前 金の夜", {(TUE, "am"), (THU, "am"), (FRI, "night")}),
        ("月水金、午前のみ", {(MON, "am"), (WED, "am"), (FRI, "am")}),
        ("毎日夜", {(d, "night") for d in range(7)}),
        ("午前", {(d, "am") for d in range(7)}),
        ("日中", {(d, s) for d in range(7) for s in ("am", "pm")}),
        ("日曜日中", {(SUN, "am"), (SUN, "pm")}),
        ("ｶﾞｯ", None),
        ("　火　ＡＭ　", {(TUE, "am")}),
        ("平日の夕方以降", {(d, "night") for d in range(5)}),
    ],
)
def test_reads_what_staff_type(text: str, expected: set[tuple[int, str]] | None) -> None:
    if expected is None:
        with pytest.raises(AvailabilityParseError):
            parse_availability(text)
    else:
        assert parse_availability(text) == frozenset(expected)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("", "入力されていません"),
        ("   ", "入力されていません"),
        ("第2土曜", "「第2土曜」が読み取れません"),
        ("月曜 10時から", "「10時から」が読み取れません"),
        ("午前、平日", "「午前」がどの曜日のことか読み取れません"),
        ("いつか", "読み取れません"),
    ],
)
def test_text_that_does_not_parse_is_refused_with_the_reason(text: str, says: str) -> None:
    with pytest.raises(AvailabilityParseError) as error:
        parse_availability(text)
    message = str(error.value)
    assert says in message
    # The message shows how to write it instead.
    assert "「月・水の午前」" in message


def test_describes_slots_grouping_days_with_the_same_times() -> None:
    slots = parse_availability("火・木の午前、土曜終日")
    assert describe_availability(slots) == "火・木 午前／土 終日"
    assert describe_availability(frozenset()) == ""


@given(st.frozensets(st.sampled_from(sorted(ALL_SLOTS)), min_size=1))
def test_a_description_reads_back_as_the_same_slots(slots: frozenset[tuple[int, str]]) -> None:
    assert parse_availability(describe_availability(slots)) == slots


@given(st.frozensets(st.sampled_from(sorted(ALL_SLOTS))))
def test_stored_form_round_trips(slots: frozenset[tuple[int, str]]) -> None:
    assert from_json(to_json(slots)) == slots


def test_stored_form_skips_what_is_malformed() -> None:
    assert from_json([[1, "am"], [9, "am"], ["x", "pm"], [2], "bad", [3, "noon"]]) == {(1, "am")}
    assert from_json("not a list") == frozenset()


def test_slot_codes_and_labels() -> None:
    assert slot_code("午前") == "am"
    assert slot_code("night") == "night"
    with pytest.raises(ValueError, match="時間帯"):
        slot_code("正午")
    assert slot_label((TUE, "am")) == "火曜午前"
