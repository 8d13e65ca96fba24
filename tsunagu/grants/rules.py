"""Grants and fundraising. Everyone signed in reads them; staff enter applications,
expense reports and fundraising figures; administrators set the year's programme,
decide, record payments, settle and keep the fundraising lists.

Who may take each step of a grant is written here only: the step pages, the services
and the templates all ask `grant.<step>`."""

from typing import Any

from tsunagu.core.access import admin, predicate, signed_in, writer

STEPS = ("decide", "pay", "report", "settle")


@predicate("grant.view", refusal="ログインしてください。", scope=None)
def view_grant(user: Any, obj: Any = None) -> bool:
    return signed_in(user)


@predicate("grant.apply", refusal="助成金の申請の入力は職員または管理者が行います。", scope=None)
def apply_grant(user: Any, obj: Any = None) -> bool:
    return writer(user)


@predicate("grant.edit", refusal="助成金の申請の修正は職員または管理者が行います。")
def edit_grant(user: Any, obj: Any = None) -> bool:
    return writer(user)


@predicate("grant.decide", refusal="決定は管理者が行います。")
def decide_grant(user: Any, obj: Any = None) -> bool:
    return admin(user)


@predicate("grant.pay", refusal="支払の記録は管理者が行います。")
def pay_grant(user: Any, obj: Any = None) -> bool:
    return admin(user)


@predicate("grant.report", refusal="収支報告は職員が入力します。")
def report_grant(user: Any, obj: Any = None) -> bool:
    return writer(user)


@predicate("grant.settle", refusal="精算は管理者が行います。")
def settle_grant(user: Any, obj: Any = None) -> bool:
    return admin(user)


@predicate("grant.configure", refusal="助成金の年度設定は管理者が行います。", scope=None)
def configure_grants(user: Any, obj: Any = None) -> bool:
    return admin(user)


@predicate("fundraising.view", refusal="ログインしてください。", scope=None)
def view_fundraising(user: Any, obj: Any = None) -> bool:
    return signed_in(user)


@predicate("fundraising.edit", refusal="募金実績の入力は職員または管理者が行います。", scope=None)
def edit_fundraising(user: Any, obj: Any = None) -> bool:
    return writer(user)


@predicate(
    "fundraising.configure", refusal="募金の方法・運動の変更は管理者が行います。", scope=None
)
def configure_fundraising(user: Any, obj: Any = None) -> bool:
    return admin(user)
