"""Suggesting volunteers: the pure scoring exhaustively, then the database query."""

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from tests.volunteers.conftest import TODAY, register
from tsunagu.volunteers.availability import ALL_SLOTS
from tsunagu.volunteers.matching import (
    AREA_REGION,
    AREA_ZONE,
    AREA_ZONE_NEIGHBOUR,
    INSURED,
    PER_SKILL,
    PER_SLOT,
    Candidate,
    Need,
    rank,
    score,
    suggest_volunteers,
)
from tsunagu.volunteers.services.registrations import enrol_insurance

SKILL_NAMES = ["見守り", "買い物支援", "話し相手", "送迎", "朗読"]
REGIONS = [1, 2, 3, 4]
ZONE_OF = {1: 10, 2: 10, 3: 20, 4: 20}
SLOTS = sorted(ALL_SLOTS)

candidates = st.builds(
    lambda key, skills, regions, zones, slots, insured: Candidate(
        key=key,
        sort_key=f"かな{key}",
        skills=frozenset(skills),
        region_ids=frozenset(regions),
        zone_ids=frozenset(zones),
        region_zone_ids=frozenset(ZONE_OF[r] for r in regions),
        slots=frozenset(slots),
        insured=insured,
    ),
    st.integers(1, 10_000),
    st.sets(st.sampled_from(SKILL_NAMES)),
    st.sets(st.sampled_from(REGIONS)),
    st.sets(st.sampled_from([10, 20])),
    st.sets(st.sampled_from(SLOTS), max_size=6),
    st.booleans(),
)
needs = st.builds(
    lambda skills, region, slots: Need(
        skills=tuple(dict.fromkeys(skills)),
        region_id=region,
        region_name=f"地域{region}" if region else "",
        zone_id=ZONE_OF[region] if region else None,
        zone_name=f"圏域{ZONE_OF[region]}" if region else "",
        slots=tuple(sorted(set(slots))),
    ),
    st.lists(st.sampled_from(SKILL_NAMES), max_size=3),
    st.one_of(st.none(), st.sampled_from(REGIONS)),
    st.lists(st.sampled_from(SLOTS), max_size=4),
)


def expected_points(c: Candidate, n: Need) -> int:
    """The rule written out plainly, to check the implementation against."""
    skills = sum(1 for s in n.skills if s in c.skills) * PER_SKILL
    if n.region_id is not None and n.region_id in c.region_ids:
        area = AREA_REGION
    elif n.zone_id is not None and n.zone_id in c.zone_ids:
        area = AREA_ZONE
    elif n.zone_id is not None and n.zone_id in c.region_zone_ids:
        area = AREA_ZONE_NEIGHBOUR
    else:
        area = 0
    slots = sum(1 for s in n.slots if s in c.slots) * PER_SLOT
    fit = skills + area + slots
    return fit + (INSURED if fit and c.insured else 0)


@given(candidates, needs)
def test_score_follows_the_rule(c: Candidate, n: Need) -> None:
    points, reasons = score(c, n)
    assert points == expected_points(c, n)
    # Every point has its reason in words, and no reason comes without points.
    assert bool(reasons) == (points > 0)
    assert len(reasons) == len(set(reasons))


@given(candidates, needs, st.sampled_from(SKILL_NAMES))
def test_a_further_skill_never_lowers_the_score(c: Candidate, n: Need, extra: str) -> None:
    better = Candidate(**{**c.__dict__, "skills": c.skills | {extra}})
    assert score(better, n)[0] >= score(c, n)[0]


@given(candidates, needs)
def test_insurance_alone_is_never_a_reason_to_suggest(c: Candidate, n: Need) -> None:
    bare = Candidate(**{**c.__dict__, "insured": True})
    points, reasons = score(bare, n)
    if points:
        assert any(r != "今年度の保険に加入済" for r in reasons)


@given(st.lists(candidates, max_size=12, unique_by=lambda c: c.key), needs, st.integers(0, 15))
def test_rank_is_best_first_without_misfits_and_within_the_limit(
    pool: list[Candidate], n: Need, limit: int
) -> None:
    ranked = rank(pool, n, limit)
    assert len(ranked) <= limit
    points = [p for _, p, _ in ranked]
    assert points == sorted(points, reverse=True)
    assert all(p > 0 for p in points)
    fitting = [c for c in pool if score(c, n)[0] > 0]
    assert len(ranked) == min(limit, len(fitting))


def test_reasons_read_as_staff_would_say_them() -> None:
    candidate = Candidate(
        key=1,
        sort_key="みほん",
        skills=frozenset({"見守り"}),
        region_ids=frozenset({2}),
        zone_ids=frozenset(),
        region_zone_ids=frozenset({20}),
        slots=frozenset({(1, "am")}),
    )
    need = Need(
        skills=("見守り", "送迎"),
        region_id=2,
        region_name="境南地域社協",
        zone_id=20,
        zone_name="西部圏域",
        slots=((1, "am"), (3, "pm")),
    )
    points, reasons = score(candidate, need)
    assert "・".join(reasons) == "見守りができる・境南地域社協の地域・火曜午前に活動可"
    assert points == PER_SKILL + AREA_REGION + PER_SLOT


def test_suggests_only_active_volunteers_who_agreed_to_be_introduced(
    year, skills, plans, city, staff_user
):  # type: ignore[no-untyped-def]
    kyonan = city["kyonan"]
    fit = register(
        staff_user,
        skills=[skills["見守り"]],
        regions=[kyonan],
        when="火曜午前",
        family="見本",
        given="一郎",
        family_kana="ミホン",
        given_kana="イチロウ",
    )
    zone_wide = register(
        staff_user,
        skills=[skills["見守り"]],
        zones=[city["west"]],
        family="例田",
        given="二郎",
        family_kana="レイダ",
        given_kana="ジロウ",
    )
    register(
        staff_user,
        skills=[skills["見守り"]],
        regions=[kyonan],
        consent_to_introduce=False,
        family="仮野",
        given="三郎",
        family_kana="カリノ",
        given_kana="サブロウ",
    )
    register(
        staff_user,
        skills=[skills["見守り"]],
        regions=[kyonan],
        active=False,
        family="試野",
        given="四郎",
        family_kana="タメシノ",
        given_kana="シロウ",
    )
    register(
        staff_user,
        skills=[skills["朗読"]],
        regions=[city["honcho"]],
        family="架空",
        given="五郎",
        family_kana="カクウ",
        given_kana="ゴロウ",
    )
    enrol_insurance(
        by=staff_user,
        volunteer=fit,
        plan=plans["基本"],
        fiscal_year=2020,
        enrolled_on=date(2020, 6, 1),
    )
    suggestions = suggest_volunteers(
        skills=["見守り"], region=kyonan, zone=None, available=[(1, "午前")], today=TODAY
    )
    assert [s.volunteer for s in suggestions] == [fit, zone_wide]
    assert suggestions[0].reasons == (
        "見守りができる",
        "境南地域社協の地域",
        "火曜午前に活動可",
        "今年度の保険に加入済",
    )
    assert suggestions[1].reasons == ("見守りができる", "西部圏域で活動可")
    assert (
        suggest_volunteers(
            skills=["見守り"], region=kyonan, zone=None, exclude=[fit.pk], today=TODAY
        )[0].volunteer
        == zone_wide
    )


def test_skill_names_match_on_the_normalised_text(year, skills, city, staff_user):  # type: ignore[no-untyped-def]
    volunteer = register(staff_user, skills=[skills["パソコン・スマホ"]])
    found = suggest_volunteers(skills=["ﾊﾟｿｺﾝ・ｽﾏﾎ"], region=None, zone=None, today=TODAY)
    assert [s.volunteer for s in found] == [volunteer]


def test_the_query_count_does_not_grow_with_volunteers(
    year, skills, city, staff_user, django_assert_max_num_queries
):  # type: ignore[no-untyped-def]
    for i in range(12):
        register(
            staff_user,
            skills=[skills["見守り"], skills["送迎"]],
            regions=[city["kyonan"]],
            family=f"見本{i}",
            given="花子",
        )
    with django_assert_max_num_queries(6):
        found = suggest_volunteers(skills=["見守り"], region=city["kyonan"], zone=None, today=TODAY)
    assert len(found) == 10
