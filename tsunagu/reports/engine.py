"""The figures of the published report from plain counts: ranking, deltas, lineage.

Pure functions, no database: the report service feeds them the results of a few
aggregate queries, and the tests cover every ranking and lineage shape exhaustively.
"""

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from tsunagu.lib.textnorm import normalize
from tsunagu.records.lineage import Shape, TermSpec, shapes, split_groups
from tsunagu.reports.result import Delta, DeltaKind, Row, Section, Style, Trend, TrendRow

__all__ = [
    "TermCount",
    "build_section",
    "build_trend",
    "carry_back",
    "competition_ranks",
    "split_note",
    "without_ranks",
]


@dataclass(frozen=True)
class TermCount:
    """One entry of a year with its count.

    A category of year N with the names of the year N−1 categories it continues, or an
    agency reporting group (predecessors=(name,) when it existed the year before, ()
    when it is new).
    """

    name: str
    order: int
    count: int
    predecessors: tuple[str, ...] = ()
    # The list's catch-all (その他): after the others of its count, on a rank of its own.
    catch_all: bool = False


def competition_ranks(counts: Sequence[int], catch_all: Sequence[bool] = ()) -> list[int]:
    """Ranks of counts already sorted in descending order, the catch-all after the others
    of its count: equal counts share a rank and the next rank skips (1, 2, 2, 4); the
    catch-all (`catch_all[i]` true; empty = none) does not share a rank but takes the one
    of its own position (35, 22, 2, 1, 1 with その他 last → 1, 2, 3, 4, 5)."""
    flags = list(catch_all) or [False] * len(counts)
    ranks: list[int] = []
    for index, count in enumerate(counts):
        shares = index and count == counts[index - 1] and not flags[index]
        ranks.append(ranks[-1] if shares else index + 1)
    return ranks


def _by_count(terms: Iterable[TermCount]) -> list[TermCount]:
    return sorted(terms, key=lambda t: (-t.count, t.catch_all, t.order))


def _previous_sum(previous: Mapping[str, int], names: Iterable[str]) -> int:
    return sum(previous.get(key, 0) for key in {normalize(n) for n in names})


def _quote_names(names: Sequence[str]) -> str:
    """「A」と「B」, 「A」「B」と「C」."""
    quoted = [f"「{n}」" for n in names]
    if len(quoted) == 1:
        return quoted[0]
    return "".join(quoted[:-1]) + "と" + quoted[-1]


def split_note(
    names: Sequence[str], count: int, previous: int, ranks: Sequence[int] | None = None
) -> str:
    """The note for the categories split from last year's, compared together, each named
    as its table prints it: with its rank in a ranked table
    (「3位：近況報告など」と「5位：その他」の合計7件は前年度比－6件), by name alone in a
    listed one (「近況報告など」と「その他」…). Stored without the leading ※."""
    printed = names if ranks is None else [f"{r}位：{n}" for n, r in zip(names, ranks, strict=True)]
    delta = Delta.between(count, previous)
    if delta.kind is DeltaKind.NEW:
        return f"{_quote_names(printed)}の合計{count}件（前年度は0件）"
    return f"{_quote_names(printed)}の合計{count}件は前年度比{delta.text}"


_RANK_PREFIX = re.compile(r"(?<=「)\d+位：")


def without_ranks(note: str) -> str:
    """A note with the ranks taken out of the names it quotes: the wording of notes
    before they named ranked rows with their rank."""
    return _RANK_PREFIX.sub("", note)


@dataclass(frozen=True)
class _Family:
    """Split categories compared together, with their combined previous figure."""

    names: tuple[str, ...]
    previous: int


def _families(terms: Sequence[TermCount], previous: Mapping[str, int]) -> dict[str, _Family]:
    """The split family of each split category, keyed by the category's name."""
    in_order = sorted(terms, key=lambda t: t.order)
    specs = [TermSpec(t.name, t.predecessors) for t in in_order]
    result: dict[str, _Family] = {}
    for names, predecessors in split_groups(specs):
        family = _Family(names, _previous_sum(previous, predecessors))
        result.update(dict.fromkeys(names, family))
    return result


def _shown(
    term: TermCount, families: Mapping[str, _Family], counts: Mapping[str, int], last_year: int
) -> bool:
    """Zero rows are left out unless there was something the year before, so that a
    drop to zero is visible. A split family is shown whole (its note names them all)."""
    family = families.get(term.name)
    if family is None:
        return term.count > 0 or last_year > 0
    return family.previous > 0 or any(counts[n] > 0 for n in family.names)


def _rows(
    style: Style, terms: Sequence[TermCount], previous: Mapping[str, int] | None
) -> tuple[tuple[Row, ...], tuple[str, ...]]:
    if style is Style.TOTAL:
        return (), ()
    known = {} if previous is None else _normalized(previous)
    families = {} if previous is None else _families(terms, known)
    counts = {t.name: t.count for t in terms}
    shown = [
        t
        for t in _by_count(terms)
        if _shown(t, families, counts, _previous_sum(known, t.predecessors))
    ]
    ranks = competition_ranks([t.count for t in shown], [t.catch_all for t in shown])
    rows = tuple(
        Row(
            label=t.name,
            count=t.count,
            delta=_delta(t, families, known),
            rank=rank if style is Style.RANKED else None,
        )
        for t, rank in zip(shown, ranks, strict=True)
    )
    ranked = dict(zip((t.name for t in shown), ranks, strict=True))
    return rows, _family_notes(shown, families, counts, ranked if style is Style.RANKED else None)


def _delta(term: TermCount, families: Mapping[str, _Family], known: Mapping[str, int]) -> Delta:
    """New, continued, renamed and merged alike: against the sum of what it continues.
    A split category has none of its own (its family's note has it)."""
    if term.name in families:
        return Delta(DeltaKind.NONE)
    return Delta.between(term.count, _previous_sum(known, term.predecessors))


def _family_notes(
    shown: Sequence[TermCount],
    families: Mapping[str, _Family],
    counts: Mapping[str, int],
    ranks: Mapping[str, int] | None,
) -> tuple[str, ...]:
    """One note per split family, in the order its first category appears in the table.

    A listed table's note names the family in configured order; a ranked table's names
    each with its rank, in the table's order (「3位：…」と「5位：…」)."""
    notes: list[str] = []
    done: set[tuple[str, ...]] = set()
    position = {t.name: i for i, t in enumerate(shown)}
    for term in shown:
        family = families.get(term.name)
        if family is None or family.names in done:
            continue
        done.add(family.names)
        combined = sum(counts[n] for n in family.names)
        if ranks is None:
            notes.append(split_note(family.names, combined, family.previous))
        else:
            names = sorted(family.names, key=position.__getitem__)
            notes.append(split_note(names, combined, family.previous, [ranks[n] for n in names]))
    return tuple(notes)


def _normalized(previous: Mapping[str, int]) -> dict[str, int]:
    result: dict[str, int] = {}
    for name, count in previous.items():
        key = normalize(name)
        result[key] = result.get(key, 0) + count
    return result


def build_section(
    *,
    key: str,
    title: str,
    style: Style,
    terms: Sequence[TermCount],
    previous: Mapping[str, int] | None,
    total: int,
    previous_total: int | None,
) -> Section:
    """A published table of one year compared with the year before.

    `previous` holds the previous year's counts by name (names are matched normalised);
    None means the previous year has no data at all, so every delta is 新 and no split
    note is written (the report says so once). `total` counts records, not categories:
    a record with three categories counts once in it and once under each category.

    Rows are ordered by count, ties in the configured order with the catch-all last;
    RANKED rows get competition ranks (1, 2, 2, 4), except the catch-all, which takes the
    rank of its own position (competition_ranks). A category with no records is left out unless it had
    some the year before (it then shows 0件（－n件）). A split category has no delta of
    its own: the section gets a note with the family's combined figure instead, naming
    the family as the table prints them (split_note).
    """
    rows, notes = _rows(style, terms, previous)
    return Section(
        key=key,
        title=title,
        style=style,
        total=total,
        total_delta=Delta(DeltaKind.NEW)
        if previous is None
        else Delta.between(total, previous_total),
        rows=rows,
        notes=notes,
    )


def _first_counted_note(row: TrendRow, year_labels: Sequence[str]) -> str | None:
    """「働きかけは令和2年度から集計しています。」 for a row not counted in the first years."""
    if not row.counts or row.counts[0] is not None:
        return None
    first = next((i for i, c in enumerate(row.counts) if c is not None), None)
    if first is None:
        return None
    return f"{row.label}は{year_labels[first]}から集計しています。"


def build_trend(
    *,
    key: str,
    title: str,
    years: tuple[int, ...],
    year_labels: tuple[str, ...],
    rows: Sequence[TrendRow],
) -> Trend:
    """A table over several fiscal years, with a note for each row counted only from
    some year on (its earlier counts are None)."""
    notes = (_first_counted_note(row, year_labels) for row in rows)
    return Trend(
        key=key,
        title=title,
        years=years,
        year_labels=year_labels,
        rows=tuple(rows),
        notes=tuple(n for n in notes if n is not None),
    )


History = tuple[int | None, ...]


def _sum_histories(histories: Sequence[History | None], length: int) -> History:
    """Year by year sum; None for a year in which any part was not counted."""
    if not histories or any(h is None for h in histories):
        return (None,) * length
    result: list[int | None] = []
    for year in range(length):
        values = [h[year] for h in histories if h is not None]
        result.append(None if None in values else sum(v for v in values if v is not None))
    return tuple(result)


def _year_histories(
    terms: Sequence[TermCount], before: Mapping[str, History], length: int
) -> dict[str, History]:
    """The counts of each term of one year, in that year and the `length` years before."""
    shape = shapes([TermSpec(t.name, t.predecessors) for t in terms])
    result: dict[str, History] = {}
    for term in terms:
        if shape[term.name] is Shape.SPLIT:
            earlier: History = (None,) * length
        else:
            parts = [before.get(p) for p in dict.fromkeys(map(normalize, term.predecessors))]
            earlier = _sum_histories(parts, length)
        result[normalize(term.name)] = (*earlier, term.count)
    return result


def carry_back(years_terms: Sequence[Sequence[TermCount]]) -> list[TrendRow]:
    """Trend rows for the terms of the last year, with their counts in the earlier years
    followed through the lineage; in configured order.

    A year's figure of a term is the sum of its predecessors' figures, recursively. It
    is None (not counted) for a year, and every year before it, when the term or one of
    the terms it continues did not exist then. A term split from one of the year before
    gets None for the earlier years: the old figure cannot be divided between its
    successors, and giving it to one of them would show a drop that never happened.
    """
    histories: dict[str, History] = {}
    for index, terms in enumerate(years_terms):
        histories = _year_histories(terms, histories, index)
    if not years_terms:
        return []
    last = sorted(years_terms[-1], key=lambda t: t.order)
    return [TrendRow(label=t.name, counts=histories[normalize(t.name)]) for t in last]
