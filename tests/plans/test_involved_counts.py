"""The カルテ's counts as a union of indexed parts (issue #14) count exactly the records
the plain condition does: area, target council or one of its groups, each record once,
even when a group has moved to another council or a record has no area."""

from collections import Counter
from datetime import date
from typing import Any

import pytest

from tsunagu.directory.models import ActivityGroup
from tsunagu.plans.queries import involved_counts
from tsunagu.records.models import ActivityKind, ConsulterType, Place, SupportRecord

pytestmark = pytest.mark.django_db


def test_the_union_counts_what_the_condition_selects(city: Any, staff_user: Any) -> None:
    honcho, kyonan = city["honcho"], city["kyonan"]
    moved = ActivityGroup.objects.create(
        name="子ども食堂", kind=city["salon"], zone=city["west"], region=kyonan
    )
    kinds = [ActivityKind.objects.create(fiscal_year=fy, name="相談対応") for fy in (2019, 2020)]
    consulter = ConsulterType.objects.first()
    cases: list[dict[str, Any]] = [
        {"region": honcho, "target_group": city["hidamari"]},  # area and group: once
        {"region": honcho, "target_region": honcho},  # area and target: once
        {"region": honcho},
        {"region": kyonan, "target_region": honcho},  # target, another area
        {"region": kyonan, "target_group": city["hidamari"]},  # group moved since
        {"region": None, "target_group": city["hidamari"]},  # no area
        {"region": None, "target_region": honcho},
        {"region": kyonan, "target_group": moved},  # not honcho's
        {"region": kyonan},
        {"region": None},
    ]
    made = []
    for n, case in enumerate(cases * 2):
        day = date(2019 + n % 2, 6, 1 + n)
        made.append(
            SupportRecord.objects.create(
                date=day,
                staff=staff_user,
                activity_kind=kinds[n % 2],
                consulter_type=consulter if n % 3 else None,
                place=Place.OFFICE,
                deleted_at=None,
                **case,
            )
        )
    SupportRecord.objects.filter(pk=made[0].pk).update(deleted_at=made[0].created_at)
    alive = [r for r in made if r.pk != made[0].pk]
    groups = {g.pk for g in ActivityGroup.objects.filter(region=honcho)}

    def involves(r: SupportRecord) -> bool:
        return (
            r.region_id == honcho.pk
            or r.target_region_id == honcho.pk
            or r.target_group_id in groups
        )

    years = [2020, 2019, 2018, 2017]
    by_kind = Counter((r.fiscal_year, r.activity_kind_id) for r in alive if involves(r))
    by_type = Counter(
        (r.fiscal_year, r.consulter_type_id) for r in alive if involves(r) and r.consulter_type_id
    )
    assert sum(by_kind.values()) == 13
    got_kind = {(y, k): n for y, k, n in involved_counts(honcho, years, "activity_kind_id")}
    got_type = {(y, t): n for y, t, n in involved_counts(honcho, years, "consulter_type_id")}
    assert got_kind == dict(by_kind)
    assert got_type == dict(by_type)
