"""The life of a grant, one service per step.

application → decision → payment → expense report → settlement. Each step:
- asks the access layer whether the acting user may take it (grants/rules.py) and
  checks that the step before was taken;
- locks the grant row (select_for_update) inside transaction.atomic, so two people
  acting on the same grant at once are served one after the other;
- compares the version the user's form was opened on with the row's: a form opened
  before someone else's change raises GrantConflict instead of overwriting it;
- writes the audit log in the same transaction.
Amounts are integer yen; text such as 「３０００００」 or 「300,000円」 is read by
tsunagu.lib.amounts.parse_yen.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from tsunagu.accounts.models import User
from tsunagu.audit.services import diff as audit_diff
from tsunagu.audit.services import log_action
from tsunagu.core.access import require
from tsunagu.core.concurrency import Conflict, claim_version
from tsunagu.core.dates import show_date
from tsunagu.directory.models import Region
from tsunagu.grants.models import Grant, GrantLine, GrantProgramme, GrantState, LineKind
from tsunagu.grants.services.checks import yen
from tsunagu.lib.amounts import format_yen
from tsunagu.lib.textnorm import normalize

SETTLED_MESSAGE = "精算済みの助成金は変更できません。記録は保存期限まで、このまま保存されます。"


class GrantConflict(Conflict):
    """The grant changed after the user opened the form; nothing was saved."""

    def __init__(self, grant: Grant) -> None:
        who = grant.updated_by.display_name if grant.updated_by_id else "ほかの人"
        super().__init__(
            grant,
            message=f"この助成金は、画面を開いた後に{who}さんが更新しました（いまの状態：{grant.get_state_display()}）。"
            "入力した内容は保存していません。最新の内容を確かめてから、必要ならもう一度入力してください。",
        )
        self.grant = grant


@dataclass(frozen=True)
class LineInput:
    """One row of a budget or an expense report: 費目, amount, and what it is for."""

    item: str
    amount: int | str
    detail: str = ""


# --- checks --------------------------------------------------------------------------


def _day(value: date | None) -> date:
    return value if value is not None else timezone.localdate()


def _not_before(later: date, earlier: date | None, later_label: str, earlier_label: str) -> None:
    if earlier is not None and later < earlier:
        raise ValidationError(
            f"{later_label}（{show_date(later)}）が{earlier_label}"
            f"（{show_date(earlier)}）より前です。{earlier_label}以降の日付を入力してください。"
        )


def _lines(lines: Iterable[LineInput], *, kind_label: str) -> list[tuple[str, str, int]]:
    """(item, detail, amount) rows, blank rows dropped; each item at most once."""
    rows: list[tuple[str, str, int]] = []
    seen: dict[str, str] = {}
    for line in lines:
        item = (line.item or "").strip()
        amount = line.amount
        if not item and (amount is None or str(amount).strip() == ""):
            continue
        if not item:
            raise ValidationError(f"{kind_label}の費目名を入力してください（金額 {amount}）。")
        key = normalize(item)
        if key in seen:
            raise ValidationError(
                f"{kind_label}の費目「{item}」が2回あります。1行にまとめてください。"
            )
        seen[key] = item
        rows.append(
            (item, (line.detail or "").strip(), yen(amount, f"{kind_label}「{item}」の金額"))
        )
    return rows


def _lock(grant: Grant, expected_version: int) -> Grant:
    """The grant row, locked until the transaction ends, unless it may no longer change."""
    # Lock the bare row first, then read it with its relations. Locking a join instead
    # would let PostgreSQL recheck a concurrently updated row against the *old* joined
    # rows (updated_by changed) and drop it, and it refuses FOR UPDATE on outer joins.
    Grant.objects.select_for_update().filter(pk=grant.pk).values_list("pk", flat=True).get()
    current = Grant.objects.select_related(
        "programme", "region", "updated_by", "applied_by", "decided_by"
    ).get(pk=grant.pk)
    if current.is_settled:
        raise ValidationError(SETTLED_MESSAGE)
    try:
        claim_version(current, expected_version)
    except Conflict:
        raise GrantConflict(current) from None
    return current


def _save(grant: Grant, by: User, fields: list[str]) -> None:
    """Save a grant taken by `_lock` (which raised its version)."""
    grant.updated_by = by
    grant.save(update_fields=[*fields, "updated_by", "updated_at"])


def _money_changes(grant: Grant, fields: Sequence[str]) -> dict[str, Any]:
    return {name: getattr(grant, name) for name in fields}


# --- the five steps ------------------------------------------------------------------


def apply_grant(
    *,
    by: User,
    programme: GrantProgramme,
    region: Region,
    plan: str,
    applied_amount: int | str,
    expenses: Sequence[LineInput],
    incomes: Sequence[LineInput] = (),
    applied_on: date | None = None,
) -> Grant:
    """Enter a council's application: its planned activities, budget and requested amount."""
    require(by, "grant.apply")
    if not region.active:
        raise ValidationError(f"「{region.name}」は無効になっているため、申請を入力できません。")
    values = _application_values(plan, applied_amount, expenses, incomes)
    applied_on = _day(applied_on)
    try:
        with transaction.atomic():
            # Lock the programme so that two applications for one council cannot both pass.
            GrantProgramme.objects.select_for_update().get(pk=programme.pk)
            if Grant.objects.filter(programme=programme, region=region).exists():
                raise ValidationError(
                    f"「{region.name}」の{programme.fiscal_year_label}の助成金はすでに申請されています。"
                )
            grant = Grant(
                programme=programme,
                region=region,
                plan=values["plan"],
                applied_amount=values["applied_amount"],
                applied_on=applied_on,
                applied_by=by,
                updated_by=by,
            )
            grant.save()
            _replace_budget(grant, values["expenses"], values["incomes"])
            log_action(
                by=by,
                action="grants.grant.applied",
                target=grant,
                changes={
                    "applied_amount": grant.applied_amount,
                    "applied_on": applied_on,
                    "予算": _budget_text(values["expenses"], values["incomes"]),
                },
            )
    except IntegrityError as error:
        raise ValidationError(
            f"「{region.name}」の{programme.fiscal_year_label}の助成金はすでに申請されています。"
        ) from error
    return grant


def update_application(
    *,
    by: User,
    grant: Grant,
    expected_version: int,
    plan: str,
    applied_amount: int | str,
    expenses: Sequence[LineInput],
    incomes: Sequence[LineInput] = (),
) -> Grant:
    """Correct an application that has not been decided yet."""
    require(by, "grant.edit", grant)
    values = _application_values(plan, applied_amount, expenses, incomes)
    with transaction.atomic():
        current = _lock(grant, expected_version)
        if current.state != GrantState.APPLIED:
            raise ValidationError(
                f"この助成金はすでに{current.get_state_display()}のため、申請の内容は変更できません。"
            )
        before = {"plan": current.plan, "applied_amount": current.applied_amount}
        before_budget = _budget_text(*_current_budget(current))
        current.plan = values["plan"]
        current.applied_amount = values["applied_amount"]
        _save(current, by, ["plan", "applied_amount"])
        current.lines.all().delete()
        _replace_budget(current, values["expenses"], values["incomes"])
        after_budget = _budget_text(values["expenses"], values["incomes"])
        changes: dict[str, Any] = audit_diff(
            before, {"plan": current.plan, "applied_amount": current.applied_amount}
        )
        if before_budget != after_budget:
            changes["予算"] = [before_budget, after_budget]
        log_action(
            by=by, action="grants.grant.application_updated", target=current, changes=changes
        )
    return current


def decide_grant(
    *,
    by: User,
    grant: Grant,
    expected_version: int,
    amount: int | str,
    decided_on: date | None = None,
    exception_reason: str = "",
) -> Grant:
    """Decide the amount. Above the year's cap only as an exception, with its reason."""
    require(by, "grant.decide", grant)
    amount = yen(amount, "決定額", minimum=1)
    decided_on = _day(decided_on)
    reason = (exception_reason or "").strip()
    with transaction.atomic():
        current = _lock(grant, expected_version)
        if current.state != GrantState.APPLIED:
            raise ValidationError(_already(current, "決定"))
        if current.applied_by_id == by.pk:
            raise ValidationError(
                f"申請を入力した人（{by.display_name}さん）は、同じ助成金を決定できません。別の管理者が決定してください。"
            )
        if amount > current.applied_amount:
            raise ValidationError(
                f"決定額（{format_yen(amount)}）が申請額（{format_yen(current.applied_amount)}）を超えています。"
            )
        cap = current.programme.cap
        if amount > cap and not reason:
            raise ValidationError(
                f"決定額（{format_yen(amount)}）が{current.programme.fiscal_year_label}の上限額（{format_yen(cap)}）を超えています。"
                "上限を超えて決定するには「上限を超える例外」に理由を記録してください。"
            )
        _not_before(decided_on, current.applied_on, "決定日", "申請日")
        current.state = GrantState.DECIDED
        current.decided_amount = amount
        current.decided_on = decided_on
        current.decided_by = by
        current.exception_reason = reason if amount > cap else ""
        _save(
            current,
            by,
            ["state", "decided_amount", "decided_on", "decided_by", "exception_reason"],
        )
        log_action(
            by=by,
            action="grants.grant.decided",
            target=current,
            changes={"decided_amount": amount, "decided_on": decided_on, "上限額（円）": cap},
        )
        if current.exception_reason:
            log_action(
                by=by,
                action="grants.grant.cap_exception",
                target=current,
                changes={
                    "decided_amount": amount,
                    "上限額（円）": cap,
                    "exception_reason": current.exception_reason,
                },
            )
    return current


def pay_grant(
    *,
    by: User,
    grant: Grant,
    expected_version: int,
    amount: int | str,
    paid_on: date | None = None,
) -> Grant:
    """Record the payment of the decided grant."""
    require(by, "grant.pay", grant)
    amount = yen(amount, "支払額", minimum=1)
    paid_on = _day(paid_on)
    with transaction.atomic():
        current = _lock(grant, expected_version)
        if current.state == GrantState.APPLIED:
            raise ValidationError(
                "この助成金はまだ決定されていません。決定の後に支払を記録してください。"
            )
        if current.state != GrantState.DECIDED:
            raise ValidationError(_already(current, "支払"))
        assert current.decided_amount is not None
        if amount > current.decided_amount:
            raise ValidationError(
                f"支払額（{format_yen(amount)}）が決定額（{format_yen(current.decided_amount)}）を超えています。"
            )
        _not_before(paid_on, current.decided_on, "支払日", "決定日")
        current.state = GrantState.PAID
        current.paid_amount = amount
        current.paid_on = paid_on
        current.paid_by = by
        _save(current, by, ["state", "paid_amount", "paid_on", "paid_by"])
        log_action(
            by=by,
            action="grants.grant.paid",
            target=current,
            changes={"paid_amount": amount, "paid_on": paid_on},
        )
    return current


def report_expenses(
    *,
    by: User,
    grant: Grant,
    expected_version: int,
    expenses: Sequence[LineInput],
    incomes: Sequence[LineInput] = (),
    reported_on: date | None = None,
) -> Grant:
    """Enter (or correct, until settlement) what the council actually spent and received.

    Actual amounts go on the budget items of the same name; an item not in the budget
    is added without a planned amount, and a planned item not reported counts 0円."""
    require(by, "grant.report", grant)
    spent_rows = _lines(expenses, kind_label="支出")
    income_rows = _lines(incomes, kind_label="収入")
    reported_on = _day(reported_on)
    with transaction.atomic():
        current = _lock(grant, expected_version)
        if current.state in (GrantState.APPLIED, GrantState.DECIDED):
            raise ValidationError(
                "この助成金はまだ支払われていません。収支報告は支払の後に入力してください。"
            )
        _not_before(reported_on, current.paid_on, "収支報告日", "支払日")
        correcting = current.state == GrantState.REPORTED
        before = _money_changes(current, ["spent_amount", "income_amount"])
        _record_actuals(current, LineKind.EXPENSE, spent_rows)
        _record_actuals(current, LineKind.INCOME, income_rows)
        current.state = GrantState.REPORTED
        current.spent_amount = sum(amount for _, _, amount in spent_rows)
        current.income_amount = sum(amount for _, _, amount in income_rows)
        current.reported_on = reported_on
        current.reported_by = by
        _save(
            current,
            by,
            ["state", "spent_amount", "income_amount", "reported_on", "reported_by"],
        )
        changes: dict[str, Any] = {
            "spent_amount": current.spent_amount,
            "income_amount": current.income_amount,
            "reported_on": reported_on,
            "決算": _budget_text(spent_rows, income_rows),
        }
        if correcting:
            changes["spent_amount"] = [before["spent_amount"], current.spent_amount]
            changes["income_amount"] = [before["income_amount"], current.income_amount]
        log_action(
            by=by,
            action="grants.grant.report_corrected" if correcting else "grants.grant.reported",
            target=current,
            changes=changes,
        )
    return current


def settle_grant(
    *,
    by: User,
    grant: Grant,
    expected_version: int,
    returned_amount: int | str,
    settled_on: date | None = None,
) -> Grant:
    """Close the grant: the unused money is returned and the balance is zero."""
    require(by, "grant.settle", grant)
    returned = yen(returned_amount, "返還額")
    settled_on = _day(settled_on)
    with transaction.atomic():
        current = _lock(grant, expected_version)
        if current.state in (GrantState.APPLIED, GrantState.DECIDED):
            raise ValidationError(
                "この助成金はまだ支払われていません。精算は支払と収支報告の後に行います。"
            )
        if current.state == GrantState.PAID:
            raise ValidationError(
                "収支報告がまだ入力されていません。精算は収支報告の後に行います。"
            )
        _not_before(settled_on, current.reported_on, "精算日", "収支報告日")
        _check_balance(current, returned)
        current.state = GrantState.SETTLED
        current.returned_amount = returned
        current.settled_on = settled_on
        current.settled_by = by
        _save(current, by, ["state", "returned_amount", "settled_on", "settled_by"])
        log_action(
            by=by,
            action="grants.grant.settled",
            target=current,
            changes={"returned_amount": returned, "settled_on": settled_on, "収支の差額（円）": 0},
        )
    return current


def expected_return(grant: Grant) -> int | None:
    """What must be returned for the balance to be zero (None before the report)."""
    if grant.paid_amount is None or grant.spent_amount is None:
        return None
    return grant.paid_amount + (grant.income_amount or 0) - grant.spent_amount


def _check_balance(grant: Grant, returned: int) -> None:
    assert grant.paid_amount is not None and grant.spent_amount is not None
    income = grant.income_amount or 0
    left = grant.paid_amount + income - grant.spent_amount
    if left < 0:
        raise ValidationError(
            f"支出（{format_yen(grant.spent_amount)}）が収入（助成金 {format_yen(grant.paid_amount)}＋その他 {format_yen(income)}）を"
            f"{format_yen(-left)}上回っていて、収支が合いません。収支報告に自主財源などの収入を加えてから精算してください。"
        )
    if returned != left:
        difference = left - returned
        raise ValidationError(
            f"収支が合いません：収入 {format_yen(grant.paid_amount + income)}（助成金 {format_yen(grant.paid_amount)}＋その他 {format_yen(income)}）"
            f"－支出 {format_yen(grant.spent_amount)}－返還額 {format_yen(returned)}＝残高 {difference:,}円。"
            f"残高が0円になるように返還額を入力してください（返還額は{format_yen(left)}です）。"
        )


def _already(grant: Grant, step: str) -> str:
    return f"この助成金はすでに{grant.get_state_display()}です。{step}の入力は受け付けませんでした。画面を読み込み直して、いまの状態を確かめてください。"


# --- application helpers -------------------------------------------------------------


def _application_values(
    plan: str,
    applied_amount: int | str,
    expenses: Sequence[LineInput],
    incomes: Sequence[LineInput],
) -> dict[str, Any]:
    plan = (plan or "").strip()
    if not plan:
        raise ValidationError("事業計画（予定している活動）を入力してください。")
    amount = yen(applied_amount, "申請額", minimum=1)
    expense_rows = _lines(expenses, kind_label="支出予算")
    income_rows = _lines(incomes, kind_label="収入予算")
    if not expense_rows:
        raise ValidationError("支出予算の費目を1行以上入力してください。")
    total = sum(row[2] for row in expense_rows)
    if amount > total:
        raise ValidationError(
            f"申請額（{format_yen(amount)}）が支出予算の合計（{format_yen(total)}）を超えています。"
        )
    return {
        "plan": plan,
        "applied_amount": amount,
        "expenses": expense_rows,
        "incomes": income_rows,
    }


def _replace_budget(
    grant: Grant, expenses: list[tuple[str, str, int]], incomes: list[tuple[str, str, int]]
) -> None:
    GrantLine.objects.bulk_create(
        [
            GrantLine(grant=grant, kind=kind, item=item, detail=detail, planned=amount, order=i)
            for kind, rows in ((LineKind.EXPENSE, expenses), (LineKind.INCOME, incomes))
            for i, (item, detail, amount) in enumerate(rows)
        ]
    )


def _current_budget(
    grant: Grant,
) -> tuple[list[tuple[str, str, int]], list[tuple[str, str, int]]]:
    lines = list(grant.lines.all())
    return (
        [(x.item, x.detail, x.planned or 0) for x in lines if x.kind == LineKind.EXPENSE],
        [(x.item, x.detail, x.planned or 0) for x in lines if x.kind == LineKind.INCOME],
    )


def _budget_text(
    expenses: Sequence[tuple[str, str, int]], incomes: Sequence[tuple[str, str, int]]
) -> str:
    parts = [f"支出 {item} {format_yen(amount)}" for item, _, amount in expenses]
    parts += [f"収入 {item} {format_yen(amount)}" for item, _, amount in incomes]
    return "、".join(parts)


def _record_actuals(grant: Grant, kind: LineKind, rows: list[tuple[str, str, int]]) -> None:
    existing = {normalize(line.item): line for line in grant.lines.filter(kind=kind)}
    order = max((line.order for line in existing.values()), default=-1) + 1
    reported: set[str] = set()
    for item, detail, amount in rows:
        key = normalize(item)
        reported.add(key)
        line = existing.get(key)
        if line is None:
            GrantLine.objects.create(
                grant=grant, kind=kind, item=item, detail=detail, actual=amount, order=order
            )
            order += 1
            continue
        line.actual = amount
        fields = ["actual"]
        if detail and detail != line.detail:
            line.detail = detail
            fields.append("detail")
        line.save(update_fields=fields)
    for key, line in existing.items():
        if key not in reported:
            if line.planned is None:
                line.delete()  # an unplanned item of an earlier report, now withdrawn
            elif line.actual != 0:
                line.actual = 0
                line.save(update_fields=["actual"])
