"""What the report needs besides the records: figures from before tsunagu, and the
published (frozen) figures of closed fiscal years."""

from django.conf import settings
from django.db import models

from tsunagu.lib.fiscal import fiscal_year_label

AGENCY_TABLE = "関係機関別"
KIND_TABLE = "活動種別"
TOTAL_NAME = "合計"


class BaselineFigure(models.Model):
    """A published figure of a year before the council used tsunagu (imported from Excel).

    `table` is a consulter type's name, 関係機関別 or 活動種別; `name` a category, agency
    group or activity kind, or 合計 for a consulter type's total."""

    fiscal_year = models.PositiveIntegerField("年度", db_index=True)
    table = models.CharField("表", max_length=60)
    name = models.CharField("名称", max_length=100)
    count = models.PositiveIntegerField("件数")

    class Meta:
        verbose_name = "過去の集計値"
        verbose_name_plural = "過去の集計値"
        ordering = ["fiscal_year", "table", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["fiscal_year", "table", "name"], name="baseline_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{fiscal_year_label(self.fiscal_year)} {self.table} {self.name} {self.count}件"


class ClosureQuerySet(models.QuerySet["YearClosure"]):
    def in_force(self) -> "ClosureQuerySet":
        return self.filter(reopened_at__isnull=True)


class YearClosure(models.Model):
    """年度締め: the report of a fiscal year frozen as the published figures."""

    fiscal_year = models.PositiveIntegerField("年度", db_index=True)
    data = models.JSONField("公表した集計")
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="締めた人",
        on_delete=models.PROTECT,
        related_name="+",
    )
    closed_at = models.DateTimeField("締めた日時", auto_now_add=True)
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="締めを解除した人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reopened_at = models.DateTimeField("締めを解除した日時", null=True, blank=True)
    reopen_reason = models.CharField("解除の理由", max_length=200, blank=True)

    objects = ClosureQuerySet.as_manager()

    class Meta:
        verbose_name = "年度締め"
        verbose_name_plural = "年度締め"
        ordering = ["-closed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["fiscal_year"],
                condition=models.Q(reopened_at__isnull=True),
                name="one_closure_in_force_per_year",
            ),
        ]

    def __str__(self) -> str:
        return f"{fiscal_year_label(self.fiscal_year)}の年度締め"


class ReportGeneration(models.Model):
    """One row whose token is replaced, in the writing transaction, by every change of
    something the report reads (reports/cache.py): the cached reports are keyed by it."""

    token = models.CharField("世代", max_length=32)

    class Meta:
        verbose_name = "集計の世代"
        verbose_name_plural = "集計の世代"

    def __str__(self) -> str:
        return self.token
