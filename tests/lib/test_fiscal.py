"""Fiscal years and Japanese eras: plain pytest, no Django needed."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, tzinfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tsunagu.lib import fiscal
from tsunagu.lib.fiscal import (
    ERAS,
    DateParseError,
    FiscalParseError,
    current_fiscal_year,
    date_label,
    era_of,
    fiscal_year_bounds,
    fiscal_year_label,
    fiscal_year_of,
    parse_date,
    parse_fiscal_year,
)

SHOWA, HEISEI, REIWA = (next(e for e in ERAS if e.name == n) for n in ("昭和", "平成", "令和"))
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
FULL_WIDTH = str.maketrans("0123456789/-.", "０１２３４５６７８９／－．")


def days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def assert_japanese_message(err: ValueError, text: str) -> None:
    message = str(err)
    assert JAPANESE.search(message), message
    if text.strip():
        assert f"「{text.strip()}」" in message, message


# --- fiscal years -----------------------------------------------------------------------


def test_fiscal_year_of_every_day_2018_to_2021() -> None:
    for d in days(date(2018, 3, 25), date(2021, 4, 5)):
        expected = d.year if (d.month, d.day) >= (4, 1) else d.year - 1
        assert fiscal_year_of(d) == expected, d
        first, last = fiscal_year_bounds(expected)
        assert first <= d <= last, d


def test_fiscal_year_bounds_examples() -> None:
    assert fiscal_year_bounds(2020) == (date(2020, 4, 1), date(2021, 3, 31))
    assert fiscal_year_bounds(2019) == (date(2019, 4, 1), date(2020, 3, 31))


@given(st.integers(min_value=1900, max_value=2200))
def test_fiscal_year_bounds_are_exact(fy: int) -> None:
    first, last = fiscal_year_bounds(fy)
    assert fiscal_year_of(first) == fy
    assert fiscal_year_of(last) == fy
    assert fiscal_year_of(first - timedelta(days=1)) == fy - 1
    assert fiscal_year_of(last + timedelta(days=1)) == fy + 1


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31)))
def test_every_date_lies_in_the_bounds_of_its_fiscal_year(d: date) -> None:
    first, last = fiscal_year_bounds(fiscal_year_of(d))
    assert first <= d <= last


def test_current_fiscal_year_given_today() -> None:
    assert current_fiscal_year(date(2020, 3, 31)) == 2019
    assert current_fiscal_year(date(2020, 4, 1)) == 2020


def test_current_fiscal_year_uses_tokyo_time(monkeypatch: pytest.MonkeyPatch) -> None:
    # 2020-03-31 15:30 UTC is already 2020-04-01 00:30 in Tokyo: a new fiscal year.
    instant = datetime(2020, 3, 31, 15, 30, tzinfo=UTC)

    class FrozenDatetime(datetime):
        @classmethod
        def now(cls, tz: tzinfo | None = None) -> FrozenDatetime:
            assert tz is not None, "current_fiscal_year must not use a naive now()"
            moved = instant.astimezone(tz)
            return cls.combine(moved.date(), moved.timetz())

    monkeypatch.setattr(fiscal, "datetime", FrozenDatetime)
    assert current_fiscal_year() == 2020


# --- eras and labels --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fy", "label"),
    [
        (1926, "昭和元年度"),
        (1988, "昭和63年度"),
        (1989, "平成元年度"),
        (2018, "平成30年度"),
        (2019, "令和元年度"),
        (2020, "令和2年度"),
    ],
)
def test_fiscal_year_label(fy: int, label: str) -> None:
    assert fiscal_year_label(fy) == label


def test_fiscal_year_label_round_trips_1927_to_2100() -> None:
    for fy in range(1927, 2101):
        assert parse_fiscal_year(fiscal_year_label(fy)) == fy


@pytest.mark.parametrize("d", days(date(1989, 1, 1), date(1989, 1, 10)))
def test_showa_heisei_boundary(d: date) -> None:
    era, n = era_of(d)
    if d <= date(1989, 1, 7):
        assert (era, n) == (SHOWA, 64)
        assert date_label(d) == f"昭和64年1月{d.day}日"
    else:
        assert (era, n) == (HEISEI, 1)
        assert date_label(d) == f"平成元年1月{d.day}日"
    assert parse_date(date_label(d)) == d
    assert parse_date(f"{era.letter}{n}.{d.month}.{d.day}") == d
    assert parse_date(f"{era.letter.lower()}{n}/{d.month}/{d.day}") == d


@pytest.mark.parametrize("d", days(date(2019, 4, 25), date(2019, 5, 5)))
def test_heisei_reiwa_boundary(d: date) -> None:
    era, n = era_of(d)
    if d <= date(2019, 4, 30):
        assert (era, n) == (HEISEI, 31)
        assert date_label(d) == f"平成31年4月{d.day}日"
    else:
        assert (era, n) == (REIWA, 1)
        assert date_label(d) == f"令和元年5月{d.day}日"
    assert parse_date(date_label(d)) == d
    assert parse_date(f"{era.letter}{n}-{d.month}-{d.day}") == d


def test_date_label_examples() -> None:
    assert date_label(date(2020, 4, 1)) == "令和2年4月1日"
    assert date_label(date(2019, 5, 1)) == "令和元年5月1日"
    assert date_label(datetime(2020, 4, 1, 12, 0, tzinfo=UTC)) == "令和2年4月1日"
    assert era_of(date(1912, 7, 30))[0].name == "大正"
    assert era_of(date(1912, 7, 29)) == (ERAS[0], 45)


def test_before_meiji_has_no_era() -> None:
    with pytest.raises(ValueError, match="明治より前"):
        era_of(date(1868, 10, 22))
    with pytest.raises(ValueError, match="明治より前"):
        fiscal_year_label(1867)


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)))
def test_parse_date_round_trips(d: date) -> None:
    assert parse_date(date_label(d)) == d
    assert parse_date(d.isoformat()) == d
    assert parse_date(f"{d.year}/{d.month}/{d.day}") == d
    assert parse_date(f" {d.year}年{d.month}月{d.day}日 ") == d
    assert parse_date(f"{d.year}/{d.month}/{d.day}".translate(FULL_WIDTH)) == d
    era, n = era_of(d)
    assert parse_date(f"{era.letter}{n}.{d.month}.{d.day}") == d


# --- parse_fiscal_year ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "fy"),
    [
        ("2020", 2020),
        ("2020年度", 2020),
        ("２０２０", 2020),
        ("２０２０年度", 2020),
        ("令和2年度", 2020),
        ("令和２年度", 2020),
        ("令和元年度", 2019),
        ("R2", 2020),
        ("R2年度", 2020),
        ("r2", 2020),
        ("Ｒ２", 2020),
        ("平成31年度", 2019),
        ("H30", 2018),
        ("平成30年度", 2018),
        ("平成元年度", 1989),
        ("昭和64年度", 1989),
        ("FY2020", 2020),
        ("fy2020", 2020),
        ("  2020年度　", 2020),
        ("\t令和 2 年度 ", 2020),
        ("1900", 1900),
        ("2200", 2200),
    ],
)
def test_parse_fiscal_year(text: str, fy: int) -> None:
    assert parse_fiscal_year(text) == fy


@pytest.mark.parametrize(
    ("text", "detail"),
    [
        ("令和0年度", "元年"),
        ("R0", "元年"),
        ("平成32年度", "平成は31年まで"),
        ("昭和65年度", "昭和は64年まで"),
        ("1899", "1900年度から2200年度"),
        ("2201", "1900年度から2200年度"),
        ("明治元年度", "1900年度から2200年度"),
        ("20200", "令和2年度"),
        ("2020年", "令和2年度"),
        ("令和", "令和2年度"),
        ("X2", "令和2年度"),
        ("二〇二〇", "令和2年度"),
        ("abc", "令和2年度"),
        ("", "入力されていません"),
        ("　", "入力されていません"),
    ],
)
def test_parse_fiscal_year_rejects(text: str, detail: str) -> None:
    with pytest.raises(FiscalParseError) as caught:
        parse_fiscal_year(text)
    assert isinstance(caught.value, ValueError)
    assert_japanese_message(caught.value, text)
    assert detail in str(caught.value)


def test_parse_fiscal_year_unreadable_message() -> None:
    with pytest.raises(FiscalParseError) as caught:
        parse_fiscal_year(" abc ")
    assert str(caught.value) == (
        "「abc」は年度として読み取れません。"
        "2020、2020年度、令和2年度、R2 のように入力してください。"
    )


def test_parse_fiscal_year_suggests_the_right_era() -> None:
    with pytest.raises(FiscalParseError, match="2020年度なら令和2年度です"):
        parse_fiscal_year("平成32年度")


# --- parse_date -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2020-04-01", date(2020, 4, 1)),
        ("2020/4/1", date(2020, 4, 1)),
        ("2020/04/01", date(2020, 4, 1)),
        ("2020.4.1", date(2020, 4, 1)),
        ("2020年4月1日", date(2020, 4, 1)),
        ("令和2年4月1日", date(2020, 4, 1)),
        ("令和元年5月1日", date(2019, 5, 1)),
        ("R2.4.1", date(2020, 4, 1)),
        ("R2/4/1", date(2020, 4, 1)),
        ("R2-4-1", date(2020, 4, 1)),
        ("r2.4.1", date(2020, 4, 1)),
        ("H31.4.30", date(2019, 4, 30)),
        ("h31.4.30", date(2019, 4, 30)),
        ("S64.1.7", date(1989, 1, 7)),
        ("T15.12.24", date(1926, 12, 24)),
        ("M45.7.29", date(1912, 7, 29)),
        ("２０２０／４／１", date(2020, 4, 1)),
        ("２０２０年４月１日", date(2020, 4, 1)),
        ("令和２年４月１日", date(2020, 4, 1)),
        ("Ｒ２．４．１", date(2020, 4, 1)),
        ("2020ー4ー1", date(2020, 4, 1)),
        ("2020−04−01", date(2020, 4, 1)),
        ("  2020-04-01\t", date(2020, 4, 1)),
        ("　令和2年 4月 1日　", date(2020, 4, 1)),
        ("2020-02-29", date(2020, 2, 29)),
    ],
)
def test_parse_date(text: str, expected: date) -> None:
    assert parse_date(text) == expected


def test_parse_date_accepts_date_objects() -> None:
    assert parse_date(date(2020, 4, 1)) == date(2020, 4, 1)
    parsed = parse_date(datetime(2020, 4, 1, 9, 30))  # noqa: DTZ001 - a naive Excel cell value
    assert parsed == date(2020, 4, 1)
    assert type(parsed) is date


@pytest.mark.parametrize(
    ("text", "detail"),
    [
        ("2021-02-29", "2021年2月は28日まで"),
        ("2020-04-31", "2020年4月は30日まで"),
        ("2020-13-01", "月は1から12まで"),
        ("2020-00-01", "月は1から12まで"),
        ("令和元年4月30日", "2019年5月1日に始まりました"),
        ("R1.4.30", "平成31年4月30日のことではありませんか"),
        ("平成元年1月7日", "昭和64年1月7日のことではありませんか"),
        ("平成32年1月1日", "平成は31年まで"),
        ("H32.1.1", "令和2年1月1日のことではありませんか"),
        ("平成31年5月1日", "令和元年5月1日のことではありませんか"),
        ("平成31年5月1日", "2019年4月30日で終わりました"),
        ("S64.1.8", "平成元年1月8日のことではありませんか"),
        ("令和0年1月1日", "元年"),
        ("明治元年1月1日", "1868年10月23日に始まりました"),
        ("0202-04-01", "範囲外"),
        ("R999.1.1", "範囲外"),
        ("2020/4-1", "2020年4月1日"),
        ("2020-04", "2020年4月1日"),
        ("20200401", "2020年4月1日"),
        ("X2.4.1", "2020年4月1日"),
        ("abc", "2020年4月1日"),
        ("", "入力されていません"),
        ("　", "入力されていません"),
    ],
)
def test_parse_date_rejects(text: str, detail: str) -> None:
    with pytest.raises(DateParseError) as caught:
        parse_date(text)
    assert isinstance(caught.value, ValueError)
    assert_japanese_message(caught.value, text)
    assert detail in str(caught.value)


def test_parse_date_unreadable_message_lists_forms() -> None:
    with pytest.raises(DateParseError) as caught:
        parse_date("4月1日")
    message = str(caught.value)
    assert message.startswith("「4月1日」は日付として読み取れません。")
    for form in ("2020-04-01", "2020/4/1", "2020年4月1日", "令和2年4月1日", "R2.4.1"):
        assert form in message
