"""Issuing and revoking API tokens (each with its audit entry)."""

import secrets
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from tsunagu.accounts.models import User
from tsunagu.api.models import TOKEN_PREFIX, ApiToken, Scope, hash_secret
from tsunagu.audit.services import log_action
from tsunagu.core.access import require


@dataclass(frozen=True)
class Issued:
    token: ApiToken
    secret: str  # shown once, never stored


def issue_token(*, by: User, user: User, name: str, scope: str, expires_at: datetime) -> Issued:
    require(by, "api_token.manage")
    if scope not in Scope.values:
        raise ValidationError({"scope": "範囲を選んでください。"})
    if expires_at <= timezone.now():
        raise ValidationError({"expires_at": "有効期限は今より後の日付にしてください。"})
    if not user.is_active:
        raise ValidationError({"user": "無効なアカウントにはトークンを発行できません。"})
    key = secrets.token_hex(6)
    secret = f"{TOKEN_PREFIX}{key}_{secrets.token_urlsafe(32)}"
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user,
            name=name.strip(),
            key=key,
            secret_hash=hash_secret(secret),
            scope=scope,
            expires_at=expires_at,
            created_by=by,
        )
        log_action(
            by=by,
            action="api.token.issued",
            target=token,
            changes={
                "user": user.display_name,
                "scope": token.get_scope_display(),
                "expires_at": expires_at.isoformat(),
            },
        )
    return Issued(token=token, secret=secret)


def revoke_token(*, by: User, token: ApiToken) -> None:
    require(by, "api_token.manage")
    if token.revoked_at is not None:
        return
    with transaction.atomic():
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        log_action(by=by, action="api.token.revoked", target=token)


def parse_secret(secret: str) -> str | None:
    """The token's key (its row) from the presented secret, or None if malformed."""
    if not secret.startswith(TOKEN_PREFIX):
        return None
    key, sep, _ = secret[len(TOKEN_PREFIX) :].partition("_")
    return key if sep and len(key) == 12 else None
