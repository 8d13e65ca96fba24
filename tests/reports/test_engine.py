"""The report engine: ranking, deltas and lineage from plain counts, checked over random
yearly lists and on every lineage shape by hand."""

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tsunagu.lib.textnorm import normalize
from tsunagu.reports.engine import (
    TermCount,
    build_section,
    build_trend,
    carry_back,
    competition_ranks,
    split_note,
    without_ranks,
)
from tsunagu.reports.result import Delta, DeltaKind, Section, Style, TrendRow

# Last year's names, with other spellings of the same name so that matching the
# lineage against last year's counts by the normalised name is exercised too.
SPELLINGS = {
    "近況報告など": ["近況報告　など"],
    "その他": ["その 他"],
    "寄付したい": [],
    "会計": [],
    "助成金": [],
    "コロナ関連": ["ｺﾛﾅ関連"],
    "研修": [],
}
PREVIOUS_NAMES = list(SPELLINGS)
NEW_NAMES = ["近況報告", "寄付（寄贈）したい", "会計・助成金", "新しい分類"]


def spelled(name: str) -> st.SearchStrategy[str]:
    return st.sampled_from([name, *SPELLINGS[name]])


@st.composite
def lineage(draw: st.DrawFn, name: str, previous_names: list[str]) -> list[str]:
    """Last year's names an entry continues, each shape about equally likely."""
    shape = draw(st.sampled_from(["new", "same", "other", "several"]))
    if shape == "new" or not previous_names:
        return []
    if shape == "same" and name in previous_names:
        return [name]
    if shape == "several" and len(previous_names) > 1:
        return draw(st.lists(st.sampled_from(previous_names), unique=True, min_size=2, max_size=3))
    return [draw(st.sampled_from(previous_names))]


@st.composite
def year_pairs(draw: st.DrawFn) -> tuple[list[TermCount], dict[str, int]]:
    """(this year's terms with counts and lineage, last year's counts by name)."""
    previous_names = draw(st.lists(st.sampled_from(PREVIOUS_NAMES), unique=True))
    previous = {name: draw(st.integers(0, 12)) for name in previous_names}
    # Mostly last year's names again, so that continued categories are frequent.
    names = draw(
        st.lists(st.sampled_from(previous_names + NEW_NAMES), unique=True, min_size=1, max_size=8)
    )
    orders = draw(st.permutations(range(len(names))))
    # At most one catch-all per list, as the database allows; often none.
    catch_all = draw(st.none() | st.integers(0, len(names) - 1))
    terms = []
    for index, (name, order) in enumerate(zip(names, orders, strict=True)):
        predecessors = tuple(draw(spelled(p)) for p in draw(lineage(name, previous_names)))
        # Few distinct counts, so that ties are frequent.
        count = draw(st.integers(0, 5))
        terms.append(TermCount(name, order, count, predecessors, catch_all=index == catch_all))
    return terms, previous


styles = st.sampled_from(list(Style))
totals = st.integers(0, 200)
previous_totals = st.none() | st.integers(0, 200)


def section_of(
    terms: Sequence[TermCount],
    previous: Mapping[str, int] | None,
    style: Style = Style.RANKED,
    total: int = 10,
    previous_total: int | None = 8,
) -> Section:
    return build_section(
        key="k",
        title="表",
        style=style,
        terms=terms,
        previous=previous,
        total=total,
        previous_total=previous_total,
    )


# Independent statements of the rules, to compare the engine with.


def last_year(previous: Mapping[str, int], names: Sequence[str]) -> int:
    return sum(previous[p] for p in PREVIOUS_NAMES if p in previous and normalize(p) in keys(names))


def keys(names: Sequence[str]) -> set[str]:
    return {normalize(n) for n in names}


def split_names(terms: Sequence[TermCount]) -> set[str]:
    uses = Counter(p for t in terms for p in keys(t.predecessors))
    return {t.name for t in terms if any(uses[p] > 1 for p in keys(t.predecessors))}


def family_of(name: str, terms: Sequence[TermCount]) -> list[TermCount]:
    """The split categories reachable from `name` through shared predecessors."""
    by_name = {t.name: t for t in terms}
    family = {name}
    grown = True
    while grown:
        preds = set().union(*(keys(by_name[n].predecessors) for n in family))
        more = {t.name for t in terms if keys(t.predecessors) & preds}
        grown = not more <= family
        family |= more
    return sorted((by_name[n] for n in family), key=lambda t: t.order)


def family_previous(family: Sequence[TermCount], previous: Mapping[str, int]) -> int:
    return last_year(previous, [p for t in family for p in t.predecessors])


def expected_rank(row_index: int, rows: Sequence[tuple[int, bool]]) -> int:
    """The published rank of rows[row_index] among (count, is catch-all) rows in table
    order: one more than the rows with a higher count; the catch-all, one more than every
    other row with at least its count (the rank of its own position)."""
    count, catch_all = rows[row_index]
    if catch_all:
        return 1 + sum(c >= count for i, (c, _) in enumerate(rows) if i != row_index)
    return 1 + sum(c > count for c, _ in rows)


def expected_shown(
    term: TermCount, terms: Sequence[TermCount], previous: Mapping[str, int]
) -> bool:
    if term.name not in split_names(terms):
        return term.count > 0 or last_year(previous, term.predecessors) > 0
    family = family_of(term.name, terms)
    return any(t.count for t in family) or family_previous(family, previous) > 0


NOTE = re.compile(r"^((?:「[^」]+」|と)+)の合計(\d+)件(?:は前年度比(.+)|（前年度は0件）)$")


@given(year_pairs(), styles, totals, previous_totals)
def test_ranking_never_changes_the_figures(
    data: tuple[list[TermCount], dict[str, int]],
    style: Style,
    total: int,
    previous_total: int | None,
) -> None:
    terms, previous = data
    section = section_of(terms, previous, style, total, previous_total)
    assert section.total == total
    assert section.total_delta == Delta.between(total, previous_total)
    if style is Style.TOTAL:
        assert section.rows == ()
        assert section.notes == ()
        return
    labels = [row.label for row in section.rows]
    assert len(labels) == len(set(labels))
    counts = {t.name: t.count for t in terms}
    assert all(row.count == counts[row.label] for row in section.rows)
    # Rows left out have no records, so the rows still add up to every count.
    assert sum(row.count for row in section.rows) == sum(counts.values())


@given(year_pairs(), st.sampled_from([Style.RANKED, Style.LISTED]))
def test_rows_are_ordered_by_count_ties_in_configured_order_catch_all_last(
    data: tuple[list[TermCount], dict[str, int]], style: Style
) -> None:
    terms, previous = data
    section = section_of(terms, previous, style)
    order = {t.name: t.order for t in terms}
    catch_all = {t.name: t.catch_all for t in terms}
    keys = [(-r.count, catch_all[r.label], order[r.label]) for r in section.rows]
    assert keys == sorted(keys)
    shown = [(r.count, catch_all[r.label]) for r in section.rows]
    for index, row in enumerate(section.rows):
        assert row.rank == (expected_rank(index, shown) if style is Style.RANKED else None)


@given(year_pairs())
def test_every_lineage_shape_gets_its_delta(data: tuple[list[TermCount], dict[str, int]]) -> None:
    terms, previous = data
    section = section_of(terms, previous)
    split = split_names(terms)
    by_name = {t.name: t for t in terms}
    for row in section.rows:
        term = by_name[row.label]
        if term.name in split:
            assert row.delta == Delta(DeltaKind.NONE)
        else:
            # New, continued, renamed and merged alike: against the sum of what it continues,
            # 新 when that was nothing.
            assert row.delta == Delta.between(term.count, last_year(previous, term.predecessors))


@given(year_pairs())
def test_zero_rows_are_shown_only_after_a_drop(
    data: tuple[list[TermCount], dict[str, int]],
) -> None:
    terms, previous = data
    shown = {row.label for row in section_of(terms, previous).rows}
    assert shown == {t.name for t in terms if expected_shown(t, terms, previous)}


@given(year_pairs())
def test_each_split_family_gets_one_note_with_its_combined_figure(
    data: tuple[list[TermCount], dict[str, int]],
) -> None:
    terms, previous = data
    section = section_of(terms, previous)
    shown = [row.label for row in section.rows]
    families = []
    for name in shown:
        if name in split_names(terms):
            family = family_of(name, terms)
            if family not in families:
                families.append(family)
    assert len(section.notes) == len(families)
    rank = {row.label: row.rank for row in section.rows}
    for note, family in zip(section.notes, families, strict=True):
        match = NOTE.match(note)
        assert match, note
        # Ranked: each with its rank as the table prints it, in the table's order.
        printed = [f"「{rank[n]}位：{n}」" for n in shown if n in {t.name for t in family}]
        assert match[1] == "".join(printed[:-1]) + "と" + printed[-1]
        combined = sum(t.count for t in family)
        assert int(match[2]) == combined
        delta = Delta.between(combined, family_previous(family, previous))
        assert match[3] == (delta.text if delta.kind is DeltaKind.NUMBER else None)
        assert all(t.name in shown for t in family)


@given(year_pairs(), styles, totals, previous_totals)
def test_a_previous_year_without_data_makes_every_delta_new(
    data: tuple[list[TermCount], dict[str, int]],
    style: Style,
    total: int,
    previous_total: int | None,
) -> None:
    terms, _ = data
    section = section_of(terms, None, style, total, previous_total)
    assert section.total_delta == Delta(DeltaKind.NEW)
    assert all(row.delta == Delta(DeltaKind.NEW) for row in section.rows)
    assert section.notes == ()
    if style is not Style.TOTAL:
        assert {row.label for row in section.rows} == {t.name for t in terms if t.count}


@pytest.mark.parametrize("previous", [None, {}, {"その他": 3}])
@pytest.mark.parametrize("style", list(Style))
def test_an_empty_year(previous: dict[str, int] | None, style: Style) -> None:
    section = section_of([], previous, style, total=0, previous_total=3 if previous else None)
    assert section.rows == ()
    assert section.notes == ()
    assert section.total == 0
    assert section.total_delta == (
        Delta(DeltaKind.NUMBER, -3) if previous else Delta(DeltaKind.NEW)
    )


@given(st.lists(st.integers(0, 6), max_size=20))
def test_competition_ranks(counts: list[int]) -> None:
    ordered = sorted(counts, reverse=True)
    assert competition_ranks(ordered) == [1 + sum(c > n for c in ordered) for n in ordered]


def test_competition_ranks_skip_after_a_tie() -> None:
    assert competition_ranks([9, 5, 5, 1, 1, 1, 0]) == [1, 2, 2, 4, 4, 4, 7]


def table_order(counts: Sequence[int], catch_all: int | None) -> list[tuple[int, bool]]:
    """(count, is catch-all) in the order a table prints them: by count, the catch-all
    after the others of its count (ties otherwise in the given order)."""
    rows = [(count, index == catch_all) for index, count in enumerate(counts)]
    return sorted(rows, key=lambda r: (-r[0], r[1]))


def ranks_of(rows: Sequence[tuple[int, bool]]) -> list[int]:
    return competition_ranks([c for c, _ in rows], [f for _, f in rows])


@given(st.lists(st.integers(0, 6), min_size=1, max_size=20), st.data())
def test_the_catch_all_takes_the_rank_of_its_own_position(
    counts: list[int], data: st.DataObject
) -> None:
    catch_all = data.draw(st.integers(0, len(counts) - 1))
    rows = table_order(counts, catch_all)
    ranks = ranks_of(rows)
    position = next(i for i, (_, flag) in enumerate(rows) if flag)
    assert ranks[position] == position + 1
    assert ranks == [expected_rank(i, rows) for i in range(len(rows))]
    # Every other row keeps the usual competition rank, before and after the catch-all.
    usual = competition_ranks([c for c, _ in rows])
    assert [r for i, r in enumerate(ranks) if i != position] == [
        r for i, r in enumerate(usual) if i != position
    ]
    # Without a tie at its count, nothing changes.
    if counts.count(counts[catch_all]) == 1:
        assert ranks == usual


def test_the_catch_all_rule_on_every_small_list() -> None:
    """Exhaustively: every list of up to five counts from 0 to 3, with the catch-all at
    each place or nowhere."""
    from itertools import product

    for length in range(6):
        for counts in product(range(4), repeat=length):
            for catch_all in [None, *range(length)]:
                rows = table_order(counts, catch_all)
                assert ranks_of(rows) == [expected_rank(i, rows) for i in range(len(rows))]
                if catch_all is None:
                    assert ranks_of(rows) == competition_ranks([c for c, _ in rows])


@pytest.mark.parametrize(
    ("counts", "catch_all", "ranks"),
    [
        # The example: その他 last of a tie at the bottom.
        ([35, 22, 2, 1, 1], 4, [1, 2, 3, 4, 5]),
        # No tie: nothing changes.
        ([35, 22, 2, 1], 3, [1, 2, 3, 4]),
        # Inside a tie of three, and the rows after it continue the competition ranking.
        ([9, 5, 5, 5, 1, 0], 3, [1, 2, 2, 4, 5, 6]),
        ([9, 5, 5, 1, 1, 0], 2, [1, 2, 3, 4, 4, 6]),
        # None marked: as before.
        ([9, 5, 5, 1, 1, 1, 0], None, [1, 2, 2, 4, 4, 4, 7]),
    ],
)
def test_catch_all_ranks_by_hand(
    counts: list[int], catch_all: int | None, ranks: list[int]
) -> None:
    flags = [i == catch_all for i in range(len(counts))]
    assert competition_ranks(counts, flags if catch_all is not None else ()) == ranks


def test_a_catch_all_tied_at_the_bottom_of_a_ranked_section() -> None:
    terms = [
        TermCount("その他", 1, 1, ("その他",), catch_all=True),
        TermCount("寄付（寄贈）したい", 2, 35, ("寄付（寄贈）したい",)),
        TermCount("ボランティアしたい", 3, 22, ("ボランティアしたい",)),
        TermCount("活動報告など", 4, 2, ("活動報告など",)),
        TermCount("見学の希望など", 5, 1, ("見学の希望など",)),
    ]
    previous = {"その他": 3, "寄付（寄贈）したい": 30, "ボランティアしたい": 22, "活動報告など": 2}
    assert rows_text(section_of(terms, previous)) == [
        "1位：寄付（寄贈）したい 35件（＋5件）",
        "2位：ボランティアしたい 22件（±0件）",
        "3位：活動報告など 2件（±0件）",
        "4位：見学の希望など 1件（新）",
        "5位：その他 1件（－2件）",
    ]
    # The same list not marked: その他 is ordered by its configured place and shares 4位.
    unmarked = [replace(t, catch_all=False) for t in terms]
    assert rows_text(section_of(unmarked, previous))[3:] == [
        "4位：その他 1件（－2件）",
        "4位：見学の希望など 1件（新）",
    ]


# Every shape by hand, written as the council would read it.


def rows_text(section: Section) -> list[str]:
    return [
        f"{r.rank}位：{r.label} {r.count}件{r.delta.text and f'（{r.delta.text}）'}"
        for r in section.rows
    ]


@pytest.mark.parametrize(
    ("term", "previous", "line"),
    [
        (TermCount("新しい分類", 1, 3), {"その他": 2}, "1位：新しい分類 3件（新）"),
        (TermCount("その他", 1, 5, ("その他",)), {"その他": 2}, "1位：その他 5件（＋3件）"),
        (TermCount("その他", 1, 2, ("その 他",)), {"その他": 2}, "1位：その他 2件（±0件）"),
        # A continued category with no records last year: 新, nothing to compare with.
        (TermCount("その他", 1, 2, ("その他",)), {"その他": 0}, "1位：その他 2件（新）"),
        (
            TermCount("寄付（寄贈）したい", 1, 18, ("寄付したい",)),
            {"寄付したい": 20},
            "1位：寄付（寄贈）したい 18件（－2件）",
        ),
        (
            TermCount("会計・助成金", 1, 7, ("会計", "助成金")),
            {"会計": 3, "助成金": 4},
            "1位：会計・助成金 7件（±0件）",
        ),
        (
            TermCount("会計・助成金", 1, 9, ("会計", "助成金")),
            {"会計": 0, "助成金": 4},
            "1位：会計・助成金 9件（＋5件）",
        ),
        (TermCount("会計・助成金", 1, 1, ("会計", "助成金")), {}, "1位：会計・助成金 1件（新）"),
        (TermCount("研修", 1, 0, ("研修",)), {"研修": 4}, "1位：研修 0件（－4件）"),
    ],
)
def test_one_category_of_each_shape(term: TermCount, previous: dict[str, int], line: str) -> None:
    assert rows_text(section_of([term], previous)) == [line]


def test_a_category_with_no_records_either_year_is_left_out() -> None:
    terms = [TermCount("研修", 1, 0, ("研修",)), TermCount("新しい分類", 2, 0)]
    assert section_of(terms, {"研修": 0}).rows == ()


def test_a_split_in_two_is_compared_as_a_whole() -> None:
    terms = [
        TermCount("近況報告など", 1, 4, ("近況報告・その他",)),
        TermCount("その他", 2, 3, ("近況報告・その他",)),
        TermCount("寄付したい", 3, 5, ("寄付したい",)),
    ]
    section = section_of(terms, {"近況報告・その他": 13, "寄付したい": 5})
    assert rows_text(section) == [
        "1位：寄付したい 5件（±0件）",
        "2位：近況報告など 4件",
        "3位：その他 3件",
    ]
    assert section.notes == ("「2位：近況報告など」と「3位：その他」の合計7件は前年度比－6件",)
    # A listed table names them alone.
    listed = section_of(terms, {"近況報告・その他": 13, "寄付したい": 5}, Style.LISTED)
    assert listed.notes == ("「近況報告など」と「その他」の合計7件は前年度比－6件",)


def test_a_split_note_names_the_catch_all_on_its_own_rank() -> None:
    terms = [
        TermCount("福祉サービスの紹介", 1, 38, ("福祉サービスの紹介",)),
        TermCount("活動への紹介", 2, 12, ("活動への紹介",)),
        TermCount("近況報告など", 3, 3, ("近況報告・その他",)),
        TermCount("居場所への参加希望", 4, 3, ("居場所への参加希望",)),
        TermCount("その他", 5, 4, ("近況報告・その他",), catch_all=True),
        TermCount("見学の希望", 6, 4, ()),
    ]
    previous = {"福祉サービスの紹介": 34, "活動への紹介": 25, "近況報告・その他": 13}
    previous |= {"居場所への参加希望": 20}
    section = section_of(terms, previous)
    assert rows_text(section) == [
        "1位：福祉サービスの紹介 38件（＋4件）",
        "2位：活動への紹介 12件（－13件）",
        "3位：見学の希望 4件（新）",
        "4位：その他 4件",
        "5位：近況報告など 3件",
        "5位：居場所への参加希望 3件（－17件）",
    ]
    # In the table's order, each with the rank the table prints.
    assert section.notes == ("「4位：その他」と「5位：近況報告など」の合計7件は前年度比－6件",)


def test_a_split_in_three_with_nothing_last_year() -> None:
    terms = [
        TermCount("C", 3, 1, ("X",)),
        TermCount("A", 1, 1, ("X",)),
        TermCount("B", 2, 5, ("X",)),
    ]
    section = section_of(terms, {"X": 0})
    assert rows_text(section) == ["1位：B 5件", "2位：A 1件", "2位：C 1件"]
    # Ranked: the names as the rows print them, in the table's order.
    assert section.notes == ("「1位：B」「2位：A」と「2位：C」の合計7件（前年度は0件）",)
    # Listed: the names in configured order, whatever the order of the rows.
    listed = section_of(terms, {"X": 0}, Style.LISTED)
    assert listed.notes == ("「A」「B」と「C」の合計7件（前年度は0件）",)


def test_a_split_and_merge_family_gets_one_note() -> None:
    # A takes part of X, C part of Y, and B takes parts of both: none of them can be
    # compared alone, so the three are compared with X and Y together.
    terms = [
        TermCount("A", 1, 2, ("X",)),
        TermCount("B", 2, 3, ("X", "Y")),
        TermCount("C", 3, 0, ("Y",)),
        TermCount("D", 4, 4, ("Z",)),
    ]
    section = section_of(terms, {"X": 4, "Y": 1, "Z": 4})
    assert rows_text(section) == ["1位：D 4件（±0件）", "2位：B 3件", "3位：A 2件", "4位：C 0件"]
    assert section.notes == ("「2位：B」「3位：A」と「4位：C」の合計5件は前年度比±0件",)


def test_two_split_families_get_a_note_each_in_the_order_of_the_table() -> None:
    terms = [
        TermCount("A1", 1, 1, ("A",)),
        TermCount("A2", 2, 1, ("A",)),
        TermCount("B1", 3, 5, ("B",)),
        TermCount("B2", 4, 2, ("B",)),
    ]
    section = section_of(terms, {"A": 1, "B": 3})
    assert section.notes == (
        "「1位：B1」と「2位：B2」の合計7件は前年度比＋4件",
        "「3位：A1」と「3位：A2」の合計2件は前年度比＋1件",
    )


def test_a_split_family_with_nothing_either_year_is_left_out() -> None:
    terms = [TermCount("A1", 1, 0, ("A",)), TermCount("A2", 2, 0, ("A",))]
    section = section_of(terms, {"A": 0})
    assert section.rows == ()
    assert section.notes == ()


def test_a_split_family_that_dropped_to_zero_is_shown() -> None:
    terms = [TermCount("A1", 1, 0, ("A",)), TermCount("A2", 2, 0, ("A",))]
    section = section_of(terms, {"A": 6})
    assert rows_text(section) == ["1位：A1 0件", "1位：A2 0件"]
    assert section.notes == ("「1位：A1」と「1位：A2」の合計0件は前年度比－6件",)


def test_an_agency_group_new_this_year_and_one_that_existed() -> None:
    terms = [TermCount("福祉公社", 2, 2), TermCount("子ども政策課", 1, 2, ("子ども政策課",))]
    section = section_of(terms, {"子ども政策課": 2, "高齢者支援課": 5}, Style.LISTED)
    assert [(r.label, r.rank, r.delta.text) for r in section.rows] == [
        ("子ども政策課", None, "±0件"),
        ("福祉公社", None, "新"),
    ]


def test_split_note_wording() -> None:
    assert split_note(["A", "B"], 7, 13) == "「A」と「B」の合計7件は前年度比－6件"
    assert split_note(["A", "B"], 7, 7) == "「A」と「B」の合計7件は前年度比±0件"
    assert (
        split_note(["A", "B", "C", "D"], 9, 1) == "「A」「B」「C」と「D」の合計9件は前年度比＋8件"
    )
    assert split_note(["A", "B"], 7, 0) == "「A」と「B」の合計7件（前年度は0件）"
    assert (
        split_note(["近況報告など", "その他"], 7, 13, [3, 5])
        == "「3位：近況報告など」と「5位：その他」の合計7件は前年度比－6件"
    )
    assert split_note(["A", "B"], 7, 0, [1, 1]) == "「1位：A」と「1位：B」の合計7件（前年度は0件）"


def test_without_ranks_gives_the_wording_of_notes_before_ranks() -> None:
    assert (
        without_ranks("「3位：近況報告など」と「5位：その他」の合計7件は前年度比－6件")
        == "「近況報告など」と「その他」の合計7件は前年度比－6件"
    )
    # A name that only looks like a rank further in is kept.
    assert without_ranks("「A」と「B 2位：C」の合計1件（前年度は0件）") == (
        "「A」と「B 2位：C」の合計1件（前年度は0件）"
    )


# Trends over three years.

YEAR_LABELS = ("平成30年度", "令和元年度", "令和2年度")


def test_a_kind_counted_only_from_a_later_year_gets_a_note() -> None:
    trend = build_trend(
        key="kinds",
        title="活動内容別",
        years=(2018, 2019, 2020),
        year_labels=YEAR_LABELS,
        rows=[
            TrendRow("出向き・参加", (120, 130, 140)),
            TrendRow("働きかけ", (None, None, 40)),
            TrendRow("情報提供", (None, 3, 0)),
            TrendRow("数えていない", (None, None, None)),
        ],
    )
    assert trend.notes == (
        "働きかけは令和2年度から集計しています。",
        "情報提供は令和元年度から集計しています。",
    )
    assert [r.label for r in trend.rows] == ["出向き・参加", "働きかけ", "情報提供", "数えていない"]


def test_a_trend_without_rows() -> None:
    trend = build_trend(
        key="k", title="支援先別", years=(2020,), year_labels=("令和2年度",), rows=[]
    )
    assert trend.rows == ()
    assert trend.notes == ()


def test_carry_back_follows_renames_merges_and_new_kinds() -> None:
    rows = carry_back(
        [
            [TermCount("出向き", 1, 10), TermCount("会議", 2, 5), TermCount("相談", 3, 7)],
            [
                TermCount("出向き・参加", 1, 11, ("出向き",)),
                TermCount("会議", 2, 6, ("会議",)),
                TermCount("相談", 3, 8, ("相談",)),
                TermCount("情報提供", 4, 2),
            ],
            [
                TermCount("働きかけ", 5, 40),
                TermCount("出向き・参加", 1, 12, ("出向き・参加",)),
                # A merge of a long-counted kind and a kind new last year: not counted as
                # a whole before last year.
                TermCount("相談・情報提供", 3, 13, ("相談", "情報提供")),
                TermCount("会議", 2, 7, ("会議",)),
            ],
        ]
    )
    assert rows == [
        TrendRow("出向き・参加", (10, 11, 12)),
        TrendRow("会議", (5, 6, 7)),
        TrendRow("相談・情報提供", (None, 10, 13)),
        TrendRow("働きかけ", (None, None, 40)),
    ]


def test_carry_back_does_not_divide_a_split_kind() -> None:
    rows = carry_back(
        [
            [TermCount("相談", 1, 10)],
            [TermCount("相談", 1, 12, ("相談",))],
            [TermCount("個人の相談", 1, 8, ("相談",)), TermCount("団体の相談", 2, 6, ("相談",))],
        ]
    )
    assert rows == [
        TrendRow("個人の相談", (None, None, 8)),
        TrendRow("団体の相談", (None, None, 6)),
    ]


def test_carry_back_matches_names_normalised_and_refuses_unknown_ones() -> None:
    rows = carry_back(
        [
            [TermCount("サロン", 1, 3)],
            [TermCount("サロン", 1, 4, ("ｻﾛﾝ",)), TermCount("誤記", 2, 1, ("存在しない",))],
        ]
    )
    assert rows == [TrendRow("サロン", (3, 4)), TrendRow("誤記", (None, 1))]


def test_carry_back_of_nothing() -> None:
    assert carry_back([]) == []
    assert carry_back([[], [], []]) == []
    assert carry_back([[], [TermCount("会議", 1, 0, ("会議",))]]) == [TrendRow("会議", (None, 0))]


NAMES_BY_YEAR = ["出向き", "会議", "相談", "情報提供", "働きかけ", "その他"]


@st.composite
def trend_years(draw: st.DrawFn) -> list[list[TermCount]]:
    years: list[list[TermCount]] = []
    for _ in range(draw(st.integers(1, 4))):
        names = draw(st.lists(st.sampled_from(NAMES_BY_YEAR), unique=True, max_size=5))
        before = [t.name for t in years[-1]] if years else []
        terms = []
        for order, name in enumerate(names):
            preds = (
                draw(st.lists(st.sampled_from(before), unique=True, max_size=2)) if before else []
            )
            terms.append(TermCount(name, order, draw(st.integers(0, 50)), tuple(preds)))
        years.append(draw(st.permutations(terms)))
    return years


def figure(years: Sequence[Sequence[TermCount]], last: int, name: str, year: int) -> int | None:
    """The count of `name` (a term of year `last`) in `year`: the sum over its ancestors
    that year, None when the line back crosses a new or split term."""
    names = {name}
    for k in range(last, year, -1):
        terms = {t.name: t for t in years[k]}
        if names & split_names(years[k]):
            return None
        if any(not terms[n].predecessors for n in names):
            return None
        names = {p for n in names for p in terms[n].predecessors}
    return sum(t.count for t in years[year] if t.name in names)


@given(trend_years())
def test_carry_back_sums_each_year_over_the_lineage(years: list[list[TermCount]]) -> None:
    rows = carry_back(years)
    last = sorted(years[-1], key=lambda t: t.order)
    assert [r.label for r in rows] == [t.name for t in last]
    for row, term in zip(rows, last, strict=True):
        assert len(row.counts) == len(years)
        assert row.counts[-1] == term.count
        # Not counted is a run of the first years, never a gap.
        counted = [c is not None for c in row.counts]
        assert counted == sorted(counted)
        for year in range(len(years)):
            assert row.counts[year] == figure(years, len(years) - 1, term.name, year)
