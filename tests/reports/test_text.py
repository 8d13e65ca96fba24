"""The text staff paste into the annual report: exactly the council's published form."""

from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.reports.published_example import published_report
from tsunagu.reports.engine import TermCount, build_section
from tsunagu.reports.renderers.text import render_text, section_lines, share_text
from tsunagu.reports.result import Delta, DeltaKind, OutreachShare, Report, Row, Section, Style

# The ボランティア希望 section is the example of docs/domain.md, except that the two
# categories with 20件 are both 1位 and the next is 3位: the example prints 2位 for the
# tie, which contradicts its own rule ("equal counts share a rank and the next rank
# skips: 1, 2, 2, 4"). The rule wins. その他 is the catch-all of both ranked lists: tied
# at the bottom, it comes last on the rank of its own position (5位), and the split note
# names the rows with the ranks printed.
PUBLISHED = """\
■ 市民社協の事業に関連する相談 35件（＋3件）

■ ニーズを抱えている個人からの相談 32件（－1件）
1位：福祉サービス・相談機関への紹介 14件（＋2件）
2位：活動の紹介 8件（±0件）
3位：近況報告など 4件
4位：居場所に参加したい 3件（新）
5位：その他 3件
※「3位：近況報告など」と「5位：その他」の合計7件は前年度比－6件

■ ボランティア希望（活動）者からの相談 48件（＋5件）
1位：ボランティアしたい 20件（＋9件）
1位：寄付（寄贈）したい 20件（－2件）
3位：ボランティア活動中の悩み、活動報告など 6件（±0件）
4位：地域活動等への見学の希望、紹介など 1件（新）
5位：その他 1件（－2件）

■ 地域活動団体からの相談 30件（＋2件）
1位：活動費・助成金・会計 12件（＋3件）
2位：コロナ関連 10件（－5件）
3位：今後の方向性 6件（±0件）
3位：チラシ・広報 6件（±0件）
5位：特定の個人のこと 2件（新）
6位：部屋の貸し出し 1件（新）
7位：会員研修 0件（－2件）

■ 関係機関からの相談（相談内容別） 18件（＋5件）
・特定の個人について 9件（＋2件）
・テンミリオンハウスについて 5件（新）
・居場所について 5件（±0件）
・フードバンク・フードパントリー団体について 1件（－1件）

■ 関係機関別 17件（－1件）
・在宅介護・地域包括支援センター 8件（±0件）
・教育支援課・教育企画課・指導課 5件（＋2件）
・高齢者支援課 4件（－2件）
・福祉公社 2件（新）
・子ども政策課 0件（－2件）

■ 活動内容別（平成30年度／令和元年度／令和2年度）
・出向き・参加 120件／130件／140件
・話し合いへの参加 80件／75件／90件
・相談対応 60件／58件／65件
・働きかけ —／—／40件
※働きかけは令和2年度から集計しています。

■ 出向いた先で受けた相談の割合
・平成30年度 32.0%（96件／300件）
・令和元年度 35.0%（112件／320件）
・令和2年度 35.1%（123件／350件）
"""


def test_the_hand_built_report_reads_exactly_as_published() -> None:
    assert render_text(published_report()) == PUBLISHED


def test_report_notes_come_first_and_sections_need_no_previous_year() -> None:
    section = build_section(
        key="volunteer",
        title="ボランティア希望（活動）者からの相談",
        style=Style.RANKED,
        terms=[
            TermCount("ボランティアしたい", 1, 3, ("ボランティアしたい",)),
            TermCount("寄付（寄贈）したい", 2, 0, ("寄付したい",)),
        ],
        previous=None,
        total=3,
        previous_total=None,
    )
    report = Report(
        fiscal_year=2020,
        fiscal_year_label="令和2年度",
        previous_label="令和元年度",
        scope_label="市全体",
        sections=(section,),
        agency_table=build_section(
            key="agencies",
            title="関係機関別",
            style=Style.LISTED,
            terms=[],
            previous=None,
            total=0,
            previous_total=None,
        ),
        trends=(),
        outreach=OutreachShare(years=(), year_labels=(), consultations=(), at_outreach=()),
        notes=("令和元年度の記録がないため、前年度との比較はすべて「新」です。",),
    )
    assert render_text(report) == (
        "※令和元年度の記録がないため、前年度との比較はすべて「新」です。\n"
        "\n"
        "■ ボランティア希望（活動）者からの相談 3件（新）\n"
        "1位：ボランティアしたい 3件（新）\n"
        "\n"
        "■ 関係機関別 0件（新）\n"
    )


@pytest.mark.parametrize(
    ("delta", "line"),
    [
        (Delta(DeltaKind.NUMBER, 5), "1位：その他 3件（＋5件）"),
        (Delta(DeltaKind.NUMBER, -12), "1位：その他 3件（－12件）"),
        (Delta(DeltaKind.NUMBER, 0), "1位：その他 3件（±0件）"),
        (Delta(DeltaKind.NEW), "1位：その他 3件（新）"),
        (Delta(DeltaKind.NONE), "1位：その他 3件"),
    ],
)
def test_every_delta_form_of_a_ranked_row(delta: Delta, line: str) -> None:
    section = Section(
        key="k",
        title="表",
        style=Style.RANKED,
        total=3,
        total_delta=Delta(DeltaKind.NUMBER, 1),
        rows=(Row("その他", 3, delta, rank=1),),
    )
    assert section_lines(section) == ["■ 表 3件（＋1件）", line]


def test_a_listed_row_has_no_rank_and_notes_get_their_mark() -> None:
    section = Section(
        key="k",
        title="関係機関別",
        style=Style.LISTED,
        total=1,
        total_delta=Delta(DeltaKind.NEW),
        rows=(Row("福祉公社", 1, Delta(DeltaKind.NEW)),),
        notes=("一つ目の注記", "二つ目の注記"),
    )
    assert section_lines(section) == [
        "■ 関係機関別 1件（新）",
        "・福祉公社 1件（新）",
        "※一つ目の注記",
        "※二つ目の注記",
    ]


@pytest.mark.parametrize(
    ("at", "total", "text"),
    [
        (123, 350, "35.1%"),
        (1, 16, "6.3%"),  # 6.25 rounds half up, as a reader would (not to even)
        (1, 3, "33.3%"),
        (2, 3, "66.7%"),
        (0, 5, "0.0%"),
        (5, 5, "100.0%"),
        (0, 0, "—"),
    ],
)
def test_the_outreach_share_is_rounded_half_up_to_one_decimal(
    at: int, total: int, text: str
) -> None:
    assert share_text(at, total) == text


def test_a_year_without_consultations_shows_a_dash() -> None:
    report = published_report()
    outreach = OutreachShare(
        years=(2020,), year_labels=("令和2年度",), consultations=(0,), at_outreach=(0,)
    )
    text = render_text(replace(report, outreach=outreach))
    assert text.endswith("■ 出向いた先で受けた相談の割合\n・令和2年度 —（0件／0件）\n")


@given(
    st.lists(st.integers(min_value=0, max_value=10_000), max_size=12),
    st.integers(min_value=0, max_value=10_000),
)
def test_every_row_is_one_line_with_its_figure(counts: list[int], total: int) -> None:
    terms = [TermCount(f"分類{i}", i, n, (f"分類{i}",)) for i, n in enumerate(counts)]
    previous = {f"分類{i}": 1 for i in range(len(counts))}
    section = build_section(
        key="k",
        title="表",
        style=Style.RANKED,
        terms=terms,
        previous=previous,
        total=total,
        previous_total=1,
    )
    lines = section_lines(section)
    assert len(lines) == 1 + len(section.rows)
    for line, row in zip(lines[1:], section.rows, strict=True):
        assert line == f"{row.rank}位：{row.label} {row.count}件（{row.delta.text}）"
        assert line.isprintable()
