from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from tsunagu.directory.demo import DEMO_PASSWORD, USERS, load_directory


class Command(BaseCommand):
    help = "デモ用の社協（架空の市）のデータを読み込みます。何度実行しても重複しません。"

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            load_directory()
        self.stdout.write(self.style.SUCCESS("デモデータを読み込みました。"))
        self.stdout.write("デモ用のログイン（パスワードはすべて " + DEMO_PASSWORD + "）：")
        for username, last, first, role in USERS:
            self.stdout.write(f"  {username:<10} {last} {first}（{role.label}）")
