from django.db import migrations

from tsunagu.lib.textnorm import normalize

METHODS = ["戸別募金", "街頭募金", "法人募金", "学校募金", "職域募金", "イベント募金", "その他"]
DRIVES = ["赤い羽根共同募金", "歳末たすけあい募金"]


def seed(apps, schema_editor):
    for model_name, names in (("FundraisingMethod", METHODS), ("FundraisingDrive", DRIVES)):
        model = apps.get_model("grants", model_name)
        if model.objects.exists():
            continue
        for order, name in enumerate(names, start=1):
            model.objects.create(name=name, name_key=normalize(name), order=order)


class Migration(migrations.Migration):
    dependencies = [("grants", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
