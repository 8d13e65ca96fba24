"""Periods within a fiscal year: how people write them, what the report calls them, and
the Japanese refusal of one that cannot be reported."""

from datetime import date, timedelta
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tsunagu.lib.fiscal import fiscal_year_bounds, fiscal_year_label
from tsunagu.reports.period import FISCAL_MONTHS, Cut, Period, PeriodError, parse_period


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("2020-04..2020-09", "令和2年度 上半期（令和2年4月〜9月）"),
        ("2020-H1", "令和2年度 上半期（令和2年4月〜9月）"),
        ("2020-H2", "令和2年度 下半期（令和2年10月〜令和3年3月）"),
        ("2020-Q1", "令和2年度 第1四半期（令和2年4月〜6月）"),
        ("2020-Q4", "令和2年度 第4四半期（令和3年1月〜3月）"),
        ("2020-04", "令和2年度 4月（令和2年4月）"),
        ("2021-01", "令和2年度 1月（令和3年1月）"),
        ("2020-05..2020-08", "令和2年度 期間指定（令和2年5月〜8月）"),
        ("2020-05-03..2020-08-20", "令和2年度 期間指定（令和2年5月3日〜8月20日）"),
        ("2020-04..2021-03", "令和2年度"),
        ("２０２０ー０４〜２０２０ー０９", "令和2年度 上半期（令和2年4月〜9月）"),
        # an era changes inside the period: the end says its own era
        ("2019-H1", "令和元年度 上半期（平成31年4月〜令和元年9月）"),
    ],
)
def test_periods_as_people_write_them(text: str, label: str) -> None:
    assert parse_period(text).label == label


def test_the_comparison_is_the_same_dates_a_year_earlier() -> None:
    half = parse_period("2020-H1")
    assert half.earlier() == Period(date(2019, 4, 1), date(2019, 9, 30))
    assert half.earlier().label == "令和元年度 上半期（平成31年4月〜令和元年9月）"
    # February of a leap year compares with the whole February before it
    assert Period.month(2019, 2).earlier() == Period(date(2019, 2, 1), date(2019, 2, 28))
    assert Period.month(2020, 2).earlier() == Period(date(2020, 2, 1), date(2020, 2, 29))


def test_a_half_is_its_two_quarters() -> None:
    for half, quarters in ((1, (1, 2)), (2, (3, 4))):
        h = Period.half(2020, half)
        first, second = (Period.quarter(2020, q) for q in quarters)
        assert (h.start, h.end) == (first.start, second.end)
        assert h.cut is Cut.HALF and first.cut is Cut.QUARTER


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2020-09..2020-04", "期間の終わり（令和2年4月30日）が始まり（令和2年9月1日）より前です。"),
        (
            "2020-10..2021-06",
            "期間が令和2年度と令和3年度にまたがっています。報告の期間は1つの年度の中（4月1日〜翌年3月31日）で指定してください。",
        ),
        ("2020-13", "「2020-13」はありえない日付です。"),
        ("2020-02-30..2020-03-01", "「2020-02-30」はありえない日付です。"),
        ("2020-Q5", "「2020-Q5」は期間として読み取れません。四半期は Q1〜Q4、半期は H1・H2 です。"),
        ("上半期", "「上半期」は期間として読み取れません。"),
        ("2020-04..", "「2020-04..」は期間として読み取れません。"),
        ("", "期間が入力されていません。"),
        ("9999-12", "9999年度の報告は作れません。"),
        ("x" * 5000, "期間として読み取れません。"),
    ],
)
def test_bad_periods_say_why_in_japanese(text: str, message: str) -> None:
    with pytest.raises(PeriodError) as error:
        parse_period(text)
    assert str(error.value).startswith(message)


@given(
    fy=st.integers(min_value=1902, max_value=2199),
    a=st.integers(min_value=0, max_value=365),
    b=st.integers(min_value=0, max_value=365),
)
def test_any_period_within_a_year_reads_back_and_compares_with_the_year_before(
    fy: int, a: int, b: int
) -> None:
    first, last = fiscal_year_bounds(fy)
    start = min(first + timedelta(days=min(a, b)), last)
    end = min(first + timedelta(days=max(a, b)), last)
    period = Period(start, end)
    assert parse_period(period.as_text()) == period
    assert period.fiscal_year == fy
    assert period.label.startswith(fiscal_year_label(fy))
    before = period.earlier()
    assert before.fiscal_year == fy - 1
    assert (before.start.month, before.end.month) == (start.month, end.month)
    assert before.label.startswith(fiscal_year_label(fy - 1))


@given(fy=st.integers(min_value=1902, max_value=2199), n=st.integers(min_value=1, max_value=4))
def test_quarters_and_halves_tile_the_year(fy: int, n: int) -> None:
    quarter = Period.quarter(fy, n)
    assert quarter.cut is Cut.QUARTER
    half = Period.half(fy, (n + 1) // 2)
    assert half.start <= quarter.start and quarter.end <= half.end
    months = [Period.month(fy, m) for m in FISCAL_MONTHS]
    assert months[0].start == Period.year(fy).start and months[-1].end == Period.year(fy).end
    for one, two in pairwise(months):
        assert one.end + timedelta(days=1) == two.start
