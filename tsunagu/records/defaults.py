"""The consulter types every council starts with, headed as the reference council prints
them. Migration 0002 seeds them (0009 brings the one changed heading to older databases);
this copy lets the demo and the tests restore them after a database flush."""

from tsunagu.records.models import ConsulterType, ReportStyle

CONSULTER_TYPES = [
    ("市民社協の事業", "市民社協の事業に関連する相談", ReportStyle.TOTAL),
    ("ニーズを抱えている個人", "ニーズを抱えている個人の相談", ReportStyle.RANKED),
    ("ボランティア希望（活動）者", "ボランティア希望（活動）者からの相談", ReportStyle.RANKED),
    ("地域活動団体", "地域活動団体からの相談", ReportStyle.RANKED),
    ("関係機関", "関係機関からの相談", ReportStyle.LISTED),
]


def ensure_consulter_types() -> None:
    for order, (name, title, style) in enumerate(CONSULTER_TYPES, start=1):
        ConsulterType.objects.get_or_create(
            name=name, defaults={"report_title": title, "report_style": style, "order": order}
        )
