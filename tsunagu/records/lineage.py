"""Lineage between the yearly lists: which entries of year N continue which of N−1.

Pure functions on names, no database: the category screens, the importer and the
report all use them, and the tests cover every shape exhaustively.
"""

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import Enum

from tsunagu.lib.textnorm import normalize


class Shape(Enum):
    NEW = "new"  # continues nothing
    CONTINUED = "continued"  # one predecessor, same name, not split
    RENAMED = "renamed"  # one predecessor, another name, not split
    SPLIT = "split"  # its predecessor also continues into another entry
    MERGED = "merged"  # several predecessors, none of them split


@dataclass(frozen=True)
class TermSpec:
    """An entry of year N as an administrator or an import file describes it."""

    name: str
    predecessors: tuple[str, ...] = ()


SHAPE_LABELS = {
    Shape.NEW: "新規",
    Shape.CONTINUED: "継続",
    Shape.RENAMED: "名称変更",
    Shape.SPLIT: "分割",
    Shape.MERGED: "統合",
}


def shapes(terms: Sequence[TermSpec]) -> dict[str, Shape]:
    """The shape of each entry (keyed by name) given the lineage of the whole list.

    An entry that both merges several predecessors and shares one of them with another
    entry is counted as SPLIT: its predecessors' count cannot be attributed to it alone.
    """
    uses = Counter(normalize(p) for term in terms for p in set(map(normalize, term.predecessors)))
    result: dict[str, Shape] = {}
    for term in terms:
        preds = {normalize(p) for p in term.predecessors}
        if not preds:
            result[term.name] = Shape.NEW
        elif any(uses[p] > 1 for p in preds):
            result[term.name] = Shape.SPLIT
        elif len(preds) > 1:
            result[term.name] = Shape.MERGED
        elif next(iter(preds)) == normalize(term.name):
            result[term.name] = Shape.CONTINUED
        else:
            result[term.name] = Shape.RENAMED
    return result


def lineage_errors(previous_names: Iterable[str], terms: Sequence[TermSpec]) -> list[str]:
    """Japanese messages for every problem in a year's list; empty when it is valid.

    Predecessors must be names of the previous year's list; names must be unique
    (after normalisation) and not empty; an entry may not name the same predecessor twice.
    Cycles cannot arise: predecessors always belong to the year before.
    """
    return [message for _, message in lineage_problems(previous_names, terms)]


def lineage_problems(
    previous_names: Iterable[str], terms: Sequence[TermSpec]
) -> list[tuple[int, str]]:
    """The problems of `lineage_errors`, each with the index of the entry it is about,
    so that a screen can show it next to the row."""
    previous = {normalize(name) for name in previous_names}
    problems: list[tuple[int, str]] = []
    seen: dict[str, str] = {}
    for index, term in enumerate(terms):
        key = normalize(term.name)
        if not key:
            problems.append((index, "名称が空の行があります。"))
            continue
        if key in seen:
            problems.append(
                (index, f"「{term.name}」が二度あります（「{seen[key]}」と同じ名称です）。")
            )
        seen[key] = term.name
        pred_keys = [normalize(p) for p in term.predecessors]
        if len(set(pred_keys)) != len(pred_keys):
            problems.append((index, f"「{term.name}」の前年度に同じ分類が二度書かれています。"))
        for pred, pred_key in zip(term.predecessors, pred_keys, strict=True):
            if pred_key not in previous:
                problems.append(
                    (
                        index,
                        f"「{term.name}」の前年度「{pred}」は前年度の一覧にありません。"
                        "前年度の名称をそのまま書くか、新しい分類なら空欄にしてください。",
                    )
                )
    return problems


def lineage_label(term: TermSpec, shape: Shape) -> str:
    """How an entry relates to the year before, as the screens say it:
    新規, 継続, 「旧名」から名称変更, 前年度「A」から分割, 「A」「B」を統合."""
    quoted = "".join(f"「{p}」" for p in term.predecessors)
    if shape is Shape.NEW or not term.predecessors:
        return SHAPE_LABELS[Shape.NEW]
    if shape is Shape.CONTINUED:
        return SHAPE_LABELS[Shape.CONTINUED]
    if shape is Shape.RENAMED:
        return f"{quoted}から名称変更"
    if shape is Shape.SPLIT:
        return f"前年度{quoted}から分割"
    return f"{quoted}を統合"


def split_groups(terms: Sequence[TermSpec]) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    """The families of split entries: (names of year N, names of year N−1) that must be
    compared together, in list order. Connected through shared predecessors."""
    shape = shapes(terms)
    split_terms = [t for t in terms if shape[t.name] is Shape.SPLIT]
    groups: list[tuple[list[str], set[str]]] = []
    for term in split_terms:
        preds = {normalize(p) for p in term.predecessors}
        touching = [g for g in groups if g[1] & preds]
        names = [term.name]
        for group in touching:
            names = group[0] + names
            preds |= group[1]
            groups.remove(group)
        groups.append((names, preds))
    pred_names = {normalize(p): p for t in terms for p in t.predecessors}
    order = {t.name: i for i, t in enumerate(terms)}
    result = []
    for names, preds in groups:
        ordered = tuple(sorted(names, key=order.__getitem__))
        result.append((ordered, tuple(sorted(pred_names[p] for p in preds))))
    return sorted(result, key=lambda g: order[g[0][0]])
