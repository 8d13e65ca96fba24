"""The period a report covers: a fiscal year, or a month, a quarter, a half-year or any
range of dates inside one fiscal year, compared with the same dates a year earlier.

Pure: no database. Quarters and halves are fiscal ones (第1四半期 = April to June,
上半期 = April to September). A period never spans two fiscal years: the categories a
report counts by are those of one year's lists."""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from enum import Enum

from tsunagu.lib.fiscal import (
    MAX_FISCAL_YEAR,
    MIN_DATE,
    MIN_FISCAL_YEAR,
    era_of,
    fiscal_year_bounds,
    fiscal_year_label,
    fiscal_year_of,
)

__all__ = ["Cut", "Period", "PeriodError", "parse_period", "reportable"]


class PeriodError(ValueError):
    """A period that cannot be reported; the message is for the user."""


class Cut(Enum):
    YEAR = "year"
    HALF = "half"
    QUARTER = "quarter"
    MONTH = "month"
    RANGE = "range"


CUT_LABELS = {
    Cut.YEAR: "年度",
    Cut.MONTH: "月",
    Cut.QUARTER: "四半期",
    Cut.HALF: "上半期・下半期",
    Cut.RANGE: "期間指定",
}

# The months of a fiscal year in its order, April first.
FISCAL_MONTHS = (4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3)
HALF_NAMES = {1: "上半期", 2: "下半期"}


def _month_start(fiscal_year: int, month: int) -> date:
    return date(fiscal_year if month >= 4 else fiscal_year + 1, month, 1)


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _year_earlier(d: date, years: int = 1) -> date:
    """The same day `years` earlier; February 29 becomes February 28."""
    try:
        return d.replace(year=d.year - years)
    except ValueError:
        return d.replace(year=d.year - years, day=28)


def _era_year(d: date) -> str:
    era, n = era_of(d)
    return f"{era.name}{'元' if n == 1 else n}年"


@dataclass(frozen=True)
class Period:
    """The first and last day (both inclusive) of a report, within one fiscal year."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise PeriodError(
                f"期間の終わり（{_day_text(self.end)}）が始まり（{_day_text(self.start)}）より前です。"
            )
        first, last = fiscal_year_of(self.start), fiscal_year_of(self.end)
        if self.start < MIN_DATE or last > MAX_FISCAL_YEAR:
            raise PeriodError(f"{first}年度の報告は作れません。")
        if first != last:
            raise PeriodError(
                f"期間が{fiscal_year_label(first)}と{fiscal_year_label(last)}にまたがっています。"
                "報告の期間は1つの年度の中（4月1日〜翌年3月31日）で指定してください。"
            )

    @classmethod
    def year(cls, fiscal_year: int) -> Period:
        return cls(*fiscal_year_bounds(fiscal_year))

    @classmethod
    def month(cls, fiscal_year: int, month: int) -> Period:
        start = _month_start(fiscal_year, month)
        return cls(start, _month_end(start.year, month))

    @classmethod
    def quarter(cls, fiscal_year: int, quarter: int) -> Period:
        months = FISCAL_MONTHS[(quarter - 1) * 3 : quarter * 3]
        start = _month_start(fiscal_year, months[0])
        last = _month_start(fiscal_year, months[-1])
        return cls(start, _month_end(last.year, last.month))

    @classmethod
    def half(cls, fiscal_year: int, half: int) -> Period:
        months = FISCAL_MONTHS[(half - 1) * 6 : half * 6]
        start = _month_start(fiscal_year, months[0])
        last = _month_start(fiscal_year, months[-1])
        return cls(start, _month_end(last.year, last.month))

    @property
    def fiscal_year(self) -> int:
        return fiscal_year_of(self.start)

    @property
    def whole_months(self) -> bool:
        return self.start.day == 1 and self.end == _month_end(self.end.year, self.end.month)

    @property
    def cut(self) -> Cut:
        """The named cut these dates are, else RANGE."""
        fy = self.fiscal_year
        if self == Period.year(fy):
            return Cut.YEAR
        if any(self == Period.half(fy, h) for h in (1, 2)):
            return Cut.HALF
        if any(self == Period.quarter(fy, q) for q in (1, 2, 3, 4)):
            return Cut.QUARTER
        if self.whole_months and (self.start.year, self.start.month) == (
            self.end.year,
            self.end.month,
        ):
            return Cut.MONTH
        return Cut.RANGE

    @property
    def is_whole_year(self) -> bool:
        return self.cut is Cut.YEAR

    @property
    def name(self) -> str:
        """上半期, 第1四半期, 4月, 期間指定, or "" for a whole year."""
        fy, cut = self.fiscal_year, self.cut
        if cut is Cut.HALF:
            return HALF_NAMES[1 if self == Period.half(fy, 1) else 2]
        if cut is Cut.QUARTER:
            return f"第{FISCAL_MONTHS.index(self.start.month) // 3 + 1}四半期"
        if cut is Cut.MONTH:
            return f"{self.start.month}月"
        if cut is Cut.RANGE:
            return "期間指定"
        return ""

    @property
    def span(self) -> str:
        """令和2年4月〜9月, 令和2年10月〜令和3年3月, 令和2年5月3日〜8月20日."""
        start, end = self.start, self.end
        if self.whole_months:
            head = f"{_era_year(start)}{start.month}月"
            if (start.year, start.month) == (end.year, end.month):
                return head
            return f"{head}〜{_again(start, end)}{end.month}月"
        head = f"{_era_year(start)}{start.month}月{start.day}日"
        return f"{head}〜{_again(start, end)}{end.month}月{end.day}日"

    @property
    def label(self) -> str:
        """令和2年度, or 令和2年度 上半期（令和2年4月〜9月）."""
        year = fiscal_year_label(self.fiscal_year)
        if self.is_whole_year:
            return year
        return f"{year} {self.name}（{self.span}）"

    def earlier(self, years: int = 1) -> Period:
        """The same dates `years` earlier (the comparison period, for years=1)."""
        start, end = _year_earlier(self.start, years), _year_earlier(self.end, years)
        if self.end.month == 2 and self.end.day >= 28:
            end = _month_end(end.year, 2)  # Feb 28 of a leap year's year stays a whole month
        return Period(start, end)

    def as_text(self) -> str:
        """The form `parse_period` reads back: 2020-04..2020-09, 2020-05-03..2020-08-20."""
        if self.whole_months:
            return f"{self.start:%Y-%m}..{self.end:%Y-%m}"
        return f"{self.start.isoformat()}..{self.end.isoformat()}"


def _again(start: date, end: date) -> str:
    """The era and year of the end of a span, when they are not the start's."""
    return "" if _era_year(end) == _era_year(start) else _era_year(end)


def _day_text(d: date) -> str:
    return f"{_era_year(d)}{d.month}月{d.day}日"


_FORMS = (
    "2020-04（月）、2020-Q1（第1四半期：4月〜6月）、2020-H1（上半期）、"
    "2020-04..2020-09、2020-05-03..2020-08-20 のように入力してください（Q・H の年は年度）。"
)
_MONTH = re.compile(r"(?P<y>[0-9]{4})-(?P<m>[0-9]{1,2})")
_DAY = re.compile(r"(?P<y>[0-9]{4})-(?P<m>[0-9]{1,2})-(?P<d>[0-9]{1,2})")
_PART = re.compile(r"(?P<y>[0-9]{4})-?(?P<kind>[QH])(?P<n>[0-9])", re.IGNORECASE)
_FY = re.compile(r"(?:FY)?(?P<y>[0-9]{4})(?:年度)?", re.IGNORECASE)
_DASHES = str.maketrans(dict.fromkeys("‐‑‒–—―−ー/", "-"))
_RANGE = re.compile(r"\.\.|〜|~|～")


def _bound(text: str, shown: str, *, end: bool) -> date:
    """One end of a range: a month (its first or last day) or a day."""
    try:
        if m := _DAY.fullmatch(text):
            return date(int(m["y"]), int(m["m"]), int(m["d"]))
        if m := _MONTH.fullmatch(text):
            year, month = int(m["y"]), int(m["m"])
            return _month_end(year, month) if end else date(year, month, 1)
    except ValueError:
        raise PeriodError(f"「{text}」はありえない日付です。{_FORMS}") from None
    raise PeriodError(f"「{shown}」は期間として読み取れません。{_FORMS}")


def _parse(text: str) -> Period:
    cleaned = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or "")).translate(_DASHES)
    shown = "".join(ch for ch in (text or "").strip() if ch.isprintable())[:30]
    if not cleaned:
        raise PeriodError(f"期間が入力されていません。{_FORMS}")
    if len(cleaned) > 30:
        raise PeriodError(f"期間として読み取れません。{_FORMS}")
    parts = _RANGE.split(cleaned)
    if len(parts) == 2 and all(parts):
        return Period(_bound(parts[0], shown, end=False), _bound(parts[1], shown, end=True))
    if len(parts) != 1:
        raise PeriodError(f"「{shown}」は期間として読み取れません。{_FORMS}")
    if m := _FY.fullmatch(cleaned):
        year = int(m["y"])
        return _checked(lambda: Period.year(year), shown)
    if m := _PART.fullmatch(cleaned):
        year, n, kind = int(m["y"]), int(m["n"]), m["kind"].upper()
        if kind == "Q" and 1 <= n <= 4:
            return _checked(lambda: Period.quarter(year, n), shown)
        if kind == "H" and n in (1, 2):
            return _checked(lambda: Period.half(year, n), shown)
        raise PeriodError(
            f"「{shown}」は期間として読み取れません。四半期は Q1〜Q4、半期は H1・H2 です。"
        )
    if _MONTH.fullmatch(cleaned) or _DAY.fullmatch(cleaned):
        return Period(_bound(cleaned, shown, end=False), _bound(cleaned, shown, end=True))
    raise PeriodError(f"「{shown}」は期間として読み取れません。{_FORMS}")


def parse_period(text: str) -> Period:
    """A period as people write it: 2020-04 (a month), 2020-Q1 / 2020-H2 (a fiscal
    quarter or half), 2020 (a fiscal year), or a range 2020-04..2020-09 whose ends are
    months or days. PeriodError (Japanese) otherwise."""
    return reportable(_parse(text))


def reportable(period: Period) -> Period:
    """The period, if a report can be made of it (its year and the two before it can be
    named by an era, as the trends name them); else PeriodError."""
    if not MIN_FISCAL_YEAR <= period.fiscal_year <= MAX_FISCAL_YEAR:
        raise PeriodError(f"{period.fiscal_year}年度の報告は作れません。")
    return period


def _checked(make: Callable[[], Period], shown: str) -> Period:
    try:
        return make()
    except PeriodError:
        raise
    except (ValueError, OverflowError):
        raise PeriodError(f"「{shown}」は期間として読み取れません。{_FORMS}") from None
