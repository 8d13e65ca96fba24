"""The kinds of need every council starts with (editable afterwards)."""

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


# Frozen history: the need kinds as this migration seeded them. The running app's defaults
# are cases/needs.py (DEFAULT_NEEDS); a change there needs a migration of its own. Never
# edit this to follow them.
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
