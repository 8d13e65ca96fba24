"""The report as plain text, exactly in the council's published form: staff paste it
into the annual report document.

    ■ ボランティア希望（活動）者からの相談 48件（＋5件）
    1位：ボランティアしたい 20件（＋9件）
    ・子ども政策課 4件（新）
    ※「3位：近況報告など」と「5位：その他」の合計7件は前年度比－6件
"""

from decimal import ROUND_HALF_UP, Decimal

from tsunagu.reports.result import (
    Delta,
    OutreachShare,
    Report,
    Row,
    Section,
    Style,
    SupportSplit,
    SupportSplitRow,
    Trend,
)

__all__ = ["count_text", "render_text", "share_text", "support_lines"]

MISSING = "—"


def _with_delta(text: str, delta: Delta) -> str:
    """A split category's figure stands without parentheses: it has no delta of its own."""
    return f"{text}（{delta.text}）" if delta.text else text


def _row_line(style: Style, row: Row) -> str:
    head = f"{row.rank}位：" if style is Style.RANKED else "・"
    return _with_delta(f"{head}{row.label} {row.count}件", row.delta)


def _notes(notes: tuple[str, ...]) -> list[str]:
    return [f"※{note}" for note in notes]


def section_lines(section: Section) -> list[str]:
    lines = [_with_delta(f"■ {section.title} {section.total}件", section.total_delta)]
    lines += [_row_line(section.style, row) for row in section.rows]
    return lines + _notes(section.notes)


def count_text(count: int | None) -> str:
    return MISSING if count is None else f"{count}件"


def trend_lines(trend: Trend) -> list[str]:
    lines = [f"■ {trend.title}（{'／'.join(trend.year_labels)}）"]
    lines += [f"・{row.label} {'／'.join(map(count_text, row.counts))}" for row in trend.rows]
    return lines + _notes(trend.notes)


def share_text(at_outreach: int, consultations: int) -> str:
    """35.2%, rounded half up from the exact ratio (as a reader would round it); — when
    there were no consultations."""
    if not consultations:
        return MISSING
    percent = Decimal(at_outreach * 100) / Decimal(consultations)
    return f"{percent.quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)}%"


def outreach_lines(outreach: OutreachShare) -> list[str]:
    lines = ["■ 出向いた先で受けた相談の割合"]
    for label, at, total in zip(
        outreach.year_labels, outreach.at_outreach, outreach.consultations, strict=True
    ):
        lines.append(f"・{label} {share_text(at, total)}（{at}件／{total}件）")
    return lines


def _period_heading(report: Report) -> list[str]:
    """A period's report says which dates it counts and what it is compared with."""
    return [
        f"{report.period_label} 地域福祉活動の実績（{report.scope_label}）",
        f"{report.comparison_label}は{report.previous_label}との比較です。",
    ]


def _support_line(split: SupportSplit, row: SupportSplitRow) -> str:
    line = f"・{row.label} 個別支援 {row.individual}件／地域支援 {row.area}件／計 {row.total}件"
    if split.previous_label:
        line += (
            f"（{split.previous_label} 個別支援 {count_text(row.previous_individual)}"
            f"／地域支援 {count_text(row.previous_area)}／計 {count_text(row.previous_total)}）"
        )
    return line


def support_lines(split: SupportSplit) -> list[str]:
    """■ 個別支援・地域支援（令和2年度）, then a line per activity kind and 合計:
    ・出向き・参加 個別支援 12件／地域支援 120件／計 132件（令和元年度 個別支援 10件／地域支援 100件／計 110件）
    (the year before only when the report compares with it; — for a kind not counted then)"""
    lines = [f"■ {split.title}（{split.year_label}）"]
    return lines + [_support_line(split, row) for row in (*split.rows, split.total)]


def render_text(report: Report) -> str:
    """Report-wide notes, each section, the agency table, the trends and the outreach
    share, separated by blank lines."""
    blocks = [_period_heading(report)] if report.period_label else []
    blocks += [_notes(report.notes)] if report.notes else []
    blocks += [section_lines(s) for s in (*report.sections, report.agency_table)]
    blocks += [trend_lines(t) for t in report.trends]
    if report.outreach.years:
        blocks.append(outreach_lines(report.outreach))
    if report.support_split is not None:
        blocks.append(support_lines(report.support_split))
    return "\n\n".join("\n".join(block) for block in blocks) + "\n"
