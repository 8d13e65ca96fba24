"""What the report's HTML templates need besides the Report itself: the SVG charts
(already escaped by their renderer) and the outreach rows with their percentages. The
report page and the report book (tsunagu/reports/book/) render the same templates
(reports/_section.html, _trend.html, _outreach.html) from this context."""

from typing import Any

from django.utils.safestring import SafeString, mark_safe

from tsunagu.reports.renderers.svg import render_share_svg, render_trend_svg
from tsunagu.reports.result import OutreachShare, Report

__all__ = ["chart_context", "outreach_rows"]


def outreach_rows(outreach: OutreachShare) -> list[tuple[str, int, int, float | None]]:
    """(year label, consultations, at outreach, share in percent or None) per year."""
    return [
        (label, total, out, None if share is None else share * 100)
        for label, total, out, share in zip(
            outreach.year_labels,
            outreach.consultations,
            outreach.at_outreach,
            outreach.shares,
            strict=True,
        )
    ]


def chart_context(report: Report) -> dict[str, Any]:
    charts: dict[str, SafeString] = {
        trend.key: mark_safe(render_trend_svg(trend))  # noqa: S308 - escaped by the renderer
        for trend in report.trends
    }
    return {
        "charts": charts,
        "share_chart": mark_safe(render_share_svg(report.outreach)),  # noqa: S308
        "outreach_rows": outreach_rows(report.outreach),
    }
