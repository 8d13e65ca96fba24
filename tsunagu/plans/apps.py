from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "tsunagu.plans"
    label = "plans"
    verbose_name = "エリア別地域福祉活動計画"
