from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tsunagu.cases.conf import RETENTION_YEARS_VARIABLE
from tsunagu.cases.retention import WIPED, anonymise_expired_cases
from tsunagu.lib.fiscal import DateParseError, parse_date


class Command(BaseCommand):
    help = (
        "終了してから保存期間（環境変数 "
        f"{RETENTION_YEARS_VARIABLE}、既定3年）を過ぎた個別支援の個人情報を消去します。"
        "件数の集計に使う項目は残します。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="対象を表示するだけで、何も変更しません。"
        )
        parser.add_argument(
            "--today", help="この日を今日として数えます（例：2024-04-01）。確認用。"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today = None
        if options["today"]:
            try:
                today = parse_date(options["today"])
            except DateParseError as error:
                raise CommandError(str(error)) from error
        result = anonymise_expired_cases(by=None, today=today, dry_run=options["dry_run"])
        if options["dry_run"]:
            self.stdout.write("【試行】何も変更していません。")
        self.stdout.write(result.summary())
        for case in result.cases:
            self.stdout.write(
                f"  No.{case.pk}（終了日 {case.closed_on:%Y-%m-%d}）："
                f"打診{case.asks}件・マッチング{case.matches}件・紹介{case.referrals}件・"
                f"フォローアップ{case.follow_ups}件は件数として残{'します' if options['dry_run'] else 'しました'}"
            )
        if result.cases:
            self.stdout.write(f"消去{'する' if options['dry_run'] else 'した'}項目：{WIPED}")
