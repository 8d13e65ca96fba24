"""Cases, their staff, the yearly lists a referral's record needs, and a few agencies."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from tests.conftest import make_user
from tsunagu.accounts.models import Role, User
from tsunagu.cases.models import Case, NeedKind
from tsunagu.cases.needs import ensure_need_kinds
from tsunagu.cases.services import create_case
from tsunagu.directory.models import ActivityGroup, Agency, AgencyGroup, GroupKind
from tsunagu.lib.fiscal import fiscal_year_of
from tsunagu.records.defaults import ensure_consulter_types
from tsunagu.records.models import ActivityKind, Category, ConsulterType

KINDS = ["出向き・参加", "話し合いへの参加", "相談対応", "その他"]
INDIVIDUAL_CATEGORIES = [
    "福祉サービス・相談機関への紹介",
    "具体的な活動への紹介",
    "近況報告など",
    "その他",
]


def make_lists(fiscal_year: int) -> dict[str, object]:
    ensure_consulter_types()
    types = {t.name: t for t in ConsulterType.objects.all()}
    result: dict[str, object] = {}
    for order, name in enumerate(KINDS, start=1):
        result[f"kind:{name}"], _ = ActivityKind.objects.get_or_create(
            fiscal_year=fiscal_year, name=name, defaults={"order": order}
        )
    for order, name in enumerate(INDIVIDUAL_CATEGORIES, start=1):
        result[f"cat:{name}"], _ = Category.objects.get_or_create(
            fiscal_year=fiscal_year,
            consulter_type=types["ニーズを抱えている個人"],
            name=name,
            defaults={"order": order},
        )
    return result


@pytest.fixture(autouse=True)
def fast_passwords(settings):  # type: ignore[no-untyped-def]
    """The shared user fixtures set passwords; Argon2 makes hundreds of matrix cases slow."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def today() -> date:
    return timezone.localdate()


@pytest.fixture
def lists(db: None, today: date) -> dict[str, object]:
    """This fiscal year's and last year's lists (a referral made in April may be dated in
    March)."""
    fy = fiscal_year_of(today)
    make_lists(fy - 1)
    return make_lists(fy)


@pytest.fixture
def agencies(db: None) -> dict[str, Agency]:
    houkatsu = AgencyGroup.objects.create(name="在宅介護・地域包括支援センター", order=1)
    education = AgencyGroup.objects.create(name="教育支援課・教育企画課・指導課", order=2)
    disability = AgencyGroup.objects.create(name="障害者福祉課", order=3)
    return {
        "houkatsu": Agency.objects.create(name="みどり台地域包括支援センター", group=houkatsu),
        "kyoiku": Agency.objects.create(name="教育支援課", group=education),
        "shido": Agency.objects.create(name="指導課", group=education),
        "shogai": Agency.objects.create(name="障害者福祉課", group=disability),
    }


@pytest.fixture
def other_staff(db: None) -> User:
    return make_user("hoka", Role.STAFF, last_name="他所", first_name="四郎")


@pytest.fixture
def needs(db: None, city: dict[str, object]) -> dict[str, NeedKind]:
    ensure_need_kinds()
    volunteer_kind = GroupKind.objects.create(name="ボランティア団体", order=2)
    shopping = NeedKind.objects.get(name="買い物支援")
    shopping.group_kinds.add(volunteer_kind)
    NeedKind.objects.get(name="話し相手").group_kinds.add(city["salon"])  # type: ignore[arg-type]
    return {n.name: n for n in NeedKind.objects.all()}


@pytest.fixture
def ayumi(city: dict[str, object], needs: dict[str, NeedKind]) -> ActivityGroup:
    """A volunteer group for shopping help in the case's own region."""
    return ActivityGroup.objects.create(
        name="買い物サポート あゆみ",
        kind=GroupKind.objects.get(name="ボランティア団体"),
        zone=city["east"],  # type: ignore[misc]
        region=city["honcho"],  # type: ignore[misc]
    )


def case_values(city: dict[str, object], opened_on: date, **extra: object) -> dict[str, object]:
    values: dict[str, object] = {
        "pseudonym": "Tさん",
        "age_band": "70s",
        "zone": city["east"],
        "region": city["honcho"],
        "when_needed": "火曜の午前",
        "summary": "視覚障害があり要支援2。",
        "opened_on": opened_on,
        "family_name": "",
        "given_name": "",
        "family_name_kana": "",
        "given_name_kana": "",
        "contact": "",
        "birth_year": None,
        "consent_given_by": "",
        "consent_on": None,
        "consent_purposes": [],
    }
    values.update(extra)
    return values


@pytest.fixture
def case(
    city: dict[str, object], needs: dict[str, NeedKind], staff_user: User, today: date
) -> Case:
    """A shopping-help case assigned to staff_user, opened 30 days ago."""
    return create_case(
        by=staff_user,
        values=case_values(city, today - timedelta(days=30)),
        needs=[needs["買い物支援"]],
        staff=[staff_user],
        today=today,
    )
