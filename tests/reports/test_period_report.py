"""The report of a period within a fiscal year, against the same dates a year earlier;
the monthly statistics; the command, the page and the download."""

import io
from dataclasses import dataclass
from datetime import date
from io import StringIO
from typing import Any

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.test import Client
from openpyxl import load_workbook

from tsunagu.reports.builder import build_report
from tsunagu.reports.monthly import MonthlyTable, build_monthly
from tsunagu.reports.period import Period
from tsunagu.reports.renderers.text import render_text, share_text
from tsunagu.reports.result import Report, Section
from tsunagu.reports.services import close_year, figures_for


@dataclass(frozen=True)
class Demo:
    year: Report
    whole: Report
    halves: tuple[Report, Report]
    quarters: tuple[Report, ...]
    monthly: MonthlyTable
    half_text: str


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker) -> Demo:  # type: ignore[no-untyped-def]
    with django_db_blocker.unblock():
        from django.db import transaction

        with transaction.atomic():
            call_command("demo", last_year=2020, stdout=StringIO())
            halves = tuple(build_report(2020, period=Period.half(2020, h)) for h in (1, 2))
            found = Demo(
                year=build_report(2020),
                whole=build_report(2020, period=Period.year(2020)),
                halves=halves,  # type: ignore[arg-type]
                quarters=tuple(
                    build_report(2020, period=Period.quarter(2020, q)) for q in (1, 2, 3, 4)
                ),
                monthly=build_monthly(2020),
                half_text=render_text(halves[0]),
            )
            transaction.set_rollback(True)
    return found


def _figures(section: Section) -> dict[str, int]:
    return {"合計": section.total, **{row.label: row.count for row in section.rows}}


def _sum(*reports: Report) -> list[dict[str, int]]:
    """Each table's figures summed over the reports (a row no report shows counts 0)."""
    tables = [[_figures(s) for s in (*r.sections, r.agency_table)] for r in reports]
    return [
        {k: sum(t[i].get(k, 0) for t in tables) for k in sorted({k for t in tables for k in t[i]})}
        for i in range(len(tables[0]))
    ]


def test_a_half_year_is_the_sum_of_its_two_quarters(demo: Demo) -> None:
    first, second = demo.halves
    q1, q2, q3, q4 = demo.quarters
    assert _sum(first) == _sum(q1, q2)
    assert _sum(second) == _sum(q3, q4)
    assert _sum(first, second) == _sum(demo.year)
    assert first.outreach.consultations[-1] == (
        q1.outreach.consultations[-1] + q2.outreach.consultations[-1]
    )


def test_the_period_of_a_whole_year_is_the_yearly_report(demo: Demo) -> None:
    assert demo.whole == demo.year
    assert demo.whole.period_label == "" and demo.whole.comparison_label == "前年度比"


def test_a_half_year_says_its_dates_and_compares_with_the_same_half(demo: Demo) -> None:
    lines = demo.half_text.splitlines()
    assert lines[0] == "令和2年度 上半期（令和2年4月〜9月） 地域福祉活動の実績（市全体）"
    assert lines[1] == "前年同期比は令和元年度 上半期（平成31年4月〜令和元年9月）との比較です。"
    assert "前年度比" not in demo.half_text
    assert "※各年度とも上半期（4月〜9月）の件数です。" in demo.half_text
    first = demo.halves[0]
    assert first.trends[0].year_labels == ("平成30年度", "令和元年度", "令和2年度")


def test_the_monthly_total_is_the_years_report(demo: Demo) -> None:
    year, total = demo.year, demo.monthly.total
    kinds = {row.label: row.counts[-1] for row in year.trends[0].rows}
    assert dict(zip(demo.monthly.kind_labels, total.kinds, strict=True)) == kinds
    assert total.types == tuple(s.total for s in year.sections)
    assert total.consultations == year.outreach.consultations[-1]
    assert total.at_outreach == year.outreach.at_outreach[-1]
    assert total.share == share_text(year.outreach.at_outreach[-1], year.outreach.consultations[-1])
    assert [r.label for r in demo.monthly.rows] == [
        *(f"{m}月" for m in (4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3)),
        "合計",
    ]


def test_a_month_compares_with_the_same_month_and_its_notes_say_so(two_years: Any) -> None:
    report = build_report(2020, period=Period.month(2020, 5))
    individual = next(s for s in report.sections if s.title.startswith("ニーズを抱えている個人"))
    # A ranked section: the note names the rows with the ranks the table prints.
    ranks = {row.label: row.rank for row in individual.rows}
    assert (ranks["近況報告など"], ranks["その他"]) == (1, 3)
    assert individual.notes == ("「1位：近況報告など」と「3位：その他」の合計3件は前年同期比－2件",)
    assert individual.total == 5 and individual.total_delta.text == "－2件"
    text = render_text(report)
    assert text.startswith("令和2年度 5月（令和2年5月） 地域福祉活動の実績（市全体）\n")
    june = build_report(2020, period=Period.month(2020, 6))
    assert june.previous_label == "令和元年度 6月（令和元年6月）"
    assert june.trends[0].rows[0].counts[-2:] == (1, 2)  # 出向き・参加 in June, each year


def test_a_part_of_a_closed_year_is_counted_live_and_says_so(
    two_years: Any, admin_user: Any
) -> None:
    close_year(by=admin_user, fiscal_year=2020)
    whole = figures_for(2020, period=Period.year(2020))
    assert whole.closure is not None  # the published figures win for the whole year
    half = figures_for(2020, period=Period.half(2020, 1))
    assert half.closure is None
    assert half.report.notes[-1] == (
        "令和2年度は締められていますが、年度の一部の期間には公表値がないため、"
        "いまの記録から集計しています。"
    )


def test_the_command_reports_a_period_and_refuses_a_bad_one(two_years: Any) -> None:
    out = StringIO()
    import sys

    saved, sys.stdout = sys.stdout, out
    try:
        call_command("report", period="2020-04..2020-09")
    finally:
        sys.stdout = saved
    assert out.getvalue().startswith("令和2年度 上半期（令和2年4月〜9月） 地域福祉活動の実績")
    with pytest.raises(CommandError, match=r"^期間の終わり（令和2年4月30日）が始まり"):
        call_command("report", period="2020-09..2020-04")
    with pytest.raises(CommandError, match="令和2年度と令和3年度にまたがっています"):
        call_command("report", period="2020-10..2021-06")
    with pytest.raises(CommandError, match="「2020-99」はありえない日付です"):
        call_command("report", period="2020-99")


def test_the_page_shows_a_half_year(
    two_years: Any, viewer_client: Client, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(28):
        page = viewer_client.get("/reports/", {"fy": "2020", "cut": "half", "half": "1"})
    html = page.content.decode()
    assert "<h1>令和2年度 上半期（令和2年4月〜9月） 地域福祉活動の実績" in html
    assert "前年同期比は令和元年度 上半期（平成31年4月〜令和元年9月）との比較です。" in html
    assert '<th scope="col" class="num">前年同期比</th>' in html
    assert "令和2年度を締める" not in html


@pytest.mark.parametrize(
    ("params", "message"),
    [
        (
            {"cut": "range", "start": "2020-09-01", "end": "2020-04-01"},
            "期間の終わり（令和2年4月1日）が始まり（令和2年9月1日）より前です。",
        ),
        (
            {"cut": "range", "start": "2020-10-01", "end": "2021-06-30"},
            "期間が令和2年度と令和3年度にまたがっています。",
        ),
        ({"cut": "range", "start": "2020-05-01"}, "開始日と終了日の両方を入力してください。"),
        (
            {"cut": "range", "start": "きのう", "end": "2020-06-01"},
            "「開始日」の指定は使いませんでした。",
        ),
        ({"cut": "week"}, "「期間」の指定（week）が正しくないため、使いませんでした。"),
    ],
)
def test_a_bad_period_is_said_on_the_form(
    two_years: Any, viewer_client: Client, params: dict[str, str], message: str
) -> None:
    page = viewer_client.get("/reports/", {"fy": "2020", **params})
    assert page.status_code == 200
    html = page.content.decode()
    assert message in html
    assert "<h1>令和2年度 地域福祉活動の実績" in html  # the whole year instead


def test_a_range_and_its_download_name_the_period(two_years: Any, viewer_client: Client) -> None:
    params = {"cut": "range", "start": "2020-05-01", "end": "2020-05-03"}
    page = viewer_client.get("/reports/", params)
    assert (
        "<h1>令和2年度 期間指定（令和2年5月1日〜5月3日） 地域福祉活動の実績"
        in page.content.decode()
    )
    download = viewer_client.get("/reports/download/", {**params, "format": "text"})
    assert download.content.decode().startswith("令和2年度 期間指定（令和2年5月1日〜5月3日）")
    assert "%E6%9C%9F%E9%96%93%E6%8C%87%E5%AE%9A" in download["Content-Disposition"]  # 期間指定


def test_the_monthly_page_and_its_workbook(
    two_years: Any, viewer_client: Client, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(14):
        page = viewer_client.get("/reports/monthly/", {"fy": "2020"})
    html = page.content.decode()
    assert "<h1>令和2年度 月別統計" in html
    assert "締められています" not in html
    assert (
        '<a href="/reports/monthly/?fy=2020">月別統計</a>'
        in viewer_client.get("/reports/", {"fy": "2020"}).content.decode()
    )
    book = load_workbook(
        io.BytesIO(viewer_client.get("/reports/monthly/download/", {"fy": "2020"}).content)
    )
    ws = book["月別統計"]
    assert ws["A1"].value == "令和2年度 月別統計（市全体）"
    header = [c.value for c in ws[4]]
    assert header[:3] == ["月", "出向き・参加", "相談対応"]
    rows = {r[0]: r for r in ws.iter_rows(min_row=5, values_only=True)}
    may, total = rows["5月"], rows["合計"]
    assert may[1:3] == (0, 6)  # six consultations in May 2020, no outing
    assert total[header.index("相談 計")] == 6
    # five of the six at the outreach place, one by phone
    assert total[header.index("出向き率")] == "83.3%"


def test_a_period_page_asks_no_more_than_the_year_page(
    two_years: Any,
    viewer_client: Client,
    django_assert_num_queries: Any,
    django_assert_max_num_queries: Any,
) -> None:
    viewer_client.get("/reports/", {"fy": "2020"})  # the session and the caches, once
    cache.clear()  # the report's own cache (reports/cache.py): count a build, not a hit
    with django_assert_num_queries(26) as year:
        viewer_client.get("/reports/", {"fy": "2020"})
    cache.clear()
    # the same queries on the period's dates, less the baseline (yearly figures only)
    with django_assert_max_num_queries(len(year) - 1):
        viewer_client.get("/reports/", {"fy": "2020", "cut": "quarter", "quarter": "2"})


def test_a_period_report_round_trips_through_json(two_years: Any) -> None:
    from tsunagu.reports.renderers.jsonio import render_json, report_from_json

    half = build_report(2020, period=Period.half(2020, 1))
    text = render_json(half)
    assert '"period_label": "令和2年度 上半期（令和2年4月〜9月）"' in text
    assert '"comparison_label": "前年同期比"' in text
    assert report_from_json(text) == half
    assert "period_label" not in render_json(build_report(2020))


def test_the_workbook_and_the_csv_of_a_period_say_it(two_years: Any) -> None:
    from tsunagu.reports.renderers.csvio import render_csv
    from tsunagu.reports.renderers.xlsx import render_xlsx

    half = build_report(2020, period=Period.half(2020, 1))
    book = load_workbook(io.BytesIO(render_xlsx(half)))
    overview = book["概要"]
    assert (
        overview["A1"].value == "令和2年度 上半期（令和2年4月〜9月） 地域福祉活動の実績（市全体）"
    )
    assert overview["A2"].value == (
        "前年同期比は令和元年度 上半期（平成31年4月〜令和元年9月）との比較です。"
    )
    csv = render_csv(half.sections[1], half.comparison_label).decode("utf-8-sig")
    assert csv.splitlines()[0] == '"順位","項目","件数","前年同期比"'


def test_the_monthly_page_of_a_closed_year_says_it_counts_live(
    two_years: Any, admin_user: Any, viewer_client: Client
) -> None:
    close_year(by=admin_user, fiscal_year=2020)
    html = viewer_client.get("/reports/monthly/", {"fy": "2020"}).content.decode()
    assert (
        "※令和2年度は締められています。月別統計はいまの記録から集計しているため、"
        "締めた後に記録が変わっていれば、公表値と違うことがあります。"
    ) in html


def test_the_trends_of_a_period_say_which_dates_each_year_counts(two_years: Any) -> None:
    def note(period: Period) -> str:
        return build_report(2020, period=period).trends[0].notes[0]

    assert note(Period.quarter(2020, 1)) == "各年度とも第1四半期（4月〜6月）の件数です。"
    assert note(Period.month(2020, 5)) == "各年度とも5月の件数です。"
    assert note(Period(date(2020, 5, 3), date(2020, 8, 20))) == (
        "各年度とも同じ期間（5月3日〜8月20日）の件数です。"
    )


def test_the_filters_label_the_zone_and_region_without_a_half_width_colon(
    two_years: Any, viewer_client: Client
) -> None:
    for path in ("/reports/", "/reports/monthly/", "/reports/compare/"):
        html = viewer_client.get(path, {"fy": "2020"}).content.decode()
        assert ":</label>" not in html, path
    for path in ("/reports/", "/reports/monthly/"):
        html = viewer_client.get(path, {"fy": "2020"}).content.decode()
        assert '<label for="id_zone">圏域</label>' in html
        assert '<label for="id_region">地域社協</label>' in html
