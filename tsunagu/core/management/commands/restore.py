from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections

from tsunagu.core.backup import BackupError, RestorePlan, restore_database


class Command(BaseCommand):
    help = (
        "バックアップからデータベースを復元します。先に今のデータベースの控えを "
        "backups に取ります。つなぐを止めてから実行してください。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="復元するバックアップファイル")
        parser.add_argument("--yes", action="store_true", help="確認せずに復元する")

    def handle(self, *args: Any, **options: Any) -> None:
        db = connections["default"].settings_dict

        def confirm(plan: RestorePlan) -> bool:
            if options["yes"]:
                return True
            try:
                answer = input(
                    f"今のデータベースを {plan.source} の内容で置き換えます。"
                    "今の内容は控えを取ってから消えます。よろしいですか？ [y/N] "
                )
            except EOFError:  # no one to ask (a scheduled task): that is a no; --yes says yes
                self.stdout.write("")
                return False
            return answer.strip().lower() in ("y", "yes", "はい")

        connections.close_all()  # SQLite: no connection of ours holds the file being replaced
        try:
            plan, safety = restore_database(db, options["file"], confirm=confirm)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        if safety:
            self.stdout.write(f"復元前のデータベースの控え：{safety}")
        self.stdout.write(f"{plan.source} から復元しました。")
        if plan.pending:
            self.stdout.write(
                f"このバックアップは古い版のものです。データベースを今の版に更新します"
                f"（migrate、{len(plan.pending)} 件）…"
            )
            call_command("migrate", interactive=False, verbosity=0)
            self.stdout.write("更新しました。")
