"""The individual consulters' heading as the reference council prints it.

Migration 0002 seeded 「ニーズを抱えている個人からの相談」; the council's tables say
「ニーズを抱えている個人の相談」. Only a heading still at the old default changes: one an
administrator wrote is theirs."""

from django.db import migrations

NAME = "ニーズを抱えている個人"
OLD = "ニーズを抱えている個人からの相談"
NEW = "ニーズを抱えている個人の相談"


def forward(apps, schema_editor):
    ConsulterType = apps.get_model("records", "ConsulterType")
    ConsulterType.objects.filter(name=NAME, report_title=OLD).update(report_title=NEW)


def backward(apps, schema_editor):
    ConsulterType = apps.get_model("records", "ConsulterType")
    ConsulterType.objects.filter(name=NAME, report_title=NEW).update(report_title=OLD)


class Migration(migrations.Migration):
    dependencies = [("records", "0009_category_catch_all")]
    operations = [migrations.RunPython(forward, backward)]
