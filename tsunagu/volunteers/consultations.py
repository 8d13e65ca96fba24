"""The support records behind the volunteer centre's entries.

A registration is a consultation of the category coded `volunteer-wish` (by default
「ボランティアしたい」) and a donation offer one of `donation-wish` (「寄付（寄贈）したい」),
both of the consulter type coded `volunteer` (ボランティア希望（活動）者), recorded under
the activity kind coded `consultation` (相談対応). The entries are found by those codes
(records/codes.py), so a council that renames them keeps registering. Each entry
creates that record (through the records service) or links one already written, so that
the report's ボランティア section counts exactly what this centre shows.
"""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db.models import Count, Q

from tsunagu.accounts.models import User
from tsunagu.core.access import can
from tsunagu.core.dates import show_date
from tsunagu.directory.models import Region
from tsunagu.lib.fiscal import fiscal_year_bounds, fiscal_year_label, fiscal_year_of
from tsunagu.records.codes import (
    MissingCode,
    activity_kind_for,
    category_for,
    consulter_type_for,
)
from tsunagu.records.defaults import (
    CONSULTATION_KIND,
    CONSULTER_TYPE_CODES,
    DONATION_WISH,
    VOLUNTEER_TYPE,
    VOLUNTEER_WISH,
)
from tsunagu.records.models import SupportRecord
from tsunagu.records.services import RecordData, create_record
from tsunagu.volunteers.models import DonationOffer, Volunteer

# The codes of the categories a registration and an offer are counted under.
REGISTRATION_CATEGORY = VOLUNTEER_WISH
DONATION_CATEGORY = DONATION_WISH
# The year's figures name an entry so when the lists lack its category.
ENTRY_LABELS = {
    REGISTRATION_CATEGORY: "ボランティアの登録",
    DONATION_CATEGORY: "寄付・寄贈の申し出",
}


def setup_problems(category_code: str, fiscal_year: int) -> list[str]:
    """What the lists of the year lack for an entry to be counted (empty when nothing)."""
    problems = []
    for lookup in (
        lambda: category_for(category_code, fiscal_year),
        lambda: activity_kind_for(CONSULTATION_KIND, fiscal_year),
    ):
        try:
            lookup()
        except MissingCode as missing:
            problems.extend(missing.messages)
    return list(dict.fromkeys(problems))


def category_name(category_code: str, fiscal_year: int) -> str | None:
    """The name the category has in that year, None when the lists lack it."""
    try:
        return category_for(category_code, fiscal_year).name
    except MissingCode:
        return None


def linkable_records(category_code: str, *, related_name: str) -> "list[SupportRecord]":
    """Live records of that category not yet linked to an entry, newest first."""
    return list(
        SupportRecord.objects.alive()
        .consultations()
        .filter(
            consulter_type__code=VOLUNTEER_TYPE,
            categories__code=category_code,
            **{f"{related_name}__isnull": True},
        )
        .select_related("staff")
        .distinct()
        .order_by("-date", "-id")[:100]
    )


def check_link(
    record: SupportRecord, *, category_code: str, day: date, related_name: str, own_pk: int | None
) -> None:
    """Refuse a record that would make the report and this centre disagree."""
    if record.deleted_at is not None:
        raise ValidationError("選んだ支援記録は削除されています。別の記録を選んでください。")
    fy = fiscal_year_of(day)
    if record.fiscal_year != fy:
        raise ValidationError(
            f"選んだ支援記録（{show_date(record.date)}）は{fiscal_year_label(record.fiscal_year)}の"
            f"記録です。日付（{fiscal_year_label(fy)}）と同じ年度の記録を選んでください。"
        )
    category = category_for(category_code, fy)
    if record.consulter_type_id != category.consulter_type_id:
        raise ValidationError(
            f"選んだ支援記録は「{category.consulter_type.name}」の相談ではありません。"
            "別の記録を選んでください。"
        )
    if not record.categories.filter(pk=category.pk).exists():
        raise ValidationError(
            f"選んだ支援記録の相談内容に「{category.name}」がありません。別の記録を選んでください。"
        )
    linked = getattr(record, related_name, None)
    if linked is not None and linked.pk != own_pk:
        raise ValidationError("選んだ支援記録は、すでに別の登録に結び付いています。")


def create_consultation(
    *,
    by: User,
    category_code: str,
    day: date,
    place: str,
    region: Region | None,
    consent: bool,
    note: str,
    today: date | None = None,
) -> SupportRecord:
    """The support record an entry is counted as, written through the records service."""
    fy = fiscal_year_of(day)
    category = category_for(category_code, fy)
    values = {
        "date": day,
        "activity_kind": activity_kind_for(CONSULTATION_KIND, fy),
        "place": place,
        "staff": by if can(by, "record.create") else None,
        "consulter_type": category.consulter_type,
        "region": region,
        "consent": consent,
        "note": note,
    }
    return create_record(by=by, data=RecordData(values=values, categories=[category]), today=today)


def volunteer_type_name() -> str:
    """The consulter type's name as the council has it (its default when it lacks it)."""
    try:
        return consulter_type_for(VOLUNTEER_TYPE).name
    except MissingCode:
        return next(d.name for d in CONSULTER_TYPE_CODES if d.code == VOLUNTEER_TYPE)


@dataclass(frozen=True)
class YearFigure:
    """One row of the year's figures: the report's count and how the entries cover it."""

    category: str
    in_report: int  # live consultations of the year with the category: the report's row
    with_entry: int  # those linked to a registration (or an offer) here
    entries: int  # registrations (or offers) dated in the year
    problem: str = ""  # what the year's lists lack to count them (records/codes.py)

    @property
    def exists(self) -> bool:
        return not self.problem

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
    for code, related, entries in (
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
        try:
            category = category_for(code, fiscal_year)
        except MissingCode as missing:
            rows.append(YearFigure(ENTRY_LABELS[code], 0, 0, entries, problem=missing.messages[0]))
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
        rows.append(YearFigure(category.name, counts["total"], counts["linked"], entries))
    return rows
