"""The five steps of a grant, and every bad input of issue 5 refused with nothing saved."""

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.grants.conftest import EXPENSES, INCOMES
from tsunagu.accounts.models import User
from tsunagu.audit.models import AuditEntry
from tsunagu.grants.models import Grant, GrantLine, GrantProgramme, GrantState, LineKind
from tsunagu.grants.services.lifecycle import (
    GrantConflict,
    LineInput,
    apply_grant,
    decide_grant,
    expected_return,
    pay_grant,
    report_expenses,
    settle_grant,
    update_application,
)
from tsunagu.grants.services.programme import SourceInput, save_programme


def snapshot(grant: Grant) -> tuple[Any, ...]:
    """Everything a failed step must leave as it was."""
    row = Grant.objects.values().get(pk=grant.pk)
    row.pop("updated_at")
    lines = list(
        GrantLine.objects.filter(grant=grant).values_list("kind", "item", "planned", "actual")
    )
    return row, lines, AuditEntry.objects.count()


def refused(call: Any, grant: Grant, *, match: str) -> str:
    before = snapshot(grant)
    # A refused role is PermissionDenied (the access layer), a refused step ValidationError.
    with pytest.raises((ValidationError, PermissionDenied)) as error:
        call()
    value = error.value
    message = " ".join(value.messages) if isinstance(value, ValidationError) else str(value)
    assert match in message, message
    assert snapshot(grant) == before  # nothing half-saved
    return message


# --- the happy path -------------------------------------------------------------------


def test_a_grant_goes_from_application_to_settlement(
    reported: Grant, admin_user: User, staff_user: User
) -> None:
    assert reported.state == GrantState.REPORTED
    assert (reported.spent_amount, reported.income_amount) == (270_000, 25_000)
    assert expected_return(reported) == 35_000
    settled = settle_grant(
        by=admin_user,
        grant=reported,
        expected_version=reported.version,
        returned_amount=35_000,
        settled_on=date(2021, 5, 1),
    )
    assert settled.state == GrantState.SETTLED
    assert settled.balance == 0
    actions = list(
        AuditEntry.objects.filter(target_type="grants.grant", target_id=str(settled.pk))
        .order_by("id")
        .values_list("action", "actor__username")
    )
    assert actions == [
        ("grants.grant.applied", staff_user.username),
        ("grants.grant.decided", admin_user.username),
        ("grants.grant.paid", admin_user.username),
        ("grants.grant.reported", staff_user.username),
        ("grants.grant.settled", admin_user.username),
    ]
    assert settled.retain_until == date(2031, 3, 31)  # end of FY2020 + 10


def test_the_expense_report_fills_the_budget_items_and_adds_unplanned_ones(reported: Grant) -> None:
    lines = {(x.kind, x.item): (x.planned, x.actual) for x in reported.lines.all()}
    assert lines[(LineKind.EXPENSE, "会場費")] == (60_000, 48_000)
    assert lines[(LineKind.EXPENSE, "保険料")] == (None, 12_000)  # not in the budget
    assert lines[(LineKind.INCOME, "参加費")] == (30_000, 25_000)


def test_a_report_can_be_corrected_before_settlement(reported: Grant, staff_user: User) -> None:
    corrected = report_expenses(
        by=staff_user,
        grant=reported,
        expected_version=reported.version,
        expenses=[LineInput("会場費", 48_000), LineInput("印刷費", 130_000)],
        incomes=[LineInput("参加費", 25_000)],
        reported_on=date(2021, 4, 12),
    )
    assert corrected.spent_amount == 178_000
    lines = {x.item: x.actual for x in corrected.lines.filter(kind=LineKind.EXPENSE)}
    assert lines == {"会場費": 48_000, "茶菓代": 0, "印刷費": 130_000}  # 保険料 withdrawn
    assert AuditEntry.objects.filter(action="grants.grant.report_corrected").count() == 1


def test_an_application_can_be_corrected_until_decided(applied: Grant, staff_user: User) -> None:
    updated = update_application(
        by=staff_user,
        grant=applied,
        expected_version=applied.version,
        plan="サロンと防災訓練",
        applied_amount="２５００００",
        expenses=[LineInput("会場費", 250_000)],
    )
    assert updated.applied_amount == 250_000
    assert [x.item for x in updated.lines.all()] == ["会場費"]
    entry = AuditEntry.objects.get(action="grants.grant.application_updated")
    assert entry.changes["applied_amount"] == [280_000, 250_000]


def test_full_width_digits_and_yen_signs_are_understood(
    programme: GrantProgramme, staff_user: User, admin_user: User, city: dict[str, Any]
) -> None:
    grant = apply_grant(
        by=staff_user,
        programme=programme,
        region=city["kyonan"],
        plan="サロン",
        applied_amount="３０００００",
        expenses=[LineInput("会場費", "300,000円"), LineInput("茶菓代", "¥20,000")],
        applied_on=date(2020, 4, 1),
    )
    assert grant.applied_amount == 300_000
    decided = decide_grant(
        by=admin_user,
        grant=grant,
        expected_version=grant.version,
        amount="３００，０００円",
        decided_on=date(2020, 4, 2),
    )
    assert decided.decided_amount == 300_000


def test_a_decision_above_the_cap_with_a_reason_is_an_exception(
    programme: GrantProgramme, staff_user: User, admin_user: User, city: dict[str, Any]
) -> None:
    grant = apply_grant(
        by=staff_user,
        programme=programme,
        region=city["kyonan"],
        plan="防災資機材",
        applied_amount=350_000,
        expenses=[LineInput("備品費", 350_000)],
        applied_on=date(2020, 4, 1),
    )
    decided = decide_grant(
        by=admin_user,
        grant=grant,
        expected_version=grant.version,
        amount=350_000,
        decided_on=date(2020, 4, 2),
        exception_reason="防災資機材の購入のため（理事会承認）",
    )
    assert decided.over_cap and decided.exception_reason.startswith("防災")
    entry = AuditEntry.objects.get(action="grants.grant.cap_exception")
    assert entry.actor == admin_user
    assert entry.changes["exception_reason"] == "防災資機材の購入のため（理事会承認）"


# --- bad input ------------------------------------------------------------------------


def test_a_decision_above_the_cap_without_an_exception_is_refused(
    programme: GrantProgramme, staff_user: User, admin_user: User, city: dict[str, Any]
) -> None:
    grant = apply_grant(
        by=staff_user,
        programme=programme,
        region=city["kyonan"],
        plan="防災資機材",
        applied_amount=350_000,
        expenses=[LineInput("備品費", 350_000)],
    )
    message = refused(
        lambda: decide_grant(
            by=admin_user, grant=grant, expected_version=grant.version, amount=350_000
        ),
        grant,
        match="上限額（300,000円）を超えています",
    )
    assert "理由を記録" in message


def test_the_applicant_cannot_decide(applied: Grant, staff_user: User) -> None:
    staff_user.role = "admin"
    staff_user.save(update_fields=["role"])
    refused(
        lambda: decide_grant(
            by=staff_user, grant=applied, expected_version=applied.version, amount=200_000
        ),
        applied,
        match="申請を入力した人",
    )


def test_staff_cannot_decide_pay_or_settle(applied: Grant, staff_user: User) -> None:
    refused(
        lambda: decide_grant(
            by=staff_user, grant=applied, expected_version=applied.version, amount=1
        ),
        applied,
        match="管理者が行います",
    )


def test_a_decision_above_the_application_is_refused(applied: Grant, admin_user: User) -> None:
    refused(
        lambda: decide_grant(
            by=admin_user, grant=applied, expected_version=applied.version, amount=290_000
        ),
        applied,
        match="申請額（280,000円）を超えています",
    )


def test_an_expense_report_before_payment_is_refused(decided: Grant, staff_user: User) -> None:
    refused(
        lambda: report_expenses(
            by=staff_user,
            grant=decided,
            expected_version=decided.version,
            expenses=[LineInput("会場費", 10_000)],
        ),
        decided,
        match="まだ支払われていません",
    )


def test_a_payment_dated_before_the_decision_is_refused(decided: Grant, admin_user: User) -> None:
    refused(
        lambda: pay_grant(
            by=admin_user,
            grant=decided,
            expected_version=decided.version,
            amount=280_000,
            paid_on=date(2020, 5, 19),
        ),
        decided,
        match="支払日（令和2年5月19日）が決定日（令和2年5月20日）より前です",
    )


def test_a_payment_before_the_decision_is_refused(applied: Grant, admin_user: User) -> None:
    refused(
        lambda: pay_grant(by=admin_user, grant=applied, expected_version=applied.version, amount=1),
        applied,
        match="まだ決定されていません",
    )


def test_a_payment_above_the_decision_is_refused(decided: Grant, admin_user: User) -> None:
    refused(
        lambda: pay_grant(
            by=admin_user, grant=decided, expected_version=decided.version, amount=280_001
        ),
        decided,
        match="決定額（280,000円）を超えています",
    )


def test_a_settlement_that_does_not_balance_is_refused(reported: Grant, admin_user: User) -> None:
    message = refused(
        lambda: settle_grant(
            by=admin_user,
            grant=reported,
            expected_version=reported.version,
            returned_amount=30_000,
            settled_on=date(2021, 5, 1),
        ),
        reported,
        match="収支が合いません",
    )
    assert "残高 5,000円" in message and "返還額は35,000円" in message


def test_a_settlement_whose_spending_exceeds_income_is_refused(
    paid: Grant, staff_user: User, admin_user: User
) -> None:
    grant = report_expenses(
        by=staff_user,
        grant=paid,
        expected_version=paid.version,
        expenses=[LineInput("会場費", 400_000)],
        reported_on=date(2021, 4, 1),
    )
    refused(
        lambda: settle_grant(
            by=admin_user, grant=grant, expected_version=grant.version, returned_amount=0
        ),
        grant,
        match="上回っていて、収支が合いません",
    )


def test_a_settlement_before_the_report_is_refused(paid: Grant, admin_user: User) -> None:
    refused(
        lambda: settle_grant(
            by=admin_user, grant=paid, expected_version=paid.version, returned_amount=0
        ),
        paid,
        match="収支報告がまだ入力されていません",
    )


@pytest.mark.parametrize(
    ("amount", "match"),
    [
        (-1, "マイナス"),
        ("－1000", "マイナス"),
        ("▲5,000", "マイナス"),
        (1000.5, "円単位の整数"),
        ("1000.5", "1円未満の端数"),
        ("abc", "金額として読み取れません"),
        ("", "入力されていません"),
        (True, "円単位の整数"),
        (None, "円単位の整数"),
        (0, "1円以上"),
    ],
)
def test_negative_and_non_integer_amounts_are_refused(
    applied: Grant, admin_user: User, amount: Any, match: str
) -> None:
    refused(
        lambda: decide_grant(
            by=admin_user, grant=applied, expected_version=applied.version, amount=amount
        ),
        applied,
        match=match,
    )


def test_a_negative_budget_line_refuses_the_whole_application(
    programme: GrantProgramme, staff_user: User, city: dict[str, Any]
) -> None:
    with pytest.raises(ValidationError, match="マイナス"):
        apply_grant(
            by=staff_user,
            programme=programme,
            region=city["kyonan"],
            plan="サロン",
            applied_amount=100_000,
            expenses=[LineInput("会場費", 100_000), LineInput("茶菓代", -5_000)],
        )
    assert not Grant.objects.exists() and not GrantLine.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="grants.grant").exists()


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"plan": " "}, "事業計画"),
        ({"expenses": []}, "1行以上"),
        ({"applied_amount": 500_000}, "支出予算の合計（300,000円）を超えています"),
        ({"expenses": [*EXPENSES, LineInput("会場費", 1)]}, "「会場費」が2回"),
        ({"expenses": [LineInput("", 1000)]}, "費目名を入力"),
    ],
)
def test_bad_applications_are_refused(
    programme: GrantProgramme, staff_user: User, city: dict[str, Any], kwargs: Any, match: str
) -> None:
    values: dict[str, Any] = {
        "plan": "サロン",
        "applied_amount": 280_000,
        "expenses": EXPENSES,
        "incomes": INCOMES,
    }
    with pytest.raises(ValidationError, match=match):
        apply_grant(
            by=staff_user, programme=programme, region=city["kyonan"], **{**values, **kwargs}
        )
    assert not Grant.objects.exists()


def test_a_second_application_for_the_same_council_and_year_is_refused(
    applied: Grant, staff_user: User, programme: GrantProgramme, city: dict[str, Any]
) -> None:
    with pytest.raises(ValidationError, match="すでに申請されています"):
        apply_grant(
            by=staff_user,
            programme=programme,
            region=city["honcho"],
            plan="サロン",
            applied_amount=1000,
            expenses=EXPENSES,
        )
    assert Grant.objects.count() == 1


def test_a_viewer_cannot_apply(
    programme: GrantProgramme, viewer_user: User, city: dict[str, Any]
) -> None:
    with pytest.raises(PermissionDenied, match="職員または管理者"):
        apply_grant(
            by=viewer_user,
            programme=programme,
            region=city["kyonan"],
            plan="サロン",
            applied_amount=1000,
            expenses=EXPENSES,
        )


def test_editing_a_settled_grant_is_refused(
    reported: Grant, admin_user: User, staff_user: User
) -> None:
    settled = settle_grant(
        by=admin_user, grant=reported, expected_version=reported.version, returned_amount=35_000
    )
    attempts = [
        lambda: report_expenses(
            by=staff_user,
            grant=settled,
            expected_version=settled.version,
            expenses=[LineInput("会場費", 1)],
        ),
        lambda: settle_grant(
            by=admin_user, grant=settled, expected_version=settled.version, returned_amount=35_000
        ),
        lambda: update_application(
            by=staff_user,
            grant=settled,
            expected_version=settled.version,
            plan="x",
            applied_amount=1,
            expenses=EXPENSES,
        ),
        lambda: decide_grant(
            by=admin_user, grant=settled, expected_version=settled.version, amount=1
        ),
        lambda: pay_grant(by=admin_user, grant=settled, expected_version=settled.version, amount=1),
    ]
    for attempt in attempts:
        refused(attempt, settled, match="精算済みの助成金は変更できません")


def test_an_application_cannot_be_changed_after_the_decision(
    decided: Grant, staff_user: User
) -> None:
    refused(
        lambda: update_application(
            by=staff_user,
            grant=decided,
            expected_version=decided.version,
            plan="x",
            applied_amount=1,
            expenses=EXPENSES,
        ),
        decided,
        match="すでに決定済のため",
    )


# --- concurrency (the same grant, two people) ----------------------------------------


def test_a_decision_on_a_form_opened_before_another_decision_is_told(
    applied: Grant, admin_user: User, second_admin: User
) -> None:
    opened = applied.version  # both administrators open the decision form
    decide_grant(by=admin_user, grant=applied, expected_version=opened, amount=280_000)
    message = refused(
        lambda: decide_grant(
            by=second_admin, grant=applied, expected_version=opened, amount=200_000
        ),
        applied,
        match="画面を開いた後に管理 一郎さんが更新しました",
    )
    assert "保存していません" in message
    grant = Grant.objects.get(pk=applied.pk)
    assert (grant.decided_amount, grant.decided_by) == (280_000, admin_user)
    assert AuditEntry.objects.filter(action="grants.grant.decided").count() == 1


def test_a_conflict_is_a_validation_error_naming_the_state(
    applied: Grant, admin_user: User
) -> None:
    with pytest.raises(GrantConflict) as error:
        decide_grant(by=admin_user, grant=applied, expected_version=applied.version - 1, amount=1)
    assert "いまの状態：申請中" in error.value.messages[0]


# --- the programme --------------------------------------------------------------------


def test_the_programme_records_its_cap_and_sources(programme: GrantProgramme) -> None:
    assert programme.cap == 300_000
    assert [(s.name, s.amount) for s in programme.sources.all()] == [
        ("歳末たすけあい地域福祉活動募金", 2_400_000),
        ("自主財源", 1_500_000),
    ]
    assert programme.retain_until == date(2031, 3, 31)


def test_changing_the_programme_is_logged_and_keeps_decisions_valid(
    decided: Grant, admin_user: User
) -> None:
    save_programme(
        by=admin_user,
        fiscal_year=2020,
        cap="３５００００",
        sources=[SourceInput("歳末たすけあい地域福祉活動募金", "2,500,000円")],
        expected_version=decided.programme.version,
    )
    entry = AuditEntry.objects.get(action="grants.programme.updated")
    assert entry.changes["cap"] == [300_000, 350_000]
    assert "自主財源" in entry.changes["財源"][0] and "自主財源" not in entry.changes["財源"][1]
    with pytest.raises(ValidationError, match="それより低い"):
        save_programme(
            by=admin_user,
            fiscal_year=2020,
            cap=250_000,
            sources=[],
            expected_version=GrantProgramme.objects.get(fiscal_year=2020).version,
        )


def test_only_administrators_set_the_programme(staff_user: User) -> None:
    with pytest.raises(PermissionDenied, match="管理者が行います"):
        save_programme(by=staff_user, fiscal_year=2020, cap=300_000, sources=[])
    assert not GrantProgramme.objects.exists()
