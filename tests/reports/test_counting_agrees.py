"""The counting rule holds in the figures (issue #13, point 3): for any records the
services accept, the report's consultation count is the sum of its consulter-type
sections and the 相談対応 row of 活動内容別 — city-wide, per zone and per regional
council — and the カルテ's two tables give the same number for the council it shows.

The records are drawn by hypothesis; what each scope should count is worked out here from
the drawn list, independently of the report's queries."""

from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tsunagu.directory.models import ActivityGroup
from tsunagu.plans.queries import support_counts
from tsunagu.records.models import ActivityKind, Category, ConsulterType, Place
from tsunagu.records.services import RecordData, create_record, delete_record
from tsunagu.reports.builder import Scope, build_report

FY = 2020
# (name, counts as a consultation)
KINDS = (("出向き・参加", False), ("相談対応", True), ("情報提供", False))
TARGETS = ("none", "honcho", "kyonan", "hidamari", "kitamachi")


@dataclass(frozen=True)
class Drawn:
    kind: int
    consulter: int  # index into the active consulter types; used only for a consultation
    place: str
    target: str
    home: str  # the region of a record with no target: "", "honcho" or "kyonan"
    categories: int  # how many of its type's categories (at least one where it has them)
    trashed: bool


drawn_records = st.lists(
    st.builds(
        Drawn,
        kind=st.integers(0, len(KINDS) - 1),
        consulter=st.integers(0, 9),
        place=st.sampled_from([p.value for p in Place]),
        target=st.sampled_from(TARGETS),
        home=st.sampled_from(["", "honcho", "kyonan"]),
        categories=st.integers(0, 2),
        trashed=st.booleans(),
    ),
    max_size=25,
)


@pytest.fixture
def lists(city: dict[str, Any]) -> dict[str, Any]:
    kinds = [
        ActivityKind.objects.create(fiscal_year=FY, name=name, order=i, is_consultation=counts)
        for i, (name, counts) in enumerate(KINDS)
    ]
    types = list(ConsulterType.objects.filter(active=True).order_by("order", "pk"))
    categories = {
        t.pk: [
            Category.objects.create(fiscal_year=FY, consulter_type=t, name=f"{t.name}{n}", order=n)
            for n in range(2)
        ]
        for t in types
        if t.has_categories
    }
    kitamachi = ActivityGroup.objects.create(
        name="北町見守りの会", kind=city["salon"], zone=city["west"], region=city["kyonan"]
    )
    return {"kinds": kinds, "types": types, "categories": categories, "kitamachi": kitamachi}


def _save(drawn: Drawn, *, by: Any, city: dict[str, Any], lists: dict[str, Any]) -> str:
    """Save one drawn record through the service; the name of the regional council it is
    counted under ("" for none). The service takes the region from the target, so here the
    カルテ's "involving" and the report's region are the same council."""
    kind = lists["kinds"][drawn.kind]
    consulter = (
        lists["types"][drawn.consulter % len(lists["types"])] if kind.is_consultation else None
    )
    values: dict[str, Any] = {
        "date": date(2020, 10, 1),
        "activity_kind": kind,
        "place": drawn.place,
        "consulter_type": consulter,
    }
    if drawn.target in ("honcho", "kyonan"):
        values["target_region"] = city[drawn.target]
    elif drawn.target == "hidamari":
        values["target_group"] = city["hidamari"]
    elif drawn.target == "kitamachi":
        values["target_group"] = lists["kitamachi"]
    elif drawn.home:
        values["region"] = city[drawn.home]
    # A type with a category list needs one or more; a type without takes none.
    listed = lists["categories"].get(consulter.pk, []) if consulter else []
    categories = listed[: max(1, drawn.categories)] if listed else []
    record = create_record(by=by, data=RecordData(values=values, categories=categories))
    if drawn.trashed:
        delete_record(by=by, record=record)
    return record.region.name if record.region else ""


@pytest.mark.django_db
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(records=drawn_records)
def test_the_consultation_count_agrees_everywhere(
    records: list[Drawn], city: dict[str, Any], lists: dict[str, Any], admin_user: Any
) -> None:
    with transaction.atomic():
        regions_of: list[tuple[Drawn, str]] = [
            (d, _save(d, by=admin_user, city=city, lists=lists)) for d in records
        ]
        alive = [(d, region) for d, region in regions_of if not d.trashed]

        def consultations(keep: Any) -> int:
            return sum(1 for d, region in alive if KINDS[d.kind][1] and keep(region))

        zone_of = {city["honcho"].name: city["east"], city["kyonan"].name: city["west"]}
        scopes = {
            "市全体": (Scope(), consultations(lambda region: True)),
            **{
                zone.name: (
                    Scope(zone=zone),
                    consultations(lambda region, zone=zone: zone_of.get(region) == zone),
                )
                for zone in (city["east"], city["west"])
            },
            **{
                r.name: (Scope(region=r), consultations(lambda region, r=r: region == r.name))
                for r in (city["honcho"], city["kyonan"])
            },
        }
        for label, (scope, expected) in scopes.items():
            report = build_report(FY, scope)
            kind_row = next(row for row in report.trends[0].rows if row.label == "相談対応")
            assert report.outreach.consultations[-1] == expected, label
            assert sum(section.total for section in report.sections) == expected, label
            assert kind_row.counts[-1] == expected, label

        for region in (city["honcho"], city["kyonan"]):
            counts = support_counts(region, FY)
            consultation_row = next(r for r in counts.by_kind.rows if r.label == "相談対応")
            assert counts.by_consulter.totals[0] == consultation_row.shown, region.name
            assert consultation_row.shown == scopes[region.name][1], region.name
        transaction.set_rollback(True)
