"""Who reads the audit log."""

from typing import Any

from tsunagu.core.access import admin, predicate


@predicate("audit.view", refusal="操作履歴は管理者だけが見られます。", scope=None)
def view_audit(user: Any, obj: Any = None) -> bool:
    return admin(user)
