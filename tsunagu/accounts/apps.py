from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "tsunagu.accounts"
    label = "accounts"
    verbose_name = "職員アカウント"

    def ready(self) -> None:
        from tsunagu.accounts import signals  # noqa: F401
