import io
from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from tsunagu.accounts.models import User
from tsunagu.directory.models import Region
from tsunagu.grants.queries import grant_summary_for
from tsunagu.plans.models import InitiativeRecord, Plan
from tsunagu.plans.queries import YEARS_BESIDE, count_table
from tsunagu.records.models import SupportRecord

pytestmark = pytest.mark.django_db

# The demo pinned to 平成30年度〜令和2年度 (conftest: last_year=2020).
YEAR = 2020


def counted_directly(region: Region, fiscal_year: int) -> tuple[Counter[str], Counter[str]]:
    """Counts by activity kind and by consulter type, by walking every live record."""
    kinds: Counter[str] = Counter()
    types: Counter[str] = Counter()
    records = SupportRecord.objects.alive().filter(fiscal_year=fiscal_year)
    for record in records.select_related("activity_kind", "consulter_type", "target_group"):
        group_region = record.target_group.region_id if record.target_group else None
        if region.pk not in (record.region_id, record.target_region_id, group_region):
            continue
        kinds[record.activity_kind.name] += 1
        if record.consulter_type:
            types[record.consulter_type.name] += 1
    return kinds, types


def test_the_regional_council_page_of_a_demo_council(client, demo):
    """Shows its plan, grant, groups and this year's support with correct counts."""
    region = Region.objects.get(name="境南地域社協")
    client.force_login(User.objects.get(username="takahashi"))
    response = client.get(f"/plans/regions/{region.pk}/?year={YEAR}")
    assert response.status_code == 200
    text = response.content.decode()

    assert "西部圏域" in text and "高橋 由美" in text
    assert "笑顔あふれる境南町!" in text and "今後の取り組み" in text
    assert "防災・減災を軸にした支え合いの仕組みづくり" in text
    for group in region.groups.filter(active=True):
        assert group.name in text and group.schedule in text
    grant = grant_summary_for(region, YEAR)
    if grant is None:
        assert "助成金の情報はまだありません。" in text
    else:
        assert grant.state_label in text

    counts = response.context["counts"]
    assert counts.by_kind.years == [YEAR - n for n in range(YEARS_BESIDE + 1)]
    for year_index, fiscal_year in enumerate(counts.by_kind.years):
        kinds, types = counted_directly(region, fiscal_year)
        shown_kinds = {row.label: row.counts[year_index] for row in counts.by_kind.rows}
        shown_types = {row.label: row.counts[year_index] for row in counts.by_consulter.rows}
        assert {k: v for k, v in shown_kinds.items() if v} == dict(kinds), fiscal_year
        assert {k: v for k, v in shown_types.items() if v} == dict(types), fiscal_year
    kinds, _ = counted_directly(region, YEAR)
    assert sum(kinds.values()) > 50
    assert f"令和2年度の支援（{sum(kinds.values())}件）" in text

    # The plan's initiatives show how many live records of the year serve them.
    plan = Plan.objects.get(region=region, start_year=2019)
    for row in response.context["rows"]:
        expected = InitiativeRecord.objects.filter(
            initiative=row.initiative, record__fiscal_year=YEAR, record__deleted_at__isnull=True
        ).count()
        assert row.record_count == expected
        assert row.initiative.plan_id == plan.pk
    assert sum(row.record_count for row in response.context["rows"]) > 0


def test_the_page_costs_the_same_few_queries_for_any_council(
    client, demo, django_assert_max_num_queries
):
    client.force_login(User.objects.get(username="sato"))
    client.get("/")  # the first request after signing in refreshes the session's expiry
    counts = []
    for name in ["境南地域社協", "四小地区福祉の会", "桜堤地域社協"]:
        region = Region.objects.get(name=name)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/plans/regions/{region.pk}/?year={YEAR}").status_code == 200
        counts.append(len(queries))
    assert len(set(counts)) == 1, counts
    region = Region.objects.get(name="境南地域社協")
    # Session and user, the council, its plans with their contents, statuses and links,
    # its groups, four GROUP BY counts and their lists, the year list and the grant.
    with django_assert_max_num_queries(23):
        client.get(f"/plans/regions/{region.pk}/?year={YEAR}")


def test_a_year_without_a_plan_says_so(client, demo):
    region = Region.objects.get(name="八幡地域社協")
    client.force_login(User.objects.get(username="etsuran"))
    text = client.get(f"/plans/regions/{region.pk}/?year=2026").content.decode()
    assert "令和8年度を含む計画はありません。" in text
    assert "計画を登録する" not in text  # viewers do not edit
    assert "令和元年度〜令和5年度" in text  # the earlier plan is listed


def test_count_table_orders_rows_and_fills_zeros() -> None:
    table = count_table(
        [2020, 2019],
        {(2020, "相談対応"): 3, (2019, "出向き・参加"): 5, (2019, "旧い種別"): 1},
        ["出向き・参加", "相談対応", "働きかけ"],
    )
    assert [(r.label, r.counts) for r in table.rows] == [
        ("出向き・参加", [0, 5]),
        ("相談対応", [3, 0]),
        ("働きかけ", [0, 0]),
        ("旧い種別", [0, 1]),
    ]
    assert table.totals == [3, 6]


def test_count_table_leaves_years_that_did_not_count_a_label_empty_of_figures() -> None:
    table = count_table(
        [2020, 2019, 2018],
        {(2020, "働きかけ"): 4, (2020, "相談対応"): 3, (2019, "相談対応"): 2},
        ["相談対応", "働きかけ"],
        counted={(2020, "相談対応"), (2020, "働きかけ"), (2019, "相談対応")},
    )
    # 働きかけ is in 2020's list only; 2018 has no list at all.
    assert [(r.label, r.counts) for r in table.rows] == [
        ("相談対応", [3, 2, None]),
        ("働きかけ", [4, None, None]),
    ]
    assert table.totals == [7, 2, None]


def test_the_page_shows_a_dash_for_years_before_a_kind_was_counted(client, demo):
    """The demo counts 働きかけ from 令和2年度 on: the earlier columns say —, not 0, and
    平成29年度, before the demo's first year, has no figure at all."""
    region = Region.objects.get(name="境南地域社協")
    client.force_login(User.objects.get(username="takahashi"))
    text = client.get(f"/plans/regions/{region.pk}/?year={YEAR}").content.decode()
    kinds, _ = counted_directly(region, YEAR)
    approach = kinds["働きかけ"]
    assert approach > 0
    assert (
        f'<tr><th scope="row">働きかけ</th><td class="num is-current">{approach}</td>'
        '<td class="num">—</td><td class="num">—</td><td class="num">—</td></tr>'
    ) in text
    visits, _ = counted_directly(region, 2019)
    assert (
        f'<tr><th scope="row">出向き・参加</th><td class="num is-current">{kinds["出向き・参加"]}</td>'
        f'<td class="num">{visits["出向き・参加"]}</td>'
    ) in text
    assert '<tfoot><tr><th scope="row">合計</th>' in text
    footer = text[text.index('<tfoot><tr><th scope="row">合計</th>') :].split("</tr>")[0]
    assert footer.endswith('<td class="num">—</td>')  # 平成29年度: nothing counted
    assert "「—」は、その年度にはその活動種別を数えていなかったことを示します。" in text


def test_the_report_page_and_its_xlsx_show_a_dash_before_a_kind_was_counted(client, demo):
    """The same rule on the report: 働きかけ, counted from 令和2年度 on, reads — for
    平成30年度 and 令和元年度 on the page and in the downloaded workbook."""
    client.force_login(User.objects.get(username="sato"))
    text = client.get("/reports/?fy=2020").content.decode()
    row = text[text.index('<tr><th scope="row">働きかけ</th>') :].split("</tr>")[0]
    assert row.count('<td class="num">—</td>') == 2
    response = client.get("/reports/download/?fy=2020&format=xlsx")
    sheet = load_workbook(io.BytesIO(response.content))["活動内容別"]
    # The table's row (the chart's hidden copy of the figures comes later).
    cells = next(
        [c.value for c in r] for r in sheet.iter_rows(max_col=4) if r[0].value == "働きかけ"
    )
    assert cells[:3] == ["働きかけ", "—", "—"]
    assert isinstance(cells[3], int) and cells[3] > 0
