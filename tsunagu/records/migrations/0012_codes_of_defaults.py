"""Existing databases: the entries that still have their default names take their codes,
so that the volunteer centre keeps finding them (records/codes.py). A renamed entry is
left without a code: editing its list carries the code again through the lineage."""

from django.db import migrations

from tsunagu.lib.textnorm import normalize

CONSULTER_TYPES = [("ボランティア希望（活動）者", "volunteer")]
# (consulter type code, category name, code)
CATEGORIES = [
    ("volunteer", "ボランティアしたい", "volunteer-wish"),
    ("volunteer", "寄付（寄贈）したい", "donation-wish"),
]
ACTIVITY_KINDS = [("相談対応", "consultation"), ("出向き・参加", "outreach")]


def set_codes(apps, schema_editor):
    ConsulterType = apps.get_model("records", "ConsulterType")
    Category = apps.get_model("records", "Category")
    ActivityKind = apps.get_model("records", "ActivityKind")
    for name, code in CONSULTER_TYPES:
        if not ConsulterType.objects.filter(code=code).exists():
            ConsulterType.objects.filter(name=name, code="").update(code=code)
    for type_code, name, code in CATEGORIES:
        consulter_type = ConsulterType.objects.filter(code=type_code).first()
        if consulter_type is None:
            continue
        Category.objects.filter(
            consulter_type=consulter_type, name_key=normalize(name), code=""
        ).exclude(
            fiscal_year__in=Category.objects.filter(
                code=code, consulter_type=consulter_type
            ).values("fiscal_year")
        ).update(code=code)
    for name, code in ACTIVITY_KINDS:
        ActivityKind.objects.filter(name_key=normalize(name), code="").exclude(
            fiscal_year__in=ActivityKind.objects.filter(code=code).values("fiscal_year")
        ).update(code=code)


class Migration(migrations.Migration):
    dependencies = [("records", "0011_codes")]
    operations = [migrations.RunPython(set_codes, migrations.RunPython.noop)]
