"""Normalised text for search and names: plain pytest, no Django needed."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tsunagu.lib.textnorm import contains, normalize, normalize_name

# Text weighted towards what the normalisation is about: kana of both widths, CJK
# punctuation and spaces, dakuten in every form, combining marks and ASCII letters.
japaneseish = st.text(
    st.one_of(
        st.characters(min_codepoint=0x3000, max_codepoint=0x30FF),
        st.characters(min_codepoint=0xFF00, max_codepoint=0xFFEF),
        st.characters(min_codepoint=0x0300, max_codepoint=0x036F),
        st.characters(min_codepoint=0x3200, max_codepoint=0x33FF),
        st.sampled_from(list("AZajz \t\n\u3000\u309b\u309c\u3099\u309a山田")),
    )
)
any_text = st.one_of(st.text(), japaneseish)


@pytest.mark.parametrize(
    "text", ["サロン　ひだまり", "ｻﾛﾝひだまり", "さろんヒダマリ", "サロン ヒダマリ"]
)
def test_spellings_of_one_name_normalise_equal(text: str) -> None:
    assert normalize(text) == "さろんひだまり"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ＡＢＣ１２３", "abc123"),
        ("Hello World", "helloworld"),
        ("ｺｰﾋｰ", "こーひー"),
        ("コーヒー", "こーひー"),
        ("ｶﾞｯｺｳ", "がっこう"),
        ("ヴァイオリン", "ゔぁいおりん"),
        ("か゛", "が"),
        (" \t\n\u3000a\u3000b\r\n", "ab"),
        ("", ""),
    ],
)
def test_normalize_examples(text: str, expected: str) -> None:
    assert normalize(text) == expected


def test_long_vowel_mark_is_kept() -> None:
    assert "ー" in normalize("ケアマネージャー")
    assert "ー" in normalize("ｹｱﾏﾈｰｼﾞｬｰ")
    assert normalize("ケアマネージャー") == normalize("ｹｱﾏﾈｰｼﾞｬｰ") == "けあまねーじゃー"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("山田　太郎", "山田 太郎"),
        ("  山田 　 太郎  ", "山田 太郎"),
        ("山田\t太郎", "山田 太郎"),
        ("ﾔﾏﾀﾞ ﾀﾛｳ", "ヤマダ タロウ"),
        ("Ｙａｍａｄａ　Ｔａｒｏ", "Yamada Taro"),
        ("山田太郎", "山田太郎"),
    ],
)
def test_normalize_name_keeps_one_space(text: str, expected: str) -> None:
    assert normalize_name(text) == expected


def test_contains() -> None:
    assert contains("地域サロン　ひだまり（東町）", "ﾋﾀﾞﾏﾘ")
    assert contains("サロンひだまり", "ろん ひだ")
    assert contains("ＡＢＣ福祉会", "abc")
    assert contains("ふくし", "")
    assert not contains("サロンひだまり", "ひなた")


@settings(max_examples=500)
@given(any_text)
def test_normalize_is_idempotent_and_has_no_whitespace(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once
    assert not any(c.isspace() for c in once)


@settings(max_examples=500)
@given(any_text)
def test_normalize_name_is_idempotent_and_tidy(text: str) -> None:
    name = normalize_name(text)
    assert normalize_name(name) == name
    assert name == name.strip()
    assert "  " not in name
    assert all(c == " " or not c.isspace() for c in name)


@given(any_text)
def test_text_contains_itself(text: str) -> None:
    assert contains(text, text)
    assert contains(text, "")
