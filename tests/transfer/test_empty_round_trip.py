"""Every export re-imports into an empty database, also one of a database with little or
nothing registered yet: a header-only sheet means "nothing to change", never an error."""

from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from tests.transfer.conftest import run_import
from tests.transfer.test_round_trip import directory_tuples, empty_the_database, list_tuples
from tsunagu.directory.models import GroupKind, Zone
from tsunagu.records.models import ActivityKind, ImportBatch
from tsunagu.transfer.exporters import export_file
from tsunagu.transfer.formats import ENTITY_FORMATS, find_entity
from tsunagu.transfer.services import NOTHING_TO_IMPORT

PAIRS = [
    ("records", "xlsx", None),
    ("records", "csv", None),
    ("categories", "xlsx", None),
    ("categories", "csv", None),
    ("directory", "xlsx", None),
    *[("directory", "csv", entity.slug) for entity in ENTITY_FORMATS],
]


@pytest.mark.parametrize(("kind", "fmt", "slug"), PAIRS)
def test_an_export_of_an_empty_database_imports_as_nothing_to_change(
    db: None, kind: str, fmt: str, slug: str | None
) -> None:
    entity = find_entity(slug) if slug else None
    data, rows = export_file(kind, fmt, entity=entity)
    assert rows == 0
    filename = f"{entity.name if entity else kind}.{fmt}"
    result = run_import(kind, data, filename=filename)
    assert (result.message, result.batch) == (NOTHING_TO_IMPORT, None)
    # Not recorded: an empty file never blocks a later one as "already imported".
    assert not ImportBatch.objects.exists()
    assert run_import(kind, data, filename=filename).message == NOTHING_TO_IMPORT


def test_a_directory_with_only_zones_and_kinds_round_trips(staff_user: Any) -> None:
    Zone.objects.create(name="東部圏域", description="駅の東", staff=staff_user, order=1)
    Zone.objects.create(name="西部圏域", order=2, active=False)
    GroupKind.objects.create(name="サロン", order=1)
    before = directory_tuples()
    data, _ = export_file("directory", "xlsx")
    empty_the_database()
    result = run_import("directory", data, filename="マスタ.xlsx")
    assert result.message.startswith("マスタを取り込みました（圏域 追加 2件・変更 0件、")
    assert directory_tuples() == before


def test_the_directory_command_round_trip_of_a_new_city(
    db: None, tmp_path: Path, staff_user: Any
) -> None:
    """`tsunagu export directory` then `tsunagu import directory`, before groups exist."""
    Zone.objects.create(name="東部圏域", staff=staff_user, order=1)
    path = tmp_path / "マスタ.xlsx"
    call_command("export", "directory", "-o", str(path), stdout=StringIO())
    empty_the_database()
    out = StringIO()
    call_command("import", "directory", str(path), stdout=out, stderr=StringIO())
    assert "圏域 追加 1件" in out.getvalue()
    assert list(Zone.objects.values_list("name", flat=True)) == ["東部圏域"]
    # Once more: the zone is there, and every other sheet is still only a header.
    path.write_bytes(export_file("directory", "xlsx")[0])
    empty_the_database()
    call_command("import", "directory", str(path), stdout=StringIO(), stderr=StringIO())
    assert Zone.objects.count() == 1


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_a_year_of_activity_kinds_without_categories_round_trips(db: None, fmt: str) -> None:
    for order, name in enumerate(["出向き・参加", "相談対応"], start=1):
        ActivityKind.objects.create(fiscal_year=2024, name=name, order=order)
    before = list_tuples()
    data, rows = export_file("categories", fmt)
    assert rows == 2
    empty_the_database()
    run_import("categories", data, filename=f"分類.{fmt}")
    assert list_tuples() == before
