from datetime import date

import pytest

from tests.conftest import make_user
from tsunagu.accounts.models import Role, User
from tsunagu.grants.models import Grant, GrantProgramme
from tsunagu.grants.services.lifecycle import (
    LineInput,
    apply_grant,
    decide_grant,
    pay_grant,
    report_expenses,
)
from tsunagu.grants.services.programme import SourceInput, save_programme

FY = 2020


@pytest.fixture
def second_admin(db: None) -> User:
    return make_user("kanri2", Role.ADMIN, last_name="管理", first_name="次郎")


@pytest.fixture
def programme(admin_user: User) -> GrantProgramme:
    return save_programme(
        by=admin_user,
        fiscal_year=FY,
        cap=300_000,
        sources=[
            SourceInput("歳末たすけあい地域福祉活動募金", 2_400_000),
            SourceInput("自主財源", 1_500_000),
        ],
    )


EXPENSES = [
    LineInput("会場費", 60_000, "サロンの会場"),
    LineInput("茶菓代", 90_000, "サロンのお茶"),
    LineInput("印刷費", 150_000, "広報紙"),
]
INCOMES = [LineInput("参加費", 30_000, "サロンの参加費")]


@pytest.fixture
def applied(programme: GrantProgramme, staff_user: User, city: dict[str, object]) -> Grant:
    return apply_grant(
        by=staff_user,
        programme=programme,
        region=city["honcho"],  # type: ignore[arg-type]
        plan="高齢者サロン（月1回）、広報紙（年2回）",
        applied_amount=280_000,
        applied_on=date(2020, 4, 20),
        expenses=EXPENSES,
        incomes=INCOMES,
    )


@pytest.fixture
def decided(applied: Grant, admin_user: User) -> Grant:
    return decide_grant(
        by=admin_user,
        grant=applied,
        expected_version=applied.version,
        amount=280_000,
        decided_on=date(2020, 5, 20),
    )


@pytest.fixture
def paid(decided: Grant, admin_user: User) -> Grant:
    return pay_grant(
        by=admin_user,
        grant=decided,
        expected_version=decided.version,
        amount=280_000,
        paid_on=date(2020, 6, 1),
    )


@pytest.fixture
def reported(paid: Grant, staff_user: User) -> Grant:
    # spent 270,000; income 25,000 → 35,000 to return
    return report_expenses(
        by=staff_user,
        grant=paid,
        expected_version=paid.version,
        expenses=[
            LineInput("会場費", 48_000),
            LineInput("茶菓代", 80_000),
            LineInput("印刷費", 130_000),
            LineInput("保険料", 12_000),
        ],
        incomes=[LineInput("参加費", 25_000)],
        reported_on=date(2021, 4, 10),
    )
