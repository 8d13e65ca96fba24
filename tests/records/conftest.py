"""Yearly lists and records for the records tests."""

from datetime import date

import pytest

from tsunagu.directory.models import Agency, AgencyGroup
from tsunagu.records.codes import settle_codes
from tsunagu.records.models import ActivityKind, Category, ConsulterType, Place, SupportRecord
from tsunagu.records.services import RecordData, create_record

KINDS = ["出向き・参加", "話し合いへの参加", "相談対応", "情報提供", "その他"]


@pytest.fixture
def lists(db: None) -> dict[str, object]:
    """FY2019 and FY2020 activity kinds and a few categories per consulter type."""
    types = {t.name: t for t in ConsulterType.objects.all()}
    result: dict[str, object] = {"types": types}
    for fy in (2019, 2020):
        for order, name in enumerate(KINDS, start=1):
            result[f"kind{fy}:{name}"] = ActivityKind.objects.create(
                fiscal_year=fy, name=name, order=order
            )
        for type_name, names in {
            "ニーズを抱えている個人": ["福祉サービス・相談機関への紹介", "近況報告など", "その他"],
            "ボランティア希望（活動）者": ["ボランティアしたい", "寄付（寄贈）したい"],
            "地域活動団体": ["活動費・助成金・会計", "チラシ・広報", "特定の個人のこと"],
            "関係機関": ["居場所について", "特定の個人について"],
        }.items():
            for order, name in enumerate(names, start=1):
                result[f"cat{fy}:{name}"] = Category.objects.create(
                    fiscal_year=fy, consulter_type=types[type_name], name=name, order=order
                )
        settle_codes(fy)
    education = AgencyGroup.objects.create(name="教育支援課・教育企画課・指導課")
    result["agency"] = Agency.objects.create(name="教育支援課", group=education)
    houkatsu = AgencyGroup.objects.create(name="地域包括支援センター")
    result["houkatsu"] = Agency.objects.create(name="みどり台地域包括支援センター", group=houkatsu)
    return result


@pytest.fixture
def record(lists, city, staff_user) -> SupportRecord:  # type: ignore[no-untyped-def]
    """A salon visit consultation of 2020-06-10."""
    return create_record(
        by=staff_user,
        data=RecordData(
            values={
                "date": date(2020, 6, 10),
                "staff": staff_user,
                "activity_kind": lists["kind2020:相談対応"],
                "place": Place.OUTREACH,
                "target_group": city["hidamari"],
                "consulter_type": lists["types"]["ニーズを抱えている個人"],
                "consent": True,
                "note": "参加者から買い物の困りごとを聞いた。",
            },
            categories=[lists["cat2020:近況報告など"]],
            agencies=[(lists["houkatsu"], "referral")],
        ),
    )
