"""The five consulter types every council starts with (editable afterwards)."""

from django.db import migrations

# Frozen history: the types as this migration seeded them. The running app's defaults are
# records/defaults.py (CONSULTER_TYPES); later migrations bring older databases to them
# (0010 the heading, 0012 the codes). Never edit this to follow them.
TYPES = [
    ("市民社協の事業", "市民社協の事業に関連する相談", "total"),
    ("ニーズを抱えている個人", "ニーズを抱えている個人からの相談", "ranked"),
    ("ボランティア希望（活動）者", "ボランティア希望（活動）者からの相談", "ranked"),
    ("地域活動団体", "地域活動団体からの相談", "ranked"),
    ("関係機関", "関係機関からの相談", "listed"),
]


def seed(apps, schema_editor):
    ConsulterType = apps.get_model("records", "ConsulterType")
    for order, (name, title, style) in enumerate(TYPES, start=1):
        ConsulterType.objects.get_or_create(
            name=name, defaults={"report_title": title, "report_style": style, "order": order}
        )


class Migration(migrations.Migration):
    dependencies = [("records", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
