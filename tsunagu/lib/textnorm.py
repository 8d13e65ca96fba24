"""Normalised text: search keys that ignore width, kana and case, and tidy person names."""

from __future__ import annotations

import unicodedata

import jaconv

__all__ = ["contains", "normalize", "normalize_name", "normalize_newlines"]

_ASCII_LOWER = str.maketrans(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "abcdefghijklmnopqrstuvwxyz",
)


def normalize(text: str) -> str:
    """A search key: NFKC, ASCII lower-cased, whitespace removed, katakana as hiragana.

    「サロン　ひだまり」, 「ｻﾛﾝひだまり」 and 「さろんヒダマリ」 all give 「さろんひだまり」.
    The long vowel mark ー is kept.
    """
    text = unicodedata.normalize("NFKC", text).translate(_ASCII_LOWER)
    text = "".join(text.split())
    # Removing a space can bring a combining mark next to a letter it composes with
    # (NFKC turns ゛ into a space and a combining dakuten), so compose again; lower-casing
    # comes first because some marks compose only with the lower-case letter (j + ̌ → ǰ).
    text = unicodedata.normalize("NFKC", text)
    return str(jaconv.kata2hira(text))


def normalize_name(text: str) -> str:
    """A person's name for display and storage: NFKC, each run of spaces made one space.

    The space between family and given name is kept: 「山田　 太郎 」 gives 「山田 太郎」.
    """
    return " ".join(unicodedata.normalize("NFKC", text).split())


def contains(haystack: str, needle: str) -> bool:
    """Whether needle occurs in haystack once both are normalised (an empty needle does)."""
    return normalize(needle) in normalize(haystack)


def normalize_newlines(text: str) -> str:
    """LF only: browsers send CRLF, CSV may carry CR; stored text round-trips as LF."""
    return text.replace("\r\n", "\n").replace("\r", "\n")
