"""個別支援・地域支援: each activity kind of the year split by records/support_kind.py's
rule, in every format, watched when frozen, and absent without harm from a report frozen
before it existed.

In two_years every record's target is the group ひだまり (地域支援 by the rule). Here, in
令和2年度, one outing is linked to a case (個別支援), one consultation is marked 個別支援 on
the record, and one outing without a target is added (個別支援):

    出向き・参加  個別 2 地域 1 計 3   (令和元年度 0 / 1 / 1)
    相談対応      個別 1 地域 5 計 6   (令和元年度 0 / 8 / 8)
    合計          個別 3 地域 6 計 9   (令和元年度 0 / 9 / 9)
"""

import csv
import io
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from openpyxl import load_workbook

from tsunagu.cases.models import Case
from tsunagu.records.models import ActivityKind, Place, SupportRecord
from tsunagu.records.services import RecordData, create_record
from tsunagu.reports.builder import build_report
from tsunagu.reports.models import YearClosure
from tsunagu.reports.period import Period
from tsunagu.reports.renderers.csvio import render_csv
from tsunagu.reports.renderers.jsonio import report_from_dict, report_to_dict
from tsunagu.reports.renderers.tables import find_table
from tsunagu.reports.renderers.text import render_text
from tsunagu.reports.renderers.xlsx import render_xlsx
from tsunagu.reports.services import close_year, figures_for
from tsunagu.reports.support_split import build_support_split

EXPECTED_TEXT = """\
■ 個別支援・地域支援（令和2年度）
・出向き・参加 個別支援 2件／地域支援 1件／計 3件（令和元年度 個別支援 0件／地域支援 1件／計 1件）
・相談対応 個別支援 1件／地域支援 5件／計 6件（令和元年度 個別支援 0件／地域支援 8件／計 8件）
・合計 個別支援 3件／地域支援 6件／計 9件（令和元年度 個別支援 0件／地域支援 9件／計 9件）
"""


@pytest.fixture
def split_year(two_years, city, staff_user) -> None:  # type: ignore[no-untyped-def]
    outing = SupportRecord.objects.filter(
        fiscal_year=2020, activity_kind__name="出向き・参加"
    ).first()
    case = Case.objects.create(
        pseudonym="Tさん", opened_on=date(2020, 6, 1), zone=city["east"], region=city["honcho"]
    )
    case.records.add(outing)
    consultation = SupportRecord.objects.filter(fiscal_year=2020, place=Place.PHONE).get()
    SupportRecord.objects.filter(pk=consultation.pk).update(support_kind="individual")
    create_record(
        by=staff_user,
        data=RecordData(
            values={
                "date": date(2020, 7, 1),
                "activity_kind": ActivityKind.objects.get(fiscal_year=2020, name="出向き・参加"),
                "place": Place.VISIT,
            }
        ),
    )


def test_the_text_report_ends_with_the_split(split_year) -> None:  # type: ignore[no-untyped-def]
    assert render_text(build_report(2020)).endswith("\n\n" + EXPECTED_TEXT)


def test_a_periods_split_names_the_period_and_the_same_period_a_year_earlier(
    split_year, viewer_client: Client
) -> None:  # type: ignore[no-untyped-def]
    # The first quarter leaves out the outing of 1 July (個別支援) of the whole year.
    report = build_report(2020, period=Period.quarter(2020, 1))
    earlier = "令和元年度 第1四半期（平成31年4月〜令和元年6月）"
    assert render_text(report).endswith(
        "\n\n■ 個別支援・地域支援（令和2年度 第1四半期（令和2年4月〜6月））\n"
        f"・出向き・参加 個別支援 1件／地域支援 1件／計 2件（{earlier} 個別支援 0件／地域支援 1件／計 1件）\n"
        f"・相談対応 個別支援 1件／地域支援 5件／計 6件（{earlier} 個別支援 0件／地域支援 8件／計 8件）\n"
        f"・合計 個別支援 2件／地域支援 6件／計 8件（{earlier} 個別支援 0件／地域支援 9件／計 9件）\n"
    )
    page = viewer_client.get(
        "/reports/", {"cut": "range", "start": "2020-04-01", "end": "2020-06-30"}
    )
    html = page.content.decode()
    assert "■ 個別支援・地域支援（令和2年度 第1四半期（令和2年4月〜6月））" in html
    assert f'<th scope="colgroup" colspan="3">{earlier}</th>' in html
    assert "（令和元年度）" not in html


def test_a_year_without_the_year_before_shows_one_year(split_year) -> None:  # type: ignore[no-untyped-def]
    text = render_text(build_report(2019))
    assert text.endswith(
        "■ 個別支援・地域支援（令和元年度）\n"
        "・出向き・参加 個別支援 0件／地域支援 1件／計 1件\n"
        "・相談対応 個別支援 0件／地域支援 8件／計 8件\n"
        "・合計 個別支援 0件／地域支援 9件／計 9件\n"
    )


def test_xlsx_and_csv_have_the_same_table(split_year) -> None:  # type: ignore[no-untyped-def]
    report = build_report(2020)
    book = load_workbook(io.BytesIO(render_xlsx(report)))
    assert book.sheetnames[-1] == "個別支援・地域支援"
    ws = book["個別支援・地域支援"]
    assert ws["A1"].value == "■ 個別支援・地域支援（令和2年度）"
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=3)]
    expected = [
        [
            "活動内容",
            "個別支援（令和2年度）",
            "地域支援（令和2年度）",
            "計（令和2年度）",
            "個別支援（令和元年度）",
            "地域支援（令和元年度）",
            "計（令和元年度）",
        ],
        ["出向き・参加", 2, 1, 3, 0, 1, 1],
        ["相談対応", 1, 5, 6, 0, 8, 8],
        ["合計", 3, 6, 9, 0, 9, 9],
    ]
    assert rows == expected
    entry = find_table(report, "support")
    assert entry is not None
    lines = list(csv.reader(StringIO(render_csv(entry.table).decode("utf-8-sig"), newline="")))
    assert lines == [[str(v) for v in row] for row in expected]


def test_the_report_page_shows_the_split(split_year, staff_user) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(staff_user)
    page = client.get("/reports/", {"fy": "2020"}).content.decode()
    assert '<h2 id="support-title">■ 個別支援・地域支援（令和2年度）</h2>' in page
    assert (
        '<tr><th scope="row">合計</th><td class="num">3件</td><td class="num">6件</td>'
        '<td class="num">9件</td><td class="num">0件</td><td class="num">9件</td>'
        '<td class="num">9件</td></tr>'
    ) in page


def test_json_round_trip(split_year) -> None:  # type: ignore[no-untyped-def]
    report = build_report(2020)
    data = report_to_dict(report)
    assert data["support_split"]["total"] == {
        "label": "合計",
        "individual": 3,
        "area": 6,
        "previous_individual": 0,
        "previous_area": 9,
    }
    assert report_from_dict(data) == report


def test_a_record_changed_after_closing_is_named(split_year, admin_user) -> None:  # type: ignore[no-untyped-def]
    close_year(by=admin_user, fiscal_year=2020)
    SupportRecord.objects.filter(fiscal_year=2020, support_kind="individual").update(
        support_kind="area"
    )
    names = [(d.name, d.published, d.current) for d in figures_for(2020).differences]
    assert names == [
        ("個別支援・地域支援：相談対応の個別支援（令和2年度）", 1, 0),
        ("個別支援・地域支援：相談対応の地域支援（令和2年度）", 5, 6),
        ("個別支援・地域支援：合計の個別支援（令和2年度）", 3, 2),
        ("個別支援・地域支援：合計の地域支援（令和2年度）", 6, 7),
    ]


def test_a_report_frozen_before_the_split_shows_no_difference(
    split_year, admin_user, staff_user
) -> None:  # type: ignore[no-untyped-def]
    closure = close_year(by=admin_user, fiscal_year=2020)
    data = dict(closure.data)
    del data["support_split"]
    YearClosure.objects.filter(pk=closure.pk).update(data=data)
    figures = figures_for(2020)
    assert figures.differences == ()
    assert figures.report.support_split is None
    assert "個別支援・地域支援" not in render_text(figures.report)
    load_workbook(io.BytesIO(render_xlsx(figures.report)))
    client = Client()
    client.force_login(staff_user)
    response = client.get("/reports/", {"fy": "2020"})
    assert response.status_code == 200
    assert "■ 個別支援・地域支援" not in response.content.decode()


@pytest.fixture(scope="module")
def demo_report(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    with django_db_blocker.unblock():
        from django.db import transaction

        with transaction.atomic():
            call_command("demo", last_year=2020, stdout=StringIO())
            report = build_report(2020)
            transaction.set_rollback(True)
    return report


def test_the_demo_totals_are_the_figures_of_each_activity_kind(demo_report) -> None:  # type: ignore[no-untyped-def]
    split = demo_report.support_split
    kinds = next(t for t in demo_report.trends if t.title == "活動内容別")
    this_year = {row.label: row.counts[-1] for row in kinds.rows}
    last_year = {row.label: row.counts[-2] for row in kinds.rows}
    assert {row.label: row.total for row in split.rows} == this_year
    assert {row.label: row.previous_total for row in split.rows} == last_year
    assert split.total.total == sum(this_year.values())
    # Both classes occur in the demo: the split is not all on one side.
    assert split.total.individual > 0 and split.total.area > 0


def test_the_split_is_counted_in_a_constant_number_of_queries(split_year, city, staff_user) -> None:  # type: ignore[no-untyped-def]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            build_support_split(SupportRecord.objects.alive(), 2020, compared=True)
        return len(captured)

    before = queries()
    case = Case.objects.create(
        pseudonym="Kさん", opened_on=date(2020, 6, 1), zone=city["east"], region=city["honcho"]
    )
    kind = ActivityKind.objects.get(fiscal_year=2020, name="出向き・参加")
    for day in range(1, 11):
        record = create_record(
            by=staff_user,
            data=RecordData(
                values={
                    "date": date(2020, 8, day),
                    "activity_kind": kind,
                    "place": Place.OUTREACH,
                    "target_region": city["honcho"],
                    "support_kind": "area" if day % 3 == 0 else None,
                }
            ),
        )
        case.records.add(record)
    assert queries() == before <= 3
