"""The one rule of who may be the same person (lib/identity.py), as the case register and
the volunteer centre both ask it."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tsunagu.lib.identity import birth_years_agree, candidates_q, keys_match

KEYS = st.sampled_from(["", "みほんはなこ", "さいとうはなこ"])
YEARS = st.sampled_from([None, 1960, 1988])


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        (("みほんはなこ", ""), ("みほんはなこ", "みほんはなこ"), True),  # the same name
        (("斉藤花子", "さいとうはなこ"), ("斎藤花子", "さいとうはなこ"), True),  # read alike
        (("", ""), ("", ""), False),  # nothing to compare on
        (("みほんはなこ", ""), ("みほんはな", ""), False),
    ],
)
def test_the_same_name_or_the_same_reading(
    a: tuple[str, str], b: tuple[str, str], same: bool
) -> None:
    assert keys_match(*a, *b) is same
    assert keys_match(*b, *a) is same


@given(KEYS, KEYS, KEYS, KEYS)
def test_keys_match_is_symmetric_and_never_on_empty_keys(
    name_a: str, kana_a: str, name_b: str, kana_b: str
) -> None:
    assert keys_match(name_a, kana_a, name_b, kana_b) == keys_match(name_b, kana_b, name_a, kana_a)
    if not (name_a or kana_a):
        assert not keys_match(name_a, kana_a, name_b, kana_b)


@given(YEARS, YEARS)
def test_birth_years_agree_unless_both_are_known_and_differ(a: int | None, b: int | None) -> None:
    assert birth_years_agree(a, b) is (a is None or b is None or a == b)


def test_no_key_asks_nothing() -> None:
    assert candidates_q("", "") is None
    assert candidates_q("みほんはなこ", "") is not None
