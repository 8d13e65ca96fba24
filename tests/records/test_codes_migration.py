"""Migration 0010: an existing database gets the codes of the entries that still have
their default names, so its volunteer centre keeps registering after the upgrade."""

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tsunagu.lib.textnorm import normalize
from tsunagu.records.models import ActivityKind, Category, ConsulterType

BEFORE = [("records", "0011_codes")]
AFTER = [("records", "0012_codes_of_defaults")]


def migrate(targets: list[tuple[str, str]]) -> Any:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def back_to_latest() -> Iterator[None]:
    """Leave the database at its latest migrations: migrating back to 0011 unapplies every
    later migration (of records and of the apps that depend on it), and the tests that
    run next in this worker expect their tables and triggers."""
    yield
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_an_existing_database_gets_its_codes_where_the_default_names_hold(  # type: ignore[no-untyped-def]
    transactional_db, back_to_latest
) -> None:
    old = migrate(BEFORE)
    types, categories, kinds = (
        old.get_model("records", name) for name in ("ConsulterType", "Category", "ActivityKind")
    )
    types.objects.update(code="")
    volunteers, _ = types.objects.get_or_create(name="ボランティア希望（活動）者")
    needs, _ = types.objects.get_or_create(name="ニーズを抱えている個人", defaults={"order": 2})
    for fiscal_year, names in {
        2019: ["ボランティアしたい", "寄付（寄贈）したい"],
        2020: ["ボランティア活動をしたい", "寄付（寄贈）したい"],  # the council renamed one
    }.items():
        for order, name in enumerate(names, start=1):
            categories.objects.create(
                fiscal_year=fiscal_year,
                consulter_type=volunteers,
                name=name,
                name_key=normalize(name),
                order=order,
            )
        for order, name in enumerate(["出向き・参加", "相談対応"], start=1):
            kinds.objects.create(
                fiscal_year=fiscal_year,
                name=name,
                name_key=normalize(name),
                order=order,
                is_consultation=name == "相談対応",
            )
    # Another type's category of the same name is not the volunteer centre's.
    categories.objects.create(
        fiscal_year=2020,
        consulter_type=needs,
        name="ボランティアしたい",
        name_key=normalize("ボランティアしたい"),
    )

    migrate(AFTER)

    assert ConsulterType.objects.get(name="ボランティア希望（活動）者").code == "volunteer"
    assert ConsulterType.objects.get(name="ニーズを抱えている個人").code == ""
    assert sorted(
        Category.objects.values_list("fiscal_year", "consulter_type__name", "name", "code")
    ) == [
        (2019, "ボランティア希望（活動）者", "ボランティアしたい", "volunteer-wish"),
        (2019, "ボランティア希望（活動）者", "寄付（寄贈）したい", "donation-wish"),
        (2020, "ニーズを抱えている個人", "ボランティアしたい", ""),
        (2020, "ボランティア希望（活動）者", "ボランティア活動をしたい", ""),
        (2020, "ボランティア希望（活動）者", "寄付（寄贈）したい", "donation-wish"),
    ]
    assert sorted(ActivityKind.objects.values_list("fiscal_year", "name", "code")) == [
        (2019, "出向き・参加", "outreach"),
        (2019, "相談対応", "consultation"),
        (2020, "出向き・参加", "outreach"),
        (2020, "相談対応", "consultation"),
    ]
