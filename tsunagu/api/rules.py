"""Who issues and revokes API tokens. What a token may do through the API is what its
account may do on the pages (the same rules), further narrowed by the token's scope
(`tsunagu.api.auth.SCOPED`)."""

from typing import Any

from tsunagu.core.access import admin, predicate


@predicate(
    "api_token.manage", refusal="APIトークンの発行と取り消しは管理者が行います。", scope=None
)
def manage_tokens(user: Any, obj: Any = None) -> bool:
    return admin(user)
