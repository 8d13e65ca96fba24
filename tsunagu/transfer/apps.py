from django.apps import AppConfig


class TransferConfig(AppConfig):
    name = "tsunagu.transfer"
    label = "transfer"
    verbose_name = "取り込み・出力"
