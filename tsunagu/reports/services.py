"""Closing a fiscal year (年度締め) freezes its report as the published figures."""

from dataclasses import dataclass, replace

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from tsunagu.accounts.models import User
from tsunagu.audit.services import log_action
from tsunagu.core.access import require
from tsunagu.lib.fiscal import current_fiscal_year, fiscal_year_label
from tsunagu.reports.builder import Scope, build_report
from tsunagu.reports.closures import is_closed
from tsunagu.reports.differences import Difference, compare
from tsunagu.reports.models import YearClosure
from tsunagu.reports.period import Period
from tsunagu.reports.renderers.jsonio import report_from_dict, report_to_dict
from tsunagu.reports.result import Report


def close_year(*, by: User, fiscal_year: int) -> YearClosure:
    require(by, "report.close")
    label = fiscal_year_label(fiscal_year)
    if fiscal_year >= current_fiscal_year():
        raise ValidationError(f"{label}はまだ終わっていないため締められません。")
    report = build_report(fiscal_year)
    try:
        with transaction.atomic():
            closure = YearClosure.objects.create(
                fiscal_year=fiscal_year, data=report_to_dict(report), closed_by=by
            )
            log_action(
                by=by,
                action="reports.year.closed",
                target=closure,
                changes={
                    "fiscal_year": label,
                    "sections": {s.title: s.total for s in report.sections},
                },
            )
    except IntegrityError as error:
        raise ValidationError(f"{label}はすでに締められています。") from error
    return closure


def reopen_year(*, by: User, fiscal_year: int, reason: str) -> None:
    require(by, "report.close")
    label = fiscal_year_label(fiscal_year)
    if not reason.strip():
        raise ValidationError("締めを解除する理由を入力してください。")
    with transaction.atomic():
        closure = (
            YearClosure.objects.in_force()
            .select_for_update()
            .filter(fiscal_year=fiscal_year)
            .first()
        )
        if closure is None:
            raise ValidationError(f"{label}は締められていません。")
        closure.reopened_by = by
        closure.reopened_at = timezone.now()
        closure.reopen_reason = reason.strip()[:200]
        closure.save(update_fields=["reopened_by", "reopened_at", "reopen_reason"])
        log_action(
            by=by,
            action="reports.year.reopened",
            target=closure,
            changes={"fiscal_year": label, "reason": reason},
        )


@dataclass(frozen=True)
class YearFigures:
    """What the report page shows: the published figures of a closed year, else current."""

    report: Report
    closure: YearClosure | None
    current: Report | None  # recomputed, for a closed year only
    differences: tuple[Difference, ...]


def figures_for(
    fiscal_year: int, scope: Scope | None = None, period: Period | None = None
) -> YearFigures:
    """The report to show. A period within a closed year has no published figures of its
    own: it is counted from the records as they are now, and says so."""
    scope = scope or Scope()
    if period is not None and not period.is_whole_year:
        report = build_report(fiscal_year, scope, period)
        if scope.is_city and is_closed(fiscal_year):
            note = (
                f"{fiscal_year_label(fiscal_year)}は締められていますが、年度の一部の期間には"
                "公表値がないため、いまの記録から集計しています。"
            )
            report = replace(report, notes=(*report.notes, note))
        return YearFigures(report=report, closure=None, current=None, differences=())
    closure = (
        YearClosure.objects.in_force()
        .select_related("closed_by")
        .filter(fiscal_year=fiscal_year)
        .first()
    )
    if closure is None or not scope.is_city:
        return YearFigures(
            report=build_report(fiscal_year, scope), closure=None, current=None, differences=()
        )
    published = report_from_dict(closure.data)
    current = build_report(fiscal_year)
    return YearFigures(
        report=published,
        closure=closure,
        current=current,
        differences=tuple(compare(published, current)),
    )
