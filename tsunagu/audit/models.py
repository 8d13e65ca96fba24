from django.conf import settings
from django.db import models


class AuditEntry(models.Model):
    """One thing someone did or read. Written in the same transaction as the change."""

    at = models.DateTimeField("日時", auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作者",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    action = models.CharField("操作", max_length=60, db_index=True)
    target_type = models.CharField("対象の種類", max_length=60, blank=True)
    target_id = models.CharField("対象ID", max_length=40, blank=True)
    target_label = models.CharField("対象", max_length=200, blank=True)
    changes = models.JSONField("変更内容", default=dict, blank=True)

    class Meta:
        verbose_name = "操作履歴"
        verbose_name_plural = "操作履歴"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.target_label}"
