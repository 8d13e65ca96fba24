"""Rules of the shared screens."""

from typing import Any

from tsunagu.core.access import predicate, signed_in


@predicate("home.view", refusal="ログインしてください。", scope=None)
def view_home(user: Any, obj: Any = None) -> bool:
    return signed_in(user)
