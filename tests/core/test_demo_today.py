"""A demo that lives today (#13.10): `tsunagu demo` ends its three years with the current
fiscal year, and every page opens on the same year.

The day is fixed (3 December of 令和8年度, and an early April), never the real clock: the
loader takes it as `today`, and the pages' clock (fiscal.current_fiscal_year) is frozen."""

from datetime import date, datetime, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from tsunagu.accounts.models import User
from tsunagu.directory.models import Region
from tsunagu.grants.models import Grant, GrantProgramme, GrantState
from tsunagu.lib import fiscal
from tsunagu.lib.fiscal import TOKYO, default_fiscal_year
from tsunagu.plans.models import InitiativeStatus, Plan
from tsunagu.records.models import Category, ImportBatch, SupportRecord
from tsunagu.volunteers.models import Volunteer

TODAY = date(2026, 12, 3)  # 令和8年度
EARLY_APRIL = date(2027, 4, 5)  # 令和9年度, five days in
TODAY_AT = datetime(2026, 12, 3, 10, 0, tzinfo=TOKYO)

pytestmark = pytest.mark.django_db(transaction=False)


def freeze(monkeypatch: pytest.MonkeyPatch, today: date) -> None:
    """The pages' clock: fiscal.current_fiscal_year reads datetime.now(TOKYO)."""

    class Frozen(datetime):
        @classmethod
        def now(cls, tz=None):  # type: ignore[no-untyped-def, override]
            return datetime(today.year, today.month, today.day, 10, 0, tzinfo=TOKYO)

    monkeypatch.setattr(fiscal, "datetime", Frozen)


def load(today: date, **options: object) -> str:
    out = StringIO()
    call_command("demo", today=today, stdout=out, **options)
    return out.getvalue()


def test_the_last_demo_year_is_the_current_fiscal_year_and_nothing_is_in_the_future() -> None:
    out = load(TODAY)

    assert "令和6年度" in out and "令和7年度" in out and "令和8年度" in out
    assert "令和2年度" not in out
    batches = ImportBatch.objects.filter(kind="demo").values_list("filename", flat=True)
    assert sorted(batches) == ["demo-FY2024", "demo-FY2025", "demo-FY2026"]
    records = SupportRecord.objects.alive()
    assert not records.filter(date__gt=TODAY).exists()
    assert not records.filter(fiscal_year__lt=2024).exists()
    this_year = records.filter(fiscal_year=2026)
    # The year so far, up to the last days: the カルテ and the reports of this year are
    # not empty, and the year is not a whole one yet.
    assert this_year.filter(date__gte=TODAY - timedelta(days=7)).exists()
    assert 0 < this_year.count() < records.filter(fiscal_year=2025).count()
    # Every date moved by the same six years: the told example of 2020-10-06 is 2026-10-06.
    assert this_year.filter(date=date(2026, 10, 6), consent=True).exists()


def test_follow_ups_fall_in_the_coming_days() -> None:
    load(TODAY)

    open_ = SupportRecord.objects.alive().filter(follow_up=True)
    assert open_.exists()
    for record in open_:
        assert record.date <= TODAY < record.follow_up_due <= TODAY + timedelta(days=14)
    assert not SupportRecord.objects.follow_ups_due(User.objects.get(username="sato"), TODAY)


def test_the_yearly_lineage_and_the_other_apps_follow_the_years() -> None:
    load(TODAY)

    # 2019's merge (会則・会議 + 役割分担) is 2025's; 2020's split (近況報告・その他) is 2026's.
    merged = Category.objects.get(fiscal_year=2025, name="会則・会議・役割分担")
    assert sorted(p.name for p in merged.predecessors.all()) == ["会則・会議", "役割分担"]
    assert {p.fiscal_year for p in merged.predecessors.all()} == {2024}
    split = Category.objects.get(fiscal_year=2025, name="近況報告・その他")
    assert sorted(s.name for s in split.successors.all()) == ["その他", "近況報告など"]
    renamed = Category.objects.get(
        fiscal_year=2026, name="フードバンク・フードパントリー団体について"
    )
    assert [p.name for p in renamed.predecessors.all()] == ["フードバンク団体について"]

    # Grants: the two years before are settled, this year's are at every step, none ahead.
    assert sorted(GrantProgramme.objects.values_list("fiscal_year", flat=True)) == [
        2024,
        2025,
        2026,
    ]
    regions = Region.objects.filter(active=True).count()
    settled = Grant.objects.filter(programme__fiscal_year__lt=2026)
    assert settled.count() == 2 * regions
    assert not settled.exclude(state=GrantState.SETTLED).exists()
    assert Grant.objects.filter(programme__fiscal_year=2026, state=GrantState.APPLIED).exists()
    for grant in Grant.objects.all():
        for day in (grant.applied_on, grant.decided_on, grant.paid_on, grant.settled_on):
            assert day is None or day <= TODAY

    # Plans: progress in each of the three demo years, and a plan covering this year.
    statuses = set(InitiativeStatus.objects.values_list("fiscal_year", flat=True))
    assert {2024, 2025, 2026} <= statuses
    assert not statuses - {2024, 2025, 2026}
    assert any(p.covers(2026) for p in Plan.objects.all())

    assert not Volunteer.objects.filter(registered_on__gt=TODAY).exists()


def test_early_april_the_new_year_has_its_first_days_only() -> None:
    load(EARLY_APRIL)

    records = SupportRecord.objects.alive()
    assert not records.filter(date__gt=EARLY_APRIL).exists()
    assert records.filter(fiscal_year=2027).exists()
    assert not records.filter(fiscal_year=2027, date__lt=date(2027, 4, 1)).exists()
    for record in records.filter(follow_up=True):
        assert EARLY_APRIL < record.follow_up_due <= EARLY_APRIL + timedelta(days=14)


def test_last_year_pins_the_demo_and_a_loaded_demo_keeps_its_years() -> None:
    out = load(TODAY, last_year="令和2年度")
    assert "平成30年度" in out and "令和2年度" in out
    assert not SupportRecord.objects.filter(fiscal_year__gt=2020, import_batch__kind="demo")

    # Loading again (without the option) keeps the years already there and adds nothing.
    count = SupportRecord.objects.count()
    assert "読み込み済み" in load(TODAY)
    assert SupportRecord.objects.count() == count
    with pytest.raises(CommandError, match="令和2年度までのデモが読み込み済み"):
        load(TODAY, last_year=2026)
    with pytest.raises(CommandError, match="--last-year"):
        load(TODAY, last_year="らいねん")


def _page_years(client) -> dict[str, int]:  # type: ignore[no-untyped-def]
    region = Region.objects.filter(active=True).order_by("order", "pk").first()
    assert region is not None
    pages = {
        "支援記録の一覧": (reverse("records:list"), lambda c: c["filter"].fiscal_year),
        "報告": (reverse("reports:page"), lambda c: c["fiscal_year"]),
        "地域社協カルテ": (reverse("plans:region", args=[region.pk]), lambda c: c["year"]),
        "エリア計画": (reverse("plans:index"), lambda c: c["year"]),
        "計画の一覧": (reverse("plans:overview"), lambda c: c["year"]),
        "相談内容の一覧": (reverse("categories:index"), lambda c: c["year"]),
    }
    years = {}
    for name, (url, year_of) in pages.items():
        response = client.get(url)
        assert response.status_code == 200, name
        years[name] = year_of(response.context)
    return years


@pytest.mark.parametrize(
    ("options", "only_before", "expected"),
    [({}, False, 2026), ({"last_year": 2020}, False, 2026), ({"last_year": 2020}, True, 2020)],
    ids=[
        "the demo of today: this year",
        # The cases' first consultations are this year's: this year has records.
        "pinned to 2020, with this year's case records: this year",
        "pinned to 2020, nothing since: its last year",
    ],
)
def test_every_page_opens_on_the_same_year(
    client,  # type: ignore[no-untyped-def]
    monkeypatch: pytest.MonkeyPatch,
    options: dict[str, object],
    only_before: bool,
    expected: int,
) -> None:
    freeze(monkeypatch, TODAY)
    load(TODAY, **options)
    if only_before:
        # In the trash, as a user would leave them: they no longer count.
        SupportRecord.objects.filter(fiscal_year__gt=2020).update(deleted_at=TODAY_AT)
    client.force_login(User.objects.get(username="admin"))

    assert set(_page_years(client).values()) == {expected}


@pytest.mark.parametrize(
    ("years", "expected"),
    [
        ([2024, 2025, 2026], 2026),  # this year has data
        ([2018, 2019, 2020], 2020),  # the latest before it
        ([2020, 2027], 2020),  # a year entered ahead does not win
        ([2027], 2026),  # nothing so far: this year
        ([], 2026),
    ],
)
def test_default_fiscal_year(years: list[int], expected: int) -> None:
    assert default_fiscal_year(years, TODAY) == expected
