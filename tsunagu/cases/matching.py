"""Who could help the person of a case: activity groups nearby whose kind answers one of
the needs (the need kinds' links to group kinds are data), and registered volunteers
ranked by the volunteer centre's `suggest_volunteers`. Each suggestion says why.

`score_group` is pure: plain values in, points and reasons out."""

from dataclasses import dataclass
from datetime import date

from tsunagu.cases.models import Case, NeedKind
from tsunagu.directory.models import ActivityGroup
from tsunagu.volunteers.matching import Suggestion, suggest_volunteers

PER_NEED = 10
# The region (地域社協) outweighs a second need answered: help comes from the neighbourhood.
SAME_REGION = 20
SAME_ZONE = 2
GROUP_LIMIT = 10


@dataclass(frozen=True)
class GroupFit:
    """What scoring needs to know of one group, without the database."""

    kind_id: int
    kind_name: str
    region_id: int | None
    zone_id: int


@dataclass(frozen=True)
class NeedFit:
    """What is asked: each need's name with the group kinds that answer it, and where."""

    needs: tuple[tuple[str, frozenset[int]], ...]
    region_id: int | None
    region_name: str
    zone_id: int
    zone_name: str


@dataclass(frozen=True)
class GroupSuggestion:
    group: ActivityGroup
    score: int
    reasons: tuple[str, ...]
    need: NeedKind | None
    asked: str = ""  # what already happened with this group: an ask's answer, a match

    @property
    def reason_text(self) -> str:
        return "・".join(self.reasons)


def score_group(group: GroupFit, need: NeedFit) -> tuple[int, tuple[str, ...], str | None]:
    """(points, reasons, first need answered). Groups that answer no need, or that are
    outside the case's zone, score 0."""
    answered = [name for name, kinds in need.needs if group.kind_id in kinds]
    if not answered or group.zone_id != need.zone_id:
        return 0, (), None
    points = PER_NEED * len(answered)
    reasons = [f"{'・'.join(answered)}に合う{group.kind_name}"]
    if need.region_id is not None and group.region_id == need.region_id:
        points += SAME_REGION
        reasons.append(f"{need.region_name}の団体")
    else:
        points += SAME_ZONE
        reasons.append(f"同じ{need.zone_name}")
    return points, tuple(reasons), answered[0]


def suggest_groups(case: Case, *, limit: int = GROUP_LIMIT) -> list[GroupSuggestion]:
    needs = list(case.needs.prefetch_related("group_kinds"))
    fit = NeedFit(
        needs=tuple((n.name, frozenset(k.pk for k in n.group_kinds.all())) for n in needs),
        region_id=case.region_id,
        region_name=case.region.name if case.region else "",
        zone_id=case.zone_id,
        zone_name=case.zone.name,
    )
    kind_ids = set().union(*(kinds for _name, kinds in fit.needs)) if fit.needs else set()
    groups = ActivityGroup.objects.active().filter(zone=case.zone, kind_id__in=kind_ids)
    by_name = {n.name: n for n in needs}
    answers = {ask.group_id: f"打診：{ask.get_answer_display()}" for ask in case.asks.all()}
    answers.update(
        {m.group_id: "支援中" for m in case.matches.filter(ended_on__isnull=True) if m.group_id}
    )
    scored = []
    for group in groups.select_related("kind", "region"):
        points, reasons, need_name = score_group(
            GroupFit(group.kind_id, group.kind.name, group.region_id, group.zone_id), fit
        )
        if points:
            scored.append(
                GroupSuggestion(
                    group=group,
                    score=points,
                    reasons=reasons,
                    need=by_name.get(need_name or ""),
                    asked=answers.get(group.pk, ""),
                )
            )
    scored.sort(key=lambda s: (-s.score, s.group.order, s.group.pk))
    return scored[:limit]


def volunteer_skills(case: Case) -> list[str]:
    """The names the volunteers' skills are matched on: each need's own name and the
    skills the council linked to it."""
    names: list[str] = []
    for need in case.needs.prefetch_related("skills"):
        names.append(need.name)
        names.extend(skill.name for skill in need.skills.all())
    return names


def suggest_case_volunteers(case: Case, *, today: date, limit: int = 10) -> list[Suggestion]:
    helping = [m.volunteer_id for m in case.matches.current(today) if m.volunteer_id is not None]
    return suggest_volunteers(
        skills=volunteer_skills(case),
        region=case.region,
        zone=case.zone,
        available=case.slots,
        limit=limit,
        today=today,
        exclude=helping,
    )
