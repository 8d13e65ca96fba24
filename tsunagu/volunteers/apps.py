from django.apps import AppConfig


class VolunteersConfig(AppConfig):
    name = "tsunagu.volunteers"
    label = "volunteers"
    verbose_name = "ボランティアセンター"
