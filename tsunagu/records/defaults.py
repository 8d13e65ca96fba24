"""The consulter types every council starts with, headed as the reference council prints
them, and the codes of the entries that features look up (records/codes.py): the one
definition the running app seeds from (`ensure_consulter_types`, for the demo and the
tests after a database flush). The migrations brought databases to it (0002 seeded the
types, 0010 the one changed heading, 0012 the codes); each carries a frozen copy of
what it wrote then, history never edited to follow this module."""

from dataclasses import dataclass

from tsunagu.records.models import ConsulterType, ReportStyle

CONSULTER_TYPES = [
    ("市民社協の事業", "市民社協の事業に関連する相談", ReportStyle.TOTAL),
    ("ニーズを抱えている個人", "ニーズを抱えている個人の相談", ReportStyle.RANKED),
    ("ボランティア希望（活動）者", "ボランティア希望（活動）者からの相談", ReportStyle.RANKED),
    ("地域活動団体", "地域活動団体からの相談", ReportStyle.RANKED),
    ("関係機関", "関係機関からの相談", ReportStyle.LISTED),
]

# The codes features find entries by (never their names, which a council may change).
VOLUNTEER_TYPE = "volunteer"
VOLUNTEER_WISH = "volunteer-wish"
DONATION_WISH = "donation-wish"
CONSULTATION_KIND = "consultation"
OUTREACH_KIND = "outreach"


@dataclass(frozen=True)
class DefaultCode:
    """A code, the name its entry has in the defaults, and what a feature uses it for.

    An entry takes the code of the entry of the year before it continues; an entry that
    continues none takes it when it has the default name and no entry of its list holds
    the code (codes.settle_codes)."""

    code: str
    name: str
    purpose: str  # in Japanese, as the messages name what to set up
    consulter_type: str = ""  # a category's: the code of its consulter type


CONSULTER_TYPE_CODES = [
    DefaultCode(
        VOLUNTEER_TYPE,
        "ボランティア希望（活動）者",
        "ボランティアセンターの登録と寄付・寄贈の申し出を数える相談者区分",
    ),
]
CATEGORY_CODES = [
    DefaultCode(
        VOLUNTEER_WISH,
        "ボランティアしたい",
        "ボランティアの登録を数える分類",
        consulter_type=VOLUNTEER_TYPE,
    ),
    DefaultCode(
        DONATION_WISH,
        "寄付（寄贈）したい",
        "寄付・寄贈の申し出を数える分類",
        consulter_type=VOLUNTEER_TYPE,
    ),
]
ACTIVITY_KIND_CODES = [
    DefaultCode(
        CONSULTATION_KIND, "相談対応", "ボランティアセンターの登録と申し出を記録する活動種別"
    ),
    DefaultCode(OUTREACH_KIND, "出向き・参加", "出向き先でまとめて入力するときの出向きの記録"),
]


def ensure_consulter_types() -> None:
    codes = {d.name: d.code for d in CONSULTER_TYPE_CODES}
    for order, (name, title, style) in enumerate(CONSULTER_TYPES, start=1):
        code = codes.get(name, "")
        found, created = ConsulterType.objects.get_or_create(
            name=name,
            defaults={"report_title": title, "report_style": style, "order": order, "code": code},
        )
        taken = ConsulterType.objects.filter(code=code).exists
        if not created and code and not found.code and not taken():
            found.code = code
            found.save(update_fields=["code"])
