"""`tsunagu suggest train`: rebuild the category suggestions from the records (nightly)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from tsunagu.suggest.services import train_suggestions


class Command(BaseCommand):
    help = "相談内容の候補（記録のメモから学習するモデル）を扱います。"

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="操作")
        actions.add_parser(
            "train",
            help="今年度と前年度の候補のモデルを、過去5年度の記録から作り直します（毎晩の実行を想定）",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        result = train_suggestions(by=None)
        self.stdout.write(result.summary())
