import pytest

from tsunagu.demo.plans import load_demo
from tsunagu.directory.models import Region
from tsunagu.lib.fiscal import current_fiscal_year
from tsunagu.plans.models import InitiativeRecord, InitiativeStatus, Plan, PlanLayout

pytestmark = pytest.mark.django_db


def test_every_demo_council_has_a_plan_in_both_shapes(demo):
    assert set(Plan.objects.values_list("region", flat=True)) == set(
        Region.objects.values_list("pk", flat=True)
    )
    assert Plan.objects.filter(start_year=2019, end_year=2023).count() == 13
    assert Plan.objects.filter(start_year=2024, end_year=2028).count() >= 3

    kyonan = Plan.objects.get(region__name="境南地域社協", start_year=2019)
    assert [s.text for s in kyonan.slogans.all()] == ["笑顔あふれる境南町!"]
    assert kyonan.layout == PlanLayout.NUMBERED and kyonan.initiatives_heading == "今後の取り組み"
    assert kyonan.initiatives.count() == 4
    assert {t.name for t in kyonan.goals.first().targets.all()} >= {
        "高齢者",
        "障害のある人",
        "マンション住民",
        "転入者",
        "外国籍の住民",
    }

    yon = Plan.objects.get(region__name="四小地区福祉の会", start_year=2019)
    assert [s.text for s in yon.slogans.all()] == ["世代を越えてつながろう　人と出会うまち四小地区"]
    assert [g.text for g in yon.goals.all()] == ["地域のネットワークをつくる"]
    assert yon.layout == PlanLayout.TABLE
    assert all(i.action_list for i in yon.initiatives.all())

    years = set(InitiativeStatus.objects.values_list("fiscal_year", flat=True))
    assert {2019, 2020} <= years
    if any(p.covers(current_fiscal_year()) for p in Plan.objects.all()):
        assert current_fiscal_year() in years
    links = InitiativeRecord.objects.select_related("initiative__plan", "record")
    assert links.count() > 100
    for link in links[:200]:
        assert link.initiative.plan.covers(link.record.fiscal_year)

    # Loading again adds nothing.
    before = (Plan.objects.count(), InitiativeStatus.objects.count(), links.count())
    summary = load_demo(by=demo)
    assert "今回追加 0件" in summary
    assert (Plan.objects.count(), InitiativeStatus.objects.count(), links.count()) == before
