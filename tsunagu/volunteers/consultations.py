"""The support records behind the volunteer centre's entries.

A registration is the consultation 「ボランティアしたい」 and a donation offer the
consultation 「寄付（寄贈）したい」 of the consulter type ボランティア希望（活動）者. Each entry
creates that record (through the records service) or links one already written, so that
the report's ボランティア section counts exactly what this centre shows.
"""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db.models import Count, Q

from tsunagu.accounts.models import User
from tsunagu.core.access import can
from tsunagu.directory.models import Region
from tsunagu.lib.fiscal import fiscal_year_bounds, fiscal_year_label, fiscal_year_of
from tsunagu.lib.textnorm import normalize
from tsunagu.records.models import ActivityKind, Category, ConsulterType, SupportRecord
from tsunagu.records.services import RecordData, create_record
from tsunagu.volunteers.models import DonationOffer, Volunteer

CONSULTER_TYPE = "ボランティア希望（活動）者"
REGISTRATION_CATEGORY = "ボランティアしたい"
DONATION_CATEGORY = "寄付（寄贈）したい"
CONSULTATION_KIND = "相談対応"


def consulter_type() -> ConsulterType:
    found = ConsulterType.objects.filter(name=CONSULTER_TYPE).first()
    if found is None:
        raise ValidationError(
            f"相談者区分「{CONSULTER_TYPE}」がありません。分類の画面で作成してください。"
        )
    return found


def category_of_year(name: str, fiscal_year: int) -> Category:
    """The year's category of that name (compared on the normalised text), or refuse."""
    found = (
        Category.objects.in_year(fiscal_year)
        .filter(consulter_type__name=CONSULTER_TYPE, name_key=normalize(name))
        .first()
    )
    if found is None:
        raise ValidationError(
            f"{fiscal_year_label(fiscal_year)}の「{CONSULTER_TYPE}」の相談内容に"
            f"「{name}」がありません。分類の画面で{fiscal_year_label(fiscal_year)}の一覧に"
            f"「{name}」を加えてから登録してください。"
        )
    return found


def consultation_kind_of_year(fiscal_year: int) -> ActivityKind:
    found = (
        ActivityKind.objects.in_year(fiscal_year)
        .filter(name_key=normalize(CONSULTATION_KIND))
        .first()
    )
    if found is None:
        raise ValidationError(
            f"{fiscal_year_label(fiscal_year)}の活動種別に「{CONSULTATION_KIND}」がありません。"
            "分類の画面で作成してから登録してください。"
        )
    return found


def linkable_records(category_name: str, *, related_name: str) -> "list[SupportRecord]":
    """Live records of that category not yet linked to an entry, newest first."""
    return list(
        SupportRecord.objects.alive()
        .consultations()
        .filter(
            consulter_type__name=CONSULTER_TYPE,
            categories__name_key=normalize(category_name),
            **{f"{related_name}__isnull": True},
        )
        .select_related("staff")
        .distinct()
        .order_by("-date", "-id")[:100]
    )


def check_link(
    record: SupportRecord, *, category_name: str, day: date, related_name: str, own_pk: int | None
) -> None:
    """Refuse a record that would make the report and this centre disagree."""
    if record.deleted_at is not None:
        raise ValidationError("選んだ支援記録は削除されています。別の記録を選んでください。")
    fy = fiscal_year_of(day)
    if record.fiscal_year != fy:
        raise ValidationError(
            f"選んだ支援記録（{record.date:%Y-%m-%d}）は{fiscal_year_label(record.fiscal_year)}の"
            f"記録です。日付（{fiscal_year_label(fy)}）と同じ年度の記録を選んでください。"
        )
    if record.consulter_type is None or record.consulter_type.name != CONSULTER_TYPE:
        raise ValidationError(
            f"選んだ支援記録は「{CONSULTER_TYPE}」の相談ではありません。別の記録を選んでください。"
        )
    if not record.categories.filter(name_key=normalize(category_name)).exists():
        raise ValidationError(
            f"選んだ支援記録の相談内容に「{category_name}」がありません。別の記録を選んでください。"
        )
    linked = getattr(record, related_name, None)
    if linked is not None and linked.pk != own_pk:
        raise ValidationError("選んだ支援記録は、すでに別の登録に結び付いています。")


def create_consultation(
    *,
    by: User,
    category_name: str,
    day: date,
    place: str,
    region: Region | None,
    consent: bool,
    note: str,
    today: date | None = None,
) -> SupportRecord:
    """The support record an entry is counted as, written through the records service."""
    fy = fiscal_year_of(day)
    category = category_of_year(category_name, fy)
    values = {
        "date": day,
        "activity_kind": consultation_kind_of_year(fy),
        "place": place,
        "staff": by if can(by, "record.create") else None,
        "consulter_type": category.consulter_type,
        "region": region,
        "consent": consent,
        "note": note,
    }
    return create_record(by=by, data=RecordData(values=values, categories=[category]), today=today)


@dataclass(frozen=True)
class YearFigure:
    """One row of the year's figures: the report's count and how the entries cover it."""

    category: str
    in_report: int  # live consultations of the year with the category: the report's row
    with_entry: int  # those linked to a registration (or an offer) here
    entries: int  # registrations (or offers) dated in the year
    exists: bool  # the category is on that year's list

    @property
    def without_entry(self) -> int:
        """Consultations written in the records only (no registration or offer here)."""
        return self.in_report - self.with_entry

    @property
    def uncounted(self) -> int:
        """Entries whose record is missing, deleted or no longer of the category."""
        return self.entries - self.with_entry


def year_figures(fiscal_year: int) -> list[YearFigure]:
    """What the report counts for registrations and offers in a year, from the same
    records, and how many of those records are linked to an entry of this centre."""
    start, end = fiscal_year_bounds(fiscal_year)
    rows = []
    for name, related, entries in (
        (
            REGISTRATION_CATEGORY,
            "volunteer_registration",
            Volunteer.objects.filter(registered_on__range=(start, end)).count(),
        ),
        (
            DONATION_CATEGORY,
            "donation_offer",
            DonationOffer.objects.filter(offered_on__range=(start, end)).count(),
        ),
    ):
        category = (
            Category.objects.in_year(fiscal_year)
            .filter(consulter_type__name=CONSULTER_TYPE, name_key=normalize(name))
            .first()
        )
        if category is None:
            rows.append(YearFigure(name, 0, 0, entries, exists=False))
            continue
        counts = (
            SupportRecord.objects.alive()
            .in_fiscal_year(fiscal_year)
            .filter(consulter_type=category.consulter_type, categories=category)
            .aggregate(
                total=Count("id", distinct=True),
                linked=Count("id", filter=Q(**{f"{related}__isnull": False}), distinct=True),
            )
        )
        rows.append(
            YearFigure(category.name, counts["total"], counts["linked"], entries, exists=True)
        )
    return rows
