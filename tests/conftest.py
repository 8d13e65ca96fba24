import pytest

from tsunagu.accounts.models import Role, User
from tsunagu.directory.models import ActivityGroup, GroupKind, Region, Zone

PASSWORD = "correct-horse-battery"


def make_user(username: str, role: Role, **extra: object) -> User:
    user = User.objects.create_user(username=username, password=PASSWORD, role=role, **extra)
    return user


@pytest.fixture
def admin_user(db: None) -> User:
    return make_user("kanri", Role.ADMIN, last_name="管理", first_name="一郎")


@pytest.fixture
def staff_user(db: None) -> User:
    return make_user("shokuin", Role.STAFF, last_name="職員", first_name="二郎")


@pytest.fixture
def viewer_user(db: None) -> User:
    return make_user("etsuran", Role.VIEWER, last_name="閲覧", first_name="三郎")


@pytest.fixture
def admin_client(client, admin_user):  # type: ignore[no-untyped-def]
    client.force_login(admin_user)
    return client


@pytest.fixture
def staff_client(client, staff_user):  # type: ignore[no-untyped-def]
    client.force_login(staff_user)
    return client


@pytest.fixture
def viewer_client(client, viewer_user):  # type: ignore[no-untyped-def]
    client.force_login(viewer_user)
    return client


@pytest.fixture
def city(db: None, staff_user: User) -> dict[str, object]:
    """A small directory: two zones, a region in each, a kind, a group."""
    east = Zone.objects.create(name="東部圏域", staff=staff_user, order=1)
    west = Zone.objects.create(name="西部圏域", order=2)
    honcho = Region.objects.create(name="本町地域社協", zone=east, order=1)
    kyonan = Region.objects.create(name="境南地域社協", zone=west, order=2)
    salon = GroupKind.objects.create(name="サロン", order=1)
    hidamari = ActivityGroup.objects.create(
        name="サロンひだまり", kind=salon, zone=east, region=honcho
    )
    return {
        "east": east,
        "west": west,
        "honcho": honcho,
        "kyonan": kyonan,
        "salon": salon,
        "hidamari": hidamari,
    }
