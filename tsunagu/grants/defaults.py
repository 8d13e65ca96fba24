"""The fundraising methods and drives every council starts with: the one definition the
running app seeds from (`ensure_fundraising_lists`, for the demo and the tests after a
database flush). Migration 0002 seeded the same lists into new databases; it carries its
own frozen copy, history that is never edited to follow this one."""

from tsunagu.grants.models import FundraisingDrive, FundraisingMethod

DEFAULT_METHODS = [
    "戸別募金",
    "街頭募金",
    "法人募金",
    "学校募金",
    "職域募金",
    "イベント募金",
    "その他",
]
DEFAULT_DRIVES = ["赤い羽根共同募金", "歳末たすけあい募金"]


def ensure_fundraising_lists() -> None:
    """The usual methods and drives, for a council that has none yet."""
    if not FundraisingMethod.objects.exists():
        for order, name in enumerate(DEFAULT_METHODS, start=1):
            FundraisingMethod.objects.create(name=name, order=order)
    if not FundraisingDrive.objects.exists():
        for order, name in enumerate(DEFAULT_DRIVES, start=1):
            FundraisingDrive.objects.create(name=name, order=order)
