from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "tsunagu.records"
    label = "records"
    verbose_name = "支援記録"
