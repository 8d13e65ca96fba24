"""Japanese sentences for the volunteer centre's audit codes."""

from tsunagu.audit.registry import Audited

LABELS = {
    "volunteers.volunteer.registered": "ボランティアを登録しました",
    "volunteers.volunteer.updated": "ボランティアの登録内容を変更しました",
    "volunteers.volunteer.read": "ボランティアの登録内容を閲覧しました",
    "volunteers.volunteer.exported": "ボランティア登録者の一覧を出力しました",
    "volunteers.insurance.enrolled": "ボランティア保険の加入を登録しました",
    "volunteers.insurance.removed": "ボランティア保険の加入を取り消しました",
    "volunteers.insurance.exported": "ボランティア保険の加入者一覧を出力しました",
    "volunteers.offer.recorded": "寄付・寄贈の申し出を受け付けました",
    "volunteers.offer.updated": "寄付・寄贈の申し出を変更しました",
    "volunteers.offer.read": "寄付・寄贈の申し出を閲覧しました",
    "volunteers.request.created": "ボランティア募集を登録しました",
    "volunteers.request.updated": "ボランティア募集を変更しました",
    "volunteers.match.recorded": "ボランティアのマッチングを記録しました",
    "volunteers.match.reviewed": "ボランティアのマッチングを見直しました",
    "volunteers.match.ended": "ボランティアのマッチングを終了しました",
    "volunteers.demo_loaded": "ボランティアセンターのデモデータを読み込みました",
}

# How the audit log names and masks each model (tsunagu/audit/registry.py): who a donor
# or volunteer is and how to reach them is recorded as changed, never as what it said.
AUDITED = {
    "volunteers.volunteer": Audited(
        "ボランティア登録 No.{pk}",
        frozenset(
            {
                "family_name",
                "given_name",
                "family_name_kana",
                "given_name_kana",
                "birth_year",
                "contact",
                "note",
            }
        ),
    ),
    "volunteers.donationoffer": Audited(
        "寄付の申し出 No.{pk}",
        frozenset({"donor_name", "contact", "pickup_note", "recipient_note", "note"}),
    ),
    "volunteers.helprequest": Audited("ボランティア募集 No.{pk}"),
    "volunteers.match": Audited("ボランティアのマッチング No.{pk}", frozenset({"note"})),
}
UNAUDITED = {
    "volunteers.skill": "管理画面の一覧で、監査の対象ではありません。",
    "volunteers.insuranceplan": "管理画面の一覧で、監査の対象ではありません。",
    "volunteers.insuranceenrolment": "保険の加入として、ボランティア登録の履歴に残ります。",
    "volunteers.matchreview": "見直しとして、ボランティアのマッチングの履歴に残ります。",
}
