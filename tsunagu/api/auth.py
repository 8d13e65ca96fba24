"""Who is calling: the bearer token, its scope, its rate. The rules are the pages' rules
(`tsunagu.core.access`), asked of the token's account; the scope narrows them further.

A token is presented as `Authorization: Bearer tsg_<key>_<secret>`. The key finds the row,
the whole token is compared with the stored SHA-256 in constant time."""

import time
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from tsunagu.api.models import ApiToken, Scope
from tsunagu.api.problems import Problem
from tsunagu.api.services import parse_secret
from tsunagu.core.access import can, refusal
from tsunagu.core.dates import show_date

# The rules a token with the 読み取り scope may not follow, whatever its account may do.
SCOPED = {"record.create", "record.edit", "referral.edit"}
SCOPE_REFUSAL = "このトークンの範囲は「読み取り」です。登録や変更には範囲が「記録の登録」のトークンを使ってください。"
TOUCH_EVERY = timedelta(minutes=1)  # last_used_at is written at most once a minute


class TokenAuth(HttpBearer):
    """The token, then (before ninja reads the body) whether its scope and its account's
    role allow the operation's rule at all: a refused role learns nothing from validation."""

    openapi_scheme = "bearer"

    def __init__(self, rule: str | None = None) -> None:
        super().__init__()
        self.rule = rule

    def __call__(self, request: HttpRequest) -> Any:
        header = request.headers.get("Authorization", "")
        if not header:
            raise Problem(
                401,
                "APIトークンがありません。Authorization: Bearer <トークン> を付けてください。",
                headers={"WWW-Authenticate": "Bearer"},
            )
        return super().__call__(request)

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken:
        key = parse_secret(token)
        found = ApiToken.objects.select_related("user").filter(key=key).first() if key else None
        if found is None or not found.matches(token):
            raise _unauthorized(
                "APIトークンが正しくありません。発行されたトークンをそのまま使ってください。"
            )
        if found.revoked_at is not None:
            raise _unauthorized(
                "このAPIトークンは取り消されています。管理者に新しいトークンの発行を依頼してください。"
            )
        if found.is_expired:
            expired = show_date(timezone.localdate(found.expires_at))
            raise _unauthorized(
                f"このAPIトークンは有効期限（{expired}）が切れています。管理者に新しいトークンの発行を依頼してください。"
            )
        if not found.user.is_active:
            raise _unauthorized("このAPIトークンのアカウントは無効になっています。")
        _count(found)
        now = timezone.now()
        if found.last_used_at is None or now - found.last_used_at > TOUCH_EVERY:
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        request.user = found.user
        request.api_token = found  # type: ignore[attr-defined]
        if self.rule is not None:
            allow(request, self.rule)
        return found


def _unauthorized(detail: str) -> Problem:
    return Problem(401, detail, headers={"WWW-Authenticate": 'Bearer error="invalid_token"'})


def _count(token: ApiToken) -> None:
    """A fixed window per token and minute, in Django's cache."""
    limit = int(getattr(settings, "API_RATE_PER_MINUTE", 120))
    window = int(time.time() // 60)
    key = f"api-rate:{token.pk}:{window}"
    cache.add(key, 0, timeout=70)
    try:
        calls = cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, timeout=70)
        calls = 1
    if calls > limit:
        wait = 60 - int(time.time() % 60)
        raise Problem(
            429,
            f"このトークンの呼び出しが1分間の上限（{limit}回）を超えました。{wait}秒後にもう一度試してください。",
            headers={"Retry-After": str(wait)},
        )


def allow(request: HttpRequest, name: str) -> None:
    """The token's account may follow `name` at all, and the token's scope allows it."""
    token: ApiToken = request.api_token  # type: ignore[attr-defined]
    if name in SCOPED and token.scope != Scope.WRITE:
        raise Problem(403, SCOPE_REFUSAL)
    if not can(request.user, name):
        raise Problem(403, refusal(name))
