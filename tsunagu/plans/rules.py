"""Area plans, their target groups and the regional council page: everyone signed in
reads them, staff and administrators change them."""

from typing import Any

from tsunagu.core.access import predicate, signed_in, writer


@predicate("plan.view", refusal="ログインしてください。", scope=None)
def view_plans(user: Any, obj: Any = None) -> bool:
    return signed_in(user)


@predicate("plan.edit", refusal="計画の登録・変更は職員と管理者が行います。")
def edit_plans(user: Any, obj: Any = None) -> bool:
    return writer(user)
