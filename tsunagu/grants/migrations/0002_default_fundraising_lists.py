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


# Frozen history: the lists as this migration seeded them. The running app's defaults are
# grants/defaults.py; a change there needs a migration of its own. Never edit this to
# follow them.
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
