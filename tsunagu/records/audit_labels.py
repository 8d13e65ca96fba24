"""How the audit log names and masks the records app's models (tsunagu/audit/registry.py)."""

from tsunagu.audit.registry import Audited

AUDITED = {
    "records.supportrecord": Audited("支援記録 No.{pk}", frozenset({"note"})),
    "records.consultertype": Audited("{obj}"),
    "records.activitykind": Audited("{obj}"),
    "records.category": Audited("{obj}"),
}
UNAUDITED = {
    "records.importbatch": "取り込みとして、取り込みの操作の履歴に残ります。",
    "records.recordagency": "支援記録の一部として、支援記録の履歴に残ります。",
    "records.savedentry": "二重保存を防ぐ合い言葉だけを持ち、記録の作成は支援記録の履歴に残ります。",
}
