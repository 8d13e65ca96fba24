from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from tsunagu.accounts.models import User
from tsunagu.transfer.formats import KIND_LABELS, entity_names
from tsunagu.transfer.importers.base import ImportRefused
from tsunagu.transfer.services import import_file


class Command(BaseCommand):
    help = (
        "Excel（.xlsx）か CSV のファイルを取り込みます。一行でも問題があれば何も取り込まず、"
        "すべての問題を行・列ごとに表示します。形式は docs/import-formats.md を見てください。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "kind",
            choices=list(KIND_LABELS),
            help="directory（マスタ）、categories（分類）、consulter-types（相談者区分）、"
            "records（支援記録）、baseline（過去の集計値）",
        )
        parser.add_argument("file", help="取り込むファイル（.xlsx または .csv）")
        parser.add_argument(
            "--entity", help=f"CSV のマスタの種類：{entity_names()}（Excel ではシート名）"
        )
        parser.add_argument(
            "--user", help="取り込みをした職員のログインID（記録の登録者になります）"
        )
        parser.add_argument(
            "--update",
            action="store_true",
            help="支援記録で、記録IDがすでにある行はその記録を上書きします"
            "（指定しなければ二重の取り込みとして断ります。--user が必要です）",
        )

        parser.add_argument(
            "--include-closed",
            action="store_true",
            help="支援記録で、締められた年度の日付の行も取り込みます"
            "（指定しなければ、そのような行があるファイルは何も取り込みません）",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"ファイル「{path}」を開けません（{error.strerror}）。") from error
        user = None
        if options["user"]:
            user = User.objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"ログインID「{options['user']}」の職員がいません。")
        try:
            result = import_file(
                by=user,
                kind=options["kind"],
                data=data,
                filename=path.name,
                entity=options["entity"],
                update=options["update"],
                include_closed=options["include_closed"],
            )
        except ImportRefused as refused:
            for line in refused.lines():
                self.stderr.write(line)
            raise CommandError(
                f"問題が {refused.count:,} 件あるため、何も取り込んでいません。"
            ) from refused
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(self.style.SUCCESS(result.message))
