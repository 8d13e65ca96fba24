from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tsunagu.lib.fiscal import FiscalParseError, parse_fiscal_year
from tsunagu.lib.tabular import TableError, table_format
from tsunagu.transfer.exporters import export_sheets, log_export, save
from tsunagu.transfer.formats import KIND_LABELS, Kind, entity_names, find_entity


class Command(BaseCommand):
    help = (
        "支援記録・分類・相談者区分・マスタを Excel（.xlsx）か CSV に書き出します。"
        "書き出したファイルはそのまま取り込めます。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=list(KIND_LABELS))
        parser.add_argument(
            "-o", "--output", required=True, help="書き出すファイル（.xlsx または .csv）"
        )
        parser.add_argument(
            "--fy",
            help="年度（2020、令和2年度など）。省略するとすべての年度（マスタと相談者区分には年度はありません）",
        )
        parser.add_argument("--entity", help=f"マスタの種類：{entity_names()}（CSV では必須）")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["output"])
        try:
            fmt = table_format(path.name)
        except TableError as error:
            raise CommandError(str(error)) from error
        fiscal_year = None
        if options["fy"]:
            try:
                fiscal_year = parse_fiscal_year(options["fy"])
            except FiscalParseError as error:
                raise CommandError(str(error)) from error
        entity = None
        if options["entity"]:
            entity = find_entity(options["entity"])
            if entity is None:
                raise CommandError(
                    f"マスタの種類「{options['entity']}」はありません。{entity_names()}のどれかです。"
                )
        if options["kind"] == Kind.DIRECTORY and fmt == "csv" and entity is None:
            raise CommandError(
                f"CSV に書き出すときは --entity でマスタの種類（{entity_names()}）を選んでください。"
            )
        sheets, rows = export_sheets(options["kind"], fmt, fiscal_year=fiscal_year, entity=entity)
        try:
            with path.open("wb") as target:
                save(target, fmt, sheets)
        except OSError as error:
            raise CommandError(
                f"ファイル「{path}」に書き込めません（{error.strerror}）。"
            ) from error
        if options["kind"] == Kind.RECORDS:
            log_export(by=None, kind=Kind.RECORDS, fmt=fmt, rows=rows)
        self.stdout.write(self.style.SUCCESS(f"{rows:,}行を {path} に書き出しました。"))
