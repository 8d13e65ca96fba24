"""Support records (支援記録) and the yearly lists they are counted by.

Counting rules, declared once: a record counts once in the total of its consulter type
and once under each of its categories; once under its activity kind; once per agency
reporting group it involves.
"""

from datetime import date
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

from tsunagu.core.concurrency import version_field
from tsunagu.directory.models import ActivityGroup, Agency, Region, Zone
from tsunagu.lib.fields import with_derived_fields
from tsunagu.lib.fiscal import fiscal_year_label, fiscal_year_of
from tsunagu.lib.textnorm import normalize

NOTE_MAX_LENGTH = 10_000


class ReportStyle(models.TextChoices):
    RANKED = "ranked", "順位をつける"
    LISTED = "listed", "件数順に並べる"
    TOTAL = "total", "合計のみ"


CODE_MAX_LENGTH = 40


def code_field() -> models.SlugField:
    """The stable code a feature finds an entry by (records/codes.py), whatever its name.

    Optional; set by the defaults, carried through the yearly lineage, never typed by staff."""
    return models.SlugField(
        "コード",
        max_length=CODE_MAX_LENGTH,
        blank=True,
        default="",
        editable=False,
        help_text="機能がこの項目を見つけるための固定の符号です。名称を変えても変わりません。",
    )


def code_is_set() -> Q:
    return ~Q(code="")


class ConsulterType(models.Model):
    """相談者区分: who the consultation came from. Each has its own yearly categories."""

    name = models.CharField("名称", max_length=60, unique=True)
    code = code_field()
    report_title = models.CharField(
        "報告書の見出し",
        max_length=100,
        blank=True,
        help_text="例：ボランティア希望（活動）者からの相談",
    )
    order = models.PositiveIntegerField("表示順", default=0)
    report_style = models.CharField(
        "報告書での示し方", max_length=10, choices=ReportStyle.choices, default=ReportStyle.RANKED
    )
    active = models.BooleanField("有効", default=True)
    version = version_field()

    class Meta:
        verbose_name = "相談者区分"
        verbose_name_plural = "相談者区分"
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"], condition=code_is_set(), name="consultertype_unique_code"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def title(self) -> str:
        return self.report_title or f"{self.name}からの相談"

    @property
    def has_categories(self) -> bool:
        return self.report_style != ReportStyle.TOTAL


class YearlyTermQuerySet(models.QuerySet[Any]):
    def in_year(self, fiscal_year: int) -> "YearlyTermQuerySet":
        return self.filter(fiscal_year=fiscal_year)

    def active(self) -> "YearlyTermQuerySet":
        return self.filter(retired=False)


class YearlyTerm(models.Model):
    """An entry of a fiscal year's list, with the entries of the year before it continues.

    No predecessors = new this year. One predecessor named by one successor = continued
    (renamed when the name differs); one predecessor named by several = split; several
    predecessors = merged."""

    fiscal_year = models.PositiveIntegerField("年度", db_index=True)
    name = models.CharField("名称", max_length=100)
    name_key = models.CharField(max_length=100, editable=False)
    order = models.PositiveIntegerField("表示順", default=0)
    # A retired term stays for the records that use it but is not offered for new ones.
    retired = models.BooleanField("使用終了", default=False)

    objects = YearlyTermQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["fiscal_year", "order", "id"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.name = self.name.strip()
        self.name_key = normalize(self.name)
        kwargs["update_fields"] = with_derived_fields(
            kwargs.get("update_fields"), {"name": "name_key"}
        )
        super().save(*args, **kwargs)

    @property
    def fiscal_year_label(self) -> str:
        return fiscal_year_label(self.fiscal_year)


# The word that marks a consultation kind by name (相談対応), for a kind created without
# saying whether it is one. Only the default: the flag is what counts.
CONSULTATION_WORD = "相談"


class ActivityKind(YearlyTerm):
    """活動種別 of one fiscal year: 出向き・参加, 話し合いへの参加, 相談対応 …

    The counting rule, by construction: a record of a consultation kind has a real
    consulter type, a record of any other kind has none (services.check_record)."""

    # None only until saved: a kind created without saying is a consultation kind when its
    # name has 相談; a copy into the next year keeps its source's flag.
    is_consultation = models.BooleanField(
        "相談として数える",
        default=None,
        help_text="この種別の記録は相談者区分が必要で、相談件数に数えます。",
    )
    code = code_field()
    predecessors = models.ManyToManyField(
        "self",
        verbose_name="前年度の種別",
        symmetrical=False,
        blank=True,
        related_name="successors",
    )

    class Meta(YearlyTerm.Meta):
        verbose_name = "活動種別"
        verbose_name_plural = "活動種別"
        constraints = [
            models.UniqueConstraint(
                fields=["fiscal_year", "name_key"], name="activitykind_unique_name"
            ),
            models.UniqueConstraint(
                fields=["fiscal_year", "code"],
                condition=code_is_set(),
                name="activitykind_unique_code",
            ),
        ]

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.is_consultation is None:
            self.is_consultation = CONSULTATION_WORD in normalize(self.name)
        super().save(*args, **kwargs)


# The name of the catch-all category, for a category created without saying whether it
# is one. Only the default: the mark is what counts.
CATCH_ALL_NAME = "その他"


def is_catch_all_name(name: str) -> bool:
    return normalize(name) == normalize(CATCH_ALL_NAME)


class Category(YearlyTerm):
    """相談内容: one category of a consulter type's list for one fiscal year."""

    consulter_type = models.ForeignKey(
        ConsulterType,
        verbose_name="相談者区分",
        on_delete=models.PROTECT,
        related_name="categories",
    )
    # At most one per list (year and consulter type). In a ranked report it goes after
    # the categories of its count and takes the rank of its own position (reports.engine).
    catch_all = models.BooleanField(
        "その他扱い",
        default=False,
        help_text="順位をつける報告で、同じ件数の分類のあとに並び、順位を分け合いません。",
    )
    code = code_field()
    predecessors = models.ManyToManyField(
        "self",
        verbose_name="前年度の分類",
        symmetrical=False,
        blank=True,
        related_name="successors",
    )

    class Meta(YearlyTerm.Meta):
        verbose_name = "相談内容の分類"
        verbose_name_plural = "相談内容の分類"
        ordering = ["fiscal_year", "consulter_type__order", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["fiscal_year", "consulter_type", "name_key"], name="category_unique_name"
            ),
            models.UniqueConstraint(
                fields=["fiscal_year", "consulter_type"],
                condition=Q(catch_all=True),
                name="category_one_catch_all",
            ),
            models.UniqueConstraint(
                fields=["fiscal_year", "consulter_type", "code"],
                condition=code_is_set(),
                name="category_unique_code",
            ),
        ]


class Place(models.TextChoices):
    OUTREACH = "outreach", "出向いた先"
    OFFICE = "office", "来所"
    PHONE = "phone", "電話"
    EMAIL = "email", "メール"
    VISIT = "visit", "訪問"
    OTHER = "other", "その他"


class SupportKind(models.TextChoices):
    """個別支援 (support of a person) or 地域支援 (of an area or group); records/support_kind.py
    derives it when the record does not say."""

    INDIVIDUAL = "individual", "個別支援"
    AREA = "area", "地域支援"


class AgencyAction(models.TextChoices):
    REFERRAL = "referral", "紹介・つなぎ"
    LIAISON = "liaison", "連携・情報共有"


# The kind of the batches `tsunagu demo` loads (the import history names them).
DEMO_BATCH_KIND = "demo"


class ImportBatch(models.Model):
    """One imported file. The digest refuses the same file twice."""

    kind = models.CharField("種類", max_length=20)
    filename = models.CharField("ファイル名", max_length=255)
    digest = models.CharField("SHA-256", max_length=64)
    row_count = models.PositiveIntegerField("行数", default=0)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="取り込んだ人",
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    imported_at = models.DateTimeField("取り込み日時", auto_now_add=True)

    class Meta:
        verbose_name = "取り込み"
        verbose_name_plural = "取り込み"
        constraints = [
            models.UniqueConstraint(fields=["kind", "digest"], name="import_unique_digest")
        ]

    def __str__(self) -> str:
        return f"{self.filename}（{self.row_count}行）"


class RecordQuerySet(models.QuerySet["SupportRecord"]):
    def alive(self) -> "RecordQuerySet":
        return self.filter(deleted_at__isnull=True)

    def in_trash(self) -> "RecordQuerySet":
        return self.filter(deleted_at__isnull=False)

    def in_fiscal_year(self, fiscal_year: int) -> "RecordQuerySet":
        return self.filter(fiscal_year=fiscal_year)

    def consultations(self) -> "RecordQuerySet":
        return self.filter(consulter_type__isnull=False)

    def breaking_counting_rule(self) -> "RecordQuerySet":
        """Records against the counting rule: a consultation kind without a consulter type,
        or another kind with one (kept as they are; `tsunagu check_records` lists them)."""
        return self.filter(
            Q(activity_kind__is_consultation=True, consulter_type__isnull=True)
            | Q(activity_kind__is_consultation=False, consulter_type__isnull=False)
        )

    def with_related(self) -> "RecordQuerySet":
        """Everything a list row shows, in a constant number of queries."""
        return self.select_related(
            "staff",
            "activity_kind",
            "consulter_type",
            "target_group",
            "target_region",
            "zone",
            "region",
        ).prefetch_related(
            models.Prefetch("categories", queryset=Category.objects.order_by("order", "id")),
            models.Prefetch(
                "agency_links",
                queryset=RecordAgency.objects.select_related("agency").order_by("agency__order"),
            ),
        )

    def follow_ups_due(self, user: Any, today: date) -> "RecordQuerySet":
        return self.alive().filter(follow_up=True, staff=user, follow_up_due__lte=today)


class SupportRecord(models.Model):
    """支援記録: one thing a staff member did or was asked."""

    date = models.DateField("日付")
    fiscal_year = models.PositiveIntegerField("年度", editable=False)
    time = models.TimeField("時刻", null=True, blank=True)
    duration_minutes = models.PositiveIntegerField("所要時間（分）", null=True, blank=True)
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="担当職員",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="records",
    )
    activity_kind = models.ForeignKey(
        ActivityKind, verbose_name="活動種別", on_delete=models.PROTECT, related_name="records"
    )
    place = models.CharField("場所", max_length=10, choices=Place.choices)
    target_group = models.ForeignKey(
        ActivityGroup,
        verbose_name="支援先（活動団体）",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="records",
    )
    target_region = models.ForeignKey(
        Region,
        verbose_name="支援先（地域社協）",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="target_records",
    )
    zone = models.ForeignKey(
        Zone,
        verbose_name="圏域",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="records",
    )
    region = models.ForeignKey(
        Region,
        verbose_name="地域",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="records",
    )
    consulter_type = models.ForeignKey(
        ConsulterType,
        verbose_name="相談者区分",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="records",
    )
    categories = models.ManyToManyField(
        Category, verbose_name="相談内容", blank=True, related_name="records"
    )
    agencies: "models.ManyToManyField[Agency, RecordAgency]" = models.ManyToManyField(
        Agency, verbose_name="関係機関", through="RecordAgency", blank=True, related_name="records"
    )
    initiated = models.BooleanField("働きかけ（社協から）", default=False)
    # NULL: derived from the target and the case link (records/support_kind.py). NULL and
    # not "", so that 自動 has one spelling, held by the record_support_kind constraint.
    support_kind = models.CharField(  # noqa: DJ001
        "個別・地域の区分",
        max_length=10,
        choices=SupportKind.choices,
        null=True,
        blank=True,
    )
    consent = models.BooleanField("本人の同意あり", default=False)
    note = models.TextField("メモ", blank=True, max_length=NOTE_MAX_LENGTH)
    note_key = models.TextField(editable=False, blank=True)
    follow_up = models.BooleanField("フォローアップが必要", default=False)
    follow_up_due = models.DateField("フォローアップ期日", null=True, blank=True)

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
    deleted_at = models.DateTimeField("削除日時", null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="削除者",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    import_batch = models.ForeignKey(
        ImportBatch,
        verbose_name="取り込み",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="records",
    )

    objects = RecordQuerySet.as_manager()

    class Meta:
        verbose_name = "支援記録"
        verbose_name_plural = "支援記録"
        ordering = ["-date", "-id"]
        indexes = [
            models.Index(fields=["fiscal_year", "date"], name="record_fy_date"),
            # Only the trash is looked up by deletion time; a full index on a mostly-NULL
            # column lures SQLite (which keeps no statistics) into scanning it for every
            # "alive records" query.
            models.Index(
                fields=["deleted_at"], name="record_deleted", condition=Q(deleted_at__isnull=False)
            ),
            # Home's follow-ups due (`follow_ups_due`): partial, with the query's own
            # conditions, so that SQLite (which writes follow_up=True as the bare column,
            # leaving a (staff, follow_up, …) index usable on staff alone) seeks by staff
            # and due date among the few open follow-ups.
            models.Index(
                fields=["staff", "follow_up_due"],
                name="record_follow_up_due",
                condition=Q(follow_up=True, deleted_at__isnull=True),
            ),
            # The regional council page (地域社協カルテ) counts the records involving a
            # council over four years: the area, the target council or one of its groups,
            # each term with the years, read as a UNION of these three (plans/queries.py
            # `involved_counts`) instead of every record of the years (issue #14); covering
            # the counts by kind and consulter type (and, for the targets, the area that
            # keeps the parts disjoint), so that no row is read from the table.
            models.Index(
                fields=["region", "fiscal_year", "deleted_at", "activity_kind", "consulter_type"],
                name="record_region_year",
            ),
            models.Index(
                fields=[
                    "target_region",
                    "fiscal_year",
                    "deleted_at",
                    "activity_kind",
                    "consulter_type",
                    "region",
                ],
                name="record_target_region_year",
            ),
            models.Index(
                fields=[
                    "target_group",
                    "fiscal_year",
                    "deleted_at",
                    "activity_kind",
                    "consulter_type",
                    "region",
                ],
                name="record_target_group_year",
            ),
            # What the yearly report reads instead of the table (docs/benchmarks.md).
            models.Index(
                fields=[
                    "fiscal_year",
                    "deleted_at",
                    "activity_kind",
                    "consulter_type",
                    "place",
                    "target_group",
                    "target_region",
                    "zone",
                    "region",
                ],
                name="record_report",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~(Q(target_group__isnull=False) & Q(target_region__isnull=False)),
                name="record_one_target",
            ),
            models.CheckConstraint(
                condition=Q(support_kind__isnull=True) | Q(support_kind__in=SupportKind.values),
                name="record_support_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.activity_kind.name}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.fiscal_year = fiscal_year_of(self.date)
        self.note_key = normalize(self.note)
        kwargs["update_fields"] = with_derived_fields(
            kwargs.get("update_fields"), {"date": "fiscal_year", "note": "note_key"}
        )
        super().save(*args, **kwargs)

    @property
    def target(self) -> ActivityGroup | Region | None:
        return self.target_group or self.target_region

    @property
    def is_consultation(self) -> bool:
        return self.consulter_type_id is not None


class RecordAgency(models.Model):
    """A record's involvement of an agency, and what was done with it."""

    record = models.ForeignKey(SupportRecord, on_delete=models.CASCADE, related_name="agency_links")
    agency = models.ForeignKey(
        Agency, verbose_name="関係機関", on_delete=models.PROTECT, related_name="record_links"
    )
    action = models.CharField(
        "内容", max_length=10, choices=AgencyAction.choices, default=AgencyAction.LIAISON
    )

    class Meta:
        verbose_name = "記録の関係機関"
        verbose_name_plural = "記録の関係機関"
        constraints = [
            models.UniqueConstraint(fields=["record", "agency"], name="record_agency_unique")
        ]

    def __str__(self) -> str:
        return f"{self.agency.name}（{self.get_action_display()}）"


class SavedEntry(models.Model):
    """The one-time token of an entry screen, and the record its save created.

    A form sent twice (a double click, Back then 保存 again) carries the same token; the
    second finds it here and creates nothing."""

    token = models.CharField("送信の識別子", max_length=64, unique=True)
    record = models.ForeignKey(
        SupportRecord,
        verbose_name="保存した記録",
        on_delete=models.SET_NULL,  # a purged record still was saved once
        null=True,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="保存した人",
        on_delete=models.CASCADE,
        related_name="+",
    )
    created_at = models.DateTimeField("保存日時", auto_now_add=True)

    class Meta:
        verbose_name = "保存済みの入力"
        verbose_name_plural = "保存済みの入力"

    def __str__(self) -> str:
        return self.token
