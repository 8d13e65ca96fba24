"""The skills and insurance plans every council starts with (editable afterwards)."""

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
# volunteers/defaults.py; a change there needs a migration of its own. Never edit this to
# follow them.
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
