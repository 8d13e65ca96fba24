"""Personal API tokens: issued by an administrator to one account, shown once, stored as
the SHA-256 of the secret (a random 256-bit token needs no slow hash), with a scope, an
expiry and a revocation."""

import hashlib
import hmac

from django.conf import settings
from django.db import models
from django.utils import timezone

TOKEN_PREFIX = "tsg_"  # noqa: S105 - the visible prefix of every token, not a secret


class Scope(models.TextChoices):
    READ = "read", "読み取り"
    WRITE = "write", "記録の登録"


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="職員",
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField("用途", max_length=100)
    # The first characters of the token, to tell tokens apart on the screen and to find
    # the row; the secret itself is only hashed.
    key = models.CharField("識別子", max_length=16, unique=True)
    secret_hash = models.CharField(max_length=64)
    scope = models.CharField("範囲", max_length=10, choices=Scope.choices)
    expires_at = models.DateTimeField("有効期限")
    revoked_at = models.DateTimeField("取り消した日時", null=True, blank=True)
    last_used_at = models.DateTimeField("最後に使った日時", null=True, blank=True)
    created_at = models.DateTimeField("発行した日時", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        verbose_name = "APIトークン"
        verbose_name_plural = "APIトークン"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name}（{self.key}…）"

    def matches(self, secret: str) -> bool:
        return hmac.compare_digest(self.secret_hash, hash_secret(secret))

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def status(self) -> str:
        if self.revoked_at is not None:
            return "取り消し済み"
        if self.is_expired:
            return "期限切れ"
        return "有効"
