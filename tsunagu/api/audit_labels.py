"""How the audit log names and masks the api app's models (tsunagu/audit/registry.py)."""

from tsunagu.audit.registry import Audited

AUDITED = {"api.apitoken": Audited("{obj}")}
