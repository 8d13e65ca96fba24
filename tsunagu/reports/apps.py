from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "tsunagu.reports"
    label = "reports"
    verbose_name = "報告書"

    def ready(self) -> None:
        from tsunagu.reports.cache import connect

        connect()
