from django.apps import AppConfig


class SuggestConfig(AppConfig):
    name = "tsunagu.suggest"
    label = "suggest"
    verbose_name = "相談内容の候補"
