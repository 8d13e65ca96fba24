"""The city directory: everyone signed in reads it, administrators change it."""

from typing import Any

from tsunagu.core.access import admin, predicate, signed_in


@predicate("directory.view", refusal="ログインしてください。", scope=None)
def view_directory(user: Any, obj: Any = None) -> bool:
    return signed_in(user)


@predicate("directory.edit", refusal="マスタの追加・変更は管理者が行います。")
def edit_directory(user: Any, obj: Any = None) -> bool:
    return admin(user)
