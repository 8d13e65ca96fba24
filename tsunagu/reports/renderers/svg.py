"""Charts for the report page, drawn on the server as inline SVG: no JavaScript, no CDN.

Each chart is an image with a title and a description (role="img", aria-labelledby); the
page shows the same figures as a table beside it for screen readers and for printing.
The <svg> carries class="report-chart" so the page's CSS can make it scale
(max-width: 100%; height: auto).

The primitives (`open_svg`, `svg_text`, `svg_id`, `text_px`, `text_units`, `wrap_text`) are
public: the fundraising chart (grants/charts.py) draws with them too.
"""

import re
import unicodedata
from collections.abc import Sequence
from xml.sax.saxutils import escape, quoteattr

from tsunagu.reports.renderers.tables import OUTREACH_TITLE, trend_heading
from tsunagu.reports.renderers.text import share_text
from tsunagu.reports.result import OutreachShare, Trend

__all__ = [
    "AXIS_COLOR",
    "FONT_FAMILY",
    "GRID_COLOR",
    "SERIES_COLORS",
    "TEXT_COLOR",
    "open_svg",
    "render_share_svg",
    "render_trend_svg",
    "svg_id",
    "svg_text",
    "text_px",
    "text_units",
    "wrap_text",
]

# One color per fiscal year, oldest first (the xlsx charts use the same): each has at
# least 4:1 contrast against white, and blue/orange/green stay apart for colour-blind
# readers; the legend and the fixed order inside each group tell them apart as well.
SERIES_COLORS = ("#0b5cab", "#c05f00", "#3c8d40")
TEXT_COLOR = "#1a1a1a"
AXIS_COLOR = "#595959"
GRID_COLOR = "#d9d9d9"
FONT_FAMILY = "'Hiragino Sans', 'Yu Gothic UI', Meiryo, 'Noto Sans CJK JP', sans-serif"

_FONT_SIZE = 13
_VALUE_SIZE = 12
_BAR = 14
_BAR_GAP = 2
_GROUP_GAP = 14
_LEGEND_HEIGHT = 30
_VALUE_ROOM = 48  # right of the longest bar, for its value


def text_units(text: str) -> int:
    """Width in half-width units: a Japanese character counts two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WFA" else 1 for c in text)


def text_px(text: str, size: int) -> float:
    return text_units(text) * size * 0.55


def wrap_text(text: str, max_units: int) -> list[str]:
    """Lines of at most max_units half-width units (a long label on two or three lines)."""
    lines, line, used = [], "", 0
    for char in text:
        width = text_units(char)
        if line and used + width > max_units:
            lines.append(line)
            line, used = "", 0
        line += char
        used += width
    return [*lines, line] if line else lines or [""]


def svg_id(prefix: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]", "-", prefix)


def open_svg(width: int, height: float, ident: str, title: str, desc: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="report-chart" role="img"'
        f' width="{width}" height="{height:.0f}" viewBox="0 0 {width} {height:.0f}"'
        f' aria-labelledby="{ident}-title {ident}-desc"'
        f' font-family={quoteattr(FONT_FAMILY)} font-size="{_FONT_SIZE}" fill="{TEXT_COLOR}">',
        f'<title id="{ident}-title">{escape(title)}</title>',
        f'<desc id="{ident}-desc">{escape(desc)}</desc>',
    ]


def svg_text(x: float, y: float, content: str, **attrs: str) -> str:
    extra = "".join(
        f" {name.replace('_', '-')}={quoteattr(value)}" for name, value in attrs.items()
    )
    return f'<text x="{x:.1f}" y="{y:.1f}"{extra}>{escape(content)}</text>'


def _count(count: int | None) -> str:
    return "集計なし" if count is None else f"{count:,}件"


def _trend_desc(trend: Trend) -> str:
    if not trend.rows:
        return "記録がありません。"
    parts = [
        f"{row.label}："
        + "、".join(
            f"{label} {_count(count)}"
            for label, count in zip(trend.year_labels, row.counts, strict=False)
        )
        for row in trend.rows
    ]
    return f"年度ごとの件数。{'。'.join(parts)}。"


def _legend(labels: Sequence[str], colors: Sequence[str], x: float) -> list[str]:
    out = []
    for label, color in zip(labels, colors, strict=False):
        out.append(f'<rect x="{x:.1f}" y="9" width="12" height="12" fill="{color}"/>')
        out.append(svg_text(x + 17, 20, label))
        x += 17 + text_px(label, _FONT_SIZE) + 18
    return out


def render_trend_svg(trend: Trend, *, width: int = 640, id_prefix: str | None = None) -> str:
    """A clustered horizontal bar chart: one group per row of the trend, one bar per
    fiscal year, its value at the end. A year in which a row was not counted (None)
    leaves its place empty: no bar, no value."""
    ident = svg_id(id_prefix or f"chart-{trend.key}")
    title = trend_heading(trend)
    desc = _trend_desc(trend)
    if not trend.rows or not trend.year_labels:
        parts = open_svg(width, 60, ident, title, desc)
        parts.append(svg_text(12, 36, "記録がありません"))
        return "\n".join([*parts, "</svg>"])

    colors = [SERIES_COLORS[i % len(SERIES_COLORS)] for i in range(len(trend.year_labels))]
    label_units = min(max(text_units(row.label) for row in trend.rows), int(width * 0.36 / 7))
    label_room = label_units * _FONT_SIZE * 0.55 + 12
    plot_left = label_room + 4
    plot_width = width - plot_left - _VALUE_ROOM
    largest = max((c for row in trend.rows for c in row.counts if c is not None), default=0)
    scale = plot_width / largest if largest else 0.0

    body: list[str] = []
    y = _LEGEND_HEIGHT + 6
    for row in trend.rows:
        lines = wrap_text(row.label, label_units)
        bars_height = len(trend.year_labels) * (_BAR + _BAR_GAP) - _BAR_GAP
        group_height = max(bars_height, len(lines) * (_FONT_SIZE + 3))
        first_line = y + group_height / 2 - (len(lines) - 1) * (_FONT_SIZE + 3) / 2 + 4.5
        spans = "".join(
            f'<tspan x="{label_room:.1f}" y="{first_line + i * (_FONT_SIZE + 3):.1f}">{escape(line)}</tspan>'
            for i, line in enumerate(lines)
        )
        body.append(f'<text text-anchor="end">{spans}</text>')
        bar_top = y + (group_height - bars_height) / 2
        for index, (count, color) in enumerate(zip(row.counts, colors, strict=False)):
            if count is None:
                continue
            top = bar_top + index * (_BAR + _BAR_GAP)
            length = count * scale
            year = trend.year_labels[index]
            if length > 0:
                body.append(
                    f'<rect x="{plot_left:.1f}" y="{top:.1f}" width="{length:.1f}" height="{_BAR}"'
                    f' fill="{color}"><title>{escape(f"{row.label} {year} {count:,}件")}</title></rect>'
                )
            body.append(
                svg_text(
                    plot_left + length + 4, top + _BAR - 3, f"{count:,}", font_size=str(_VALUE_SIZE)
                )
            )
        y += group_height + _GROUP_GAP
    height = y - _GROUP_GAP + 8
    axis = (
        f'<line x1="{plot_left:.1f}" y1="{_LEGEND_HEIGHT:.1f}" x2="{plot_left:.1f}"'
        f' y2="{height - 4:.1f}" stroke="{AXIS_COLOR}" stroke-width="1"/>'
    )
    parts = open_svg(width, height, ident, title, desc)
    parts += _legend(trend.year_labels, colors, plot_left)
    return "\n".join([*parts, axis, *body, "</svg>"])


def _share_desc(outreach: OutreachShare) -> str:
    parts = [
        f"{label} {share_text(at, total)}（相談{total:,}件のうち{at:,}件）"
        if total
        else f"{label} 相談なし"
        for label, total, at in zip(
            outreach.year_labels, outreach.consultations, outreach.at_outreach, strict=True
        )
    ]
    return (
        f"相談件数のうち出向いた先で受けた相談の割合。{'、'.join(parts)}。"
        if parts
        else "記録がありません。"
    )


def render_share_svg(
    outreach: OutreachShare, *, width: int = 360, id_prefix: str = "chart-outreach"
) -> str:
    """One column per fiscal year with its share as a percentage above it; the scale runs
    from 0 to the next 10% above the largest share. A year without consultations has no
    column."""
    ident = svg_id(id_prefix)
    shares = outreach.shares
    top_share = max((s for s in shares if s is not None), default=0.0)
    steps = max(1, min(10, -(-round(top_share * 1000) // 100)))  # tenths, rounded up
    scale_top = steps / 10
    plot_top, plot_bottom, plot_left, plot_right = 26.0, 176.0, 44.0, width - 8.0
    plot_height = plot_bottom - plot_top
    height = plot_bottom + 30

    parts = open_svg(width, height, ident, OUTREACH_TITLE, _share_desc(outreach))
    for step in range(steps + 1):
        y = plot_bottom - plot_height * step / steps
        if step:
            parts.append(
                f'<line x1="{plot_left:.1f}" y1="{y:.1f}" x2="{plot_right:.1f}" y2="{y:.1f}"'
                f' stroke="{GRID_COLOR}" stroke-width="1"/>'
            )
        if steps <= 5 or step % 2 == 0:
            parts.append(
                svg_text(
                    plot_left - 6,
                    y + 4,
                    f"{step * 10}%",
                    text_anchor="end",
                    font_size=str(_VALUE_SIZE),
                )
            )
    slot = (plot_right - plot_left) / max(1, len(shares))
    bar_width = min(56.0, slot * 0.6)
    for index, (label, share) in enumerate(zip(outreach.year_labels, shares, strict=True)):
        centre = plot_left + slot * (index + 0.5)
        parts.append(svg_text(centre, plot_bottom + 20, label, text_anchor="middle"))
        if share is None:
            continue
        bar_height = plot_height * share / scale_top
        percent = share_text(outreach.at_outreach[index], outreach.consultations[index])
        parts.append(
            f'<rect x="{centre - bar_width / 2:.1f}" y="{plot_bottom - bar_height:.1f}"'
            f' width="{bar_width:.1f}" height="{bar_height:.1f}" fill="{SERIES_COLORS[0]}">'
            f"<title>{escape(f'{label} {percent}')}</title></rect>"
        )
        parts.append(svg_text(centre, plot_bottom - bar_height - 6, percent, text_anchor="middle"))
    if all(share is None for share in shares):
        middle = (plot_left + plot_right) / 2
        parts.append(
            svg_text(
                middle, plot_top + plot_height / 2, "相談の記録がありません", text_anchor="middle"
            )
        )
    parts.append(
        f'<line x1="{plot_left:.1f}" y1="{plot_bottom:.1f}" x2="{plot_right:.1f}"'
        f' y2="{plot_bottom:.1f}" stroke="{AXIS_COLOR}" stroke-width="1"/>'
    )
    return "\n".join([*parts, "</svg>"])
