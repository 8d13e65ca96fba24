"""The skills and insurance plans every council starts with (editable afterwards)."""

from django.db import migrations

from tsunagu.lib.textnorm import normalize

SKILLS = (
    "買い物支援",
    "見守り",
    "話し相手",
    "通院付き添い",
    "子どもの遊び相手",
    "送迎",
    "傾聴",
    "朗読",
    "調理",
    "行事の手伝い",
    "清掃・片付け",
    "パソコン・スマホ",
)
INSURANCE_PLANS = ("基本", "天災")


def seed(apps, schema_editor):
    Skill = apps.get_model("volunteers", "Skill")
    InsurancePlan = apps.get_model("volunteers", "InsurancePlan")
    for order, name in enumerate(SKILLS, start=1):
        Skill.objects.get_or_create(
            name_key=normalize(name), defaults={"name": name, "order": order}
        )
    for order, name in enumerate(INSURANCE_PLANS, start=1):
        InsurancePlan.objects.get_or_create(
            name_key=normalize(name), defaults={"name": name, "order": order}
        )


class Migration(migrations.Migration):
    dependencies = [("volunteers", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
