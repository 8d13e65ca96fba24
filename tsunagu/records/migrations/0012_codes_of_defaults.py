"""Existing databases: the entries that still have their default names take their codes,
so that the volunteer centre keeps finding them (records/codes.py). A renamed entry is
left without a code: editing its list carries the code again through the lineage."""

import string
import unicodedata

from django.db import migrations

# A frozen copy of tsunagu.lib.textnorm.normalize as it was when this migration was
# written, with jaconv.kata2hira spelled out in the standard library. A migration is
# history: it must compute the same keys however the live function or its dependencies
# change later, so it imports nothing of tsunagu
# (tests/core/test_migrations_selfcontained.py).
_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)
_KATAKANA_TO_HIRAGANA = {c: c - 0x60 for c in range(0x30A1, 0x30F7)}  # ァ…ヶ → ぁ…ゖ
_KATAKANA_TO_HIRAGANA |= {0x30FD: 0x309D, 0x30FE: 0x309E}  # ヽヾ → ゝゞ


def normalize(text):
    text = unicodedata.normalize("NFKC", text).translate(_ASCII_LOWER)
    text = unicodedata.normalize("NFKC", "".join(text.split()))
    return text.translate(_KATAKANA_TO_HIRAGANA)


# Frozen history: the default names and codes when this migration was written (the running
# app's are records/defaults.py). Never edit this to follow them.
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
