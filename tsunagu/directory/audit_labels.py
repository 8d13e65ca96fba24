"""How the audit log names and masks the directory app's models (tsunagu/audit/registry.py)."""

from tsunagu.audit.registry import Audited

AUDITED = {
    "directory.municipalityprofile": Audited("{obj}"),
    "directory.zone": Audited("{obj}"),
    "directory.region": Audited("{obj}", frozenset({"representative"})),
    "directory.groupkind": Audited("{obj}"),
    "directory.activitygroup": Audited("{obj}", frozenset({"contact"})),
    "directory.agencygroup": Audited("{obj}"),
    "directory.agency": Audited("{obj}"),
}
