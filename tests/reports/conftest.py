"""Database fixtures for the report tests."""

from datetime import date

import pytest

from tsunagu.directory.models import Agency, AgencyGroup
from tsunagu.records.models import ActivityKind, Category, ConsulterType, Place
from tsunagu.records.services import RecordData, create_record


@pytest.fixture
def two_years(db, city, staff_user):  # type: ignore[no-untyped-def]
    """FY2019 and FY2020 of a tiny council, with a split in FY2020."""
    types = {t.name: t for t in ConsulterType.objects.all()}
    individual, groups = types["ニーズを抱えている個人"], types["地域活動団体"]
    kinds = {}
    for fy in (2019, 2020):
        for order, name in enumerate(["出向き・参加", "相談対応"]):
            kinds[fy, name] = ActivityKind.objects.create(fiscal_year=fy, name=name, order=order)
        if fy == 2020:
            kinds[fy, "相談対応"].predecessors.set([kinds[2019, "相談対応"]])
            kinds[fy, "出向き・参加"].predecessors.set([kinds[2019, "出向き・参加"]])
    old_news = Category.objects.create(
        fiscal_year=2019, consulter_type=individual, name="近況報告・その他", order=1
    )
    old_referral = Category.objects.create(
        fiscal_year=2019, consulter_type=individual, name="紹介", order=0
    )
    old_pr = Category.objects.create(
        fiscal_year=2019, consulter_type=groups, name="チラシ・広報", order=0
    )
    referral = Category.objects.create(
        fiscal_year=2020, consulter_type=individual, name="福祉サービスへの紹介", order=0
    )
    referral.predecessors.set([old_referral])
    news = Category.objects.create(
        fiscal_year=2020, consulter_type=individual, name="近況報告など", order=1
    )
    other = Category.objects.create(
        fiscal_year=2020, consulter_type=individual, name="その他", order=2
    )
    news.predecessors.set([old_news])
    other.predecessors.set([old_news])
    pr = Category.objects.create(
        fiscal_year=2020, consulter_type=groups, name="チラシ・広報", order=0
    )
    pr.predecessors.set([old_pr])
    covid = Category.objects.create(
        fiscal_year=2020, consulter_type=groups, name="新型コロナウイルス関連", order=1
    )
    education = AgencyGroup.objects.create(name="教育支援課・教育企画課・指導課", order=1)
    agencies = [Agency.objects.create(name=n, group=education) for n in ("教育支援課", "指導課")]

    def add(
        day: date, kind: str, categories=(), consulter=None, place=Place.OUTREACH, agency_list=()
    ):  # type: ignore[no-untyped-def]
        create_record(
            by=staff_user,
            data=RecordData(
                values={
                    "date": day,
                    "activity_kind": kinds[2019 if day < date(2020, 4, 1) else 2020, kind],
                    "place": place,
                    "target_group": city["hidamari"],
                    "consulter_type": consulter,
                },
                categories=list(categories),
                agencies=[(a, "liaison") for a in agency_list],
            ),
        )

    for _ in range(5):
        add(date(2019, 5, 1), "相談対応", [old_news], individual, Place.PHONE)
    for _ in range(2):
        add(date(2019, 5, 2), "相談対応", [old_referral], individual)
    add(date(2019, 5, 3), "相談対応", [old_pr], groups)
    add(date(2019, 6, 1), "出向き・参加")
    for _ in range(2):
        add(date(2020, 5, 1), "相談対応", [news], individual)
    add(date(2020, 5, 2), "相談対応", [other], individual, Place.PHONE)
    for _ in range(2):
        add(date(2020, 5, 3), "相談対応", [referral], individual, agency_list=agencies)
    # one group consultation with two subjects: once in the total, once under each
    add(date(2020, 5, 4), "相談対応", [pr, covid], groups)
    add(date(2020, 6, 1), "出向き・参加")
    add(date(2020, 6, 2), "出向き・参加")
    return {"types": types}
