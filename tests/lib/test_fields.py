"""with_derived_fields: a partial save never leaves a derived column behind."""

import pytest

from tsunagu.lib.fields import with_derived_fields

DERIVED = {"name": "name_key", "date": "fiscal_year"}


def test_a_full_save_stays_full() -> None:
    assert with_derived_fields(None, DERIVED) is None


def test_a_source_brings_its_derived_column() -> None:
    assert with_derived_fields(["name", "order"], DERIVED) == {"name", "name_key", "order"}
    assert with_derived_fields(("date", "name"), DERIVED) == {
        "date",
        "fiscal_year",
        "name",
        "name_key",
    }


def test_other_fields_add_nothing() -> None:
    assert with_derived_fields(["order"], DERIVED) == {"order"}
    assert with_derived_fields([], DERIVED) == set()


@pytest.mark.django_db
def test_a_plan_target_renamed_by_a_partial_save_keeps_its_search_key() -> None:
    from tsunagu.plans.models import PlanTarget

    target = PlanTarget.objects.create(name="高齢者")
    target.name = "コドモ"
    target.save(update_fields=["name"])
    target.refresh_from_db()
    assert target.name_key == "こども"
    assert PlanTarget.objects.get(name_key="こども").name == "コドモ"
