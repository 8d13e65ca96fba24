from typing import Any

from django.core.management.base import BaseCommand
from django.db import connection, transaction

from tsunagu.records import note_index


class Command(BaseCommand):
    help = "メモ検索の索引を支援記録の表から作り直します（取り込みや復元の後の確認用）。"

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            message = note_index.rebuild(connection)
        self.stdout.write(message)
