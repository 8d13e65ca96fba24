"""`tsunagu bench report`: the report of one year against the bare SQL it needs, on
synthetic records in a scratch database (docs/benchmarks.md)."""

import argparse
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from tsunagu.lib.fiscal import current_fiscal_year, fiscal_year_label
from tsunagu.reports.bench.data import generate
from tsunagu.reports.bench.scratch import ScratchError, is_scratch, scratch
from tsunagu.reports.bench.timing import database_line, machine_line, time_report


def _positive(text: str) -> int:
    try:
        value = int(text.replace("_", "").replace(",", ""))
    except ValueError:
        raise argparse.ArgumentTypeError(f"正の整数を指定してください：{text}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"正の整数を指定してください：{text}")
    return value


class Command(BaseCommand):
    help = "報告書の作成時間を、必要な集計 SQL だけの時間と比べて測ります（一時データベースで）。"
    # The parent process opens no database; the child checks its own scratch settings.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("target", choices=["report"], help="測る対象（report：年度の報告書）")
        parser.add_argument("--records", type=_positive, default=1_000_000, help="記録の件数")
        parser.add_argument("--years", type=_positive, default=10, help="記録を配る年度の数")
        parser.add_argument("--repeat", type=_positive, default=5, help="計測の回数（中央値）")
        parser.add_argument(
            "--database-url",
            help="PostgreSQL のサーバー（例 postgres://postgres@127.0.0.1:5432/postgres）。"
            "そこに一時データベースを作って測り、最後に削除します。省略すると一時 SQLite ファイル。",
        )
        parser.add_argument("--scratch", help=argparse.SUPPRESS)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["scratch"]:
            self._measure(Path(options["scratch"]), options)
        else:
            self._run_in_scratch(options)

    def _run_in_scratch(self, options: dict[str, Any]) -> None:
        try:
            with scratch(options["database_url"]) as place:
                child = subprocess.Popen(  # noqa: S603 - our own command, fixed arguments
                    [
                        sys.executable,
                        "-m",
                        "tsunagu",
                        "bench",
                        "report",
                        f"--records={options['records']}",
                        f"--years={options['years']}",
                        f"--repeat={options['repeat']}",
                        f"--scratch={place.directory}",
                    ],
                    env={**place.environ, "PYTHONUNBUFFERED": "1"},
                    stdout=subprocess.PIPE,
                    text=True,
                    encoding="utf-8",
                )
                assert child.stdout is not None
                with child:
                    for line in child.stdout:
                        self.stdout.write(line.rstrip("\n"))
                if child.returncode:
                    raise CommandError(
                        f"ベンチマークが途中で失敗しました（終了コード {child.returncode}）。"
                    )
        except ScratchError as error:
            raise CommandError(str(error)) from error

    def _measure(self, directory: Path, options: dict[str, Any]) -> None:
        if not is_scratch(settings.DATABASES["default"], settings.DATA_DIR, directory):
            raise CommandError("一時データベースの外では実行しません。")
        self.stdout.write(database_line())
        self.stdout.write(machine_line())
        started = time.perf_counter()
        call_command("migrate", verbosity=0, interactive=False)
        self.stdout.write(f"migrated in {time.perf_counter() - started:.1f} s")
        last_year = current_fiscal_year() - 1
        made = generate(records=options["records"], years=options["years"], last_year=last_year)
        self.stdout.write(
            f"records: {made.records:,} in FY{made.first_year}–FY{made.last_year} "
            f"({made.category_links:,} category links, {made.agency_links:,} agency links), "
            f"generated in {made.seconds:.1f} s"
        )
        timing = time_report(last_year, repeat=options["repeat"])
        self.stdout.write(
            f"report of FY{last_year} ({fiscal_year_label(last_year)}), city-wide: "
            f"{timing.queries} queries; median of {options['repeat']} runs after a warm-up"
        )
        self.stdout.write(timing.line())
        connection.close()
