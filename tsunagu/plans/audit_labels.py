"""Japanese sentences for the plans app's audit action codes."""

from tsunagu.audit.registry import Audited

LABELS = {
    "plans.plan.created": "エリア別計画を登録しました",
    "plans.plan.updated": "エリア別計画を変更しました",
    "plans.plan.deleted": "エリア別計画を削除しました",
    "plans.status.saved": "取り組みの進捗を記録しました",
    "plans.record.linked": "支援記録と計画の取り組みのつながりを変更しました",
    "plans.target.created": "計画の対象を追加しました",
    "plans.target.updated": "計画の対象を変更しました",
    "plans.target.deactivated": "計画の対象を無効にしました",
    "plans.target.activated": "計画の対象を有効に戻しました",
    "plans.import.done": "エリア別計画をファイルから取り込みました",
    "plans.demo_loaded": "デモ用のエリア別計画を読み込みました",
    "plans.plan.exported": "エリア別計画をファイルに出力しました",
}

AUDITED = {
    "plans.plan": Audited(
        "{obj}", labels={"period": "計画期間", "removed_initiatives": "削除した取り組み"}
    ),
    "plans.plantarget": Audited("{obj}"),
    "plans.initiative": Audited("{obj}"),
}
UNAUDITED = {
    "plans.slogan": "計画の一部として、計画の履歴に残ります。",
    "plans.goal": "計画の一部として、計画の履歴に残ります。",
    "plans.initiativestatus": "取り組みの進捗として、取り組みの履歴に残ります。",
    "plans.initiativerecord": "取り組みと支援記録の結び付けとして、取り組みの履歴に残ります。",
    "plans.planyear": "年度の進捗の版だけを持ち、進捗の変更は計画の履歴に残ります。",
}
