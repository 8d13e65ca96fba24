from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections

from tsunagu.core.backup import BackupError, backup_database, rotate, size_label


class Command(BaseCommand):
    help = (
        "データベースのバックアップを作ります（書き込み中でも一貫した内容）。"
        "既定の保存先はデータフォルダーの backups です。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "-o", "--output", type=Path, help="保存するファイル（既定：backups/tsunagu-日時）"
        )
        parser.add_argument(
            "--keep",
            type=int,
            metavar="N",
            help="同じフォルダーのバックアップを新しい N 個だけ残す",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        keep = options["keep"]
        if keep is not None and keep < 1:
            raise CommandError("--keep には 1 以上の数を指定してください。")
        db = connections["default"].settings_dict
        try:
            path = backup_database(db, output=options["output"])
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"バックアップを作りました：{path}（{size_label(path.stat().st_size)}）")
        if keep is not None:
            for old in rotate(path.parent, keep):
                self.stdout.write(f"古いバックアップを削除しました：{old.name}")
