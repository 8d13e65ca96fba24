"""Who manages staff accounts."""

from typing import Any

from tsunagu.core.access import admin, predicate


@predicate("account.manage", refusal="職員アカウントの管理は管理者が行います。", scope=None)
def manage_accounts(user: Any, obj: Any = None) -> bool:
    return admin(user)
