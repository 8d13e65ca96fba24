"""Reading the yearly lists: a year's list, the years that have lists, the page of every
list of a year, and the fingerprint a form carries to refuse a stale save."""

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db.models import Count

from tsunagu.records.categories.schemes import (
    ACTIVITY_KINDS,
    ConsulterCategories,
    Scheme,
    Term,
    as_scheme,
)
from tsunagu.records.lineage import TermSpec, lineage_label, shapes
from tsunagu.records.models import ActivityKind, Category, ConsulterType


def year_list(fiscal_year: int, scheme: Scheme | ConsulterType) -> list[Term]:
    """A year's list in order, with the entries of the year before that each continues."""
    return list(
        as_scheme(scheme)
        .terms()
        .filter(fiscal_year=fiscal_year)
        .prefetch_related("predecessors")
        .annotate(record_count=Count("records"))
    )


def fiscal_years_with_lists() -> list[int]:
    """The fiscal years that have at least one entry in any list, oldest first."""
    years: set[int] = set()
    for model in (ActivityKind, Category):
        years.update(model.objects.order_by().values_list("fiscal_year", flat=True).distinct())
    return sorted(years)


def list_digest(terms: Iterable[Term]) -> str:
    """A fingerprint of a saved list (needs predecessors prefetched): a form carries it,
    and saving refuses a list that someone else changed in between."""
    rows = sorted(
        (
            t.pk,
            t.name,
            t.order,
            t.retired,
            sorted(p.pk for p in t.predecessors.all()),
            getattr(t, "is_consultation", None),
            getattr(t, "catch_all", None),
        )
        for t in terms
    )
    return hashlib.sha256(json.dumps(rows, ensure_ascii=False).encode()).hexdigest()[:32]


@dataclass(frozen=True)
class SchemeList:
    """One list of a year as the screens show it."""

    scheme: Scheme
    label: str
    slug: str
    has_categories: bool
    # (entry, how it relates to the year before, in Japanese)
    rows: list[tuple[Term, str]]
    # Last year's entries in use that no entry of this year continues.
    ended: list[str]


def lineage_labels(terms: Sequence[Term]) -> dict[int, str]:
    """{entry id: 新規 / 継続 / 「旧名」から名称変更 / …} for one list (predecessors prefetched)."""
    specs = {t.pk: TermSpec(t.name, tuple(p.name for p in t.predecessors.all())) for t in terms}
    shape = shapes(list(specs.values()))
    return {pk: lineage_label(spec, shape[spec.name]) for pk, spec in specs.items()}


def year_overview(fiscal_year: int) -> list[SchemeList]:
    """Every list of a year: 活動種別, then each consulter type. A constant number of
    queries, however long the lists."""
    kinds = year_list(fiscal_year, ACTIVITY_KINDS)
    categories = list(
        Category.objects.filter(fiscal_year=fiscal_year)
        .order_by("order", "id")
        .prefetch_related("predecessors")
    )
    previous_kinds = list(ActivityKind.objects.filter(fiscal_year=fiscal_year - 1, retired=False))
    previous_categories = list(
        Category.objects.filter(fiscal_year=fiscal_year - 1, retired=False).order_by("order", "id")
    )
    lists = [_scheme_list(ACTIVITY_KINDS, kinds, previous_kinds)]
    for consulter_type in ConsulterType.objects.all():
        own = [c for c in categories if c.consulter_type_id == consulter_type.pk]
        if not consulter_type.active and not own:
            continue
        own_previous = [c for c in previous_categories if c.consulter_type_id == consulter_type.pk]
        lists.append(_scheme_list(ConsulterCategories(consulter_type), own, own_previous))
    return lists


def _scheme_list(scheme: Scheme, terms: Sequence[Term], previous: Sequence[Term]) -> SchemeList:
    labels = lineage_labels(terms)
    continued = {p.pk for t in terms for p in t.predecessors.all()}
    return SchemeList(
        scheme=scheme,
        label=scheme.title,
        slug=scheme.slug,
        has_categories=scheme.has_categories,
        rows=[(t, labels[t.pk]) for t in terms],
        ended=[p.name for p in previous if p.pk not in continued],
    )
