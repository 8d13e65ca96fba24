"""How the audit log names and masks the reports app's models (tsunagu/audit/registry.py)."""

from tsunagu.audit.registry import Audited

LABELS = {
    "reports.book.exported": "事業報告の資料をファイルに出力しました",
    "reports.report.exported": "実績をファイルに出力しました",
    "reports.monthly.exported": "月別統計をファイルに出力しました",
}

AUDITED = {"reports.yearclosure": Audited("{obj}")}
UNAUDITED = {
    "reports.baselinefigure": "取り込みとして、過去の集計値の取り込みの履歴に残ります。",
    "reports.reportgeneration": "集計の一時保存の目印で、変更はそれを起こした操作の履歴に残ります。",
}
