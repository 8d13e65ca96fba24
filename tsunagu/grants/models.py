"""Grants to the regional councils (助成金) and the fundraising drives (募金) that fund them.

Money is integer yen everywhere (PositiveBigIntegerField / BigIntegerField, never float).

Retention: grant and accounting records are kept 10 years (docs/domain.md). Each grant and
programme stores `retain_until`, the last day of fiscal year N+10. Nothing in the app
deletes them: there is no delete screen or service, the rows that point to them are
PROTECTed, and `delete()` on a grant, its lines or its programme (one row or a queryset)
raises `RetentionError` while the retention period runs, so that even a shell or a
future feature cannot remove them by accident.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from tsunagu.core.concurrency import version_field
from tsunagu.core.dates import show_date
from tsunagu.directory.models import DirectoryEntry, Region
from tsunagu.lib.fiscal import fiscal_year_bounds, fiscal_year_label

DEFAULT_CAP = 300_000
RETENTION_YEARS = 10


def retention_end(fiscal_year: int) -> date:
    """The last day on which a record of `fiscal_year` must still be kept."""
    return fiscal_year_bounds(fiscal_year + RETENTION_YEARS)[1]


class RetentionError(Exception):
    """Deleting a grant record before the end of its retention period."""


class RetainedQuerySet(models.QuerySet):
    def delete(self) -> tuple[int, dict[str, int]]:
        today = timezone.localdate()
        kept = [obj for obj in self if obj.retained_on(today)]
        if kept:
            raise RetentionError(
                f"助成金の記録は{RETENTION_YEARS}年間保存します。"
                f"保存期間中の記録（{kept[0]}）は削除できません。"
            )
        return super().delete()


class Retained(models.Model):
    retain_until = models.DateField("保存期限", editable=False)

    class Meta:
        abstract = True

    def retained_on(self, today: date) -> bool:
        return today <= self.retain_until

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        if self.retained_on(timezone.localdate()):
            raise RetentionError(
                f"助成金の記録は{RETENTION_YEARS}年間保存します。"
                f"「{self}」は{show_date(self.retain_until)}まで削除できません。"
            )
        return super().delete(*args, **kwargs)


class GrantProgramme(Retained):
    """One fiscal year's grant scheme: its cap per council and where the money comes from."""

    fiscal_year = models.PositiveIntegerField("年度", unique=True)
    cap = models.PositiveBigIntegerField("上限額（円）", default=DEFAULT_CAP)
    note = models.TextField("備考", blank=True)
    version = version_field()

    objects = RetainedQuerySet.as_manager()

    class Meta:
        verbose_name = "助成金の年度設定"
        verbose_name_plural = "助成金の年度設定"
        ordering = ["-fiscal_year"]

    def __str__(self) -> str:
        return f"{fiscal_year_label(self.fiscal_year)}の助成金"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.retain_until = retention_end(self.fiscal_year)
        super().save(*args, **kwargs)

    @property
    def fiscal_year_label(self) -> str:
        return fiscal_year_label(self.fiscal_year)


class FundingSource(models.Model):
    """財源: e.g. 歳末たすけあい地域福祉活動募金 ¥2,400,000; 自主財源 ¥1,500,000."""

    programme = models.ForeignKey(
        GrantProgramme, on_delete=models.CASCADE, related_name="sources", verbose_name="年度"
    )
    name = models.CharField("財源", max_length=100)
    amount = models.PositiveBigIntegerField("金額（円）")
    order = models.PositiveIntegerField("表示順", default=0)

    class Meta:
        verbose_name = "財源"
        verbose_name_plural = "財源"
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name


class GrantState(models.TextChoices):
    APPLIED = "applied", "申請中"
    DECIDED = "decided", "決定済"
    PAID = "paid", "支払済"
    REPORTED = "reported", "報告済"
    SETTLED = "settled", "精算済"


class GrantQuerySet(RetainedQuerySet):
    def summary_rows(self) -> GrantQuerySet:
        return self.select_related("programme", "region")

    def with_people(self) -> GrantQuerySet:
        return self.select_related(
            "programme",
            "region",
            "region__zone",
            "applied_by",
            "decided_by",
            "paid_by",
            "reported_by",
            "settled_by",
            "updated_by",
        )


class Grant(Retained):
    """One regional council's grant for one fiscal year, through its five steps.

    Fields of a step stay empty until the step is taken; `state` is the last step taken.
    Every change goes through tsunagu.grants.services.lifecycle, which locks the row and bumps
    `version`, so that a form opened before someone else's change is told, not applied.
    """

    programme = models.ForeignKey(
        GrantProgramme, on_delete=models.PROTECT, related_name="grants", verbose_name="年度"
    )
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="grants", verbose_name="地域社協"
    )
    state = models.CharField(
        "状態", max_length=10, choices=GrantState.choices, default=GrantState.APPLIED
    )
    version = models.PositiveIntegerField("版", default=1)

    plan = models.TextField("事業計画（予定している活動）")
    applied_amount = models.PositiveBigIntegerField("申請額（円）")
    applied_on = models.DateField("申請日")
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="申請の入力者",
    )

    decided_amount = models.PositiveBigIntegerField("決定額（円）", null=True, blank=True)
    decided_on = models.DateField("決定日", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name="決定者",
    )
    exception_reason = models.TextField("上限を超える理由", blank=True)

    paid_amount = models.PositiveBigIntegerField("支払額（円）", null=True, blank=True)
    paid_on = models.DateField("支払日", null=True, blank=True)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name="支払の記録者",
    )

    spent_amount = models.PositiveBigIntegerField("支出額（円）", null=True, blank=True)
    income_amount = models.PositiveBigIntegerField("助成金以外の収入（円）", null=True, blank=True)
    reported_on = models.DateField("収支報告日", null=True, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name="収支報告の入力者",
    )

    returned_amount = models.PositiveBigIntegerField("返還額（円）", null=True, blank=True)
    settled_on = models.DateField("精算日", null=True, blank=True)
    settled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name="精算の記録者",
    )

    created_at = models.DateTimeField("登録日時", auto_now_add=True)
    updated_at = models.DateTimeField("更新日時", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="最後に更新した人",
    )

    objects = GrantQuerySet.as_manager()

    class Meta:
        verbose_name = "助成金"
        verbose_name_plural = "助成金"
        ordering = ["programme__fiscal_year", "region__order", "region_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "region"], name="grant_one_per_region_and_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.region.name}（{fiscal_year_label(self.programme.fiscal_year)}）"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.retain_until = retention_end(self.programme.fiscal_year)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "retain_until"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("grants:detail", args=[self.pk])

    @property
    def fiscal_year(self) -> int:
        return self.programme.fiscal_year

    @property
    def is_settled(self) -> bool:
        return self.state == GrantState.SETTLED

    @property
    def over_cap(self) -> bool:
        return self.decided_amount is not None and self.decided_amount > self.programme.cap

    @property
    def balance(self) -> int | None:
        """収入（助成金＋その他の収入）－支出－返還; zero once settled."""
        if self.paid_amount is None or self.spent_amount is None:
            return None
        return (
            self.paid_amount
            + (self.income_amount or 0)
            - self.spent_amount
            - (self.returned_amount or 0)
        )


class LineKind(models.TextChoices):
    EXPENSE = "expense", "支出"
    INCOME = "income", "収入"


class GrantLine(models.Model):
    """A budget item (費目) of a grant: planned in the application, actual in the report.

    Expense items are what the money is spent on (会場費, 茶菓代 …); income items are
    money besides the grant (参加費, 会費 …). An item reported but not planned has no
    planned amount."""

    grant = models.ForeignKey(
        Grant, on_delete=models.CASCADE, related_name="lines", verbose_name="助成金"
    )
    kind = models.CharField("区分", max_length=10, choices=LineKind.choices)
    item = models.CharField("費目", max_length=60)
    detail = models.CharField("内容", max_length=200, blank=True)
    planned = models.PositiveBigIntegerField("予算額（円）", null=True, blank=True)
    actual = models.PositiveBigIntegerField("決算額（円）", null=True, blank=True)
    order = models.PositiveIntegerField("表示順", default=0)

    class Meta:
        verbose_name = "予算・決算の費目"
        verbose_name_plural = "予算・決算の費目"
        ordering = ["kind", "order", "id"]

    def __str__(self) -> str:
        return self.item


# --- Fundraising ---------------------------------------------------------------------


class FundraisingMethod(DirectoryEntry):
    """募金の方法 (戸別募金, 街頭募金, 法人募金 …): a list the council edits."""

    class Meta(DirectoryEntry.Meta):
        verbose_name = "募金の方法"
        verbose_name_plural = "募金の方法"
        constraints = [
            models.UniqueConstraint(fields=["name_key"], name="fundraising_method_unique_name")
        ]


class FundraisingDrive(DirectoryEntry):
    """募金運動 (赤い羽根共同募金, 歳末たすけあい募金 …)."""

    class Meta(DirectoryEntry.Meta):
        verbose_name = "募金運動"
        verbose_name_plural = "募金運動"
        constraints = [
            models.UniqueConstraint(fields=["name_key"], name="fundraising_drive_unique_name")
        ]


class FundraisingYear(models.Model):
    """The version of a year's grid of fundraising totals: the grid is edited on one form,
    so it is claimed as one (tsunagu/core/concurrency.py)."""

    fiscal_year = models.PositiveIntegerField("年度", unique=True)
    version = version_field()
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    updated_at = models.DateTimeField("更新日時", auto_now=True)

    class Meta:
        verbose_name = "年度の募金実績"
        verbose_name_plural = "年度の募金実績"

    def __str__(self) -> str:
        return f"{fiscal_year_label(self.fiscal_year)}の募金実績"


class FundraisingTotal(models.Model):
    """A year's total raised by one method in one drive."""

    fiscal_year = models.PositiveIntegerField("年度", db_index=True)
    drive = models.ForeignKey(
        FundraisingDrive, on_delete=models.PROTECT, related_name="totals", verbose_name="募金運動"
    )
    method = models.ForeignKey(
        FundraisingMethod, on_delete=models.PROTECT, related_name="totals", verbose_name="方法"
    )
    amount = models.PositiveBigIntegerField("金額（円）")

    class Meta:
        verbose_name = "募金実績"
        verbose_name_plural = "募金実績"
        ordering = ["fiscal_year", "drive__order", "method__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["fiscal_year", "drive", "method"], name="fundraising_total_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{fiscal_year_label(self.fiscal_year)} {self.drive} {self.method}"
