from datetime import date

from tsunagu.accounts.models import User
from tsunagu.directory.models import Region
from tsunagu.grants.models import Grant
from tsunagu.grants.queries import GrantSummary, grant_summary_for, year_summary
from tsunagu.grants.services.lifecycle import settle_grant


def test_grant_summary_for_the_council_page(reported: Grant, admin_user: User) -> None:
    region = Region.objects.get(pk=reported.region_id)
    summary = grant_summary_for(region, 2020)
    assert summary == GrantSummary(
        state_label="報告済",
        applied=280_000,
        decided=280_000,
        paid=280_000,
        spent=270_000,
        returned=None,
        url=f"/grants/{reported.pk}/",
    )
    settle_grant(
        by=admin_user,
        grant=reported,
        expected_version=reported.version,
        returned_amount=35_000,
        settled_on=date(2021, 5, 1),
    )
    settled = grant_summary_for(region, 2020)
    assert settled is not None and (settled.state_label, settled.returned) == ("精算済", 35_000)
    assert grant_summary_for(region, 2019) is None


def test_year_summary_lists_every_active_council(applied: Grant, city: dict[str, object]) -> None:
    summary = year_summary(2020)
    assert [row.region.name for row in summary.rows] == ["本町地域社協", "境南地域社協"]
    assert [row.state_label for row in summary.rows] == ["申請中", "未申請"]
    assert summary.totals["applied"] == 280_000
    assert summary.totals["decided"] == 0
    assert summary.source_total == 3_900_000
    assert summary.state_counts == [("未申請", 1), ("申請中", 1)]
