"""Area plans (エリア別地域福祉活動計画) of the regional councils.

A plan belongs to one regional council for a period of fiscal years and holds its
slogans, its priority goals (each for some target groups) and its initiatives (a theme
with concrete actions). Each fiscal year of the period, each initiative gets a status and
a progress note; support records can be linked to the initiatives they served.
Plans change only through `tsunagu.plans.services`.
"""

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

from tsunagu.core.concurrency import version_field
from tsunagu.directory.models import Region
from tsunagu.lib.fields import with_derived_fields
from tsunagu.lib.fiscal import fiscal_year_label
from tsunagu.lib.textnorm import normalize, normalize_newlines
from tsunagu.records.models import SupportRecord

TEXT_MAX_LENGTH = 200
ACTIONS_MAX_LENGTH = 4_000
NOTE_MAX_LENGTH = 2_000
DEFAULT_HEADING = "取り組み"


def period_label(start_year: int, end_year: int) -> str:
    """「令和元年度〜令和5年度」"""
    return f"{fiscal_year_label(start_year)}〜{fiscal_year_label(end_year)}"


class PlanTarget(models.Model):
    """対象: who a priority goal is for (高齢者, 子ども …). A list the council edits."""

    name = models.CharField("名称", max_length=60)
    name_key = models.CharField(max_length=60, editable=False, unique=True)
    order = models.PositiveIntegerField("表示順", default=0)
    active = models.BooleanField("有効", default=True)
    version = version_field()

    class Meta:
        verbose_name = "計画の対象"
        verbose_name_plural = "計画の対象"
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.name = self.name.strip()
        self.name_key = normalize(self.name)
        kwargs["update_fields"] = with_derived_fields(
            kwargs.get("update_fields"), {"name": "name_key"}
        )
        super().save(*args, **kwargs)


class PlanLayout(models.TextChoices):
    """How the initiatives are printed: both shapes the councils already use."""

    NUMBERED = "numbered", "番号付きの一覧"
    TABLE = "table", "テーマと取り組みの表"


class PlanQuerySet(models.QuerySet["Plan"]):
    def covering(self, fiscal_year: int) -> "PlanQuerySet":
        return self.filter(start_year__lte=fiscal_year, end_year__gte=fiscal_year)

    def overlapping(self, start_year: int, end_year: int) -> "PlanQuerySet":
        return self.filter(start_year__lte=end_year, end_year__gte=start_year)

    def with_contents(self) -> "PlanQuerySet":
        """Everything a plan sheet shows, in a constant number of queries."""
        return self.select_related("region__zone__staff").prefetch_related(
            "slogans",
            models.Prefetch("goals", queryset=Goal.objects.prefetch_related("targets")),
            "initiatives",
        )


class Plan(models.Model):
    """One regional council's area plan for a period of fiscal years."""

    region = models.ForeignKey(
        Region, verbose_name="地域社協", on_delete=models.PROTECT, related_name="plans"
    )
    start_year = models.PositiveIntegerField("開始年度")
    end_year = models.PositiveIntegerField("終了年度")
    layout = models.CharField(
        "取り組みの示し方", max_length=10, choices=PlanLayout.choices, default=PlanLayout.TABLE
    )
    initiatives_heading = models.CharField(
        "取り組みの見出し", max_length=40, default=DEFAULT_HEADING
    )

    version = models.PositiveIntegerField("版", default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登録者",
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField("登録日時", auto_now_add=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="更新者",
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    updated_at = models.DateTimeField("更新日時", auto_now=True)

    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = "エリア別地域福祉活動計画"
        verbose_name_plural = "エリア別地域福祉活動計画"
        ordering = ["region__order", "region_id", "start_year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__gte=models.F("start_year")), name="plan_period_order"
            ),
            # Overlaps are refused by the service (under a lock on the region); this
            # catches the commonest one even if a row is written some other way.
            models.UniqueConstraint(fields=["region", "start_year"], name="plan_unique_start"),
        ]

    def __str__(self) -> str:
        return f"{self.region.name}（{self.period_label}）"

    @property
    def period_label(self) -> str:
        return period_label(self.start_year, self.end_year)

    @property
    def years(self) -> range:
        return range(self.start_year, self.end_year + 1)

    def covers(self, fiscal_year: int) -> bool:
        return self.start_year <= fiscal_year <= self.end_year

    def year_in_period(self, fiscal_year: int) -> int:
        """fiscal_year, or the nearest year of the period."""
        return min(max(fiscal_year, self.start_year), self.end_year)


class Slogan(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="slogans")
    text = models.CharField("スローガン", max_length=TEXT_MAX_LENGTH)
    order = models.PositiveIntegerField("順番", default=0)

    class Meta:
        verbose_name = "スローガン"
        verbose_name_plural = "スローガン"
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.text


class Goal(models.Model):
    """重点目標, with the target groups it is for."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="goals")
    text = models.CharField("重点目標", max_length=TEXT_MAX_LENGTH)
    order = models.PositiveIntegerField("順番", default=0)
    targets = models.ManyToManyField(
        PlanTarget, verbose_name="対象", blank=True, related_name="goals"
    )

    class Meta:
        verbose_name = "重点目標"
        verbose_name_plural = "重点目標"
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.text


class Initiative(models.Model):
    """取り組み: a theme and its concrete actions, one action per line."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="initiatives")
    theme = models.CharField("テーマ", max_length=TEXT_MAX_LENGTH)
    actions = models.TextField("具体的な取り組み", blank=True, max_length=ACTIONS_MAX_LENGTH)
    order = models.PositiveIntegerField("順番", default=0)

    class Meta:
        verbose_name = "取り組み"
        verbose_name_plural = "取り組み"
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.theme

    @property
    def action_list(self) -> list[str]:
        return split_lines(self.actions)


def split_lines(text: str) -> list[str]:
    """Non-empty lines, trimmed, with a leading bullet (・, -, *) taken off."""
    lines = []
    for line in normalize_newlines(text).split("\n"):
        cleaned = line.strip().lstrip("・-*•").strip()
        if cleaned:
            lines.append(cleaned)
    return lines


class Status(models.TextChoices):
    NOT_STARTED = "not_started", "未着手"
    IN_PROGRESS = "in_progress", "実施中"
    ACHIEVED = "achieved", "達成"
    REVISED = "revised", "見直し"


class PlanYear(models.Model):
    """The version of one fiscal year's progress of a plan: every initiative's status and
    note are edited on one form, so the year is claimed as one (core/concurrency.py)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="progress_years")
    fiscal_year = models.PositiveIntegerField("年度")
    version = version_field()
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    updated_at = models.DateTimeField("更新日時", auto_now=True)

    class Meta:
        verbose_name = "計画の年度の進捗"
        verbose_name_plural = "計画の年度の進捗"
        constraints = [
            models.UniqueConstraint(fields=["plan", "fiscal_year"], name="plan_year_unique")
        ]

    def __str__(self) -> str:
        return f"{self.plan}の{fiscal_year_label(self.fiscal_year)}の進捗"


class InitiativeStatus(models.Model):
    """How one initiative stands in one fiscal year of its plan's period."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="statuses")
    fiscal_year = models.PositiveIntegerField("年度")
    status = models.CharField("状況", max_length=12, choices=Status.choices)
    note = models.TextField("進捗メモ", blank=True, max_length=NOTE_MAX_LENGTH)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="更新者",
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    updated_at = models.DateTimeField("更新日時", auto_now=True)

    class Meta:
        verbose_name = "取り組みの進捗"
        verbose_name_plural = "取り組みの進捗"
        ordering = ["fiscal_year", "initiative__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "fiscal_year"], name="initiative_status_unique_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.initiative.theme} {fiscal_year_label(self.fiscal_year)}：{self.get_status_display()}"


class InitiativeRecord(models.Model):
    """A support record that served an initiative (kept here: records know nothing of plans)."""

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="record_links"
    )
    record = models.ForeignKey(
        SupportRecord, on_delete=models.CASCADE, related_name="initiative_links"
    )
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="つないだ人",
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    linked_at = models.DateTimeField("つないだ日時", auto_now_add=True)

    class Meta:
        verbose_name = "取り組みにつないだ記録"
        verbose_name_plural = "取り組みにつないだ記録"
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "record"], name="initiative_record_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.initiative.theme} ← {self.record}"
