"""`tsunagu bench export`: `tsunagu export records` of N synthetic records as CSV and as
.xlsx, each against the import of the same file into a fresh database (docs/benchmarks.md).

The import is the floor: an export should cost no more than reading the same file back.
The fresh database is the scratch one flushed and given the same directory, yearly lists
and staff again (the same seed), with no records."""

import io
import time
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.db import transaction

from tsunagu.bench.data import Generated, generate
from tsunagu.bench.options import positive
from tsunagu.lib.fiscal import current_fiscal_year

HELP = "支援記録の書き出し（CSV・Excel）の時間を、同じファイルの取り込みの時間と比べて測ります"
YEARS = 3
FORMATS = ("csv", "xlsx")


def add_arguments(parser: ArgumentParser) -> None:
    parser.add_argument("--records", type=positive, default=100_000, help="記録の件数")


def fill(records: int) -> Generated:
    """The council of the benchmark with `records` records, in the years before this one
    (an import refuses none of their dates)."""
    from tsunagu.records.defaults import ensure_consulter_types

    with transaction.atomic():
        ensure_consulter_types()
    return generate(records=records, years=YEARS, last_year=current_fiscal_year() - 1)


def timed(run: Any) -> float:
    started = time.perf_counter()
    run()
    return time.perf_counter() - started


def run(options: dict[str, Any], write: Any) -> None:
    """Inside the scratch database, migrated: the records, both exports, then each file
    imported into the database emptied and filled again without records."""
    from tsunagu.records.models import SupportRecord

    made = fill(options["records"])
    write(
        f"records: {made.records:,} in FY{made.first_year}–FY{made.last_year} "
        f"({made.category_links:,} category links, {made.agency_links:,} agency links), "
        f"generated in {made.seconds:.1f} s"
    )
    directory = Path(settings.DATA_DIR)  # the scratch directory
    exports = {}
    for fmt in FORMATS:
        path = directory / f"records.{fmt}"
        exports[fmt] = timed(
            lambda path=path: call_command(
                "export", "records", "-o", str(path), stdout=io.StringIO()
            )
        )
    for fmt in FORMATS:
        path = directory / f"records.{fmt}"
        call_command("flush", interactive=False, verbosity=0)
        fill(0)
        imported = timed(
            lambda path=path: call_command("import", "records", str(path), stdout=io.StringIO())
        )
        rows = SupportRecord.objects.count()
        ratio = exports[fmt] / imported if imported else float("inf")
        write(
            f"{fmt}: {rows:,} rows, {path.stat().st_size / 1024 / 1024:,.1f} MB · "
            f"export {exports[fmt]:.2f} s · import {imported:.2f} s · ratio {ratio:.2f}"
        )
