"""The yearly report: everyone reads it, administrators close and reopen years."""

from typing import Any

from tsunagu.core.access import admin, predicate, signed_in


@predicate("report.view", refusal="ログインしてください。", scope=None)
def view_report(user: Any, obj: Any = None) -> bool:
    return signed_in(user)


@predicate("report.close", refusal="年度の締めとその解除は管理者が行います。", scope=None)
def close_report(user: Any, obj: Any = None) -> bool:
    return admin(user)
