"""The kinds of need every council starts with (editable afterwards)."""

from django.db import migrations

from tsunagu.lib.textnorm import normalize

NEEDS = [
    "買い物支援",
    "見守り",
    "話し相手",
    "通院付き添い",
    "居場所への参加",
    "子どもの遊び相手・学習支援",
    "食事・食料の支援",
    "家事・ごみ出しの手伝い",
    "その他",
]


def seed(apps, schema_editor):
    NeedKind = apps.get_model("cases", "NeedKind")
    for order, name in enumerate(NEEDS, start=1):
        NeedKind.objects.get_or_create(
            # The historical model has no save(): the key is set here.
            name_key=normalize(name),
            defaults={"name": name, "order": order},
        )


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
