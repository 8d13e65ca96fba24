"""Who could help: registered volunteers ranked by how well skills, area and times fit.

The scoring (`score`, `rank`) is pure — plain values in, plain values out — so it is
tested exhaustively; `suggest_volunteers` only loads the candidates. The cases app calls
`suggest_volunteers` for a person's need, the request screen for a group's request.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch
from django.utils import timezone

from tsunagu.directory.models import Region, Zone
from tsunagu.lib.fiscal import fiscal_year_of
from tsunagu.lib.textnorm import normalize
from tsunagu.volunteers.availability import SLOTS, Slot, slot_code, slot_label
from tsunagu.volunteers.models import InsuranceEnrolment, Volunteer

__all__ = [
    "AREA_REGION",
    "AREA_ZONE",
    "AREA_ZONE_NEIGHBOUR",
    "INSURED",
    "PER_SKILL",
    "PER_SLOT",
    "Candidate",
    "Need",
    "Suggestion",
    "rank",
    "score",
    "suggest_volunteers",
]

PER_SKILL = 10
AREA_REGION = 6  # the volunteer named this very 地域社協
AREA_ZONE = 4  # the volunteer named the whole 圏域
AREA_ZONE_NEIGHBOUR = 2  # the volunteer named another 地域社協 of the same 圏域
PER_SLOT = 3
INSURED = 1  # a tie-breaker, never a reason on its own


@dataclass(frozen=True)
class Suggestion:
    volunteer: Volunteer
    score: int
    reasons: tuple[str, ...]

    @property
    def reason_text(self) -> str:
        return "・".join(self.reasons)


@dataclass(frozen=True)
class Candidate:
    """What scoring needs to know of one volunteer, without the database."""

    key: int
    sort_key: str
    skills: frozenset[str]  # normalised skill names
    region_ids: frozenset[int]
    zone_ids: frozenset[int]  # whole zones the volunteer named
    region_zone_ids: frozenset[int]  # zones of the regions the volunteer named
    slots: frozenset[Slot]
    insured: bool = False


@dataclass(frozen=True)
class Need:
    """What is asked: skill names as shown, an area, times (in weekday order)."""

    skills: tuple[str, ...] = ()
    region_id: int | None = None
    region_name: str = ""
    zone_id: int | None = None
    zone_name: str = ""
    slots: tuple[Slot, ...] = ()


def score(candidate: Candidate, need: Need) -> tuple[int, tuple[str, ...]]:
    """Points and the reasons for them, e.g. (19, ("見守りができる", "境南地域社協の地域",
    "火曜午前に活動可")). (0, ()) when nothing asked for fits."""
    points = 0
    reasons: list[str] = []

    matched_skills = [s for s in need.skills if normalize(s) in candidate.skills]
    if matched_skills:
        points += PER_SKILL * len(matched_skills)
        reasons.append(f"{'・'.join(matched_skills)}ができる")

    if need.region_id is not None and need.region_id in candidate.region_ids:
        points += AREA_REGION
        reasons.append(f"{need.region_name}の地域")
    elif need.zone_id is not None and need.zone_id in candidate.zone_ids:
        points += AREA_ZONE
        reasons.append(f"{need.zone_name}で活動可")
    elif need.zone_id is not None and need.zone_id in candidate.region_zone_ids:
        points += AREA_ZONE_NEIGHBOUR
        reasons.append(f"同じ{need.zone_name}")

    matched_slots = [s for s in need.slots if s in candidate.slots]
    if matched_slots:
        points += PER_SLOT * len(matched_slots)
        reasons.append(f"{'・'.join(slot_label(s) for s in matched_slots)}に活動可")

    if points == 0:
        return 0, ()
    if candidate.insured:
        points += INSURED
        reasons.append("今年度の保険に加入済")
    return points, tuple(reasons)


def rank(
    candidates: Iterable[Candidate], need: Need, limit: int
) -> list[tuple[Candidate, int, tuple[str, ...]]]:
    """The candidates that fit at all, best first; ties by フリガナ, then registration."""
    scored = []
    for candidate in candidates:
        points, reasons = score(candidate, need)
        if points > 0:
            scored.append((candidate, points, reasons))
    scored.sort(key=lambda t: (-t[1], t[0].sort_key, t[0].key))
    return scored[: max(limit, 0)]


def _need(
    skills: Iterable[str],
    region: Region | None,
    zone: Zone | None,
    available: Iterable[tuple[int, str]],
) -> Need:
    if zone is None and region is not None:
        zone = region.zone
    wanted: list[str] = []
    seen: set[str] = set()
    for name in skills:
        key = normalize(name)
        if key and key not in seen:
            seen.add(key)
            wanted.append(name.strip())
    slots = sorted(
        {(int(day), slot_code(code)) for day, code in available},
        key=lambda s: (s[0], SLOTS.index(s[1])),
    )
    return Need(
        skills=tuple(wanted),
        region_id=region.pk if region is not None else None,
        region_name=region.name if region is not None else "",
        zone_id=zone.pk if zone is not None else None,
        zone_name=zone.name if zone is not None else "",
        slots=tuple(slots),
    )


def candidate_of(volunteer: Volunteer, *, insured: bool) -> Candidate:
    """The scoring view of a volunteer loaded with skills, regions and zones prefetched."""
    regions = list(volunteer.regions.all())
    return Candidate(
        key=volunteer.pk,
        sort_key=volunteer.kana_key or volunteer.name_key,
        skills=frozenset(s.name_key for s in volunteer.skills.all()),
        region_ids=frozenset(r.pk for r in regions),
        zone_ids=frozenset(z.pk for z in volunteer.zones.all()),
        region_zone_ids=frozenset(r.zone_id for r in regions),
        slots=volunteer.slots,
        insured=insured,
    )


def suggest_volunteers(
    *,
    skills: Iterable[str],
    region: Region | None,
    zone: Zone | None,
    available: Iterable[tuple[int, str]] = (),
    limit: int = 10,
    today: date | None = None,
    exclude: Sequence[int] = (),
) -> list[Suggestion]:
    """Active volunteers who agreed to be introduced, ranked by fit with the reasons shown.

    `available` holds (weekday 0=月…6=日, "am"/"pm"/"night" or 午前/午後/夜) pairs;
    `exclude` leaves out volunteers already helping (by id).
    """
    today = today or timezone.localdate()
    need = _need(skills, region, zone, available)
    volunteers = (
        Volunteer.objects.introducible()
        .exclude(pk__in=list(exclude))
        .prefetch_related(
            "skills",
            Prefetch("regions", queryset=Region.objects.only("id", "zone_id", "name")),
            "zones",
        )
    )
    insured_ids = set(
        InsuranceEnrolment.objects.filter(
            fiscal_year=fiscal_year_of(today), enrolled_on__lte=today
        ).values_list("volunteer_id", flat=True)
    )
    by_id = {v.pk: v for v in volunteers}
    ranked = rank(
        (candidate_of(v, insured=v.pk in insured_ids) for v in by_id.values()), need, limit
    )
    return [Suggestion(by_id[c.key], points, reasons) for c, points, reasons in ranked]
