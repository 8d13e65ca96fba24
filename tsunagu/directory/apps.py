from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "tsunagu.directory"
    label = "directory"
    verbose_name = "マスタ"
