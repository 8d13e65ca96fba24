from typing import Any

from django.core.management.base import BaseCommand

from tsunagu.records.services import TRASH_DAYS, purge_expired


class Command(BaseCommand):
    help = (
        f"ごみ箱に{TRASH_DAYS}日より長く入っている支援記録を完全に削除します（毎日の実行を想定）。"
    )

    def handle(self, *args: Any, **options: Any) -> None:
        count = purge_expired(by=None)
        self.stdout.write(f"ごみ箱から{count}件の記録を完全に削除しました。")
