"""The demo council's three fiscal years of records (平成30年度〜令和2年度)."""

from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, F
from django.utils import timezone

from tsunagu.audit.models import AuditEntry
from tsunagu.lib.fiscal import fiscal_year_of
from tsunagu.lib.textnorm import normalize
from tsunagu.records.lineage import Shape, TermSpec, lineage_errors, shapes, split_groups
from tsunagu.records.models import (
    ActivityKind,
    Category,
    ImportBatch,
    Place,
    RecordAgency,
    SupportRecord,
)

YEARS = (2018, 2019, 2020)
Through = SupportRecord.categories.through


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """One demo load for the whole module, rolled back at its end."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("demo", last_year=2020, stdout=StringIO())
        yield
        transaction.set_rollback(True)


def counts() -> dict[str, int]:
    return {
        "records": SupportRecord.objects.count(),
        "categories": Category.objects.count(),
        "kinds": ActivityKind.objects.count(),
        "subjects": Through.objects.count(),
        "agencies": RecordAgency.objects.count(),
        "batches": ImportBatch.objects.count(),
        "audit": AuditEntry.objects.filter(action="records.demo_loaded").count(),
    }


def terms(model: type[Category] | type[ActivityKind], fy: int, **filters: object) -> list[TermSpec]:
    rows = model.objects.in_year(fy).filter(**filters).prefetch_related("predecessors")
    return [
        TermSpec(row.name, tuple(p.name for p in row.predecessors.all()))
        for row in rows.order_by("order")
    ]


def category_shapes(fy: int, consulter_type: str) -> dict[str, Shape]:
    return shapes(terms(Category, fy, consulter_type__name=consulter_type))


def test_running_the_demo_again_changes_nothing(db: None, demo: None) -> None:
    before = counts()
    out = StringIO()
    call_command("demo", last_year=2020, stdout=out)
    assert counts() == before
    assert "読み込み済み" in out.getvalue()


def test_three_fiscal_years_of_a_three_person_team(db: None, demo: None) -> None:
    for fy in YEARS:
        assert 1500 <= SupportRecord.objects.in_fiscal_year(fy).count() <= 2500
        assert ImportBatch.objects.get(kind="demo", filename=f"demo-FY{fy}").records.count() == (
            SupportRecord.objects.in_fiscal_year(fy).count()
        )
    assert AuditEntry.objects.filter(action="records.demo_loaded").count() == 3
    # (the other apps' demos add records of the current year; these are the three years')
    assert (
        not SupportRecord.objects.filter(import_batch__kind="demo")
        .exclude(fiscal_year__in=YEARS)
        .exists()
    )


def test_no_record_is_in_the_future(db: None, demo: None) -> None:
    latest = SupportRecord.objects.order_by("-date").first()
    assert latest is not None and latest.date <= timezone.localdate()


def test_the_lists_change_as_the_demo_tells(db: None, demo: None) -> None:
    everything_continues = {"ニーズを抱えている個人", "ボランティア希望（活動）者", "関係機関"}
    for name in everything_continues:
        assert set(category_shapes(2018, name).values()) == {Shape.NEW}
        assert set(category_shapes(2019, name).values()) == {Shape.CONTINUED}

    groups_2019 = category_shapes(2019, "地域活動団体")
    assert groups_2019.pop("会則・会議・役割分担") is Shape.MERGED
    assert set(groups_2019.values()) == {Shape.CONTINUED}

    groups_2020 = category_shapes(2020, "地域活動団体")
    assert groups_2020.pop("新型コロナウイルス関連") is Shape.NEW
    assert set(groups_2020.values()) == {Shape.CONTINUED}

    individuals_2020 = category_shapes(2020, "ニーズを抱えている個人")
    assert individuals_2020.pop("近況報告など") is Shape.SPLIT
    assert individuals_2020.pop("その他") is Shape.SPLIT
    assert set(individuals_2020.values()) == {Shape.CONTINUED}
    assert split_groups(terms(Category, 2020, consulter_type__name="ニーズを抱えている個人")) == [
        (("近況報告など", "その他"), ("近況報告・その他",))
    ]

    agencies_2020 = category_shapes(2020, "関係機関")
    assert agencies_2020.pop("フードバンク・フードパントリー団体について") is Shape.RENAMED
    assert set(agencies_2020.values()) == {Shape.CONTINUED}

    assert not Category.objects.filter(consulter_type__name="市民社協の事業").exists()

    kinds_2020 = shapes(terms(ActivityKind, 2020))
    assert kinds_2020.pop("働きかけ") is Shape.NEW
    assert set(kinds_2020.values()) == {Shape.CONTINUED}
    for fy in (2019, 2020):
        previous = [t.name for t in terms(ActivityKind, fy - 1)]
        assert lineage_errors(previous, terms(ActivityKind, fy)) == []


def test_the_split_categories_together_fell_a_little(db: None, demo: None) -> None:
    def used(fy: int, *names: str) -> int:
        return Through.objects.filter(
            category__fiscal_year=fy,
            category__consulter_type__name="ニーズを抱えている個人",
            category__name__in=names,
        ).count()

    before, after = used(2019, "近況報告・その他"), used(2020, "近況報告など", "その他")
    assert 0 < before - after < before


def test_every_record_uses_the_lists_of_its_own_year(db: None, demo: None) -> None:
    assert not SupportRecord.objects.exclude(activity_kind__fiscal_year=F("fiscal_year")).exists()
    assert not Through.objects.exclude(
        category__fiscal_year=F("supportrecord__fiscal_year")
    ).exists()
    assert not Through.objects.exclude(
        category__consulter_type=F("supportrecord__consulter_type")
    ).exists()
    # What bulk_create could not compute for us.
    for day, fy, note, note_key in SupportRecord.objects.values_list(
        "date", "fiscal_year", "note", "note_key"
    ):
        assert fy == fiscal_year_of(day)
        assert note_key == normalize(note)


def test_consultations_name_categories_as_the_report_counts_them(db: None, demo: None) -> None:
    per_record = SupportRecord.objects.consultations().annotate(n=Count("categories"))
    spread = {
        name: set(per_record.filter(consulter_type__name=name).values_list("n", flat=True))
        for name in ("市民社協の事業", "ニーズを抱えている個人", "地域活動団体", "関係機関")
    }
    assert spread["市民社協の事業"] == {0}
    assert spread["ニーズを抱えている個人"] == {1}
    assert spread["関係機関"] == {1}
    assert spread["地域活動団体"] == {1, 2, 3}
    assert not SupportRecord.objects.filter(consulter_type=None, categories__isnull=False).exists()


def test_outreach_brings_a_third_of_the_consultations(db: None, demo: None) -> None:
    for fy in YEARS:
        consultations = SupportRecord.objects.in_fiscal_year(fy).consultations()
        share = consultations.filter(place=Place.OUTREACH).count() / consultations.count()
        assert 0.30 <= share <= 0.40


def test_approaches_are_counted_from_2020_only(db: None, demo: None) -> None:
    years = set(ActivityKind.objects.filter(name="働きかけ").values_list("fiscal_year", flat=True))
    assert min(years) == 2020  # the lists then carry on to the current year
    approaches = SupportRecord.objects.filter(activity_kind__name="働きかけ")
    assert approaches.exists()
    assert set(approaches.values_list("fiscal_year", flat=True)) == {2020}
    assert set(
        SupportRecord.objects.filter(initiated=True).values_list("fiscal_year", flat=True)
    ) == {2020}


def test_each_record_belongs_to_its_zones_staff_member(db: None, demo: None) -> None:
    assert (
        not SupportRecord.objects.filter(import_batch__kind="demo")
        .exclude(staff=F("zone__staff"))
        .exists()
    )
    assert not SupportRecord.objects.filter(import_batch__kind="demo", zone=None).exists()
    assert (
        not SupportRecord.objects.exclude(target_group=None)
        .exclude(zone=F("target_group__zone"))
        .exists()
    )
    assert (
        not SupportRecord.objects.exclude(target_region=None)
        .exclude(region=F("target_region"))
        .exists()
    )


def test_consultations_look_like_the_councils(db: None, demo: None) -> None:
    individual = SupportRecord.objects.filter(consulter_type__name="ニーズを抱えている個人")
    # most agree to their case being recorded; some stay anonymous
    assert individual.filter(consent=False).count() < individual.filter(consent=True).count()
    assert individual.filter(consent=False).exists()
    # the three connections docs/domain.md tells of
    for words in ("要支援2", "遊び相手", "朝の見守り"):
        example = individual.get(note__contains=words, fiscal_year=2020)
        assert example.target_group is not None
        assert example.agency_links.exists()
    assert RecordAgency.objects.filter(action="referral").exists()
    follow_ups = SupportRecord.objects.filter(follow_up=True)
    assert follow_ups.exists()
    assert all(r.fiscal_year == 2020 and r.date.month == 3 for r in follow_ups)
    assert not follow_ups.filter(follow_up_due__lt=F("date")).exists()
