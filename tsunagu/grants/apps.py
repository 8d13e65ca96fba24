from django.apps import AppConfig


class GrantsConfig(AppConfig):
    name = "tsunagu.grants"
    label = "grants"
    verbose_name = "助成金・募金"
