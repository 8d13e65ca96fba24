"""The skills and insurance plans every council starts with: the one definition the
running app seeds from (`ensure_defaults`, for the demo and the tests after a database
flush). Migration 0002 seeded them into new databases from its own frozen copy, history
never edited to follow this module."""

from tsunagu.lib.textnorm import normalize
from tsunagu.volunteers.models import InsurancePlan, Skill

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


def ensure_defaults() -> None:
    for order, name in enumerate(SKILLS, start=1):
        Skill.objects.get_or_create(
            name_key=normalize(name), defaults={"name": name, "order": order}
        )
    for order, name in enumerate(INSURANCE_PLANS, start=1):
        InsurancePlan.objects.get_or_create(
            name_key=normalize(name), defaults={"name": name, "order": order}
        )
