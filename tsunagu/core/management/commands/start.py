from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from tsunagu.accounts.models import User
from tsunagu.core.demo_mode import only_demo_data


class Command(BaseCommand):
    help = "初回の準備（migrate、空のときはデモデータ）をしてから起動します。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        if not User.objects.exists():
            self.stdout.write("データベースが空なので、デモデータを読み込みます…")
            call_command("demo")  # by name: product apps import nothing from tsunagu.demo
            call_command("suggest", "train")
        # Every page says it is the demo, so nobody types a real person into it.
        settings.DEMO_MODE = only_demo_data()
        call_command("serve", host=options["host"], port=options["port"], no_migrate=True)
