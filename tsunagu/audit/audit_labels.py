"""How the audit log names and masks the audit app's models (tsunagu/audit/registry.py)."""

UNAUDITED = {"audit.auditentry": "操作履歴そのものです。"}
