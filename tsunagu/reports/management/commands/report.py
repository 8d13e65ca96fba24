import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tsunagu.directory.models import Region, Zone
from tsunagu.lib.fiscal import FiscalParseError, parse_fiscal_year
from tsunagu.lib.textnorm import normalize
from tsunagu.reports.builder import Scope
from tsunagu.reports.period import PeriodError, parse_period
from tsunagu.reports.renderers.csvio import render_csv_zip
from tsunagu.reports.renderers.jsonio import render_json
from tsunagu.reports.renderers.text import render_text
from tsunagu.reports.renderers.xlsx import render_xlsx
from tsunagu.reports.services import figures_for

BINARY = {"xlsx", "csv"}


class Command(BaseCommand):
    help = "年度の実績報告を出力します（締めた年度は公表値）。"

    def add_arguments(self, parser: CommandParser) -> None:
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--fy", help="年度（2020、令和2年度、R2）")
        which.add_argument(
            "--period",
            help="年度の中の期間（2020-04、2020-Q1、2020-H1、2020-04..2020-09、"
            "2020-05-03..2020-08-20。Q・H は年度の四半期・半期）",
        )
        scope = parser.add_mutually_exclusive_group()
        scope.add_argument("--zone", help="圏域の名称")
        scope.add_argument("--region", help="地域社協の名称")
        parser.add_argument("--format", choices=["text", "json", "xlsx", "csv"], default="text")
        parser.add_argument(
            "-o", "--output", help="出力するファイル（省略すると画面に表示。xlsx・csv は必須）"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        period = None
        try:
            if options["period"]:
                period = parse_period(options["period"])
                fiscal_year = period.fiscal_year
            else:
                fiscal_year = parse_fiscal_year(options["fy"])
        except (FiscalParseError, PeriodError) as error:
            raise CommandError(str(error)) from error
        scope = Scope(
            zone=_find(Zone, options["zone"], "圏域"),
            region=_find(Region, options["region"], "地域社協"),
        )
        report = figures_for(fiscal_year, scope, period).report
        fmt, output = options["format"], options["output"]
        if fmt in BINARY and not output:
            raise CommandError(f"{fmt} は -o でファイル名を指定してください。")
        content: bytes | str
        if fmt == "text":
            content = render_text(report)
        elif fmt == "json":
            content = render_json(report)
        elif fmt == "xlsx":
            content = render_xlsx(report)
        else:
            content = render_csv_zip(report)
        if output:
            path = Path(output)
            path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
            self.stdout.write(
                f"{report.title_label}（{report.scope_label}）の報告を {path} に書き出しました。"
            )
        else:
            sys.stdout.write(content if isinstance(content, str) else "")
            sys.stdout.flush()


def _find(model: Any, name: str | None, label: str) -> Any:
    if not name:
        return None
    found = model.objects.filter(name_key=normalize(name)).first()
    if found is None:
        names = "、".join(model.objects.values_list("name", flat=True)[:20])
        raise CommandError(f"{label}「{name}」が見つかりません。登録されている{label}：{names}")
    return found
