"""Yearly lists, skills and a few volunteers for the volunteer centre's tests."""

from datetime import date
from typing import Any

import pytest

from tsunagu.accounts.models import User
from tsunagu.directory.models import Region, Zone
from tsunagu.records.codes import settle_codes
from tsunagu.records.defaults import ensure_consulter_types
from tsunagu.records.models import ActivityKind, Category, ConsulterType
from tsunagu.volunteers.availability import parse_availability, to_json
from tsunagu.volunteers.defaults import ensure_defaults
from tsunagu.volunteers.models import InsurancePlan, Skill, Volunteer
from tsunagu.volunteers.services.registrations import VolunteerData, register_volunteer

FISCAL_YEAR = 2020
TODAY = date(2020, 12, 1)
VOLUNTEER_CATEGORIES = [
    "寄付（寄贈）したい",
    "ボランティアしたい",
    "ボランティア活動中の悩み、活動報告など",
    "その他",
]


def make_year(fiscal_year: int, categories: list[str] | None = None) -> dict[str, Any]:
    """The activity kind 相談対応 and the volunteer consulter type's categories of a year."""
    ensure_consulter_types()
    volunteer_type = ConsulterType.objects.get(name="ボランティア希望（活動）者")
    kind = ActivityKind.objects.create(fiscal_year=fiscal_year, name="相談対応", order=3)
    ActivityKind.objects.create(fiscal_year=fiscal_year, name="出向き・参加", order=1)
    made = {
        name: Category.objects.create(
            fiscal_year=fiscal_year, consulter_type=volunteer_type, name=name, order=order
        )
        for order, name in enumerate(
            VOLUNTEER_CATEGORIES if categories is None else categories, start=1
        )
    }
    settle_codes(fiscal_year)
    return {"kind": kind, "type": volunteer_type, "categories": made}


@pytest.fixture
def year(db: None) -> dict[str, Any]:
    ensure_defaults()
    return make_year(FISCAL_YEAR)


@pytest.fixture
def skills(db: None) -> dict[str, Skill]:
    ensure_defaults()
    return {s.name: s for s in Skill.objects.all()}


@pytest.fixture
def plans(db: None) -> dict[str, InsurancePlan]:
    ensure_defaults()
    return {p.name: p for p in InsurancePlan.objects.all()}


def person(
    family: str = "見本",
    given: str = "花子",
    family_kana: str = "ミホン",
    given_kana: str = "ハナコ",
    **extra: Any,
) -> dict[str, Any]:
    values: dict[str, Any] = {
        "kind": "person",
        "family_name": family,
        "given_name": given,
        "family_name_kana": family_kana,
        "given_name_kana": given_kana,
        "birth_year": 1960,
        "availability": [],
        "availability_note": "",
        "contact": "090-0000-0000",
        "consent_to_introduce": True,
        "active": True,
        "registered_on": date(2020, 6, 1),
        "note": "",
    }
    values.update(extra)
    return values


def register(
    by: User,
    *,
    skills: list[Skill] | None = None,
    regions: list[Region] | None = None,
    zones: list[Zone] | None = None,
    when: str = "",
    place: str = "office",
    **values: Any,
) -> Volunteer:
    data = person(**values)
    if when:
        data["availability"] = to_json(parse_availability(when))
    return register_volunteer(
        by=by,
        data=VolunteerData(
            values=data, skills=skills or [], regions=regions or [], zones=zones or []
        ),
        place=place,
        allow_duplicate=True,
        today=TODAY,
    )


@pytest.fixture(autouse=True)
def fast_passwords(settings):  # type: ignore[no-untyped-def]
    """Test accounts need no slow password hashing."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
