import re
from decimal import Decimal

import pytest

from tsunagu.accounts.models import User
from tsunagu.audit.models import AuditEntry
from tsunagu.grants.charts import render_fundraising_svg
from tsunagu.grants.defaults import ensure_fundraising_lists
from tsunagu.grants.fundraising import build_trend, change_text, fundraising_trend
from tsunagu.grants.models import (
    FundraisingDrive,
    FundraisingMethod,
    FundraisingTotal,
    FundraisingYear,
)
from tsunagu.grants.services.fundraising import (
    save_fundraising_lists,
    save_fundraising_year,
)


@pytest.mark.parametrize(
    ("previous", "current", "text"),
    [
        (3_610_000, 975_000, "－73.0%"),
        (1_000, 1_125, "＋12.5%"),
        (1_000, 1_000, "±0.0%"),
        (3, 2, "－33.3%"),
        (None, 500, "新"),
        (0, 500, "新"),
        (0, 0, "±0.0%"),
        (500, None, "—"),
    ],
)
def test_change_to_the_year_before(previous: int | None, current: int | None, text: str) -> None:
    assert change_text(previous, current) == text


def test_trend_rows_follow_the_method_order_and_skip_empty_methods() -> None:
    trend = build_trend(
        [2019, 2020],
        ["戸別募金", "街頭募金", "法人募金"],
        {(2019, "戸別募金"): 3_610_000, (2020, "戸別募金"): 975_000, (2020, "法人募金"): 10},
    )
    assert [row.label for row in trend.rows] == ["戸別募金", "法人募金"]
    assert trend.rows[0].changes == ["—", "－73.0%"]
    assert trend.rows[1].changes == ["—", "新"]
    assert trend.total.amounts == [3_610_000, 975_010]
    assert trend.largest_fall == ("戸別募金", "令和2年度", Decimal("-73.0"))


def test_the_chart_reads_out_every_figure() -> None:
    trend = build_trend(
        [2019, 2020],
        ["戸別募金", "街頭募金"],
        {
            (2019, "戸別募金"): 3_610_000,
            (2020, "戸別募金"): 975_000,
            (2019, "街頭募金"): 380_000,
        },
    )
    svg = render_fundraising_svg(trend)
    assert 'role="img"' in svg and "<title" in svg and "<desc" in svg
    desc = re.search(r"<desc[^>]*>(.*?)</desc>", svg, re.S)
    assert desc is not None
    assert "令和2年度 975,000円（－73.0%）" in desc.group(1)
    assert "街頭募金：令和元年度 380,000円、令和2年度 記録なし" in desc.group(1)
    assert svg.count("<polyline") == 1  # a line needs two points


def test_an_empty_chart_says_so() -> None:
    assert "募金実績がありません" in render_fundraising_svg(build_trend([], [], {}))


def test_saving_a_year_upserts_removes_and_logs(db: None, staff_user: User) -> None:
    ensure_fundraising_lists()
    red = FundraisingDrive.objects.get(name="赤い羽根共同募金")
    door = FundraisingMethod.objects.get(name="戸別募金")
    street = FundraisingMethod.objects.get(name="街頭募金")
    assert (
        save_fundraising_year(
            by=staff_user,
            fiscal_year=2020,
            amounts={(red.pk, door.pk): "９７５，０００円", (red.pk, street.pk): 152_000},
        )
        == 2
    )
    assert (
        save_fundraising_year(
            by=staff_user,
            fiscal_year=2020,
            amounts={(red.pk, door.pk): 975_000, (red.pk, street.pk): None},
            expected_version=FundraisingYear.objects.get(fiscal_year=2020).version,
        )
        == 1
    )
    assert list(FundraisingTotal.objects.values_list("method__name", "amount")) == [
        ("戸別募金", 975_000)
    ]
    entries = AuditEntry.objects.filter(action="grants.fundraising.saved").order_by("id")
    assert entries.count() == 2
    assert entries.last().changes == {"赤い羽根共同募金・街頭募金": [152_000, None]}  # type: ignore[union-attr]


def test_bad_fundraising_amounts_are_refused_whole(db: None, staff_user: User) -> None:
    ensure_fundraising_lists()
    red = FundraisingDrive.objects.get(name="赤い羽根共同募金")
    door = FundraisingMethod.objects.get(name="戸別募金")
    street = FundraisingMethod.objects.get(name="街頭募金")
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="マイナス"):
        save_fundraising_year(
            by=staff_user,
            fiscal_year=2020,
            amounts={(red.pk, door.pk): 975_000, (red.pk, street.pk): "-1"},
        )
    assert not FundraisingTotal.objects.exists()


def test_the_method_list_is_data(db: None, admin_user: User, staff_user: User) -> None:
    ensure_fundraising_lists()
    door = FundraisingMethod.objects.get(name="戸別募金")
    methods = [(m.pk, m.name, m.order, m.active) for m in FundraisingMethod.objects.all()]
    methods = [(pk, name, order, pk != door.pk) for pk, name, order, _ in methods]
    methods.append((None, "インターネット募金", 99, True))
    assert save_fundraising_lists(by=admin_user, methods=methods, drives=[]) == 2
    door.refresh_from_db()
    assert not door.active
    assert FundraisingMethod.objects.filter(name="インターネット募金").exists()
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied, match="管理者"):
        save_fundraising_lists(by=staff_user, methods=[], drives=[])


def test_the_trend_reads_the_database(db: None, staff_user: User) -> None:
    ensure_fundraising_lists()
    red = FundraisingDrive.objects.get(name="赤い羽根共同募金")
    year_end = FundraisingDrive.objects.get(name="歳末たすけあい募金")
    door = FundraisingMethod.objects.get(name="戸別募金")
    for fy, (a, b) in {2019: (2_000_000, 1_610_000), 2020: (600_000, 375_000)}.items():
        save_fundraising_year(
            by=staff_user, fiscal_year=fy, amounts={(red.pk, door.pk): a, (year_end.pk, door.pk): b}
        )
    trend = fundraising_trend()
    assert trend.years == [2019, 2020]
    assert trend.rows[0].cells == [(3_610_000, "—"), (975_000, "－73.0%")]
