from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "tsunagu.core"
    label = "core"
    verbose_name = "つなぐ"

    def ready(self) -> None:
        from tsunagu.core.access import load_rules
        from tsunagu.core.discovery import discover

        load_rules()  # every app's rules.py, so that the registry is whole from the start
        discover()  # the apps' home panels and audit labels: a broken one fails here
