from django.core.management import call_command

from tsunagu.accounts.models import Role, User
from tsunagu.directory.models import ActivityGroup, Agency, GroupKind, Region, Zone


def counts() -> dict[str, int]:
    return {
        m.__name__: m.objects.count()
        for m in (User, Zone, Region, GroupKind, ActivityGroup, Agency)
    }


def test_demo_is_shaped_like_the_reference_city_and_idempotent(db) -> None:  # type: ignore[no-untyped-def]
    call_command("demo")
    first = counts()
    assert first["Zone"] == 3
    assert first["Region"] == 13
    assert first["ActivityGroup"] >= 24
    # every kind of group is present
    assert not GroupKind.objects.exclude(groups__isnull=False).exists()
    # the education departments are reported as one row
    education = Agency.objects.get(name="指導課").group
    assert education.name == "教育支援課・教育企画課・指導課"
    assert education.agencies.count() == 3
    # one staff member per zone, plus an administrator
    assert all(zone.staff and zone.staff.role == Role.STAFF for zone in Zone.objects.all())
    assert User.objects.filter(role=Role.ADMIN).exists()
    call_command("demo")
    assert counts() == first
