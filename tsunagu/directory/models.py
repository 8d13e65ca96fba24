"""The city directory (マスタ): the zones, regional councils, groups and agencies that
records point to. Rows referenced by records are deactivated, never deleted."""

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models

from tsunagu.core.concurrency import version_field
from tsunagu.lib.fields import with_derived_fields
from tsunagu.lib.fiscal import fiscal_year_label
from tsunagu.lib.reading import reading_of
from tsunagu.lib.textnorm import normalize


class DirectoryQuerySet(models.QuerySet):
    def active(self) -> "DirectoryQuerySet":
        return self.filter(active=True)

    def matching(self, text: str, *, via: str = "") -> "DirectoryQuerySet":
        """Rows whose name (or reading, where the model has one) contains `text`, compared
        on the normalised form (width, kana, case ignored). `via` also matches a related
        row's name and reading (an agency found by its group's name: via="group")."""
        key = normalize(text)
        if not key:
            return self
        found = _name_or_reading(self.model, key)
        if via:
            related = self.model._meta.get_field(via).related_model
            found |= _name_or_reading(related, key, prefix=f"{via}__")
        return self.filter(found)


def _name_or_reading(model: Any, key: str, prefix: str = "") -> models.Q:
    found = models.Q(**{f"{prefix}name_key__contains": key})
    if issubclass(model, ReadEntry):
        found |= models.Q(**{f"{prefix}reading_key__contains": key})
    return found


class DirectoryEntry(models.Model):
    """Common shape: a name, its normalised search key, a display order, an active flag."""

    name = models.CharField("名称", max_length=100)
    name_key = models.CharField(max_length=100, editable=False, db_index=True)
    order = models.PositiveIntegerField("表示順", default=0)
    active = models.BooleanField("有効", default=True)
    version = version_field()

    objects = DirectoryQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.name = self.name.strip()
        self.name_key = normalize(self.name)
        kwargs["update_fields"] = with_derived_fields(
            kwargs.get("update_fields"), {"name": "name_key"}
        )
        super().save(*args, **kwargs)


class ReadEntry(DirectoryEntry):
    """An entry of the city directory that staff look up by name: it also has a reading
    (よみ), so that 「ほうかつ」 finds 「地域包括支援センター」 (type-ahead and list search)."""

    reading = models.CharField(
        "よみ",
        max_length=200,
        blank=True,
        help_text="ひらがなで。空欄なら名称から自動で入れます（違っていたら直してください）。",
    )
    reading_key = models.CharField(max_length=200, editable=False, default="")

    class Meta(DirectoryEntry.Meta):
        abstract = True

    def save(self, *args, **kwargs):
        self.reading = self.reading.strip() or reading_of(self.name.strip())
        self.reading_key = normalize(self.reading)
        fields = with_derived_fields(kwargs.get("update_fields"), {"name": "reading"})
        kwargs["update_fields"] = with_derived_fields(fields, {"reading": "reading_key"})
        super().save(*args, **kwargs)


class MunicipalityProfile(models.Model):
    """The city's figures for one fiscal year, printed on the reports."""

    fiscal_year = models.PositiveIntegerField("年度", unique=True)
    version = version_field()
    name = models.CharField("市区町村名", max_length=60)
    council_name = models.CharField("社協の名称", max_length=100, blank=True)
    population = models.PositiveIntegerField("人口（人）", null=True, blank=True)
    households = models.PositiveIntegerField("世帯数", null=True, blank=True)
    ageing_rate = models.DecimalField(
        "高齢化率（％）",
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    area_km2 = models.DecimalField(
        "面積（km²）", max_digits=8, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = "市区町村の概要"
        verbose_name_plural = "市区町村の概要"
        ordering = ["-fiscal_year"]

    def __str__(self) -> str:
        return f"{self.name}（{fiscal_year_label(self.fiscal_year)}）"

    @property
    def fiscal_year_label(self) -> str:
        return fiscal_year_label(self.fiscal_year)


class Zone(ReadEntry):
    """圏域: a part of the city around a station, with its community staff member."""

    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="地域担当職員",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="zones",
    )
    description = models.CharField("説明", max_length=200, blank=True)

    class Meta(DirectoryEntry.Meta):
        verbose_name = "圏域"
        verbose_name_plural = "圏域"
        constraints = [models.UniqueConstraint(fields=["name_key"], name="zone_unique_name")]


class Region(ReadEntry):
    """地域社協・福祉の会: a regional welfare council, about one per school district."""

    zone = models.ForeignKey(
        Zone, verbose_name="圏域", on_delete=models.PROTECT, related_name="regions"
    )
    representative = models.CharField("代表者", max_length=60, blank=True)
    member_count = models.PositiveIntegerField("会員数", null=True, blank=True)

    class Meta(DirectoryEntry.Meta):
        verbose_name = "地域社協"
        verbose_name_plural = "地域社協"
        constraints = [models.UniqueConstraint(fields=["name_key"], name="region_unique_name")]


class GroupKind(ReadEntry):
    """The kinds of activity group (サロン, 居場所, 子ども食堂 …): data, not code."""

    class Meta(DirectoryEntry.Meta):
        verbose_name = "活動団体の種別"
        verbose_name_plural = "活動団体の種別"
        constraints = [models.UniqueConstraint(fields=["name_key"], name="groupkind_unique_name")]


class ActivityGroup(ReadEntry):
    """活動団体・活動の場: a salon, a place to belong, a children's cafeteria …"""

    kind = models.ForeignKey(
        GroupKind, verbose_name="種別", on_delete=models.PROTECT, related_name="groups"
    )
    zone = models.ForeignKey(
        Zone, verbose_name="圏域", on_delete=models.PROTECT, related_name="groups"
    )
    region = models.ForeignKey(
        Region,
        verbose_name="地域社協",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="groups",
    )
    schedule = models.CharField("開催日時", max_length=200, blank=True)
    contact = models.CharField("連絡先", max_length=200, blank=True)

    class Meta(DirectoryEntry.Meta):
        verbose_name = "活動団体・活動の場"
        verbose_name_plural = "活動団体・活動の場"
        constraints = [
            models.UniqueConstraint(fields=["zone", "name_key"], name="group_unique_name_in_zone"),
        ]


class AgencyGroup(ReadEntry):
    """報告区分: the row under which one or more agencies are reported."""

    class Meta(DirectoryEntry.Meta):
        verbose_name = "関係機関の報告区分"
        verbose_name_plural = "関係機関の報告区分"
        constraints = [models.UniqueConstraint(fields=["name_key"], name="agencygroup_unique_name")]


class Agency(ReadEntry):
    """関係機関: a city department, a care centre, a company …"""

    group = models.ForeignKey(
        AgencyGroup, verbose_name="報告区分", on_delete=models.PROTECT, related_name="agencies"
    )

    class Meta(DirectoryEntry.Meta):
        verbose_name = "関係機関"
        verbose_name_plural = "関係機関"
        constraints = [models.UniqueConstraint(fields=["name_key"], name="agency_unique_name")]
