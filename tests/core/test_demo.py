from django.core.management import call_command

from tsunagu.accounts.models import Role, User
from tsunagu.directory.models import ActivityGroup, Agency, GroupKind, Region, Zone


def counts() -> dict[str, int]:
    return {
        m.__name__: m.objects.count()
        for m in (User, Zone, Region, GroupKind, ActivityGroup, Agency)
    }


def test_demo_is_shaped_like_the_reference_city_and_idempotent(db) -> None:  # type: ignore[no-untyped-def]
    call_command("demo", last_year=2020)
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
    call_command("demo", last_year=2020)
    assert counts() == first


def test_demo_refuses_a_database_that_holds_a_councils_own_accounts(db) -> None:  # type: ignore[no-untyped-def]
    import pytest
    from django.core.management.base import CommandError

    User.objects.create_user(username="yamada", password="kanari-nagai-pass-42")
    with pytest.raises(
        CommandError, match="デモ以外のデータがあります（職員アカウント「yamada」）"
    ):
        call_command("demo", last_year=2020)
    assert not Zone.objects.exists()


def test_demo_refuses_when_a_demo_account_has_a_real_password(db) -> None:  # type: ignore[no-untyped-def]
    import pytest
    from django.core.management.base import CommandError

    call_command("demo", last_year=2020)
    admin = User.objects.get(username="admin")
    admin.set_password("kanari-nagai-pass-42")
    admin.save()
    with pytest.raises(CommandError, match="「admin」"):
        call_command("demo", last_year=2020)


def test_start_marks_every_page_of_the_demo(db, client, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from django.conf import settings

    from tsunagu.core.management.commands import start

    monkeypatch.setattr(start, "call_command", lambda name, *a, **k: None)
    monkeypatch.setattr(settings, "DEMO_MODE", False)
    call_command("demo", last_year=2020)
    start.Command().handle(host="127.0.0.1", port=0)
    assert settings.DEMO_MODE is True
    client.force_login(User.objects.get(username="sato"))
    assert "デモ用のデータです" in client.get("/").content.decode()
    from django.test import Client

    assert "デモ用のデータです" in Client().get("/login/").content.decode()

    User.objects.create_user(username="yamada", password="kanari-nagai-pass-42")
    start.Command().handle(host="127.0.0.1", port=0)
    assert settings.DEMO_MODE is False
    assert "デモ用のデータです" not in client.get("/").content.decode()
