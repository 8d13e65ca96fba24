"""Japanese fiscal years (年度) and eras (元号): the one place the app computes them.

Fiscal year N runs from April 1 of N to March 31 of N+1.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

__all__ = [
    "ERAS",
    "MAX_DATE",
    "MAX_FISCAL_YEAR",
    "MIN_DATE",
    "MIN_FISCAL_YEAR",
    "TOKYO",
    "DateParseError",
    "Era",
    "FiscalParseError",
    "current_fiscal_year",
    "date_label",
    "default_fiscal_year",
    "era_of",
    "fiscal_year_bounds",
    "fiscal_year_label",
    "fiscal_year_of",
    "parse_date",
    "parse_fiscal_year",
]

TOKYO = ZoneInfo("Asia/Tokyo")


@dataclass(frozen=True)
class Era:
    """A Japanese era: its name, its initial as written in R2.4.1, and its first day."""

    name: str
    letter: str
    start: date


# 明治 is counted from its proclamation (1868-10-23, Gregorian) rather than the lunisolar
# New Year it was backdated to, and all dates are taken as Gregorian even before 明治6年.
ERAS: tuple[Era, ...] = (
    Era("明治", "M", date(1868, 10, 23)),
    Era("大正", "T", date(1912, 7, 30)),
    Era("昭和", "S", date(1926, 12, 25)),
    Era("平成", "H", date(1989, 1, 8)),
    Era("令和", "R", date(2019, 5, 1)),
)

MIN_FISCAL_YEAR = 1900
MAX_FISCAL_YEAR = 2200
# parse_date accepts exactly the dates date_label can write, up to the end of the last
# accepted fiscal year; anything outside is a typo such as 0202 or 2920.
MIN_DATE = ERAS[0].start
MAX_DATE = date(MAX_FISCAL_YEAR + 1, 3, 31)

_ERA_BY_KEY: dict[str, Era] = {e.name: e for e in ERAS} | {e.letter: e for e in ERAS}


class FiscalParseError(ValueError):
    """Text that cannot be read as a fiscal year; the message is for the user."""


class DateParseError(ValueError):
    """Text that cannot be read as a date; the message is for the user."""


def _as_date(d: date) -> date:
    # A datetime compares unequal to (and raises against) a date, so drop the time.
    return d.date() if isinstance(d, datetime) else d


def fiscal_year_of(d: date) -> int:
    """The fiscal year that contains d."""
    return d.year if d.month >= 4 else d.year - 1


def fiscal_year_bounds(fy: int) -> tuple[date, date]:
    """First and last day (both inclusive) of fiscal year fy."""
    return date(fy, 4, 1), date(fy + 1, 3, 31)


def current_fiscal_year(today: date | None = None) -> int:
    """The fiscal year of today, taken in Asia/Tokyo when not given."""
    if today is None:
        today = datetime.now(TOKYO).date()
    return fiscal_year_of(today)


def default_fiscal_year(years_with_data: Iterable[int], today: date | None = None) -> int:
    """The year a page opens on when none is asked for: this fiscal year if it has data,
    else the latest year before it that has (a council that stopped entering, or a demo
    pinned to an old year), else this year. Years after this one never win: entry made
    ahead does not move every page into the future."""
    current = current_fiscal_year(today)
    earlier = [y for y in years_with_data if y <= current]
    return max(earlier, default=current)


def _next_era(era: Era) -> Era | None:
    i = ERAS.index(era)
    return ERAS[i + 1] if i + 1 < len(ERAS) else None


def _last_year(era: Era) -> int | None:
    """The number of the era's last year, or None for the era in force."""
    nxt = _next_era(era)
    return None if nxt is None else nxt.start.year - era.start.year + 1


def _year_text(n: int) -> str:
    return "元" if n == 1 else str(n)


def western_date_label(d: date) -> str:
    """「2020年4月1日」 (strftime's %-m is not portable to Windows)."""
    return f"{d.year}年{d.month}月{d.day}日"


def era_of(d: date) -> tuple[Era, int]:
    """The era in force on d and the year number within it (1 for 元年)."""
    d = _as_date(d)
    for era in reversed(ERAS):
        if d >= era.start:
            return era, d.year - era.start.year + 1
    raise ValueError(f"{western_date_label(d)}は明治より前の日付のため、元号で表せません。")


def fiscal_year_label(fy: int) -> str:
    """E.g. 令和2年度: named by the era in force on December 31 of fy."""
    if fy < MIN_DATE.year:
        raise ValueError(f"{fy}年度は明治より前のため、元号で表せません。")
    era, n = era_of(date(fy, 12, 31))
    return f"{era.name}{_year_text(n)}年度"


def date_label(d: date) -> str:
    """E.g. 令和2年4月1日, with 元 for the first year of an era."""
    d = _as_date(d)
    era, n = era_of(d)
    return f"{era.name}{_year_text(n)}年{d.month}月{d.day}日"


# Hyphen look-alikes that Japanese input methods produce in place of "-" (ー is the
# usual slip); NFKC leaves them alone.
_DASHES = str.maketrans(dict.fromkeys("‐‑‒–—―−ー", "-"))

_ERA = r"(?P<era>明治|大正|昭和|平成|令和|[MTSHR])\s*(?P<n>元|[0-9]{1,3})"
_SEP_BODY = r"\s*(?P<sep>[-/.])\s*(?P<m>[0-9]{1,2})\s*(?P=sep)\s*(?P<d>[0-9]{1,2})"
_KANJI_BODY = r"\s*年\s*(?P<m>[0-9]{1,2})\s*月\s*(?P<d>[0-9]{1,2})\s*日"
_YEAR = r"(?P<y>[0-9]{4})"

_FY_WESTERN = re.compile(r"(?:FY\s*)?(?P<y>[0-9]{4})\s*(?:年度)?", re.IGNORECASE)
_FY_ERA = re.compile(_ERA + r"\s*(?:年度)?", re.IGNORECASE)
_DATE_WESTERN = [re.compile(_YEAR + _SEP_BODY), re.compile(_YEAR + _KANJI_BODY)]
_DATE_ERA = [
    re.compile(_ERA + _SEP_BODY, re.IGNORECASE),
    re.compile(_ERA + _KANJI_BODY, re.IGNORECASE),
]

_FY_FORMS = "2020、2020年度、令和2年度、R2 のように入力してください。"
_DATE_FORMS = "2020-04-01、2020/4/1、2020年4月1日、令和2年4月1日、R2.4.1 のように入力してください。"


def _clean(text: str) -> str:
    return unicodedata.normalize("NFKC", text).translate(_DASHES).strip()


def _era_year(match: re.Match[str]) -> tuple[Era, int]:
    era = _ERA_BY_KEY[match["era"].upper()]
    n = 1 if match["n"] == "元" else int(match["n"])
    return era, n


def parse_fiscal_year(text: str) -> int:
    """Read 2020, 2020年度, FY2020, 令和2年度, 令和元年度, R2 and the like as a fiscal year."""
    shown = text.strip()
    if not shown:
        raise FiscalParseError(f"年度が入力されていません。{_FY_FORMS}")
    cleaned = _clean(text)
    if m := _FY_WESTERN.fullmatch(cleaned):
        fy = int(m["y"])
    elif m := _FY_ERA.fullmatch(cleaned):
        era, n = _era_year(m)
        if n == 0:
            raise FiscalParseError(
                f"「{shown}」は年度として読み取れません。{era.name}の年は元年（1年）から数えます。"
            )
        fy = era.start.year + n - 1
        last = _last_year(era)
        if last is not None and n > last:
            raise FiscalParseError(
                f"「{shown}」は年度として読み取れません。{era.name}は{last}年までです。"
                f"{fy}年度なら{fiscal_year_label(fy)}です。"
            )
    else:
        raise FiscalParseError(f"「{shown}」は年度として読み取れません。{_FY_FORMS}")
    if not MIN_FISCAL_YEAR <= fy <= MAX_FISCAL_YEAR:
        raise FiscalParseError(
            f"「{shown}」は範囲外です。{MIN_FISCAL_YEAR}年度から{MAX_FISCAL_YEAR}年度までの"
            "年度を入力してください。"
        )
    return fy


def _out_of_range(shown: str) -> DateParseError:
    return DateParseError(
        f"「{shown}」は範囲外です。{western_date_label(MIN_DATE)}から{western_date_label(MAX_DATE)}"
        "までの日付を入力してください。"
    )


def _make_date(shown: str, y: int, m: int, d: int) -> date:
    if not MIN_DATE.year <= y <= MAX_DATE.year:
        raise _out_of_range(shown)
    if not 1 <= m <= 12:
        raise DateParseError(f"「{shown}」は日付として読み取れません。月は1から12までです。")
    last_day = calendar.monthrange(y, m)[1]
    if not 1 <= d <= last_day:
        raise DateParseError(f"「{shown}」は存在しない日付です。{y}年{m}月は{last_day}日までです。")
    return date(y, m, d)


def _check_era(shown: str, era: Era, n: int, d: date) -> None:
    """Refuse an era date that falls outside the era it names."""
    hint = f"{date_label(d)}のことではありませんか？" if d >= MIN_DATE else ""
    last = _last_year(era)
    if last is not None and n > last:
        raise DateParseError(
            f"「{shown}」は日付として読み取れません。{era.name}は{last}年までです。{hint}"
        )
    if d < era.start:
        raise DateParseError(
            f"「{shown}」は日付として読み取れません。{era.name}は{western_date_label(era.start)}に"
            f"始まりました。{hint}"
        )
    nxt = _next_era(era)
    if nxt is not None and d >= nxt.start:
        end = nxt.start - timedelta(days=1)
        raise DateParseError(
            f"「{shown}」は日付として読み取れません。{era.name}は{western_date_label(end)}で"
            f"終わりました。{hint}"
        )


def _read_date(shown: str, cleaned: str) -> date:
    for pattern in _DATE_WESTERN:
        if m := pattern.fullmatch(cleaned):
            return _make_date(shown, int(m["y"]), int(m["m"]), int(m["d"]))
    for pattern in _DATE_ERA:
        if m := pattern.fullmatch(cleaned):
            era, n = _era_year(m)
            if n == 0:
                raise DateParseError(
                    f"「{shown}」は日付として読み取れません。{era.name}の年は元年（1年）から数えます。"
                )
            d = _make_date(shown, era.start.year + n - 1, int(m["m"]), int(m["d"]))
            _check_era(shown, era, n, d)
            return d
    raise DateParseError(f"「{shown}」は日付として読み取れません。{_DATE_FORMS}")


def parse_date(text: str | date) -> date:
    """Read 2020-04-01, 2020/4/1, 2020年4月1日, 令和2年4月1日, R2.4.1 and the like as a date.

    A date or datetime (as an Excel cell or the API gives it) is returned as its date, if
    it is in the same range as a typed one.
    """
    if isinstance(text, date):
        d = _as_date(text)
        if not MIN_DATE <= d <= MAX_DATE:
            raise _out_of_range(d.isoformat())
        return d
    if not isinstance(text, str) or not text.strip():
        raise DateParseError(f"日付が入力されていません。{_DATE_FORMS}")
    shown = text.strip()
    d = _read_date(shown, _clean(text))
    if not MIN_DATE <= d <= MAX_DATE:
        raise _out_of_range(shown)
    return d
