"""個別支援 or 地域支援: which a record is, declared once.

A record's own choice (SupportRecord.support_kind) wins. Otherwise it is derived:

1. linked to a case (cases.Case.records): 個別支援, whatever its target;
2. its target (支援先) is an activity group or a regional council: 地域支援;
3. no target: 個別支援 (the support of the person who consulted or was visited).

`derive` answers for one record (the entry form shows it), `support_kind_expression`
is the same rule as a database expression (the report counts with it in one GROUP BY);
tests/records/test_support_kind.py checks that the two agree for every shape of record.
"""

from django.db import models
from django.db.models import Exists, OuterRef, Q, Value, When

from tsunagu.records.models import SupportKind, SupportRecord

__all__ = [
    "AUTO",
    "SupportKind",
    "auto_text",
    "derive",
    "derived_for",
    "reason",
    "support_kind_expression",
    "support_kind_of",
    "support_kind_text",
]

# The form's choice that leaves the class to the rule (stored as NULL).
AUTO = "自動"


def derive(*, has_case: bool, has_target: bool) -> SupportKind:
    """The class of a record that does not choose one."""
    if has_case:
        return SupportKind.INDIVIDUAL
    if has_target:
        return SupportKind.AREA
    return SupportKind.INDIVIDUAL


def reason(*, has_case: bool, has_target: bool) -> str:
    """Why `derive` answers as it does, as the entry form explains it."""
    if has_case:
        return "個別支援につながっている記録"
    if has_target:
        return "支援先が活動団体・地域社協"
    return "支援先が活動団体・地域社協でない"


def auto_text(*, has_case: bool, has_target: bool) -> str:
    """「自動の区分：地域支援（支援先が活動団体・地域社協）」, shown beside the choice."""
    kind = derive(has_case=has_case, has_target=has_target)
    return f"{AUTO}の区分：{kind.label}（{reason(has_case=has_case, has_target=has_target)}）"


def has_case(record: SupportRecord | None) -> bool:
    return record is not None and _has_case(record)


def _has_case(record: SupportRecord) -> bool:
    return record.pk is not None and record.support_cases.exists()


def derived_for(record: SupportRecord) -> SupportKind:
    """What 自動 means for this record as saved (its target and its case links)."""
    has_target = record.target_group_id is not None or record.target_region_id is not None
    return derive(has_case=_has_case(record), has_target=has_target)


def support_kind_of(record: SupportRecord) -> SupportKind:
    """The record's class: its own choice, else the derived one."""
    if record.support_kind:
        return SupportKind(record.support_kind)
    return derived_for(record)


def support_kind_text(record: SupportRecord) -> str:
    """「地域支援（自動：支援先が活動団体・地域社協）」 or 「個別支援（記録で指定）」."""
    if record.support_kind:
        return f"{SupportKind(record.support_kind).label}（記録で指定）"
    facts = {
        "has_case": _has_case(record),
        "has_target": record.target_group_id is not None or record.target_region_id is not None,
    }
    return f"{derive(**facts).label}（{AUTO}：{reason(**facts)}）"


def support_kind_expression() -> models.Case:
    """`support_kind_of` as an annotation on SupportRecord querysets (one value per row)."""
    links = SupportRecord._meta.get_field("support_cases").through
    assert links is not None
    has_case = Exists(links.objects.filter(supportrecord_id=OuterRef("pk")))
    has_target = Q(target_group__isnull=False) | Q(target_region__isnull=False)
    return models.Case(
        When(support_kind__isnull=False, then="support_kind"),
        When(has_case, then=Value(derive(has_case=True, has_target=False).value)),
        When(has_target, then=Value(derive(has_case=False, has_target=True).value)),
        default=Value(derive(has_case=False, has_target=False).value),
        output_field=models.CharField(),
    )
