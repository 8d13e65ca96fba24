"""Japanese sentences for the grants app's audit action codes."""

from tsunagu.audit.registry import Audited

LABELS = {
    "grants.programme.created": "助成金の年度設定を作成しました",
    "grants.programme.updated": "助成金の年度設定（上限額・財源）を変更しました",
    "grants.grant.applied": "助成金の申請を入力しました",
    "grants.grant.application_updated": "助成金の申請内容を修正しました",
    "grants.grant.decided": "助成金の額を決定しました",
    "grants.grant.cap_exception": "上限額を超える例外として助成金を決定しました（理由を記録）",
    "grants.grant.paid": "助成金の支払を記録しました",
    "grants.grant.reported": "助成金の収支報告を入力しました",
    "grants.grant.report_corrected": "助成金の収支報告を修正しました",
    "grants.grant.settled": "助成金を精算しました",
    "grants.fundraising.saved": "募金実績を保存しました",
    "grants.fundraising_list.added": "募金の方法・運動を追加しました",
    "grants.fundraising_list.updated": "募金の方法・運動を変更しました",
    "grants.demo_loaded": "デモ用の助成金・募金のデータを読み込みました",
    "grants.summary.exported": "助成金の年度一覧をファイルに出力しました",
}

AUDITED = {
    "grants.grantprogramme": Audited("{obj}"),
    "grants.grant": Audited("{obj}"),
    "grants.fundraisingmethod": Audited("{obj}"),
    "grants.fundraisingdrive": Audited("{obj}"),
    "grants.fundraisingtotal": Audited("{obj}"),
}
UNAUDITED = {
    "grants.fundingsource": "助成の年度の一部として、その年度の履歴に残ります。",
    "grants.grantline": "予算の行として、助成金の履歴に残ります。",
    "grants.fundraisingyear": "募金実績の年度の版だけを持ち、金額の変更は募金実績の履歴に残ります。",
}
