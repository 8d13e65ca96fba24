"""`tsunagu bench NAME …`: one of the benchmarks of `tsunagu.bench.BENCHMARKS`, run in a
scratch database (a temporary SQLite file, or a database made for the run on a
PostgreSQL server) so that the user's own database is never opened (docs/benchmarks.md).

The parent process makes the scratch place and runs this same command again in a child
whose environment points the settings there; the child migrates, runs the benchmark and
prints its lines, which the parent passes on."""

import argparse
import json
import subprocess
import sys
import time
from importlib import import_module
from pathlib import Path
from types import ModuleType
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from tsunagu.bench import BENCHMARKS
from tsunagu.bench.scratch import ScratchError, is_scratch, scratch
from tsunagu.bench.timing import database_line, machine_line

OPTIONS_FILE = "options.json"


def benchmark(name: str) -> ModuleType:
    return import_module(BENCHMARKS[name])


def own_options(name: str) -> set[str]:
    """The options the benchmark itself declares, which the child receives."""
    parser = argparse.ArgumentParser(add_help=False)
    benchmark(name).add_arguments(parser)
    return {action.dest for action in parser._actions}


class Command(BaseCommand):
    help = "速さを一時データベースで測ります（tsunagu bench 対象 --help で対象ごとの指定）。"
    # The parent process opens no database; the child checks its own scratch settings.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        targets = parser.add_subparsers(dest="target", required=True, metavar="対象")
        for name in BENCHMARKS:
            module = benchmark(name)
            sub = targets.add_parser(name, help=module.HELP, description=module.HELP)
            module.add_arguments(sub)
            sub.add_argument(
                "--database-url",
                help="PostgreSQL のサーバー（例 postgres://postgres@127.0.0.1:5432/postgres）。"
                "そこに一時データベースを作って測り、最後に削除します。省略すると一時 SQLite ファイル。",
            )
            sub.add_argument("--scratch", help=argparse.SUPPRESS)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["scratch"]:
            self._measure(Path(options["scratch"]))
        else:
            self._run_in_scratch(options)

    def _run_in_scratch(self, options: dict[str, Any]) -> None:
        chosen = {key: options[key] for key in own_options(options["target"])}
        try:
            with scratch(options["database_url"]) as place:
                (place.directory / OPTIONS_FILE).write_text(
                    json.dumps({"target": options["target"], **chosen}), encoding="utf-8"
                )
                child = subprocess.Popen(  # noqa: S603 - our own command, fixed arguments
                    [
                        sys.executable,
                        "-m",
                        "tsunagu",
                        "bench",
                        options["target"],
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

    def _measure(self, directory: Path) -> None:
        if not is_scratch(settings.DATABASES["default"], settings.DATA_DIR, directory):
            raise CommandError("一時データベースの外では実行しません。")
        options = json.loads((directory / OPTIONS_FILE).read_text(encoding="utf-8"))
        self.stdout.write(database_line())
        self.stdout.write(machine_line())
        started = time.perf_counter()
        call_command("migrate", verbosity=0, interactive=False)
        self.stdout.write(f"migrated in {time.perf_counter() - started:.1f} s")
        benchmark(options["target"]).run(options, self.stdout.write)
        connection.close()
