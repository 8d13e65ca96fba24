"""Reading the volunteer centre: list filters and the figures of the landing page."""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum

from tsunagu.core.params import ChoiceField, IdField, ParsedQuery, QueryForm, TextField
from tsunagu.directory.models import Region, Zone
from tsunagu.lib.fiscal import fiscal_year_bounds, fiscal_year_of
from tsunagu.lib.textnorm import normalize
from tsunagu.volunteers.availability import SLOTS
from tsunagu.volunteers.models import (
    DonationOffer,
    HelpRequest,
    InsuranceEnrolment,
    InsurancePlan,
    Skill,
    Volunteer,
    VolunteerQuerySet,
)

STATUS_CHOICES = (("active", "活動中"), ("inactive", "休止中"), ("all", "すべて"))
INSURED_CHOICES = (("", "すべて"), ("yes", "今年度加入済"), ("no", "今年度未加入"))


class VolunteerQuery(QueryForm):
    """The registrations list's parameters (see `tsunagu.core.params`)."""

    q = TextField(label="名前・かな")
    skill = IdField(label="できること")
    region = IdField(label="地域")
    zone = IdField(label="圏域")
    day = ChoiceField(label="曜日", choices=[("", ""), *((str(d), "") for d in range(7))])
    slot = ChoiceField(label="時間帯", choices=[("", ""), *((s, "") for s in SLOTS)])
    status = ChoiceField(label="状態", choices=[("", ""), *STATUS_CHOICES])
    insured = ChoiceField(label="保険", choices=INSURED_CHOICES)


@dataclass
class VolunteerFilter:
    """The registrations list's filters, read from the query string."""

    q: str = ""
    skill: int | None = None
    region: int | None = None
    zone: int | None = None
    day: int | None = None
    slot: str = ""
    status: str = "active"
    insured: str = ""
    values: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_query(cls, query: ParsedQuery) -> "VolunteerFilter":
        day = query.get("day")
        return cls(
            q=query.get("q", "").strip(),
            skill=query.get("skill"),
            region=query.get("region"),
            zone=query.get("zone"),
            day=int(day) if day else None,
            slot=query.get("slot", ""),
            status=query.get("status", "active"),
            insured=query.get("insured", ""),
            values=query.raw,
        )

    def apply(self, volunteers: VolunteerQuerySet, *, today: date) -> QuerySet[Volunteer]:
        result: QuerySet[Volunteer] = volunteers
        if self.status == "active":
            result = result.filter(active=True)
        elif self.status == "inactive":
            result = result.filter(active=False)
        if self.q:
            key = normalize(self.q)
            result = result.filter(Q(name_key__contains=key) | Q(kana_key__contains=key))
        if self.skill is not None:
            result = result.filter(skills=self.skill)
        if self.region is not None:
            # Naming the region's whole zone covers the region too.
            region = Region.objects.filter(pk=self.region).first()
            zone_id = region.zone_id if region else None
            result = result.filter(Q(regions=self.region) | Q(zones=zone_id))
        if self.zone is not None:
            result = result.filter(Q(zones=self.zone) | Q(regions__zone=self.zone))
        if self.insured:
            insured = InsuranceEnrolment.objects.filter(
                volunteer=OuterRef("pk"), fiscal_year=fiscal_year_of(today)
            )
            result = result.filter(Exists(insured) if self.insured == "yes" else ~Exists(insured))
        result = result.distinct()
        if self.day is not None or self.slot:
            # The availability is a small JSON list: filter it in Python, by id.
            wanted_days = {self.day} if self.day is not None else set(range(7))
            wanted_slots = {self.slot} if self.slot else set(SLOTS)
            ids = [
                v.pk
                for v in result.only("pk", "availability")
                if any(d in wanted_days and s in wanted_slots for d, s in v.slots)
            ]
            result = Volunteer.objects.filter(pk__in=ids)
        return result

    @staticmethod
    def choices() -> dict[str, Any]:
        return {
            "skills": Skill.objects.active(),
            "regions": Region.objects.active(),
            "zones": Zone.objects.active(),
            "status": STATUS_CHOICES,
            "insured": INSURED_CHOICES,
        }


@dataclass(frozen=True)
class CentreCounts:
    """Counts safe for every role: nobody is named."""

    active: int
    inactive: int
    by_skill: list[tuple[str, int]]
    insured: list[tuple[str, int, int]]  # (plan, enrolments, people insured)
    open_requests: int
    open_offers: int
    offers_in_year: int


def centre_counts(fiscal_year: int) -> CentreCounts:
    totals = Volunteer.objects.aggregate(
        n_active=Count("id", filter=Q(active=True)),
        n_inactive=Count("id", filter=Q(active=False)),
    )
    by_skill = [
        (s.name, s.n)
        for s in Skill.objects.annotate(
            n=Count("volunteers", filter=Q(volunteers__active=True))
        ).order_by("order", "id")
        if s.n or s.active
    ]
    insured = [
        (p.name, p.n, p.people or 0)
        for p in InsurancePlan.objects.annotate(
            n=Count("enrolments", filter=Q(enrolments__fiscal_year=fiscal_year)),
            people=Sum("enrolments__insured_count", filter=Q(enrolments__fiscal_year=fiscal_year)),
        ).order_by("order", "id")
    ]
    start, end = fiscal_year_bounds(fiscal_year)
    return CentreCounts(
        active=totals["n_active"],
        inactive=totals["n_inactive"],
        by_skill=by_skill,
        insured=insured,
        open_requests=HelpRequest.objects.open().count(),
        open_offers=DonationOffer.objects.open().count(),
        offers_in_year=DonationOffer.objects.filter(offered_on__range=(start, end)).count(),
    )


def insurance_years() -> list[int]:
    return sorted(
        set(InsuranceEnrolment.objects.order_by().values_list("fiscal_year", flat=True).distinct()),
        reverse=True,
    )
