"""Individual support cases (個別支援): a person with needs, the groups and volunteers who
help, the agencies they are referred to, and the staff who follow up.

A case holds 要配慮個人情報. By default it knows the person only by a pseudonym or
initials, an age band and an area; a name, フリガナ, contact and birth year are stored
only with a recorded consent (who gave it, when, for which purposes). Every read and
change is logged; a closed case is anonymised after the retention period (retention.py).
"""

from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from tsunagu.core.concurrency import version_field
from tsunagu.directory.models import ActivityGroup, Agency, DirectoryEntry, GroupKind, Region, Zone
from tsunagu.lib.textnorm import normalize
from tsunagu.records.models import SupportRecord
from tsunagu.volunteers.availability import Slot, describe_availability, from_json
from tsunagu.volunteers.models import Skill, Volunteer

TEXT_MAX_LENGTH = 5000
ANONYMISED_PSEUDONYM = "（匿名化済み）"


class NeedKind(DirectoryEntry):
    """困りごとの種類 (買い物支援, 見守り …): data the council edits, with the kinds of
    activity group and the volunteers' skills that can answer it."""

    group_kinds = models.ManyToManyField(
        GroupKind, verbose_name="応えられる活動団体の種別", blank=True, related_name="need_kinds"
    )
    skills = models.ManyToManyField(
        Skill,
        verbose_name="応えられるボランティアの活動内容",
        blank=True,
        related_name="need_kinds",
    )

    class Meta(DirectoryEntry.Meta):
        verbose_name = "困りごとの種類"
        verbose_name_plural = "困りごとの種類"
        constraints = [models.UniqueConstraint(fields=["name_key"], name="needkind_unique_name")]


class AgeBand(models.TextChoices):
    INFANT = "infant", "乳幼児"
    ELEMENTARY = "elementary", "小学生"
    JUNIOR_HIGH = "junior_high", "中学生"
    TEENS = "teens", "高校生・10代"
    TWENTIES = "20s", "20代"
    THIRTIES = "30s", "30代"
    FORTIES = "40s", "40代"
    FIFTIES = "50s", "50代"
    SIXTIES = "60s", "60代"
    SEVENTIES = "70s", "70代"
    EIGHTIES = "80s", "80代"
    NINETIES = "90s", "90代以上"
    UNKNOWN = "unknown", "不明"


class CaseStatus(models.TextChoices):
    RECEIVED = "received", "受付"
    ASKING = "asking", "打診中"
    SUPPORTING = "supporting", "支援中"
    CLOSED = "closed", "終了"


class CloseReason(models.TextChoices):
    ACHIEVED = "achieved", "支援の目的を達成した"
    WISH = "wish", "本人・家族の希望"
    HANDED_OVER = "handed_over", "他の機関・サービスへ引き継いだ"
    MOVED = "moved", "転居"
    ADMITTED = "admitted", "入院・入所"
    DIED = "died", "死亡"
    UNREACHABLE = "unreachable", "連絡が取れなくなった"
    OTHER = "other", "その他"


class ConsentPurpose(models.TextChoices):
    RECORD = "record", "氏名・連絡先を記録して支援に使うこと"
    GROUPS = "groups", "活動団体・ボランティアに紹介すること"
    AGENCIES = "agencies", "関係機関に情報を提供すること"


# What a consent covers is part of the identity: wiped with it on anonymisation.
IDENTITY_FIELDS = (
    "family_name",
    "given_name",
    "family_name_kana",
    "given_name_kana",
    "contact",
    "birth_year",
)


class CaseQuerySet(models.QuerySet["Case"]):
    def visible_to(self, user: Any) -> "CaseQuerySet":
        """The cases `case.view` lets the user open (tests hold the two together):
        administrators every case; staff the cases assigned to them; others none."""
        from tsunagu.core.access import can

        if can(user, "case.view_all"):
            return self
        if can(user, "case.view"):
            return self.filter(staff=user)
        return self.none()

    def open(self) -> "CaseQuerySet":
        return self.exclude(status=CaseStatus.CLOSED)

    def with_related(self) -> "CaseQuerySet":
        return self.select_related("zone", "region").prefetch_related(
            models.Prefetch("needs", queryset=NeedKind.objects.order_by("order", "id")),
            "staff",
        )


class Case(models.Model):
    """個別支援: one person (or household) with needs, and the staff following it."""

    pseudonym = models.CharField(
        "仮名・イニシャル",
        max_length=40,
        help_text="例：Tさん、K・Mさん。本名は書かないでください。",
    )
    age_band = models.CharField(
        "年代", max_length=12, choices=AgeBand.choices, default=AgeBand.UNKNOWN
    )
    zone = models.ForeignKey(Zone, verbose_name="圏域", on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey(
        Region,
        verbose_name="地域社協",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    needs = models.ManyToManyField(NeedKind, verbose_name="困りごと", related_name="cases")
    when_needed = models.CharField(
        "支援が必要な曜日・時間帯",
        max_length=100,
        blank=True,
        help_text="例：平日の朝、火・木の午後",
    )
    # [[weekday, "am"|"pm"|"night"], …] read from when_needed (volunteers.availability).
    slots_needed = models.JSONField(default=list, blank=True, editable=False)
    summary = models.TextField(
        "状況・メモ",
        blank=True,
        max_length=TEXT_MAX_LENGTH,
        help_text="個人が特定される内容は書かないでください。",
    )
    status = models.CharField(
        "状況", max_length=12, choices=CaseStatus.choices, default=CaseStatus.RECEIVED
    )
    opened_on = models.DateField("受付日")
    closed_on = models.DateField("終了日", null=True, blank=True)
    close_reason = models.CharField(
        "終了の理由", max_length=12, choices=CloseReason.choices, blank=True
    )
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name="担当職員", related_name="support_cases"
    )
    records = models.ManyToManyField(
        SupportRecord, verbose_name="支援記録", blank=True, related_name="support_cases"
    )

    # Identity: only with a recorded consent (a check constraint holds the rule too).
    family_name = models.CharField("氏", max_length=40, blank=True)
    given_name = models.CharField("名", max_length=40, blank=True)
    family_name_kana = models.CharField("氏（フリガナ）", max_length=60, blank=True)
    given_name_kana = models.CharField("名（フリガナ）", max_length=60, blank=True)
    contact = models.TextField("連絡先", blank=True, max_length=1000)
    birth_year = models.PositiveSmallIntegerField(
        "生まれ年",
        null=True,
        blank=True,
        validators=[MinValueValidator(1900), MaxValueValidator(2100)],
    )
    name_key = models.CharField(max_length=120, editable=False, blank=True, db_index=True)
    kana_key = models.CharField(max_length=150, editable=False, blank=True, db_index=True)
    consent_given_by = models.CharField(
        "同意した人", max_length=60, blank=True, help_text="例：本人、長女"
    )
    consent_on = models.DateField("同意した日", null=True, blank=True)
    consent_purposes = models.JSONField("同意の範囲", default=list, blank=True)

    anonymised_at = models.DateTimeField("匿名化した日時", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登録者",
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField("登録日時", auto_now_add=True)
    updated_at = models.DateTimeField("更新日時", auto_now=True)
    version = version_field()

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = "個別支援"
        verbose_name_plural = "個別支援"
        ordering = ["-opened_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(consent_on__isnull=False)
                | (
                    Q(family_name="")
                    & Q(given_name="")
                    & Q(family_name_kana="")
                    & Q(given_name_kana="")
                    & Q(contact="")
                    & Q(birth_year__isnull=True)
                ),
                name="case_identity_needs_consent",
            ),
            models.CheckConstraint(
                condition=~Q(status=CaseStatus.CLOSED)
                | (Q(closed_on__isnull=False) & ~Q(close_reason="")),
                name="case_closed_has_date_and_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"No.{self.pk} {self.pseudonym}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.name_key = normalize(self.family_name + self.given_name)
        self.kana_key = normalize(self.family_name_kana + self.given_name_kana)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "name_key", "kana_key"}
        super().save(*args, **kwargs)

    @property
    def number(self) -> str:
        return f"No.{self.pk}"

    @property
    def has_identity(self) -> bool:
        return any(getattr(self, name) not in ("", None) for name in IDENTITY_FIELDS)

    @property
    def has_consent(self) -> bool:
        return self.consent_on is not None

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.family_name, self.given_name) if p)

    @property
    def full_kana(self) -> str:
        return " ".join(p for p in (self.family_name_kana, self.given_name_kana) if p)

    @property
    def consent_purpose_labels(self) -> list[str]:
        labels = dict(ConsentPurpose.choices)
        return [str(labels[p]) for p in self.consent_purposes if p in labels]

    @property
    def is_closed(self) -> bool:
        return self.status == CaseStatus.CLOSED

    @property
    def is_anonymised(self) -> bool:
        return self.anonymised_at is not None

    @property
    def slots(self) -> frozenset[Slot]:
        return from_json(self.slots_needed)

    @property
    def slots_text(self) -> str:
        return describe_availability(self.slots)


class StatusChange(models.Model):
    """A step of the case's status, for its timeline."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="status_changes")
    status = models.CharField("状況", max_length=12, choices=CaseStatus.choices)
    changed_on = models.DateField("日付")
    reason = models.CharField("終了の理由", max_length=12, choices=CloseReason.choices, blank=True)
    note = models.TextField("補足", blank=True, max_length=TEXT_MAX_LENGTH)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "状況の変更"
        verbose_name_plural = "状況の変更"
        ordering = ["changed_on", "id"]

    def __str__(self) -> str:
        return f"{self.changed_on:%Y-%m-%d} {self.get_status_display()}"


class AskAnswer(models.TextChoices):
    PENDING = "pending", "回答待ち"
    CONSIDERING = "considering", "検討中"
    ACCEPTED = "accepted", "引き受ける"
    DECLINED = "declined", "見送り"


class Ask(models.Model):
    """打診: a staff member asked a group, often at its meeting, whether it could help."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="asks")
    group = models.ForeignKey(
        ActivityGroup, verbose_name="打診した活動団体", on_delete=models.PROTECT, related_name="+"
    )
    asked_on = models.DateField("打診した日")
    occasion = models.CharField(
        "場面", max_length=100, blank=True, help_text="例：定例会、役員会、電話"
    )
    request = models.TextField("お願いした内容", blank=True, max_length=TEXT_MAX_LENGTH)
    answer = models.CharField(
        "回答", max_length=12, choices=AskAnswer.choices, default=AskAnswer.PENDING
    )
    answered_on = models.DateField("回答日", null=True, blank=True)
    answer_note = models.TextField("回答の内容", blank=True, max_length=TEXT_MAX_LENGTH)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "打診"
        verbose_name_plural = "打診"
        ordering = ["asked_on", "id"]

    def __str__(self) -> str:
        return f"{self.group.name}への打診（{self.asked_on:%Y-%m-%d}）"


class MatchQuerySet(models.QuerySet["Match"]):
    def current(self, today: date) -> "MatchQuerySet":
        return self.filter(Q(ended_on__isnull=True) | Q(ended_on__gt=today))

    def review_due(self, today: date) -> "MatchQuerySet":
        return self.current(today).filter(next_review_on__lte=today)


class Match(models.Model):
    """Who helps the person (a group or a registered volunteer), how often, from when."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="matches")
    group = models.ForeignKey(
        ActivityGroup,
        verbose_name="活動団体",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    volunteer = models.ForeignKey(
        Volunteer,
        verbose_name="ボランティア",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="case_matches",
    )
    need = models.ForeignKey(
        NeedKind,
        verbose_name="応える困りごと",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    frequency = models.CharField("頻度", max_length=50, help_text="例：月2回、毎週火曜の朝")
    started_on = models.DateField("開始日")
    next_review_on = models.DateField("次の見直し日", null=True, blank=True)
    ended_on = models.DateField("終了日", null=True, blank=True)
    end_note = models.TextField("終了の理由", blank=True, max_length=TEXT_MAX_LENGTH)
    reasons = models.CharField("紹介した理由", max_length=300, blank=True)
    note = models.TextField("内容・メモ", blank=True, max_length=TEXT_MAX_LENGTH)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MatchQuerySet.as_manager()

    class Meta:
        verbose_name = "マッチング"
        verbose_name_plural = "マッチング"
        ordering = ["started_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(group__isnull=False) & Q(volunteer__isnull=True))
                | (Q(group__isnull=True) & Q(volunteer__isnull=False)),
                name="case_match_one_helper",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="case_match_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.helper_name}（{self.frequency}）"

    @property
    def helper_name(self) -> str:
        if self.group is not None:
            return self.group.name
        return self.volunteer.display_name if self.volunteer is not None else ""

    @property
    def helper_kind(self) -> str:
        return "活動団体" if self.group_id else "ボランティア"

    def is_current(self, today: date) -> bool:
        return self.ended_on is None or self.ended_on > today


class MatchReview(models.Model):
    """A review (見直し) of a match: when, what was found, when the next one is."""

    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="reviews")
    reviewed_on = models.DateField("見直した日")
    note = models.TextField("内容", blank=True, max_length=TEXT_MAX_LENGTH)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "マッチングの見直し"
        verbose_name_plural = "マッチングの見直し"
        ordering = ["reviewed_on", "id"]

    def __str__(self) -> str:
        return f"{self.reviewed_on:%Y-%m-%d}"


class ConsentBasis(models.TextChoices):
    CONSENT = "consent", "本人同意"
    MEETING = "meeting", "支援会議"
    EMERGENCY = "emergency", "緊急"


class ReferralStatus(models.TextChoices):
    REFERRED = "referred", "紹介済"
    ACCEPTED = "accepted", "受理"
    IN_PROGRESS = "in_progress", "対応中"
    DONE = "done", "完了"
    FAILED = "failed", "不調"


OPEN_REFERRAL_STATUSES = (
    ReferralStatus.REFERRED,
    ReferralStatus.ACCEPTED,
    ReferralStatus.IN_PROGRESS,
)
FINAL_REFERRAL_STATUSES = (ReferralStatus.DONE, ReferralStatus.FAILED)


class ReferralQuerySet(models.QuerySet["Referral"]):
    def visible_to(self, user: Any) -> "ReferralQuerySet":
        """Administrators see all; staff those of their cases and those they made or whose
        record is theirs when there is no case; read-only accounts none (as
        `referral.view` answers for each)."""
        from tsunagu.core.access import can

        if can(user, "case.view_all"):
            return self
        if not can(user, "referral.view"):
            return self.none()
        return self.filter(
            Q(case__staff=user)
            | Q(case__isnull=True) & (Q(staff=user) | Q(record__staff=user) | Q(created_by=user))
        ).distinct()

    def open(self) -> "ReferralQuerySet":
        return self.filter(status__in=OPEN_REFERRAL_STATUSES)

    def stale(self, today: date, days: int) -> "ReferralQuerySet":
        """Open referrals with no update for `days` days or more."""
        return self.open().filter(last_update_on__lte=today - timedelta(days=days))

    def with_related(self) -> "ReferralQuerySet":
        return self.select_related("agency", "agency__group", "case", "record", "staff")


class Referral(models.Model):
    """紹介・つなぎ: a person referred to an agency, followed until the loop closes."""

    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, null=True, blank=True, related_name="referrals"
    )
    # The consultation the referral is counted under (its RecordAgency is a referral).
    # SET_NULL: a record purged from the trash must not be blocked by the follow-up.
    record = models.ForeignKey(
        SupportRecord,
        verbose_name="支援記録",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="referrals",
    )
    agency = models.ForeignKey(
        Agency, verbose_name="紹介先", on_delete=models.PROTECT, related_name="referrals"
    )
    referred_on = models.DateField("紹介した日")
    request = models.TextField("依頼した内容", max_length=TEXT_MAX_LENGTH)
    consent_basis = models.CharField("情報提供の根拠", max_length=12, choices=ConsentBasis.choices)
    status = models.CharField(
        "状況", max_length=12, choices=ReferralStatus.choices, default=ReferralStatus.REFERRED
    )
    outcome = models.TextField("結果", blank=True, max_length=TEXT_MAX_LENGTH)
    last_update_on = models.DateField("最終更新日", db_index=True)
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="担当職員",
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ReferralQuerySet.as_manager()

    class Meta:
        verbose_name = "紹介・つなぎ"
        verbose_name_plural = "紹介・つなぎ"
        ordering = ["-referred_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(consent_basis__in=ConsentBasis.values), name="referral_has_basis"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency.name}への紹介（{self.referred_on:%Y-%m-%d}）"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_REFERRAL_STATUSES

    def days_without_update(self, today: date) -> int:
        return (today - self.last_update_on).days


class ReferralUpdate(models.Model):
    """A step of a referral: the agency accepted, is working on it, finished, or not."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="updates")
    updated_on = models.DateField("日付")
    status = models.CharField("状況", max_length=12, choices=ReferralStatus.choices)
    note = models.TextField("内容", blank=True, max_length=TEXT_MAX_LENGTH)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "紹介の経過"
        verbose_name_plural = "紹介の経過"
        ordering = ["updated_on", "id"]

    def __str__(self) -> str:
        return f"{self.updated_on:%Y-%m-%d} {self.get_status_display()}"


class FollowUpQuerySet(models.QuerySet["FollowUp"]):
    def pending(self) -> "FollowUpQuerySet":
        return self.filter(done_on__isnull=True)

    def due(self, today: date) -> "FollowUpQuerySet":
        return self.pending().filter(due_on__lte=today)


class FollowUp(models.Model):
    """A date on which staff will check how the person is (フォローアップ)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="follow_ups")
    due_on = models.DateField("予定日")
    what = models.CharField("確認すること", max_length=200)
    done_on = models.DateField("実施日", null=True, blank=True)
    done_note = models.TextField("結果", blank=True, max_length=TEXT_MAX_LENGTH)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = FollowUpQuerySet.as_manager()

    class Meta:
        verbose_name = "フォローアップ"
        verbose_name_plural = "フォローアップ"
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return f"{self.due_on:%Y-%m-%d} {self.what}"
