"""Japanese sentences for the plans app's audit action codes."""

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
}
