import xml.etree.ElementTree as ET

import pytest

from tests.reports.factories import YEAR_LABELS, YEARS, kinds_trend, outreach, targets_trend
from tsunagu.reports.renderers.svg import SERIES_COLORS, render_share_svg, render_trend_svg
from tsunagu.reports.result import OutreachShare, Trend, TrendRow

NS = {"svg": "http://www.w3.org/2000/svg"}


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 - our own output


def texts(root: ET.Element) -> list[str]:
    return ["".join(e.itertext()) for e in root.iter(f"{{{NS['svg']}}}text")]


def bar_titles(root: ET.Element) -> list[str]:
    return [r.findtext("svg:title", namespaces=NS) or "" for r in root.iterfind(".//svg:rect", NS)]


def labelled_by(root: ET.Element) -> dict[str, str]:
    """The accessible name and description the chart points at."""
    ids = root.get("aria-labelledby", "").split()
    found = {e.get("id"): "".join(e.itertext()) for e in root.iter() if e.get("id")}
    return {ident: found[ident] for ident in ids}


def contrast_with_white(color: str) -> float:
    channels = [int(color[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return 1.05 / (luminance + 0.05)


def test_trend_chart_is_an_accessible_image_with_labels_values_and_legend() -> None:
    root = parse(render_trend_svg(kinds_trend()))
    assert root.get("role") == "img"
    name, desc = labelled_by(root).values()
    assert name == "活動内容別（平成30年度〜令和2年度）"
    assert "出向き・参加：平成30年度 780件、令和元年度 810件、令和2年度 360件" in desc
    assert "働きかけ：平成30年度 集計なし" in desc
    shown = texts(root)
    for label in (*YEAR_LABELS, "出向き・参加", "話し合いへの参加", "働きかけ", "780", "631"):
        assert label in shown
    fills = {r.get("fill") for r in root.iterfind(".//svg:rect", NS)}
    assert fills == set(SERIES_COLORS)
    assert "Noto Sans CJK JP" in root.get("font-family", "")


def test_a_year_not_counted_draws_nothing() -> None:
    root = parse(render_trend_svg(kinds_trend()))
    approach = [t for t in bar_titles(root) if t.startswith("働きかけ")]
    assert approach == ["働きかけ 令和2年度 165件"]
    # 18 figures, 2 of them not counted: 16 bars and 16 values.
    assert len(bar_titles(root)) - len(YEAR_LABELS) == 16
    assert sum(t.isdigit() for t in texts(root)) == 16


def test_a_zero_is_written_but_has_no_bar() -> None:
    root = parse(render_trend_svg(targets_trend()))
    assert not any(t.startswith("フードパントリー 平成30年度") for t in bar_titles(root))
    assert "0" in texts(root)


def test_series_colors_stand_out_against_white() -> None:
    for color in SERIES_COLORS:
        assert contrast_with_white(color) >= 3


def test_text_is_escaped() -> None:
    trend = Trend(
        key="k<&>",
        title="A&B <script>",
        years=(2020,),
        year_labels=("令和2年度",),
        rows=(TrendRow("子ども & <大人>", (3,)),),
    )
    svg = render_trend_svg(trend)
    root = parse(svg)
    assert "<script>" not in svg
    assert "子ども & <大人>" in texts(root)
    assert labelled_by(root)["chart-k----title"] == "A&B <script>（令和2年度）"


@pytest.mark.parametrize(
    "rows",
    [(), (TrendRow("相談対応", (0, 0, 0)),), (TrendRow("働きかけ", (None, None, None)),)],
)
def test_empty_and_all_zero_trends(rows: tuple[TrendRow, ...]) -> None:
    trend = Trend(key="kinds", title="活動内容別", years=YEARS, year_labels=YEAR_LABELS, rows=rows)
    root = parse(render_trend_svg(trend))
    assert root.get("role") == "img"
    assert bar_titles(root) == [""] * len(YEAR_LABELS) * bool(rows)
    if not rows:
        assert "記録がありません" in texts(root)


def test_each_chart_on_a_page_has_its_own_ids() -> None:
    kinds = parse(render_trend_svg(kinds_trend()))
    targets = parse(render_trend_svg(targets_trend()))
    share = parse(render_share_svg(outreach()))
    ids = [set(labelled_by(root)) for root in (kinds, targets, share)]
    assert not ids[0] & ids[1] and not ids[0] & ids[2] and not ids[1] & ids[2]


def test_share_chart_shows_each_year_as_a_percentage() -> None:
    root = parse(render_share_svg(outreach()))
    assert root.get("role") == "img"
    name, desc = labelled_by(root).values()
    assert name == "出向いた先で受けた相談の割合"
    assert "平成30年度 35.9%（相談526件のうち189件）" in desc
    shown = texts(root)
    for label in ("35.9%", "38.0%", "32.0%", *YEAR_LABELS, "40%", "0%"):
        assert label in shown
    assert bar_titles(root) == ["平成30年度 35.9%", "令和元年度 38.0%", "令和2年度 32.0%"]


def test_share_chart_without_consultations() -> None:
    share = OutreachShare(YEARS, YEAR_LABELS, consultations=(0, 10, 0), at_outreach=(0, 10, 0))
    root = parse(render_share_svg(share))
    assert bar_titles(root) == ["令和元年度 100.0%"]
    assert "平成30年度 相談なし" in labelled_by(root)["chart-outreach-desc"]
    empty = parse(render_share_svg(OutreachShare(YEARS, YEAR_LABELS, (0, 0, 0), (0, 0, 0))))
    assert bar_titles(empty) == []
    assert "相談の記録がありません" in texts(empty)


def test_the_legend_lists_the_years_in_the_order_of_the_bars() -> None:
    """Left to right in the legend, top down in each group: oldest year first, each in
    its colour, and the labels exactly as elsewhere (令和2年度, no inner space)."""
    root = parse(render_trend_svg(kinds_trend()))
    rects = list(root.iterfind(".//svg:rect", NS))
    legend = sorted((float(r.get("x", 0)), r.get("fill")) for r in rects if r.get("y") == "9")
    first_group = [
        (float(r.get("y", 0)), r.get("fill"))
        for r in rects
        if (r.findtext("svg:title", namespaces=NS) or "").startswith("出向き・参加 ")
    ]
    assert [fill for _, fill in legend] == list(SERIES_COLORS)
    assert [fill for _, fill in sorted(first_group)] == list(SERIES_COLORS)
    legend_texts = [t for t in texts(root) if t.endswith("年度")]
    assert legend_texts == ["平成30年度", "令和元年度", "令和2年度"]
