"""The report from the database: counting rules, lineage across years, scopes, baseline."""

from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tsunagu.records.models import ActivityKind, Category, Place, SupportRecord
from tsunagu.records.services import RecordData, create_record
from tsunagu.reports.builder import Scope, build_report
from tsunagu.reports.models import BaselineFigure
from tsunagu.reports.renderers.text import render_text

EXPECTED_INDIVIDUAL = """\
■ ニーズを抱えている個人の相談 5件（－2件）
1位：福祉サービスへの紹介 2件（±0件）
1位：近況報告など 2件
3位：その他 1件
※「1位：近況報告など」と「3位：その他」の合計3件は前年度比－2件"""


def test_sections_follow_counting_rules_and_lineage(two_years) -> None:  # type: ignore[no-untyped-def]
    report = build_report(2020)
    text = render_text(report)
    assert EXPECTED_INDIVIDUAL in text
    groups = next(s for s in report.sections if s.title == "地域活動団体からの相談")
    assert groups.total == 1  # a record counts once in its section total …
    assert {(r.label, r.count, r.delta.text) for r in groups.rows} == {
        ("チラシ・広報", 1, "±0件"),  # … and once under each of its categories
        ("新型コロナウイルス関連", 1, "新"),
    }
    assert report.agency_table.rows[0].label == "教育支援課・教育企画課・指導課"
    assert report.agency_table.rows[0].count == 2  # once per record per group, not per agency


def test_the_catch_all_mark_is_read_from_the_list(two_years) -> None:  # type: ignore[no-untyped-def]
    # その他 and 近況報告など tie with 1 each once a record leaves 近況報告など: marked,
    # その他 is printed after it on a rank of its own.
    news = Category.objects.get(fiscal_year=2020, name="近況報告など")
    news.order = 3
    news.save(update_fields=["order"])
    record = SupportRecord.objects.filter(categories=news).first()
    assert record is not None
    record.categories.remove(news)
    text = render_text(build_report(2020))
    assert "1位：福祉サービスへの紹介 2件（±0件）\n2位：その他 1件\n2位：近況報告など 1件" in text
    Category.objects.filter(fiscal_year=2020, name="その他").update(catch_all=True)
    text = render_text(build_report(2020))
    assert (
        "1位：福祉サービスへの紹介 2件（±0件）\n2位：近況報告など 1件\n3位：その他 1件\n"
        "※「2位：近況報告など」と「3位：その他」の合計2件は前年度比－3件"
    ) in text


def test_trends_and_outreach_share(two_years) -> None:  # type: ignore[no-untyped-def]
    report = build_report(2020)
    kinds = {row.label: row.counts for row in report.trends[0].rows}
    assert kinds["相談対応"] == (None, 8, 6) or kinds["相談対応"][1:] == (8, 6)
    assert kinds["出向き・参加"][1:] == (1, 2)
    share = report.outreach
    assert share.consultations[1:] == (8, 6)
    assert share.at_outreach[1:] == (3, 5)


def test_query_count_does_not_grow_with_records(two_years, city, staff_user) -> None:  # type: ignore[no-untyped-def]
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            build_report(2020)
        return len(captured)

    before = queries()
    kind = ActivityKind.objects.get(fiscal_year=2020, name="出向き・参加")
    for day in range(1, 20):
        create_record(
            by=staff_user,
            data=RecordData(
                values={"date": date(2020, 7, day), "activity_kind": kind, "place": Place.VISIT}
            ),
        )
    assert queries() == before
    assert before <= 20


def test_a_zone_report_counts_only_that_zone(two_years, city) -> None:  # type: ignore[no-untyped-def]
    west = build_report(2020, Scope(zone=city["west"]))
    assert west.scope_label == "西部圏域"
    assert all(section.total == 0 for section in west.sections)
    east = build_report(2020, Scope(zone=city["east"]))
    assert sum(section.total for section in east.sections) == 6


def test_year_without_previous_data_says_so_once(two_years) -> None:  # type: ignore[no-untyped-def]
    report = build_report(2019)
    assert report.notes == (
        "平成30年度のデータがないため、前年度比はすべて「新」と表示しています。",
    )
    assert all(row.delta.text == "新" for s in report.sections for row in s.rows)


def test_empty_year_has_a_clear_note(db) -> None:  # type: ignore[no-untyped-def]
    report = build_report(2001)
    assert "平成13年度の記録はまだありません。" in report.notes


def test_baseline_figures_give_the_first_year_its_deltas(two_years) -> None:  # type: ignore[no-untyped-def]
    for table, name, count in [
        ("ニーズを抱えている個人", "合計", 10),
        ("ニーズを抱えている個人", "近況報告・その他", 4),
        ("関係機関別", "教育支援課・教育企画課・指導課", 5),
    ]:
        BaselineFigure.objects.create(fiscal_year=2018, table=table, name=name, count=count)
    report = build_report(2019)
    assert not report.notes
    individual = report.sections[1]
    assert individual.total_delta.text == "－3件"  # 7 against the published 10
    assert {r.label: r.delta.text for r in individual.rows}["近況報告・その他"] == "＋1件"


def test_every_format_prints_the_split_note_with_the_ranks(admin_client, two_years) -> None:  # type: ignore[no-untyped-def]
    import io
    import json

    from openpyxl import load_workbook

    note = "「1位：近況報告など」と「3位：その他」の合計3件は前年度比－2件"
    page = admin_client.get("/reports/", {"fy": "2020"}).content.decode()
    assert f'<p class="report-note">※{note}</p>' in page
    text = admin_client.get("/reports/download/", {"fy": "2020", "format": "text"})
    assert f"※{note}" in text.content.decode("utf-8-sig")
    data = json.loads(
        admin_client.get("/reports/download/", {"fy": "2020", "format": "json"}).content
    )
    individual = next(s for s in data["sections"] if s["title"] == "ニーズを抱えている個人の相談")
    assert individual["notes"] == [note]
    xlsx = admin_client.get("/reports/download/", {"fy": "2020", "format": "xlsx"})
    book = load_workbook(io.BytesIO(xlsx.content))
    cells = {c.value for ws in book.worksheets for row in ws.iter_rows() for c in row}
    assert f"※{note}" in cells
