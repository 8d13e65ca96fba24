"""Lineage between yearly lists: pure functions, checked over random lists."""

from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tsunagu.lib.textnorm import normalize
from tsunagu.records.lineage import (
    Shape,
    TermSpec,
    lineage_errors,
    lineage_label,
    lineage_problems,
    shapes,
    split_groups,
)

# Names with other spellings of the same name (width, kana), so that matching by the
# normalised name is exercised too.
SPELLINGS = {
    "近況報告など": ["近況報告　など"],
    "その他": ["その 他", "その　他"],
    "そのほか": ["ソノホカ", "ｿﾉﾎｶ"],
    "ボランティアしたい": ["ﾎﾞﾗﾝﾃｨｱしたい"],
    "寄付したい": [],
    "チラシ・広報": ["ﾁﾗｼ・広報"],
    "会計": [],
    "助成金": [],
    "コロナ関連": ["ｺﾛﾅ関連"],
    "会員名簿": [],
    "研修": [],
}
NAMES = list(SPELLINGS)


def spelled(name: str) -> st.SearchStrategy[str]:
    return st.sampled_from([name, *SPELLINGS.get(name, [])])


previous_names = st.lists(st.sampled_from(NAMES), unique=True, max_size=8)


@st.composite
def year_lists(draw: st.DrawFn) -> tuple[list[str], list[TermSpec]]:
    """(names of year N−1, a valid list of year N continuing some of them)."""
    previous = draw(previous_names)
    names = draw(st.lists(st.sampled_from([*NAMES, "新しい分類", "別の分類"]), unique=True))
    terms = []
    for name in names:
        chosen = draw(st.lists(st.sampled_from(previous), unique=True)) if previous else []
        predecessors = tuple(draw(spelled(p)) for p in chosen)
        terms.append(TermSpec(draw(spelled(name)), predecessors))
    return previous, terms


def keys(names: tuple[str, ...]) -> set[str]:
    return {normalize(n) for n in names}


@given(year_lists())
def test_valid_lists_have_no_errors(data: tuple[list[str], list[TermSpec]]) -> None:
    previous, terms = data
    assert lineage_errors(previous, terms) == []
    assert lineage_problems(previous, terms) == []


@given(year_lists())
def test_every_entry_has_the_shape_its_predecessors_give(
    data: tuple[list[str], list[TermSpec]],
) -> None:
    _, terms = data
    uses = Counter(p for t in terms for p in keys(t.predecessors))
    result = shapes(terms)
    assert set(result) == {t.name for t in terms}
    for term in terms:
        preds = keys(term.predecessors)
        shared = any(uses[p] > 1 for p in preds)
        shape = result[term.name]
        assert (shape is Shape.NEW) == (not preds)
        assert (shape is Shape.SPLIT) == shared
        assert (shape is Shape.MERGED) == (len(preds) > 1 and not shared)
        single = len(preds) == 1 and not shared
        same_name = preds == {normalize(term.name)}
        assert (shape is Shape.CONTINUED) == (single and same_name)
        assert (shape is Shape.RENAMED) == (single and not same_name)


@given(year_lists())
def test_split_groups_partition_exactly_the_split_entries(
    data: tuple[list[str], list[TermSpec]],
) -> None:
    _, terms = data
    result = shapes(terms)
    groups = split_groups(terms)
    grouped = [name for names, _ in groups for name in names]
    assert len(grouped) == len(set(grouped))
    assert set(grouped) == {name for name, shape in result.items() if shape is Shape.SPLIT}
    by_name = {t.name: t for t in terms}
    seen_preds: set[str] = set()
    position = {t.name: i for i, t in enumerate(terms)}
    for names, preds in groups:
        # Each group compares with exactly the predecessors of its entries, and no
        # predecessor is counted in two groups.
        assert keys(preds) == set().union(*(keys(by_name[n].predecessors) for n in names))
        assert not keys(preds) & seen_preds
        seen_preds |= keys(preds)
        assert list(names) == sorted(names, key=position.__getitem__)
    # Groups are connected: no entry outside a group shares one of its predecessors.
    for names, preds in groups:
        outside = [t for t in terms if t.name not in names]
        assert all(not keys(t.predecessors) & keys(preds) for t in outside)


@given(year_lists(), st.sampled_from(["昨年度にない分類", "存在しない"]))
def test_a_predecessor_missing_from_last_year_is_refused(
    data: tuple[list[str], list[TermSpec]], unknown: str
) -> None:
    previous, terms = data
    bad = TermSpec("追加した分類", (unknown,))
    errors = lineage_errors(previous, [*terms, bad])
    assert errors == [
        f"「追加した分類」の前年度「{unknown}」は前年度の一覧にありません。"
        "前年度の名称をそのまま書くか、新しい分類なら空欄にしてください。"
    ]
    assert lineage_problems(previous, [*terms, bad]) == [(len(terms), errors[0])]


@given(year_lists(), st.data())
def test_a_name_twice_is_refused_at_the_second_row(
    data: tuple[list[str], list[TermSpec]], draw: st.DataObject
) -> None:
    previous, terms = data
    if not terms:
        return
    original = draw.draw(st.sampled_from(terms))
    again = TermSpec(draw.draw(spelled(normalize_back(original.name))))
    problems = lineage_problems(previous, [*terms, again])
    assert problems == [
        (len(terms), f"「{again.name}」が二度あります（「{original.name}」と同じ名称です）。")
    ]


def normalize_back(name: str) -> str:
    """The canonical spelling of a name drawn in any spelling."""
    for canonical, others in SPELLINGS.items():
        if name == canonical or name in others:
            return canonical
    return name


def test_empty_names_and_a_predecessor_named_twice_are_refused() -> None:
    terms = [TermSpec("　"), TermSpec("その他", ("その他", "その 他"))]
    assert lineage_problems(["その他"], terms) == [
        (0, "名称が空の行があります。"),
        (1, "「その他」の前年度に同じ分類が二度書かれています。"),
    ]


def test_the_report_example_split_and_rename() -> None:
    previous = ["近況報告など", "その他", "寄付したい"]
    terms = [
        TermSpec("近況報告", ("近況報告など",)),
        TermSpec("居場所に参加したい", ("近況報告など",)),
        TermSpec("寄付（寄贈）したい", ("寄付したい",)),
        TermSpec("その他", ("その他",)),
        TermSpec("新しい分類"),
    ]
    assert lineage_errors(previous, terms) == []
    assert shapes(terms) == {
        "近況報告": Shape.SPLIT,
        "居場所に参加したい": Shape.SPLIT,
        "寄付（寄贈）したい": Shape.RENAMED,
        "その他": Shape.CONTINUED,
        "新しい分類": Shape.NEW,
    }
    assert split_groups(terms) == [(("近況報告", "居場所に参加したい"), ("近況報告など",))]


@pytest.mark.parametrize(
    ("term", "shape", "label"),
    [
        (TermSpec("新しい分類"), Shape.NEW, "新規"),
        (TermSpec("その他", ("その他",)), Shape.CONTINUED, "継続"),
        (
            TermSpec("寄付（寄贈）したい", ("寄付したい",)),
            Shape.RENAMED,
            "「寄付したい」から名称変更",
        ),
        (TermSpec("近況報告", ("近況報告など",)), Shape.SPLIT, "前年度「近況報告など」から分割"),
        (TermSpec("会計・助成金", ("会計", "助成金")), Shape.MERGED, "「会計」「助成金」を統合"),
    ],
)
def test_lineage_is_said_in_japanese(term: TermSpec, shape: Shape, label: str) -> None:
    assert lineage_label(term, shape) == label
