"""`tsunagu bench report`: the report of one year against the bare SQL it needs, on
synthetic records in a scratch database (docs/benchmarks.md)."""

import statistics
from argparse import ArgumentParser
from dataclasses import dataclass
from typing import Any

from tsunagu.bench.data import generate
from tsunagu.bench.options import positive
from tsunagu.bench.timing import capture_queries, run_bare, seconds
from tsunagu.lib.fiscal import current_fiscal_year, fiscal_year_label
from tsunagu.reports.builder import build_report

HELP = "年度の報告書の作成時間を、必要な集計 SQL だけの時間と比べて測ります"


def add_arguments(parser: ArgumentParser) -> None:
    parser.add_argument("--records", type=positive, default=1_000_000, help="記録の件数")
    parser.add_argument("--years", type=positive, default=10, help="記録を配る年度の数")
    parser.add_argument("--repeat", type=positive, default=5, help="計測の回数（中央値）")


@dataclass(frozen=True)
class Timing:
    report: float
    bare: float
    queries: int

    @property
    def ratio(self) -> float:
        return self.report / self.bare if self.bare else float("inf")

    def line(self) -> str:
        return (
            f"report {self.report:.2f} s · bare queries {self.bare:.2f} s · ratio {self.ratio:.2f}"
        )


def time_report(fiscal_year: int, *, repeat: int) -> Timing:
    """Medians of `repeat` runs each, after one untimed run of each; the two alternate so
    that neither profits from caches the other warmed."""
    queries = capture_queries(lambda: build_report(fiscal_year))
    run_bare(queries)
    report_times, bare_times = [], []
    for _ in range(repeat):
        report_times.append(seconds(lambda: build_report(fiscal_year)))
        bare_times.append(seconds(lambda: run_bare(queries)))
    return Timing(
        report=statistics.median(report_times),
        bare=statistics.median(bare_times),
        queries=len(queries),
    )


def run(options: dict[str, Any], write: Any) -> None:
    """Inside the scratch database, migrated: generate the records, then time."""
    last_year = current_fiscal_year() - 1
    made = generate(records=options["records"], years=options["years"], last_year=last_year)
    write(
        f"records: {made.records:,} in FY{made.first_year}–FY{made.last_year} "
        f"({made.category_links:,} category links, {made.agency_links:,} agency links), "
        f"generated in {made.seconds:.1f} s"
    )
    timing = time_report(last_year, repeat=options["repeat"])
    write(
        f"report of FY{last_year} ({fiscal_year_label(last_year)}), city-wide: "
        f"{timing.queries} queries; median of {options['repeat']} runs after a warm-up"
    )
    write(timing.line())
