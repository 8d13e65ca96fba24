"""What the suggestions learn from: the lineage that carries old categories to this
year's, and the records that may be learnt from at all."""

from datetime import date

import pytest
from django.utils import timezone

from tests.suggest.conftest import Council
from tsunagu.cases.models import Case
from tsunagu.suggest.examples import Term, carry_forward, collect, eligible_records, record_labels


def term(pk: int, fy: int, *predecessors: int, retired: bool = False) -> Term:
    return Term(
        pk=pk, fiscal_year=fy, consulter_type_id=1, retired=retired, predecessors=predecessors
    )


def test_renamed_and_continued_categories_keep_their_history() -> None:
    carried = carry_forward([term(1, 2018), term(2, 2019, 1), term(3, 2020, 2)], 2020)
    assert carried == {1: {3: 1.0}, 2: {3: 1.0}, 3: {3: 1.0}}


def test_merged_categories_become_the_merged_one() -> None:
    carried = carry_forward([term(1, 2019), term(2, 2019), term(3, 2020, 1, 2)], 2020)
    assert carried[1] == {3: 1.0}
    assert carried[2] == {3: 1.0}


def test_a_split_category_counts_for_each_half_equally() -> None:
    carried = carry_forward([term(1, 2019), term(2, 2020, 1), term(3, 2020, 1)], 2020)
    assert carried[1] == {2: 0.5, 3: 0.5}


def test_a_dropped_category_and_a_retired_one_teach_nothing() -> None:
    carried = carry_forward(
        [term(1, 2019), term(2, 2019), term(3, 2020, 2, retired=True), term(4, 2020)], 2020
    )
    assert 1 not in carried  # no successor
    assert 2 not in carried and 3 not in carried  # its successor is not offered
    assert carried[4] == {4: 1.0}


def test_a_record_of_several_categories_counts_once() -> None:
    carried = {1: {10: 1.0}, 2: {11: 0.5, 12: 0.5}}
    assert record_labels([1, 2], carried) == {10: 0.5, 11: 0.25, 12: 0.25}
    assert record_labels([99], carried) == {}


def test_old_records_are_learnt_under_this_years_names(history: Council) -> None:
    examples = collect(2020)
    group = history.types["地域活動団体"].pk
    labels = {next(iter(example.labels)) for _, example in examples[group]}
    names = {
        history.categories[f"2020:{n}"].pk: n for n in ["助成金", "広報", "会則・会議・役割分担"]
    }
    assert {names[pk] for pk in labels} == set(names.values())


def test_a_year_outside_the_window_is_not_learnt(history: Council) -> None:
    assert collect(2030) == {}


@pytest.mark.django_db
def test_trashed_anonymised_and_empty_notes_are_not_learnt(council: Council, city) -> None:  # type: ignore[no-untyped-def]
    kept = council.record(date(2020, 6, 1), ["2020:広報"], "チラシの相談")
    trashed = council.record(date(2020, 6, 2), ["2020:広報"], "チラシの相談")
    trashed.deleted_at = timezone.now()
    trashed.save(update_fields=["deleted_at"])
    council.record(date(2020, 6, 3), ["2020:広報"], "")
    anonymised = council.record(date(2020, 6, 4), ["2020:広報"], "チラシの相談")
    case = Case.objects.create(
        pseudonym="Aさん",
        opened_on=date(2020, 6, 4),
        zone=city["east"],
        anonymised_at=timezone.now(),
    )
    case.records.add(anonymised)
    open_case = Case.objects.create(
        pseudonym="Bさん", opened_on=date(2020, 6, 5), zone=city["east"]
    )
    linked = council.record(date(2020, 6, 5), ["2020:広報"], "チラシの相談")
    open_case.records.add(linked)
    assert set(eligible_records().values_list("pk", flat=True)) == {kept.pk, linked.pk}
