"""Japanese sentences for the cases app's audit action codes."""

from tsunagu.audit.registry import Audited

LABELS = {
    "cases.case.created": "個別支援を登録しました",
    "cases.case.updated": "個別支援を変更しました",
    "cases.case.read": "個別支援を閲覧しました",
    "cases.case.duplicate_warned": "個別支援の登録で、同じ方かもしれない登録が見つかりました",
    "cases.case.status_changed": "個別支援の状況を変更しました",
    "cases.case.exported": "個別支援の一覧を出力しました",
    "cases.case.anonymised": "保存期間を過ぎた個別支援を匿名化しました",
    "cases.record.linked": "個別支援に支援記録をつなげました",
    "cases.record.unlinked": "個別支援と支援記録のつながりをはずしました",
    "cases.ask.created": "活動団体への打診を記録しました",
    "cases.ask.answered": "打診への回答を記録しました",
    "cases.match.created": "マッチングを記録しました",
    "cases.match.reviewed": "マッチングの見直しを記録しました",
    "cases.match.ended": "マッチングを終了しました",
    "cases.followup.created": "フォローアップの予定を入れました",
    "cases.followup.done": "フォローアップの結果を記録しました",
    "cases.referral.created": "関係機関への紹介を記録しました",
    "cases.referral.updated": "紹介の経過を記録しました",
    "cases.referral.read": "紹介の記録を閲覧しました",
    "cases.need.created": "困りごとの種類を追加しました",
    "cases.need.updated": "困りごとの種類を変更しました",
    "cases.demo_loaded": "デモ用の個別支援を読み込みました",
}

# How the audit log names and masks each model (tsunagu/audit/registry.py).
IDENTITY = frozenset(
    {"family_name", "given_name", "family_name_kana", "given_name_kana", "contact", "birth_year"}
)
AUDITED = {
    "cases.case": Audited("個別支援 No.{pk}", IDENTITY | {"summary", "consent_given_by"}),
    "cases.referral": Audited("紹介 No.{pk}", frozenset({"request", "outcome"})),
    "cases.needkind": Audited("{obj}"),
}
UNAUDITED = {
    "cases.statuschange": "個別支援の状況の変更として、個別支援の履歴に残ります。",
    "cases.ask": "打診として、個別支援の履歴に残ります。",
    "cases.match": "マッチングとして、個別支援の履歴に残ります。",
    "cases.matchreview": "マッチングの見直しとして、個別支援の履歴に残ります。",
    "cases.referralupdate": "紹介の経過として、紹介の履歴に残ります。",
    "cases.followup": "フォローアップとして、個別支援の履歴に残ります。",
}
