import io
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.core.management import call_command

from tsunagu.accounts.models import User
from tsunagu.demo.plans import load_demo
from tsunagu.directory.models import Region
from tsunagu.plans.models import Plan, PlanTarget
from tsunagu.plans.services import GoalData, InitiativeData, PlanData, create_plan
from tsunagu.records.defaults import ensure_consulter_types
from tsunagu.records.models import ActivityKind, ConsulterType, Place, SupportRecord


@pytest.fixture
def demo(db: None) -> User:
    """The demo council with its records and plans; returns its administrator."""
    call_command("demo", last_year=2020, stdout=io.StringIO())
    admin = User.objects.get(username="admin")
    load_demo(by=admin)
    return admin


@pytest.fixture
def targets(db: None) -> dict[str, PlanTarget]:
    names = ["高齢者", "子ども・子育て世帯", "マンション住民"]
    return {n: PlanTarget.objects.create(name=n, order=i) for i, n in enumerate(names, 1)}


def plan_data(region: Region, **overrides: Any) -> PlanData:
    values: dict[str, Any] = {
        "region": region,
        "start_year": 2019,
        "end_year": 2023,
        "slogans": ["笑顔あふれる境南町!"],
        "goals": [GoalData("集える場をつくる")],
        "initiatives": [
            InitiativeData("防災を軸にした支え合い", ["合同防災訓練"]),
            InitiativeData("親子ひろばでの子育て支援", ["毎週の親子ひろば", "転入者への案内"]),
        ],
    }
    values.update(overrides)
    return PlanData(**values)


@pytest.fixture
def make_plan(admin_user: User) -> Callable[..., Plan]:
    def make(region: Region, **overrides: Any) -> Plan:
        return create_plan(by=admin_user, data=plan_data(region, **overrides))

    return make


@pytest.fixture
def kinds(db: None) -> dict[int, ActivityKind]:
    ensure_consulter_types()
    return {
        fy: ActivityKind.objects.create(fiscal_year=fy, name="出向き・参加", order=1)
        for fy in (2019, 2020)
    }


@pytest.fixture
def make_record(kinds: dict[int, ActivityKind], staff_user: User) -> Callable[..., SupportRecord]:
    def make(when: date, **values: Any) -> SupportRecord:
        fy = when.year if when.month >= 4 else when.year - 1
        consulter = values.pop("consulter", None)
        record = SupportRecord(
            date=when,
            activity_kind=kinds[fy],
            place=Place.OUTREACH,
            staff=staff_user,
            created_by=staff_user,
            updated_by=staff_user,
            consulter_type=ConsulterType.objects.get(name=consulter) if consulter else None,
            **values,
        )
        record.save()
        return record

    return make


def plan_post(
    *,
    region: Region,
    start: str = "2019",
    end: str = "2023",
    slogans: str = "笑顔あふれる境南町!",
    goals: list[dict[str, Any]] | None = None,
    initiatives: list[dict[str, Any]] | None = None,
    version: int | None = None,
    layout: str = "numbered",
    heading: str = "今後の取り組み",
    initial: tuple[int, int] = (0, 0),
) -> dict[str, Any]:
    """The POST body of the plan form with its two formsets."""
    goals = goals if goals is not None else [{"text": "集える場をつくる"}]
    initiatives = (
        initiatives
        if initiatives is not None
        else [{"theme": "防災を軸にした支え合い", "actions": "合同防災訓練\n防災講座"}]
    )
    data: dict[str, Any] = {
        "region": region.pk,
        "start_year": start,
        "end_year": end,
        "slogans": slogans,
        "layout": layout,
        "initiatives_heading": heading,
        "version": "" if version is None else version,
        "goals-TOTAL_FORMS": len(goals),
        "goals-INITIAL_FORMS": initial[0],
        "initiatives-TOTAL_FORMS": len(initiatives),
        "initiatives-INITIAL_FORMS": initial[1],
    }
    for n, goal in enumerate(goals):
        data[f"goals-{n}-text"] = goal.get("text", "")
        data[f"goals-{n}-targets"] = goal.get("targets", [])
        data[f"goals-{n}-ORDER"] = goal.get("order", n + 1)
        if goal.get("delete"):
            data[f"goals-{n}-DELETE"] = "on"
    for n, item in enumerate(initiatives):
        data[f"initiatives-{n}-id"] = item.get("id", "")
        data[f"initiatives-{n}-theme"] = item.get("theme", "")
        data[f"initiatives-{n}-actions"] = item.get("actions", "")
        data[f"initiatives-{n}-ORDER"] = item.get("order", n + 1)
        if item.get("delete"):
            data[f"initiatives-{n}-DELETE"] = "on"
    return data
