"""Who could help: groups nearby whose kind answers a need, and volunteers whose skills,
area and times fit, each with the reason shown."""

from datetime import timedelta

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from tsunagu.audit.models import AuditEntry
from tsunagu.cases.matching import (
    PER_NEED,
    SAME_REGION,
    SAME_ZONE,
    GroupFit,
    NeedFit,
    score_group,
    suggest_case_volunteers,
    suggest_groups,
)
from tsunagu.cases.services import record_ask, record_match
from tsunagu.directory.models import ActivityGroup, GroupKind, Region
from tsunagu.lib.textnorm import normalize
from tsunagu.volunteers.models import Skill, Volunteer

NEED = NeedFit(
    needs=(("買い物支援", frozenset({1})), ("話し相手", frozenset({2, 3}))),
    region_id=10,
    region_name="本町地域社協",
    zone_id=100,
    zone_name="東部圏域",
)


def test_a_group_of_a_fitting_kind_in_the_same_region_scores_highest() -> None:
    points, reasons, need = score_group(GroupFit(1, "ボランティア団体", 10, 100), NEED)
    assert points == PER_NEED + SAME_REGION
    assert reasons == ("買い物支援に合うボランティア団体", "本町地域社協の団体")
    assert need == "買い物支援"


def test_a_group_elsewhere_in_the_zone_scores_lower() -> None:
    points, reasons, _ = score_group(GroupFit(2, "サロン", 11, 100), NEED)
    assert points == PER_NEED + SAME_ZONE
    assert reasons[-1] == "同じ東部圏域"


def test_a_group_of_another_zone_or_kind_is_not_suggested() -> None:
    assert score_group(GroupFit(1, "ボランティア団体", 20, 200), NEED)[0] == 0
    assert score_group(GroupFit(9, "丁目の会", 10, 100), NEED)[0] == 0


@given(
    kind=st.integers(0, 5),
    region=st.one_of(st.none(), st.integers(9, 12)),
    zone=st.integers(99, 101),
)
def test_a_score_always_comes_with_reasons(kind: int, region: int | None, zone: int) -> None:
    points, reasons, need = score_group(GroupFit(kind, "種別", region, zone), NEED)
    assert (points > 0) == bool(reasons) == (need is not None)
    if points:
        area = SAME_REGION if region == NEED.region_id else SAME_ZONE
        assert (points - area) in (PER_NEED, 2 * PER_NEED)


def test_suggestions_rank_groups_and_show_earlier_asks(
    case, ayumi, city, needs, staff_user, today
) -> None:  # type: ignore[no-untyped-def]
    volunteer_kind = ayumi.kind
    kyonan_group = ActivityGroup.objects.create(
        name="境南ボランティア", kind=volunteer_kind, zone=city["west"], region=city["kyonan"]
    )
    other_region = Region.objects.create(name="東町地域社協", zone=city["east"])
    neighbour = ActivityGroup.objects.create(
        name="東町お助け隊", kind=volunteer_kind, zone=city["east"], region=other_region
    )
    record_ask(by=staff_user, case=case, group=ayumi, asked_on=today, today=today)
    suggestions = suggest_groups(case)
    assert [s.group for s in suggestions] == [ayumi, neighbour]
    assert kyonan_group not in [s.group for s in suggestions]
    assert suggestions[0].asked == "打診：回答待ち"
    record_match(
        by=staff_user, case=case, group=ayumi, frequency="月2回", started_on=today, today=today
    )
    assert suggest_groups(case)[0].asked == "支援中"


@pytest.fixture
def volunteers(city, today):  # type: ignore[no-untyped-def]
    shopping, _ = Skill.objects.get_or_create(
        name_key=normalize("買い物支援"), defaults={"name": "買い物支援"}
    )
    fitting = Volunteer.objects.create(
        family_name="田中",
        given_name="一郎",
        family_name_kana="タナカ",
        given_name_kana="イチロウ",
        registered_on=today - timedelta(days=100),
        consent_to_introduce=True,
        availability=[[1, "am"], [3, "pm"]],
    )
    fitting.skills.add(shopping)
    fitting.regions.add(city["honcho"])
    private = Volunteer.objects.create(
        family_name="非公開", registered_on=today, consent_to_introduce=False
    )
    private.skills.add(shopping)
    return {"fitting": fitting, "private": private}


def test_volunteers_are_suggested_by_skill_area_and_time(case, volunteers, today) -> None:  # type: ignore[no-untyped-def]
    suggestions = suggest_case_volunteers(case, today=today)
    assert [s.volunteer for s in suggestions] == [volunteers["fitting"]]
    assert suggestions[0].reasons == (
        "買い物支援ができる",
        "本町地域社協の地域",
        "火曜午前に活動可",
    )


def test_a_need_linked_to_another_skill_name_finds_those_volunteers(
    case, needs, city, today
) -> None:  # type: ignore[no-untyped-def]
    escort, _ = Skill.objects.get_or_create(
        name_key=normalize("買い物の付き添い"), defaults={"name": "買い物の付き添い"}
    )
    needs["買い物支援"].skills.add(escort)
    helper = Volunteer.objects.create(
        group_name="付き添いの会", kind="group", registered_on=today, consent_to_introduce=True
    )
    helper.skills.add(escort)
    assert [s.volunteer for s in suggest_case_volunteers(case, today=today)] == [helper]


def test_a_volunteer_already_helping_is_not_suggested_again(
    case, volunteers, staff_user, today
) -> None:  # type: ignore[no-untyped-def]
    record_match(
        by=staff_user,
        case=case,
        volunteer=volunteers["fitting"],
        frequency="月2回",
        started_on=today,
        today=today,
    )
    assert suggest_case_volunteers(case, today=today) == []


def test_a_volunteer_match_names_the_registration_not_the_person_in_the_log(
    case, volunteers, staff_user, today
) -> None:  # type: ignore[no-untyped-def]
    volunteer = volunteers["fitting"]
    record_match(
        by=staff_user,
        case=case,
        volunteer=volunteer,
        frequency="月2回",
        started_on=today,
        today=today,
    )
    entry = AuditEntry.objects.get(action="cases.match.created")
    assert entry.changes["helper"] == f"ボランティア登録 No.{volunteer.pk}"
    assert volunteer.family_name not in str(entry.changes)
    assert entry.target_label == f"個別支援 No.{case.pk}"


def test_the_suggestions_page_shows_the_reasons_and_leads_to_a_match(
    staff_client, case, ayumi, volunteers
) -> None:  # type: ignore[no-untyped-def]
    html = staff_client.get(reverse("cases:suggestions", args=[case.pk])).content.decode()
    assert "買い物支援に合うボランティア団体・本町地域社協の団体" in html
    assert "田中 一郎" in html and "非公開" not in html
    assert f"?group={ayumi.pk}" in html
    form = staff_client.get(
        reverse("cases:match_new", args=[case.pk]) + f"?group={ayumi.pk}&reasons=x"
    ).content.decode()
    assert f'<option value="{ayumi.pk}" selected>' in form


def test_needs_are_data_an_administrator_edits(admin_client, needs) -> None:  # type: ignore[no-untyped-def]
    kind = GroupKind.objects.create(name="子ども食堂")
    response = admin_client.post(
        reverse("cases:need_new"),
        {"name": "宿題の手伝い", "order": 20, "active": "on", "group_kinds": [kind.pk]},
    )
    assert response.status_code == 302
    from tsunagu.cases.models import NeedKind

    need = NeedKind.objects.get(name="宿題の手伝い")
    assert list(need.group_kinds.all()) == [kind]
    response = admin_client.post(reverse("cases:need_new"), {"name": "宿題の　手伝い", "order": 21})
    assert "同じ名前の困りごとがすでにあります" in response.content.decode()
