"""Hand-built report objects for the renderer tests: no database, figures shaped like the
demo council's 令和2年度 (a split, a 新, ties, a grouped agency row, 働きかけ counted only
from the last year).

    report = sample_report()
    report = sample_report(scope_label="東部圏域", notes=("…",))
"""

from dataclasses import replace
from typing import Any

from tsunagu.reports.result import (
    Delta,
    DeltaKind,
    OutreachShare,
    Report,
    Row,
    Section,
    Style,
    Trend,
    TrendRow,
)

YEARS = (2018, 2019, 2020)
YEAR_LABELS = ("平成30年度", "令和元年度", "令和2年度")

SPLIT_NOTE = "「4位：近況報告など」と「5位：その他」の合計7件は前年度比－6件"
APPROACH_NOTE = "働きかけは令和2年度から集計しています。"


def delta(value: int) -> Delta:
    return Delta(DeltaKind.NUMBER, value)


NEW = Delta(DeltaKind.NEW)
SPLIT = Delta(DeltaKind.NONE)


def ranked(label: str, count: int, change: Delta, rank: int) -> Row:
    return Row(label=label, count=count, delta=change, rank=rank)


def listed(label: str, count: int, change: Delta) -> Row:
    return Row(label=label, count=count, delta=change)


def council_section() -> Section:
    return Section(
        key="type-1",
        title="市民社協の事業に関連する相談",
        style=Style.TOTAL,
        total=131,
        total_delta=delta(27),
    )


def individual_section() -> Section:
    """Ranked, with a tie at 2位 and a category of last year split in two."""
    return Section(
        key="type-2",
        title="ニーズを抱えている個人からの相談",
        style=Style.RANKED,
        total=69,
        total_delta=delta(-23),
        rows=(
            ranked("福祉サービス・相談機関への紹介", 38, delta(4), 1),
            ranked("具体的な活動への紹介", 12, delta(-13), 2),
            ranked("居場所・集いの場への参加希望", 12, delta(-8), 2),
            ranked("近況報告など", 4, SPLIT, 4),
            ranked("その他", 3, SPLIT, 5),
        ),
        notes=(SPLIT_NOTE,),
    )


def volunteer_section() -> Section:
    return Section(
        key="type-3",
        title="ボランティア希望（活動）者からの相談",
        style=Style.RANKED,
        total=45,
        total_delta=delta(2),
        rows=(
            ranked("寄付（寄贈）したい", 24, delta(2), 1),
            ranked("ボランティアしたい", 11, delta(0), 2),
            ranked("ボランティア活動中の悩み、活動報告など", 6, delta(0), 3),
            ranked("地域活動等への見学の希望、紹介など", 2, delta(1), 4),
            ranked("その他", 2, delta(-1), 4),
        ),
    )


GROUP_ROWS = (
    ("新型コロナウイルス関連", 96, NEW),
    ("活動費・助成金・会計", 58, delta(13)),
    ("市民社協の事業", 41, delta(3)),
    ("今後の活動の方向性", 37, delta(11)),
    ("メンバー間の意見の相違", 30, delta(12)),
    ("チラシ・広報", 27, delta(-3)),
    ("近況報告", 27, delta(-6)),
    ("名簿・個人情報の取り扱い・書類", 22, delta(6)),
    ("市役所・関係機関", 19, delta(-1)),
    ("会則・会議・役割分担", 17, delta(-7)),
    ("他団体との連携", 15, delta(1)),
    ("居場所の立ち上げ", 12, delta(-6)),
    ("他団体の取り組み", 12, delta(1)),
    ("特定の個人のこと", 10, delta(-2)),
    ("ボランティアの募集", 8, delta(-6)),
    ("寄付（空き家の提供を含む）", 6, delta(1)),
    ("ボランティア・行事保険", 5, delta(-2)),
    ("その他", 4, delta(-2)),
    ("部屋の借用", 3, delta(-3)),
    ("メンバーの研修", 2, delta(-1)),
)
GROUP_RANKS = (1, 2, 3, 4, 5, 6, 6, 8, 9, 10, 11, 12, 12, 14, 15, 16, 17, 18, 19, 20)


def group_section() -> Section:
    """Twenty ranked subjects (long enough to print on more than one page's worth of rows
    in narrow layouts); the total counts records, not subjects."""
    return Section(
        key="type-4",
        title="地域活動団体からの相談",
        style=Style.RANKED,
        total=262,
        total_delta=delta(54),
        rows=tuple(
            ranked(label, count, change, rank)
            for (label, count, change), rank in zip(GROUP_ROWS, GROUP_RANKS, strict=True)
        ),
        notes=("一つの相談で複数の内容があった場合は、それぞれの内容に数えています。",),
    )


def agency_subject_section() -> Section:
    """The consulter type 関係機関, listed by count (相談内容別); one renamed subject."""
    return Section(
        key="type-5",
        title="関係機関からの相談",
        style=Style.LISTED,
        total=124,
        total_delta=delta(5),
        rows=(
            listed("特定の個人について", 27, delta(3)),
            listed("フードバンク・フードパントリー団体について", 21, delta(12)),
            listed("地域社協について", 19, delta(-6)),
            listed("子ども食堂について", 15, delta(4)),
            listed("テンミリオンハウスについて", 12, delta(-4)),
            listed("居場所について", 10, delta(-4)),
            listed("寄付", 8, delta(3)),
            listed("地域ケア会議", 6, delta(-3)),
            listed("その他", 6, delta(0)),
        ),
    )


def agency_table() -> Section:
    """関係機関別, with grouped rows (several agencies reported as one)."""
    return Section(
        key="agencies",
        title="関係機関別",
        style=Style.LISTED,
        total=118,
        total_delta=delta(14),
        rows=(
            listed("在宅介護・地域包括支援センター", 38, delta(6)),
            listed("地域支援課", 25, delta(-3)),
            listed("生活福祉課", 21, delta(9)),
            listed("子ども政策課", 14, NEW),
            listed("高齢者支援課", 12, delta(0)),
            listed("社会福祉法人・企業", 9, delta(2)),
            listed("教育支援課・教育企画課・指導課", 7, NEW),
            listed("福祉公社", 4, delta(-1)),
        ),
    )


def kinds_trend() -> Trend:
    return Trend(
        key="kinds",
        title="活動内容別",
        years=YEARS,
        year_labels=YEAR_LABELS,
        rows=(
            TrendRow("出向き・参加", (780, 810, 360)),
            TrendRow("話し合いへの参加", (340, 355, 250)),
            TrendRow("相談対応", (526, 566, 631)),
            TrendRow("働きかけ", (None, None, 165)),
            TrendRow("情報提供", (170, 185, 265)),
            TrendRow("その他", (95, 90, 85)),
        ),
        notes=(APPROACH_NOTE,),
    )


def targets_trend() -> Trend:
    return Trend(
        key="targets",
        title="支援先別",
        years=YEARS,
        year_labels=YEAR_LABELS,
        rows=(
            TrendRow("地域社協", (412, 430, 298)),
            TrendRow("サロン", (301, 315, 96)),
            TrendRow("子育てサロン", (88, 92, 31)),
            TrendRow("居場所", (176, 181, 120)),
            TrendRow("子ども食堂", (95, 102, 118)),
            TrendRow("フードパントリー", (0, 24, 87)),
            TrendRow("テンミリオンハウス", (120, 118, 74)),
            TrendRow("ボランティア団体", (143, 150, 122)),
            TrendRow("丁目の会", (64, 61, 40)),
            TrendRow("支援先なし", (512, 539, 757)),
        ),
    )


def outreach() -> OutreachShare:
    return OutreachShare(
        years=YEARS,
        year_labels=YEAR_LABELS,
        consultations=(526, 566, 631),
        at_outreach=(189, 215, 202),
    )


MUNICIPALITY = {
    "name": "みどり市（デモ）",
    "council_name": "みどり市民社会福祉協議会（デモ）",
    "population": "148,000人",
    "households": "78,000世帯",
    "ageing_rate": "22.0%",
    "area": "10.98km²",
    "fiscal_year": "令和2年度",
}


def sample_report(**changes: Any) -> Report:
    """令和2年度, city-wide, compared with 令和元年度; `changes` replace any field."""
    report = Report(
        fiscal_year=2020,
        fiscal_year_label="令和2年度",
        previous_label="令和元年度",
        scope_label="市全体",
        sections=(
            council_section(),
            individual_section(),
            volunteer_section(),
            group_section(),
            agency_subject_section(),
        ),
        agency_table=agency_table(),
        trends=(kinds_trend(), targets_trend()),
        outreach=outreach(),
        municipality=dict(MUNICIPALITY),
    )
    return replace(report, **changes)


def empty_report() -> Report:
    """A year with no records, no categories and nothing the year before."""
    return Report(
        fiscal_year=2021,
        fiscal_year_label="令和3年度",
        previous_label="令和2年度",
        scope_label="市全体",
        sections=(
            Section(
                key="type-2",
                title="ニーズを抱えている個人からの相談",
                style=Style.RANKED,
                total=0,
                total_delta=NEW,
            ),
        ),
        agency_table=Section(
            key="agencies", title="関係機関別", style=Style.LISTED, total=0, total_delta=NEW
        ),
        trends=(
            Trend(
                key="kinds",
                title="活動内容別",
                years=(2019, 2020, 2021),
                year_labels=("令和元年度", "令和2年度", "令和3年度"),
                rows=(),
            ),
        ),
        outreach=OutreachShare(
            years=(2019, 2020, 2021),
            year_labels=("令和元年度", "令和2年度", "令和3年度"),
            consultations=(0, 0, 0),
            at_outreach=(0, 0, 0),
        ),
        notes=(
            "令和2年度のデータがないため、前年度比はすべて「新」と表示しています。",
            "令和3年度の記録はまだありません。",
        ),
    )
