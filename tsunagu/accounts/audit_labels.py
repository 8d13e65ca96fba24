"""How the audit log names and masks the accounts app's models (tsunagu/audit/registry.py)."""

from tsunagu.audit.registry import Audited

AUDITED = {"accounts.user": Audited("{obj}", frozenset({"password", "email"}))}
