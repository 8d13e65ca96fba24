"""Readings (よみ) of names, so that 「ほうかつ」 finds 「地域包括支援センター」.

pykakasi converts kanji to hiragana with the dictionary inside its PyPI package (nothing
is downloaded at run time). A name's reading is only a first guess — 「本町」 may be ほんまち
in one city and ほんちょう in another — so staff can correct it; the guess is used only
where no reading was given."""

from functools import cache
from typing import Any

__all__ = ["reading_of"]


@cache
def _converter() -> Any:
    import pykakasi  # loads its dictionary (about 1 s): once

    return pykakasi.kakasi()


def reading_of(name: str) -> str:
    """The hiragana reading pykakasi guesses for `name` (latin letters and digits kept)."""
    return "".join(part["hira"] for part in _converter().convert(name)).strip()
