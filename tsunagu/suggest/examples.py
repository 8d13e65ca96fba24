"""What the suggestions learn from: the council's own consultations of the last years,
their categories carried through the yearly lineage to the categories of the year the
suggestions are for.

Carrying a category forward one year, by the shapes of `records/lineage.py`:
continued or renamed → its one successor; merged → the merged category; split → each of
its successors with an equal share (the record says the subject was one of them, not
which: the year's own records, labelled with the new categories, tell them apart); no
successor (dropped from the list) → nothing. Retired categories of the target year are
not learnt, since they are not offered.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from tsunagu.records.models import Category, RecordQuerySet, SupportRecord
from tsunagu.suggest.classifier import Example, note_text

# Records of the target year and the years before it, this many years in all.
YEARS_LEARNT = 5
# The most recent records of a consulter type that one classifier learns from.
MAX_RECORDS = 50_000


def eligible_records() -> RecordQuerySet:
    """Consultations whose notes may be learnt from: not in the trash (purged ones are
    gone), with a note, and not linked to an anonymised case."""
    return (
        SupportRecord.objects.alive()
        .consultations()
        .exclude(note="")
        .exclude(support_cases__anonymised_at__isnull=False)
    )


@dataclass(frozen=True)
class Term:
    """A category as the lineage sees it."""

    pk: int
    fiscal_year: int
    consulter_type_id: int
    retired: bool
    predecessors: tuple[int, ...]


def carry_forward(terms: Iterable[Term], target_year: int) -> dict[int, dict[int, float]]:
    """For every category of the target year or before: the target year's categories it
    became, each with its share (the shares of one category sum to at most 1).

    A category that reaches no offered category of the target year is absent."""
    terms = list(terms)
    successors: dict[int, list[int]] = defaultdict(list)
    for term in terms:
        for predecessor in term.predecessors:
            successors[predecessor].append(term.pk)
    carried: dict[int, dict[int, float]] = {
        t.pk: {t.pk: 1.0} for t in terms if t.fiscal_year == target_year and not t.retired
    }
    for year in range(target_year - 1, min((t.fiscal_year for t in terms), default=0) - 1, -1):
        for term in (t for t in terms if t.fiscal_year == year):
            following = sorted(set(successors.get(term.pk, ())))
            shares: dict[int, float] = defaultdict(float)
            for successor in following:
                for target, share in carried.get(successor, {}).items():
                    shares[target] += share / len(following)
            if shares:
                carried[term.pk] = dict(shares)
    return carried


def record_labels(
    categories: Iterable[int], carried: Mapping[int, Mapping[int, float]]
) -> dict[int, float]:
    """A record's categories as target-year categories, normalised to sum 1."""
    shares: dict[int, float] = defaultdict(float)
    for category in categories:
        for target, share in carried.get(category, {}).items():
            shares[target] += share
    total = sum(shares.values())
    return {target: share / total for target, share in sorted(shares.items())} if total else {}


def terms_between(first_year: int, last_year: int) -> list[Term]:
    rows = Category.objects.filter(fiscal_year__range=(first_year, last_year)).values_list(
        "pk", "fiscal_year", "consulter_type_id", "retired"
    )
    links = Category.predecessors.through.objects.filter(
        from_category__fiscal_year__range=(first_year + 1, last_year)
    ).values_list("from_category_id", "to_category_id")
    predecessors: dict[int, list[int]] = defaultdict(list)
    for successor, predecessor in links:
        predecessors[successor].append(predecessor)
    return [
        Term(
            pk=pk,
            fiscal_year=fy,
            consulter_type_id=type_id,
            retired=retired,
            predecessors=tuple(predecessors[pk]),
        )
        for pk, fy, type_id, retired in rows
    ]


def collect(
    target_year: int, *, records: RecordQuerySet | None = None
) -> dict[int, list[tuple[int, Example]]]:
    """{consulter type id: [(record id, example)]} for the target year, most recent
    records first. `records` narrows the eligible records (the benchmark holds some out)."""
    first_year = target_year - YEARS_LEARNT + 1
    terms = terms_between(first_year, target_year)
    carried = carry_forward(terms, target_year)
    type_of = {term.pk: term.consulter_type_id for term in terms}
    if not carried:
        return {}
    window = (records if records is not None else eligible_records()).filter(
        fiscal_year__range=(first_year, target_year)
    )
    links: dict[int, list[int]] = defaultdict(list)
    through = SupportRecord.categories.through.objects.filter(supportrecord__in=window)
    for record_id, category_id in through.values_list("supportrecord_id", "category_id"):
        links[record_id].append(category_id)
    result: dict[int, list[tuple[int, Example]]] = defaultdict(list)
    rows = window.order_by("-date", "-id").values_list("pk", "consulter_type_id", "note")
    for pk, consulter_type_id, note in rows.iterator(chunk_size=5000):
        own = result[consulter_type_id]
        if len(own) >= MAX_RECORDS:
            continue
        # A record's categories belong to its consulter type (the services check it).
        own_categories = [c for c in links.get(pk, ()) if type_of.get(c) == consulter_type_id]
        labels = record_labels(own_categories, carried)
        text = note_text(note)
        if labels and text:
            own.append((pk, Example(text=text, labels=labels)))
    return {pk: examples for pk, examples in result.items() if examples}
