from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


def proxy_options() -> dict[str, Any]:
    """waitress's reverse-proxy options from TSUNAGU_TRUSTED_PROXIES: only from that
    address are X-Forwarded-For/-Proto believed (the client's address becomes
    REMOTE_ADDR, which the login lockout counts by); from anyone else they are removed."""
    if not settings.TRUSTED_PROXIES:
        return {}
    return {
        "trusted_proxy": settings.TRUSTED_PROXIES[0],
        "trusted_proxy_count": 1,
        "trusted_proxy_headers": "x-forwarded-for x-forwarded-proto",
        "clear_untrusted_proxy_headers": True,
    }


class Command(BaseCommand):
    help = "データベースを更新してから、waitress で つなぐ を起動します。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--host", default="127.0.0.1", help="待ち受けるアドレス（既定 127.0.0.1）"
        )
        parser.add_argument("--port", type=int, default=8000, help="ポート番号（既定 8000）")
        parser.add_argument("--threads", type=int, default=8, help="同時に処理するリクエスト数")
        parser.add_argument("--no-migrate", action="store_true", help="起動前の migrate を省く")

    def handle(self, *args: Any, **options: Any) -> None:
        import waitress  # type: ignore[import-untyped]

        from tsunagu.wsgi import application

        if not options["no_migrate"]:
            call_command("migrate", interactive=False, verbosity=0)
        host, port = options["host"], options["port"]
        self.stdout.write(f"つなぐ を http://{host}:{port}/ で起動しました（止めるには Ctrl+C）。")
        if settings.DEBUG:
            self.stdout.write(
                self.style.WARNING("TSUNAGU_DEBUG が有効です。本番では無効にしてください。")
            )
        waitress.serve(
            application,
            host=host,
            port=port,
            threads=options["threads"],
            ident="tsunagu",
            **proxy_options(),
        )
