"""When a volunteer can help: a set of (weekday, time of day) slots, and the text that
staff type for it (「火・木の午前」「平日午後」「土日」).

Weekdays are numbered as `date.weekday()` does: 0 = Monday … 6 = Sunday. Times of day are
"am" (午前), "pm" (午後) and "night" (夜).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

__all__ = [
    "ALL_SLOTS",
    "SLOTS",
    "SLOT_LABELS",
    "WEEKDAYS",
    "AvailabilityParseError",
    "Slot",
    "describe_availability",
    "from_json",
    "parse_availability",
    "slot_code",
    "slot_label",
    "to_json",
]

Slot = tuple[int, str]

WEEKDAYS = ("月", "火", "水", "木", "金", "土", "日")
SLOTS = ("am", "pm", "night")
SLOT_LABELS = {"am": "午前", "pm": "午後", "night": "夜"}
ALL_SLOTS: frozenset[Slot] = frozenset((d, s) for d in range(7) for s in SLOTS)

_SLOT_BY_WORD = {
    "午前": ("am",),
    "朝": ("am",),
    "午後": ("pm",),
    "昼": ("pm",),
    "夕方": ("night",),
    "夜": ("night",),
    "夜間": ("night",),
    "日中": ("am", "pm"),
    "終日": SLOTS,
    "一日": SLOTS,
    "1日": SLOTS,
    "いつでも": SLOTS,
    "am": ("am",),
    "pm": ("pm",),
}
_DAYS_BY_WORD = {
    "平日": (0, 1, 2, 3, 4),
    "土日祝": (5, 6),
    "土日": (5, 6),
    "週末": (5, 6),
    "毎日": tuple(range(7)),
    "いつでも": tuple(range(7)),
    **{w: (i,) for i, w in enumerate(WEEKDAYS)},
}
# Longest word first, days and times together: 「日中」 is a time, not Sunday.
_WORDS: list[tuple[str, str]] = sorted(
    [(w, "day") for w in _DAYS_BY_WORD if w not in _SLOT_BY_WORD]
    + [(w, "slot") for w in _SLOT_BY_WORD],
    key=lambda t: len(t[0]),
    reverse=True,
)
# After a weekday letter: 曜, 曜日 (「火曜日」「火曜」「火」).
_DAY_SUFFIX = re.compile(r"曜(?:日(?!中))?")
_FORMS = "「月・水の午前」「平日午後」「土日」「火曜午前、金曜夜」のように入力してください。"


class AvailabilityParseError(ValueError):
    """Text that cannot be read as times available; the message is for the user."""


def slot_code(value: str) -> str:
    """ "am"/"pm"/"night" from a code or its label (午前/午後/夜)."""
    value = value.strip()
    if value in SLOTS:
        return value
    for code, label in SLOT_LABELS.items():
        if value == label:
            return code
    raise ValueError(f"「{value}」は時間帯として読み取れません（午前・午後・夜）。")


def slot_label(slot: Slot) -> str:
    """「火曜午前」."""
    day, code = slot
    return f"{WEEKDAYS[day]}曜{SLOT_LABELS[code]}"


# Items are separated by 、 , ／ ; and line breaks; inside one, days and times run together.
_ITEM_SEPARATORS = re.compile(r"[、,;／/\n]+")
# Words that join or decorate without meaning: spaces, ・, と, の, は, 可 …
_FILLER = re.compile(r"[・\s]+|および|及び|毎週|以降|のみ|だけ|なら|可能|ok|[とのにはもが可]", re.I)

Token = tuple[str, tuple[int, ...] | tuple[str, ...]]


def _tokens(shown: str, item: str) -> list[Token]:
    """("day", days) and ("slot", codes) tokens of one item; an unknown word raises."""
    tokens: list[Token] = []
    i = 0
    while i < len(item):
        if (m := _FILLER.match(item, i)) and m.end() > i:
            i = m.end()
            continue
        for word, kind in _WORDS:
            if item.startswith(word, i):
                i += len(word)
                if kind == "day":
                    tokens.append(("day", _DAYS_BY_WORD[word]))
                    if m := _DAY_SUFFIX.match(item, i):
                        i = m.end()
                else:
                    tokens.append(("slot", _SLOT_BY_WORD[word]))
                break
        else:
            raise AvailabilityParseError(
                f"「{shown}」の「{item[i : i + 6]}」が読み取れません。{_FORMS}"
            )
    return tokens


def _groups(tokens: list[Token]) -> list[tuple[list[int], list[str]]]:
    """Days with their times. «火・木の午前 金の夜» writes times after their days,
    «午前は火・木 夜は金» before them; the first word of the item tells which."""
    times_first = bool(tokens) and tokens[0][0] == "slot"
    groups: list[tuple[list[int], list[str]]] = []
    days: list[int] = []
    codes: list[str] = []
    previous = ""
    for kind, values in tokens:
        if kind == "day":
            if previous == "slot" and days and not times_first:
                groups.append((days, codes))
                days, codes = [], []
            days.extend(v for v in values if isinstance(v, int))
        else:
            if previous == "day" and days and times_first:
                groups.append((days, codes))
                days, codes = [], []
            codes.extend(v for v in values if isinstance(v, str))
        previous = kind
    if days or codes:
        groups.append((days, codes))
    return groups


def parse_availability(text: str) -> frozenset[Slot]:
    """Read 「火・木の午前」「平日午後、土曜終日」「月水金」「午前は火・木」 as a set of slots.

    Days without a time mean all day; times without any day at all mean every day
    («午前ならいつでも»); times alone after days apply to those days («月水金、午前のみ»). An empty text, or a word that is neither a day nor a time of
    day, is refused.
    """
    shown = text.strip()
    if not shown:
        raise AvailabilityParseError(f"活動できる曜日・時間帯が入力されていません。{_FORMS}")
    normalised = unicodedata.normalize("NFKC", text).lower()
    groups: list[tuple[list[int], list[str]]] = []
    for item in _ITEM_SEPARATORS.split(normalised):
        for days, codes in _groups(_tokens(shown, item)):
            if not days and groups and groups[-1][0]:
                # «月水金、午前のみ», «月曜午前、夜»: more times for the days just named.
                groups[-1] = (groups[-1][0], groups[-1][1] + codes)
            else:
                groups.append((days, codes))
    if not groups:
        raise AvailabilityParseError(f"「{shown}」から曜日・時間帯が読み取れません。{_FORMS}")
    any_days = any(days for days, _ in groups)
    result: set[Slot] = set()
    for days, codes in groups:
        if not days and any_days:
            times = "・".join(SLOT_LABELS[c] for c in dict.fromkeys(codes))
            raise AvailabilityParseError(
                f"「{shown}」の「{times}」がどの曜日のことか読み取れません。{_FORMS}"
            )
        for day in days or range(7):
            for code in codes or SLOTS:
                result.add((day, code))
    return frozenset(result)


def describe_availability(slots: Iterable[Slot]) -> str:
    """A short text for a set of slots: 「火・木 午前／土 終日」. Empty gives ""."""
    by_day: dict[int, set[str]] = {}
    for day, code in slots:
        by_day.setdefault(day, set()).add(code)
    # Group days that share the same times, in weekday order of their first day.
    groups: dict[tuple[str, ...], list[int]] = {}
    for day in sorted(by_day):
        key = tuple(c for c in SLOTS if c in by_day[day])
        groups.setdefault(key, []).append(day)
    parts = []
    for key, days in groups.items():
        times = "終日" if len(key) == len(SLOTS) else "・".join(SLOT_LABELS[c] for c in key)
        parts.append(f"{'・'.join(WEEKDAYS[d] for d in days)} {times}")
    return "／".join(parts)


def to_json(slots: Iterable[Slot]) -> list[list[int | str]]:
    return [[d, c] for d, c in sorted(slots, key=lambda s: (s[0], SLOTS.index(s[1])))]


def from_json(value: object) -> frozenset[Slot]:
    """The stored list of [weekday, code] pairs; anything malformed is skipped."""
    result: set[Slot] = set()
    if not isinstance(value, list):
        return frozenset()
    for item in value:
        if (
            isinstance(item, list | tuple)
            and len(item) == 2
            and isinstance(item[0], int)
            and 0 <= item[0] < 7
            and item[1] in SLOTS
        ):
            result.add((item[0], str(item[1])))
    return frozenset(result)
