"""The volunteer centre (ボランティアセンター): registered volunteers and their insurance,
donation offers, groups' requests for helpers, and the matches between them.

Registrations and donation offers are consultations too: each links the support record
(ボランティア希望（活動）者) that the yearly report counts, so the two never disagree.
"""

from datetime import date
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from tsunagu.core.concurrency import version_field
from tsunagu.directory.models import ActivityGroup, DirectoryEntry, Region, Zone
from tsunagu.lib.fiscal import fiscal_year_bounds, fiscal_year_label, fiscal_year_of
from tsunagu.lib.textnorm import normalize
from tsunagu.records.models import SupportRecord
from tsunagu.volunteers.availability import Slot, describe_availability, from_json


class Skill(DirectoryEntry):
    """What a volunteer can do (買い物支援, 見守り, 話し相手 …): data the council edits."""

    class Meta(DirectoryEntry.Meta):
        verbose_name = "活動内容"
        verbose_name_plural = "活動内容"
        constraints = [models.UniqueConstraint(fields=["name_key"], name="skill_unique_name")]


class InsurancePlan(DirectoryEntry):
    """ボランティア活動保険のプラン (基本 / 天災 …): data the council edits."""

    class Meta(DirectoryEntry.Meta):
        verbose_name = "保険のプラン"
        verbose_name_plural = "保険のプラン"
        constraints = [
            models.UniqueConstraint(fields=["name_key"], name="insuranceplan_unique_name")
        ]


class VolunteerKind(models.TextChoices):
    PERSON = "person", "個人"
    GROUP = "group", "団体"


class VolunteerQuerySet(models.QuerySet["Volunteer"]):
    def active(self) -> "VolunteerQuerySet":
        return self.filter(active=True)

    def introducible(self) -> "VolunteerQuerySet":
        """Active volunteers who agreed to be introduced: the only ones matching offers."""
        return self.filter(active=True, consent_to_introduce=True)

    def matching(self, text: str) -> "VolunteerQuerySet":
        """Name or フリガナ containing the text, compared on the normalised form."""
        key = normalize(text)
        return self.filter(Q(name_key__contains=key) | Q(kana_key__contains=key))

    def with_related(self) -> "VolunteerQuerySet":
        return self.select_related("record").prefetch_related(
            models.Prefetch("skills", queryset=Skill.objects.order_by("order", "id")),
            models.Prefetch("regions", queryset=Region.objects.order_by("order", "id")),
            models.Prefetch("zones", queryset=Zone.objects.order_by("order", "id")),
        )


class Volunteer(models.Model):
    """A registered volunteer: a person (氏・名 and their フリガナ) or a group."""

    kind = models.CharField(
        "区分", max_length=10, choices=VolunteerKind.choices, default=VolunteerKind.PERSON
    )
    family_name = models.CharField("氏", max_length=40, blank=True)
    given_name = models.CharField("名", max_length=40, blank=True)
    family_name_kana = models.CharField("氏（フリガナ）", max_length=60, blank=True)
    given_name_kana = models.CharField("名（フリガナ）", max_length=60, blank=True)
    group_name = models.CharField("団体名", max_length=100, blank=True)
    group_name_kana = models.CharField("団体名（フリガナ）", max_length=150, blank=True)
    # Normalised copies for search and duplicate detection; the typed text is what shows.
    name_key = models.CharField(max_length=150, editable=False, db_index=True)
    kana_key = models.CharField(max_length=150, editable=False, db_index=True)
    birth_year = models.PositiveSmallIntegerField(
        "生まれ年",
        null=True,
        blank=True,
        validators=[MinValueValidator(1900), MaxValueValidator(2100)],
    )
    member_count = models.PositiveIntegerField("人数（団体）", null=True, blank=True)
    skills = models.ManyToManyField(
        Skill, verbose_name="できる活動", blank=True, related_name="volunteers"
    )
    regions = models.ManyToManyField(
        Region, verbose_name="活動できる地域（地域社協）", blank=True, related_name="volunteers"
    )
    zones = models.ManyToManyField(
        Zone, verbose_name="活動できる圏域", blank=True, related_name="volunteers"
    )
    # [[weekday 0=Mon…6=Sun, "am"|"pm"|"night"], …]; see availability.py.
    availability = models.JSONField("活動できる曜日・時間帯", default=list, blank=True)
    availability_note = models.CharField("曜日・時間帯の補足", max_length=200, blank=True)
    contact = models.TextField("連絡先", blank=True, max_length=1000)
    consent_to_introduce = models.BooleanField("紹介してよいと同意あり", default=False)
    active = models.BooleanField("活動中", default=True)
    registered_on = models.DateField("登録日")
    note = models.TextField("メモ", blank=True, max_length=5000)
    # The consultation 「ボランティアしたい」 that this registration is counted as.
    record = models.OneToOneField(
        SupportRecord,
        verbose_name="支援記録",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="volunteer_registration",
    )

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField("登録日時", auto_now_add=True)
    updated_at = models.DateTimeField("更新日時", auto_now=True)
    version = version_field()

    objects = VolunteerQuerySet.as_manager()

    class Meta:
        verbose_name = "ボランティア登録"
        verbose_name_plural = "ボランティア登録"
        ordering = ["kana_key", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind=VolunteerKind.PERSON) & ~Q(family_name="")
                    | Q(kind=VolunteerKind.GROUP) & ~Q(group_name="")
                ),
                name="volunteer_has_name",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.name_key = normalize(self.full_name)
        self.kana_key = normalize(self.full_kana)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "name_key", "kana_key"}
        super().save(*args, **kwargs)

    @property
    def is_group(self) -> bool:
        return self.kind == VolunteerKind.GROUP

    @property
    def full_name(self) -> str:
        """「山田 太郎」 with the space between family and given name, or the group name."""
        if self.is_group:
            return self.group_name
        return " ".join(p for p in (self.family_name, self.given_name) if p)

    @property
    def full_kana(self) -> str:
        if self.is_group:
            return self.group_name_kana
        return " ".join(p for p in (self.family_name_kana, self.given_name_kana) if p)

    @property
    def display_name(self) -> str:
        return self.full_name

    @property
    def slots(self) -> frozenset[Slot]:
        return from_json(self.availability)

    @property
    def availability_text(self) -> str:
        return describe_availability(self.slots)


class InsuranceEnrolmentQuerySet(models.QuerySet["InsuranceEnrolment"]):
    def in_year(self, fiscal_year: int) -> "InsuranceEnrolmentQuerySet":
        return self.filter(fiscal_year=fiscal_year)

    def valid_on(self, day: date) -> "InsuranceEnrolmentQuerySet":
        return self.filter(fiscal_year=fiscal_year_of(day), enrolled_on__lte=day)


class InsuranceEnrolment(models.Model):
    """ボランティア活動保険への加入: one per volunteer and fiscal year, valid to 31 March."""

    volunteer = models.ForeignKey(
        Volunteer,
        verbose_name="ボランティア",
        on_delete=models.CASCADE,
        related_name="insurance_enrolments",
    )
    fiscal_year = models.PositiveIntegerField("年度", db_index=True)
    plan = models.ForeignKey(
        InsurancePlan, verbose_name="プラン", on_delete=models.PROTECT, related_name="enrolments"
    )
    enrolled_on = models.DateField("加入日")
    insured_count = models.PositiveIntegerField(
        "加入人数", default=1, validators=[MinValueValidator(1)]
    )
    note = models.CharField("備考", max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField("登録日時", auto_now_add=True)

    objects = InsuranceEnrolmentQuerySet.as_manager()

    class Meta:
        verbose_name = "保険加入"
        verbose_name_plural = "保険加入"
        ordering = ["-fiscal_year", "volunteer__kana_key", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["volunteer", "fiscal_year"], name="insurance_one_per_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.fiscal_year_label} {self.plan.name}"

    @property
    def fiscal_year_label(self) -> str:
        return fiscal_year_label(self.fiscal_year)

    @property
    def valid_until(self) -> date:
        return fiscal_year_bounds(self.fiscal_year)[1]


class OfferStatus(models.TextChoices):
    RECEIVED = "received", "受付"
    ARRANGING = "arranging", "調整中"
    GIVEN = "given", "譲渡済"
    DECLINED = "declined", "不成立"


class Condition(models.TextChoices):
    NEW = "new", "新品"
    UNUSED = "unused", "未使用品"
    GOOD = "good", "中古（状態良好）"
    USED = "used", "中古"
    UNKNOWN = "unknown", "未確認"


class Pickup(models.TextChoices):
    BRING = "bring", "社協へ持ち込み"
    COLLECT = "collect", "引き取りに伺う"
    DIRECT = "direct", "先方へ直接届ける"
    SHIP = "ship", "配送"
    UNDECIDED = "undecided", "未定"


class DonationOfferQuerySet(models.QuerySet["DonationOffer"]):
    def in_fiscal_year(self, fiscal_year: int) -> "DonationOfferQuerySet":
        start, end = fiscal_year_bounds(fiscal_year)
        return self.filter(offered_on__range=(start, end))

    def open(self) -> "DonationOfferQuerySet":
        return self.filter(status__in=[OfferStatus.RECEIVED, OfferStatus.ARRANGING])

    def with_related(self) -> "DonationOfferQuerySet":
        return self.select_related("recipient_group", "record")


class DonationOffer(models.Model):
    """寄付・寄贈の申し出: what someone offers, and to whom it went."""

    offered_on = models.DateField("受付日")
    donor_name = models.CharField("申し出た人・団体", max_length=100, blank=True)
    contact = models.TextField("連絡先", blank=True, max_length=1000)
    item = models.CharField("品物", max_length=200)
    quantity = models.CharField("数量", max_length=100, blank=True)
    condition = models.CharField(
        "状態", max_length=10, choices=Condition.choices, default=Condition.UNKNOWN
    )
    pickup = models.CharField(
        "受け渡し方法", max_length=10, choices=Pickup.choices, default=Pickup.UNDECIDED
    )
    pickup_note = models.CharField("受け渡しの補足", max_length=200, blank=True)
    status = models.CharField(
        "状況", max_length=10, choices=OfferStatus.choices, default=OfferStatus.RECEIVED
    )
    recipient_group = models.ForeignKey(
        ActivityGroup,
        verbose_name="渡した先（活動団体）",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="donations_received",
    )
    # A 個別支援 case, by its number: the cases app owns that model and may anonymise it.
    recipient_case_id = models.PositiveIntegerField(
        "渡した先（個別支援の番号）", null=True, blank=True
    )
    recipient_note = models.CharField("渡した先（その他）", max_length=200, blank=True)
    given_on = models.DateField("渡した日", null=True, blank=True)
    note = models.TextField("メモ", blank=True, max_length=5000)
    # The consultation 「寄付（寄贈）したい」 that this offer is counted as.
    record = models.OneToOneField(
        SupportRecord,
        verbose_name="支援記録",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="donation_offer",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField("登録日時", auto_now_add=True)
    updated_at = models.DateTimeField("更新日時", auto_now=True)
    version = version_field()

    objects = DonationOfferQuerySet.as_manager()

    class Meta:
        verbose_name = "寄付・寄贈の申し出"
        verbose_name_plural = "寄付・寄贈の申し出"
        ordering = ["-offered_on", "-id"]

    def __str__(self) -> str:
        return f"{self.item}（{self.offered_on:%Y-%m-%d}）"

    @property
    def fiscal_year(self) -> int:
        return fiscal_year_of(self.offered_on)

    @property
    def recipient_text(self) -> str:
        if self.recipient_group is not None:
            return self.recipient_group.name
        if self.recipient_case_id is not None:
            return f"個別支援 No.{self.recipient_case_id}"
        return self.recipient_note


class RequestStatus(models.TextChoices):
    OPEN = "open", "募集中"
    ARRANGING = "arranging", "調整中"
    FILLED = "filled", "充足"
    CLOSED = "closed", "終了"


class HelpRequestQuerySet(models.QuerySet["HelpRequest"]):
    def open(self) -> "HelpRequestQuerySet":
        return self.filter(status__in=[RequestStatus.OPEN, RequestStatus.ARRANGING])

    def with_related(self) -> "HelpRequestQuerySet":
        return self.select_related("group", "group__zone", "group__region").prefetch_related(
            models.Prefetch("skills", queryset=Skill.objects.order_by("order", "id"))
        )


class HelpRequest(models.Model):
    """ボランティア募集: an activity group looking for helpers."""

    group = models.ForeignKey(
        ActivityGroup,
        verbose_name="活動団体",
        on_delete=models.PROTECT,
        related_name="help_requests",
    )
    requested_on = models.DateField("受付日")
    title = models.CharField("内容", max_length=200)
    description = models.TextField("詳しい内容", blank=True, max_length=5000)
    skills = models.ManyToManyField(
        Skill, verbose_name="求める活動", blank=True, related_name="help_requests"
    )
    schedule = models.CharField("日時", max_length=200, blank=True)
    availability = models.JSONField("曜日・時間帯", default=list, blank=True)
    starts_on = models.DateField("開始日", null=True, blank=True)
    ends_on = models.DateField("終了日", null=True, blank=True)
    place = models.CharField("場所", max_length=200, blank=True)
    people_needed = models.PositiveSmallIntegerField(
        "必要な人数", default=1, validators=[MinValueValidator(1)]
    )
    status = models.CharField(
        "状況", max_length=10, choices=RequestStatus.choices, default=RequestStatus.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField("登録日時", auto_now_add=True)
    updated_at = models.DateTimeField("更新日時", auto_now=True)
    version = version_field()

    objects = HelpRequestQuerySet.as_manager()

    class Meta:
        verbose_name = "ボランティア募集"
        verbose_name_plural = "ボランティア募集"
        ordering = ["-requested_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gte=models.F("starts_on")),
                name="helprequest_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.group.name}：{self.title}"

    @property
    def slots(self) -> frozenset[Slot]:
        return from_json(self.availability)

    @property
    def availability_text(self) -> str:
        return describe_availability(self.slots)


class HelpMatchQuerySet(models.QuerySet["Match"]):
    def current(self, today: date) -> "HelpMatchQuerySet":
        return self.filter(Q(ended_on__isnull=True) | Q(ended_on__gt=today))

    def review_due(self, today: date) -> "HelpMatchQuerySet":
        return self.current(today).filter(next_review_on__lte=today)

    def with_related(self) -> "HelpMatchQuerySet":
        return self.select_related("volunteer", "help_request", "help_request__group")


class Match(models.Model):
    """A volunteer helping with a group's request: how often, from when, until when."""

    help_request = models.ForeignKey(
        HelpRequest, verbose_name="募集", on_delete=models.PROTECT, related_name="matches"
    )
    volunteer = models.ForeignKey(
        Volunteer, verbose_name="ボランティア", on_delete=models.PROTECT, related_name="matches"
    )
    frequency = models.CharField("頻度", max_length=50, help_text="例：月2回、毎週火曜")
    started_on = models.DateField("開始日")
    next_review_on = models.DateField("次の見直し日", null=True, blank=True)
    ended_on = models.DateField("終了日", null=True, blank=True)
    end_reason = models.CharField("終了の理由", max_length=200, blank=True)
    reasons = models.CharField("紹介した理由", max_length=300, blank=True)
    note = models.TextField("メモ", blank=True, max_length=5000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField("登録日時", auto_now_add=True)

    objects = HelpMatchQuerySet.as_manager()

    class Meta:
        verbose_name = "マッチング"
        verbose_name_plural = "マッチング"
        ordering = ["-started_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="match_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.volunteer}（{self.frequency}）"

    def is_current(self, today: date) -> bool:
        return self.ended_on is None or self.ended_on > today


class MatchReview(models.Model):
    """A review (見直し) of a match: when it happened, what was found, when the next is."""

    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="reviews")
    reviewed_on = models.DateField("見直した日")
    note = models.TextField("内容", blank=True, max_length=5000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField("登録日時", auto_now_add=True)

    class Meta:
        verbose_name = "マッチングの見直し"
        verbose_name_plural = "マッチングの見直し"
        ordering = ["reviewed_on", "id"]

    def __str__(self) -> str:
        return f"{self.reviewed_on:%Y-%m-%d}"
