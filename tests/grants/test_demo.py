import io

import pytest
from django.core.management import call_command

from tsunagu.accounts.models import User
from tsunagu.audit.models import AuditEntry
from tsunagu.demo.grants import load_demo
from tsunagu.grants.fundraising import fundraising_trend
from tsunagu.grants.models import Grant, GrantProgramme, GrantState
from tsunagu.lib.fiscal import current_fiscal_year


@pytest.fixture
def demo(db: None) -> str:
    call_command("demo", last_year=2020, stdout=io.StringIO())
    return load_demo(by=User.objects.get(username="admin"))


def test_the_demo_has_four_years_of_grants_for_the_13_councils(demo: str) -> None:
    years = [2018, 2019, 2020, current_fiscal_year()]
    assert sorted(GrantProgramme.objects.values_list("fiscal_year", flat=True)) == years
    for fy in (2018, 2019, 2020):
        grants = Grant.objects.filter(programme__fiscal_year=fy)
        assert grants.count() == 13
        assert set(grants.values_list("state", flat=True)) == {GrantState.SETTLED}
        assert all(g.balance == 0 for g in grants)
    this_year = set(
        Grant.objects.filter(programme__fiscal_year=current_fiscal_year()).values_list(
            "state", flat=True
        )
    )
    assert this_year == set(GrantState)  # every state
    assert Grant.objects.exclude(exception_reason="").count() == 1
    assert "助成金 52件" in demo


def test_applications_are_entered_by_staff_and_decided_by_the_administrator(demo: str) -> None:
    admin = User.objects.get(username="admin")
    staff = set(User.objects.filter(username__in=["sato", "suzuki", "takahashi"]))
    grants = Grant.objects.select_related("applied_by", "decided_by")
    assert {g.applied_by for g in grants} == staff
    assert {g.decided_by for g in grants if g.decided_by} == {admin}
    assert AuditEntry.objects.filter(action="grants.grant.decided", actor=admin).count() == (
        grants.exclude(decided_by=None).count()
    )


def test_door_to_door_giving_falls_73_percent(demo: str) -> None:
    trend = fundraising_trend()
    assert trend.years == [2016, 2017, 2018, 2019, 2020]
    door = next(row for row in trend.rows if row.label == "戸別募金")
    assert door.changes[-1] == "－73.0%"
    assert trend.largest_fall is not None and trend.largest_fall[0] == "戸別募金"


def test_loading_again_adds_nothing(demo: str) -> None:
    before = (Grant.objects.count(), AuditEntry.objects.count())
    assert "今回追加 0件" in load_demo(by=User.objects.get(username="admin"))
    assert (Grant.objects.count(), AuditEntry.objects.count()) == before
