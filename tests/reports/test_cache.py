"""The report cache (reports/cache.py): a change is on the page at once, whatever wrote
it, a rollback leaves nothing behind, and a repeated page asks the database almost nothing.

The two generated tests hold the cache to the report: every table the report queries
belongs to a watched model, and creating, changing and deleting a row of each watched
model replaces the generation token. A model the report starts reading without being
watched, or a watched model without a spare row here, fails them."""

import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from io import StringIO
from typing import Any

import pytest
from django.apps import apps
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, models, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tsunagu.accounts.models import User
from tsunagu.bench.data import _Writer
from tsunagu.cases.models import Case
from tsunagu.directory.models import (
    ActivityGroup,
    Agency,
    AgencyGroup,
    GroupKind,
    MunicipalityProfile,
    Region,
    Zone,
)
from tsunagu.lib.tabular import write_csv
from tsunagu.records.models import (
    ActivityKind,
    Category,
    ConsulterType,
    ImportBatch,
    Place,
    RecordAgency,
    SavedEntry,
    SupportRecord,
)
from tsunagu.records.services import RecordData, create_record, delete_record, update_record
from tsunagu.reports import cache as report_cache
from tsunagu.reports.builder import Scope
from tsunagu.reports.models import BaselineFigure, ReportGeneration, YearClosure
from tsunagu.reports.period import Period
from tsunagu.reports.result import Report
from tsunagu.reports.services import close_year, figures_for
from tsunagu.transfer.formats import RECORD_CORE_COLUMNS
from tsunagu.transfer.services import import_file


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


def page_report(client: Client, **params: str) -> Report:
    page = client.get("/reports/", {"fy": "2020", **params})
    assert page.status_code == 200
    report: Report = page.context["report"]
    return report


def kind_counts(report: Report) -> dict[str, int]:
    """活動内容別, the report's last year: {kind: count}."""
    return {row.label: row.counts[-1] for row in report.trends[0].rows}


def record_values(day: date, kind_name: str) -> dict[str, Any]:
    consultation = kind_name == "相談対応"
    return {
        "date": day,
        "activity_kind": ActivityKind.objects.get(
            fiscal_year=2020 if day >= date(2020, 4, 1) else 2019, name=kind_name
        ),
        "place": Place.OUTREACH,
        "target_group": ActivityGroup.objects.get(name="サロンひだまり"),
        "consulter_type": ConsulterType.objects.get(name="ニーズを抱えている個人")
        if consultation
        else None,
    }


def record_data(day: date, kind_name: str) -> RecordData:
    """A salon visit (出向き・参加), or a consultation of a person in need (相談対応)."""
    categories = (
        [Category.objects.get(fiscal_year=2020, name="その他")] if kind_name == "相談対応" else []
    )
    return RecordData(values=record_values(day, kind_name), categories=categories)


def add_record(user: User, day: date, kind_name: str) -> SupportRecord:
    return create_record(by=user, data=record_data(day, kind_name))


# --- stale never ----------------------------------------------------------------------


def test_a_new_edited_or_deleted_record_is_on_the_next_page(
    two_years: Any, viewer_client: Client, staff_user: User
) -> None:
    assert kind_counts(page_report(viewer_client))["出向き・参加"] == 2
    record = add_record(staff_user, date(2020, 7, 1), "出向き・参加")
    assert kind_counts(page_report(viewer_client))["出向き・参加"] == 3

    record.refresh_from_db()
    update_record(
        by=staff_user,
        record=record,
        data=record_data(record.date, "相談対応"),
        expected_version=record.version,
    )
    counts = kind_counts(page_report(viewer_client))
    assert (counts["出向き・参加"], counts["相談対応"]) == (2, 7)

    delete_record(by=staff_user, record=SupportRecord.objects.get(pk=record.pk))
    assert kind_counts(page_report(viewer_client))["相談対応"] == 6


def test_a_renamed_category_is_on_the_next_page(two_years: Any, viewer_client: Client) -> None:
    def labels() -> list[str]:
        return [row.label for s in page_report(viewer_client).sections for row in s.rows]

    assert "新型コロナウイルス関連" in labels()
    covid = Category.objects.get(fiscal_year=2020, name="新型コロナウイルス関連")
    covid.name = "感染症関連"
    covid.save()
    assert "感染症関連" in labels()
    assert "新型コロナウイルス関連" not in labels()


def test_a_repeated_page_is_served_from_the_cache(
    two_years: Any, viewer_client: Client, django_assert_num_queries: Any
) -> None:
    first = page_report(viewer_client)
    # The session, the user, the generation token, the years, the council's name and the
    # form's zones and regions: none of the report's own queries.
    with django_assert_num_queries(7) as queries:
        again = page_report(viewer_client)
    assert again == first
    assert not any("records_supportrecord" in q["sql"] for q in queries.captured_queries)


def test_a_rolled_back_change_leaves_no_report_behind(
    two_years: Any, viewer_client: Client, staff_user: User
) -> None:
    assert kind_counts(page_report(viewer_client))["出向き・参加"] == 2
    with pytest.raises(RuntimeError), transaction.atomic():
        add_record(staff_user, date(2020, 7, 1), "出向き・参加")
        # seen (and cached) by the failing transaction itself
        assert kind_counts(page_report(viewer_client))["出向き・参加"] == 3
        raise RuntimeError
    assert kind_counts(page_report(viewer_client))["出向き・参加"] == 2


def test_one_transaction_replaces_the_token_once_until_a_report_is_read(
    two_years: Any, staff_user: User
) -> None:
    def token_writes(write: Callable[[], None]) -> int:
        with CaptureQueriesContext(connection) as queries:
            write()
        return sum(
            1
            for q in queries.captured_queries
            if "reports_reportgeneration" in q["sql"] and q["sql"].startswith("UPDATE")
        )

    report_cache.generation()

    def three_records() -> None:
        with transaction.atomic():
            for day in (1, 2, 3):
                add_record(staff_user, date(2020, 7, day), "出向き・参加")

    assert token_writes(three_records) == 1
    before = report_cache.generation()  # a report is read: the next write replaces it
    assert token_writes(lambda: add_record(staff_user, date(2020, 7, 4), "相談対応")) == 1
    assert report_cache.generation() != before


# --- writes that send no model signal -------------------------------------------------


@contextmanager
def signals_off() -> Iterator[None]:
    """Only explicit `invalidate()` calls replace the token meanwhile."""
    for model in report_cache.watched_models():
        uid = f"reports.cache.{model._meta.label_lower}"
        assert post_save.disconnect(sender=model, dispatch_uid=f"{uid}.save")
        assert post_delete.disconnect(sender=model, dispatch_uid=f"{uid}.delete")
        if model._meta.auto_created:
            assert m2m_changed.disconnect(sender=model, dispatch_uid=f"{uid}.m2m")
    try:
        yield
    finally:
        report_cache.connect()


def test_an_imported_file_is_on_the_next_page(
    two_years: Any, viewer_client: Client, admin_user: User
) -> None:
    assert kind_counts(page_report(viewer_client))["出向き・参加"] == 2
    row = {
        "日付": "2020-06-03",
        "担当職員": "職員 二郎",
        "活動種別": "出向き・参加",
        "場所": "出向いた先",
        "支援先": "サロンひだまり",
    }
    data = write_csv(RECORD_CORE_COLUMNS, [[row.get(c) for c in RECORD_CORE_COLUMNS]] * 2)
    with signals_off():
        import_file(by=admin_user, kind="records", data=data, filename="t.csv")
    assert kind_counts(page_report(viewer_client))["出向き・参加"] == 4


def test_imported_baseline_figures_are_on_the_next_page(
    two_years: Any, viewer_client: Client, admin_user: User
) -> None:
    trend = page_report(viewer_client).trends[0]
    # 平成30年度 has no list and no records: nothing to show
    assert {row.label: row.counts[0] for row in trend.rows}["出向き・参加"] is None
    data = write_csv(["年度", "表", "名称", "件数"], [["2018", "活動種別", "出向き・参加", 40]])
    with signals_off():
        import_file(by=admin_user, kind="baseline", data=data, filename="b.csv")
    trend = page_report(viewer_client).trends[0]
    assert {row.label: row.counts[0] for row in trend.rows}["出向き・参加"] == 40


def test_the_benchmark_data_written_in_raw_sql_is_on_the_next_page(
    two_years: Any, viewer_client: Client
) -> None:
    assert kind_counts(page_report(viewer_client))["出向き・参加"] == 2
    writer = _Writer()
    for day in (3, 4, 5):
        writer.add(
            {
                "date": date(2020, 6, day),
                "fiscal_year": 2020,
                "activity_kind_id": ActivityKind.objects.get(
                    fiscal_year=2020, name="出向き・参加"
                ).pk,
                "place": Place.OUTREACH,
                "target_group_id": ActivityGroup.objects.get(name="サロンひだまり").pk,
            },
            [],
            [],
        )
    writer.flush()
    assert kind_counts(page_report(viewer_client))["出向き・参加"] == 5


def test_the_demo_is_on_the_next_page(db: None) -> None:
    # (the demo loads only into a database without accounts: no page, the cached figures)
    assert "令和2年度の記録はまだありません。" in report_cache.cached_figures(2020).report.notes
    with signals_off():  # its records are written with bulk_create
        call_command("demo", last_year=2020, stdout=StringIO())
    report = report_cache.cached_figures(2020).report
    rows = {row.label: row.count for s in report.sections for row in s.rows}
    assert rows["新型コロナウイルス関連"] == 96


# --- a closed year --------------------------------------------------------------------


def test_a_closed_year_is_served_without_building_it_again(
    two_years: Any,
    viewer_client: Client,
    admin_user: User,
    staff_user: User,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    close_year(by=admin_user, fiscal_year=2020)
    first = viewer_client.get("/reports/", {"fy": "2020"})
    assert first.context["figures"].closure is not None
    assert first.context["figures"].differences == ()

    def no_build(*args: Any, **kwargs: Any) -> Report:
        raise AssertionError("the closed year was built again")

    with monkeypatch.context() as m:
        m.setattr("tsunagu.reports.services.build_report", no_build)
        again = viewer_client.get("/reports/", {"fy": "2020"})
    assert again.context["report"] == first.context["report"]
    assert again.context["figures"].closure == first.context["figures"].closure

    # a record written after the closing: the published figures stay, the difference shows
    add_record(staff_user, date(2020, 7, 1), "出向き・参加")
    after = viewer_client.get("/reports/", {"fy": "2020"})
    assert kind_counts(after.context["report"])["出向き・参加"] == 2
    names = [d.name for d in after.context["figures"].differences]
    assert "活動内容別：出向き・参加（令和2年度）" in names
    assert "締めた後に記録が変更されています" in after.content.decode()


def test_a_closed_year_hit_asks_for_the_closure_only(
    two_years: Any,
    viewer_client: Client,
    admin_user: User,
    django_assert_num_queries: Any,
) -> None:
    close_year(by=admin_user, fiscal_year=2020)
    page_report(viewer_client)
    with django_assert_num_queries(8):  # the repeated page's seven, and the closure
        page_report(viewer_client)


# --- one build at a time --------------------------------------------------------------


def test_a_burst_of_viewers_waits_for_one_build() -> None:
    builds: list[int] = []
    results: list[str] = []

    def build() -> str:
        builds.append(1)
        time.sleep(0.2)
        return "figures"

    def view() -> None:
        results.append(report_cache.single_flight("tsunagu.report.test0001", build))

    threads = [threading.Thread(target=view) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == ["figures"] * 6
    assert len(builds) == 1


# --- generated: every table the report reads is watched, every watched model invalidates


def _tables_read(sql: str) -> set[str]:
    return set(re.findall(r'(?:FROM|JOIN)\s+"?(\w+)"?', sql))


def test_every_table_the_report_queries_is_watched(
    two_years: Any, city: dict[str, Any], admin_user: User
) -> None:
    MunicipalityProfile.objects.create(fiscal_year=2020, name="武蔵野市")
    BaselineFigure.objects.create(fiscal_year=2018, table="活動種別", name="出向き・参加", count=1)
    close_year(by=admin_user, fiscal_year=2020)
    with CaptureQueriesContext(connection) as queries:
        figures_for(2020)  # closed: published and current
        figures_for(2019)
        figures_for(2020, Scope(zone=city["east"]))
        figures_for(2020, Scope(region=city["honcho"]))
        figures_for(2020, None, Period.half(2020, 1))
    read: set[str] = set()
    for query in queries.captured_queries:
        tables = _tables_read(query["sql"])
        if "reports_yearclosure" in tables:
            # who closed the year: cached_figures reads the closure afresh on each request
            tables.discard("accounts_user")
        read |= tables
    assert {"records_supportrecord", "records_category", "reports_yearclosure"} <= read
    watched = {m._meta.db_table for m in report_cache.watched_models()}
    by_table = {m._meta.db_table: m._meta.label for m in apps.get_models(include_auto_created=True)}
    unwatched = sorted(by_table.get(t, t) for t in read - watched)
    assert unwatched == [], (
        f"The report reads {unwatched}: add their app to WATCHED_APPS in reports/cache.py"
    )


def _rows(user: User) -> dict[str, Callable[[], models.Model]]:
    """How to make one more row of each watched model, from the two_years world."""
    record = SupportRecord.objects.filter(fiscal_year=2020).first
    zone = Zone.objects.first

    def new_record() -> models.Model:
        copy = record()
        assert copy is not None
        copy.pk = None
        copy.save()
        return copy

    return {
        "records.consultertype": lambda: ConsulterType.objects.create(name="その他の相談者"),
        "records.activitykind": lambda: ActivityKind.objects.create(
            fiscal_year=2021, name="新しい種別", order=9
        ),
        "records.category": lambda: Category.objects.create(
            fiscal_year=2021, consulter_type=ConsulterType.objects.first(), name="新しい内容"
        ),
        "records.importbatch": lambda: ImportBatch.objects.create(
            kind="records", filename="x.csv", digest="0" * 64
        ),
        "records.supportrecord": new_record,
        "records.recordagency": lambda: RecordAgency.objects.create(
            record=new_record(), agency=Agency.objects.first()
        ),
        "records.savedentry": lambda: SavedEntry.objects.create(
            token="t" * 20, record=record(), created_by=user
        ),
        "directory.municipalityprofile": lambda: MunicipalityProfile.objects.create(
            fiscal_year=2030, name="武蔵野市"
        ),
        "directory.zone": lambda: Zone.objects.create(name="北部圏域"),
        "directory.region": lambda: Region.objects.create(name="北町地域社協", zone=zone()),
        "directory.groupkind": lambda: GroupKind.objects.create(name="子ども食堂"),
        "directory.activitygroup": lambda: ActivityGroup.objects.create(
            name="食堂あおば", kind=GroupKind.objects.first(), zone=zone()
        ),
        "directory.agencygroup": lambda: AgencyGroup.objects.create(name="高齢者支援課"),
        "directory.agency": lambda: Agency.objects.create(
            name="高齢者支援課", group=AgencyGroup.objects.first()
        ),
        "reports.baselinefigure": lambda: BaselineFigure.objects.create(
            fiscal_year=2010, table="活動種別", name="出向き・参加", count=1
        ),
        "reports.yearclosure": lambda: YearClosure.objects.create(
            fiscal_year=2010, data={}, closed_by=user
        ),
    }


def _links(city: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    """The many-to-many tables Django made (no post_save of their own): a relation
    manager and a row to add to it and remove from it."""
    record = SupportRecord.objects.filter(categories__name="近況報告など").first()
    assert record is not None
    kind = ActivityKind.objects.get(fiscal_year=2020, name="相談対応")
    category = Category.objects.get(fiscal_year=2020, name="その他")
    case = Case.objects.create(
        pseudonym="Aさん", opened_on=date(2020, 6, 1), zone=city["east"], region=city["honcho"]
    )
    return {
        "records.activitykind_predecessors": (
            kind.predecessors,
            ActivityKind.objects.get(fiscal_year=2019, name="出向き・参加"),
        ),
        "records.category_predecessors": (
            category.predecessors,
            Category.objects.get(fiscal_year=2019, name="紹介"),
        ),
        "records.supportrecord_categories": (record.categories, category),
        "cases.case_records": (case.records, record),
    }


WATCHED = [m._meta.label_lower for m in report_cache.watched_models()]


def test_every_watched_model_is_tried_below(two_years: Any, city: dict[str, Any]) -> None:
    tried = [*_rows(User()), *_links(city)]
    assert sorted(tried) == sorted(WATCHED)
    assert "reports.reportgeneration" not in WATCHED


@pytest.mark.parametrize("label", WATCHED)
def test_creating_changing_and_deleting_a_row_replaces_the_token(
    label: str, two_years: Any, city: dict[str, Any], admin_user: User
) -> None:
    rows, links = _rows(admin_user), _links(city)
    assert label in rows or label in links, (
        f"{label} is watched: add how to make a row of it to _rows (or _links)"
    )
    if label in links:
        manager, other = links[label]
        for change in (
            lambda: manager.add(other),
            lambda: manager.remove(other),
            lambda: manager.add(other),
            lambda: manager.clear(),
        ):
            token = report_cache.generation()
            change()
            assert report_cache.generation() != token, f"changing {label} kept the token"
        return
    token = report_cache.generation()
    row = rows[label]()
    assert type(row)._meta.label_lower == label
    assert report_cache.generation() != token, f"creating a {label} kept the token"

    token = report_cache.generation()
    row.save()
    assert report_cache.generation() != token, f"saving a {label} kept the token"

    token = report_cache.generation()
    row.delete()
    assert report_cache.generation() != token, f"deleting a {label} kept the token"


def test_a_record_linked_to_a_case_changes_the_page(
    two_years: Any, city: dict[str, Any], viewer_client: Client
) -> None:
    def individual() -> int:
        split = page_report(viewer_client).support_split
        assert split is not None
        return split.total.individual

    before = individual()
    _, record = _links(city)["cases.case_records"]
    case = Case.objects.get()
    case.records.add(record)
    assert record.support_kind is None  # derived: a record linked to a case is 個別支援
    assert individual() == before + 1


def test_the_token_row_is_made_when_missing(db: None) -> None:
    ReportGeneration.objects.all().delete()
    token = report_cache.generation()
    assert token == report_cache.generation()
    report_cache.invalidate()
    assert report_cache.generation() != token
