"""The fundraising trend as a server-side SVG line chart (no JavaScript, no CDN).

Drawn with the report charts' helpers (tsunagu.reports.renderers.svg): role="img" with a
title and a description that read out every figure, and the page puts the same figures in
a table beside it. Each method has its own colour, marker shape and dash pattern, so the
lines stay apart without colour too.
"""

from xml.sax.saxutils import escape

from tsunagu.grants.fundraising import FundraisingTrend, TrendRow
from tsunagu.reports.renderers.svg import (
    AXIS_COLOR,
    GRID_COLOR,
    open_svg,
    svg_id,
    svg_text,
    text_px,
)

__all__ = ["LINE_COLORS", "render_fundraising_svg"]

# At least 3:1 against white (WCAG 1.4.11 for graphics); blue and orange first.
LINE_COLORS = (
    "#0b5cab",
    "#c05f00",
    "#3c8d40",
    "#a3238e",
    "#7a5c00",
    "#00798c",
    "#595959",
)
DASHES = ("", "6 3", "2 3", "8 3 2 3", "", "6 3", "2 3")
MARKERS = ("circle", "square", "triangle", "diamond", "circle", "square", "triangle")

_VALUE_SIZE = 11
_LEGEND_ROW = 20


def _man(amount: int) -> str:
    """Yen in 万円 for the axis: 1,250,000 → 125万円."""
    value = amount / 10_000
    return f"{value:,.0f}万円" if value >= 10 or value == int(value) else f"{value:,.1f}万円"


def _nice_top(largest: int) -> tuple[int, int]:
    """A round top of the scale and its step, for about five grid lines."""
    if largest <= 0:
        return 10_000, 2_000
    raw = largest / 5
    magnitude = 10 ** (len(str(int(raw))) - 1)
    for factor in (1, 2, 2.5, 5, 10):
        step = int(factor * magnitude)
        if step * 5 >= largest:
            break
    top = -(-largest // step) * step
    return top, step


def _marker(shape: str, x: float, y: float, color: str) -> str:
    if shape == "square":
        return f'<rect x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" fill="{color}"/>'
    if shape == "triangle":
        return (
            f'<polygon points="{x:.1f},{y - 5:.1f} {x + 5:.1f},{y + 4:.1f} {x - 5:.1f},{y + 4:.1f}"'
            f' fill="{color}"/>'
        )
    if shape == "diamond":
        return (
            f'<polygon points="{x:.1f},{y - 5:.1f} {x + 5:.1f},{y:.1f} {x:.1f},{y + 5:.1f} {x - 5:.1f},{y:.1f}"'
            f' fill="{color}"/>'
        )
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{color}"/>'


def _desc(trend: FundraisingTrend) -> str:
    if not trend.rows:
        return "募金実績がありません。"
    parts = []
    for row in trend.rows:
        figures = "、".join(
            f"{label} {'記録なし' if amount is None else f'{amount:,}円'}"
            + (f"（{change}）" if change not in ("—",) else "")
            for label, amount, change in zip(
                trend.year_labels, row.amounts, row.changes, strict=True
            )
        )
        parts.append(f"{row.label}：{figures}")
    return "方法別の募金額の推移。" + "。".join(parts) + "。"


def _legend(rows: list[TrendRow], width: int, left: float) -> tuple[list[str], float]:
    out: list[str] = []
    x, y = left, 14.0
    for index, row in enumerate(rows):
        color = LINE_COLORS[index % len(LINE_COLORS)]
        item_width = 34 + text_px(row.label, 13) + 18
        if x + item_width > width and x > left:
            x, y = left, y + _LEGEND_ROW
        dash = DASHES[index % len(DASHES)]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        out.append(
            f'<line x1="{x:.1f}" y1="{y:.1f}" x2="{x + 26:.1f}" y2="{y:.1f}" stroke="{color}"'
            f' stroke-width="2.5"{dash_attr}/>'
        )
        out.append(_marker(MARKERS[index % len(MARKERS)], x + 13, y, color))
        out.append(svg_text(x + 32, y + 4.5, row.label))
        x += item_width
    return out, y + _LEGEND_ROW


def render_fundraising_svg(
    trend: FundraisingTrend, *, width: int = 680, id_prefix: str = "chart-fundraising"
) -> str:
    """One line per method over the years, the amounts on a shared yen scale."""
    ident = svg_id(id_prefix)
    title = "方法別の募金額の推移"
    desc = _desc(trend)
    if not trend.rows or not trend.years:
        parts = open_svg(width, 60, ident, title, desc)
        parts.append(svg_text(12, 36, "募金実績がありません"))
        return "\n".join([*parts, "</svg>"])

    plot_left, plot_right = 78.0, width - 20.0
    legend, plot_top = _legend(trend.rows, width - 10, plot_left)
    plot_top += 8
    plot_bottom = plot_top + 300
    height = plot_bottom + 34
    largest = max((a for row in trend.rows for a in row.amounts if a is not None), default=0)
    top, step = _nice_top(largest)

    body: list[str] = []
    for value in range(0, top + 1, step):
        y = plot_bottom - (plot_bottom - plot_top) * value / top
        if value:
            body.append(
                f'<line x1="{plot_left:.1f}" y1="{y:.1f}" x2="{plot_right:.1f}" y2="{y:.1f}"'
                f' stroke="{GRID_COLOR}" stroke-width="1"/>'
            )
        body.append(
            svg_text(
                plot_left - 6, y + 4, _man(value), text_anchor="end", font_size=str(_VALUE_SIZE)
            )
        )
    slot = (plot_right - plot_left) / len(trend.years)
    xs = [plot_left + slot * (i + 0.5) for i in range(len(trend.years))]
    for x, label in zip(xs, trend.year_labels, strict=True):
        body.append(svg_text(x, plot_bottom + 20, label, text_anchor="middle"))

    for index, row in enumerate(trend.rows):
        color = LINE_COLORS[index % len(LINE_COLORS)]
        dash = DASHES[index % len(DASHES)]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        points = [
            (x, plot_bottom - (plot_bottom - plot_top) * amount / top, amount, label, change)
            for x, amount, label, change in zip(
                xs, row.amounts, trend.year_labels, row.changes, strict=True
            )
            if amount is not None
        ]
        if len(points) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y, *_ in points)
            body.append(
                f'<polyline points="{path}" fill="none" stroke="{color}" stroke-width="2.5"'
                f' stroke-linejoin="round"{dash_attr}/>'
            )
        for x, y, amount, label, change in points:
            tip = f"{row.label} {label} {amount:,}円" + (f"（{change}）" if change != "—" else "")
            body.append(
                f"<g><title>{escape(tip)}</title>{_marker(MARKERS[index % len(MARKERS)], x, y, color)}</g>"
            )

    axis = (
        f'<line x1="{plot_left:.1f}" y1="{plot_bottom:.1f}" x2="{plot_right:.1f}"'
        f' y2="{plot_bottom:.1f}" stroke="{AXIS_COLOR}" stroke-width="1"/>'
        f'<line x1="{plot_left:.1f}" y1="{plot_top:.1f}" x2="{plot_left:.1f}"'
        f' y2="{plot_bottom:.1f}" stroke="{AXIS_COLOR}" stroke-width="1"/>'
    )
    parts = open_svg(width, height, ident, title, desc)
    return "\n".join([*parts, *legend, *body, axis, "</svg>"])
