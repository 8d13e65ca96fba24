"""Finding the entries features depend on by their stable code, never by name.

The volunteer centre counts a registration under the category 「ボランティアしたい」 of
the consulter type ボランティア希望（活動）者, recorded as 相談対応: it asks here for the
category with the code `volunteer-wish` in the year, so a council that renames the
category (or the type, or the kind) keeps registering. The codes and their default
names are in records/defaults.py.

How an entry gets its code (`settle_codes`, run by every change of a yearly list): it
takes the code of the entry of the year before it continues, when that entry continues
into it alone (continued or renamed, not split); an entry that gets none that way takes
the code whose default name it has, when no entry of its list holds that code yet.
Staff never type a code, and renaming keeps it.
"""

from collections.abc import Iterable, Sequence
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db.models import Max, Prefetch

from tsunagu.lib.fiscal import fiscal_year_label
from tsunagu.lib.textnorm import normalize
from tsunagu.records.defaults import (
    ACTIVITY_KIND_CODES,
    CATEGORY_CODES,
    CONSULTER_TYPE_CODES,
    DefaultCode,
)
from tsunagu.records.models import ActivityKind, Category, ConsulterType

Term = Category | ActivityKind
T = TypeVar("T", Category, ActivityKind)

_CATEGORIES = {d.code: d for d in CATEGORY_CODES}
_KINDS = {d.code: d for d in ACTIVITY_KIND_CODES}
_TYPES = {d.code: d for d in CONSULTER_TYPE_CODES}


class MissingCode(ValidationError):
    """An entry a feature needs is not in the lists (or no longer offered); the message
    names what to set up."""


# --- Lookups --------------------------------------------------------------------------


def consulter_type_for(code: str) -> ConsulterType:
    default = _TYPES[code]
    found = ConsulterType.objects.filter(code=code).first()
    if found is None:
        raise MissingCode(
            f"相談者区分に、{default.purpose}がありません。"
            f"分類の画面で「{default.name}」という名称の相談者区分を作ってください。"
        )
    return found


def category_for(code: str, fiscal_year: int) -> Category:
    """The year's category with that code, or refuse naming what to set up."""
    default = _CATEGORIES[code]
    consulter_type = consulter_type_for(default.consulter_type)
    in_type = Category.objects.filter(consulter_type=consulter_type, code=code)
    found = in_type.filter(fiscal_year=fiscal_year).first()
    where = f"{fiscal_year_label(fiscal_year)}の「{consulter_type.name}」の相談内容"
    return _usable(found, default, where, in_type.filter(fiscal_year=fiscal_year - 1).first())


def activity_kind_for(code: str, fiscal_year: int) -> ActivityKind:
    """The year's activity kind with that code, or refuse naming what to set up."""
    default = _KINDS[code]
    found = find_activity_kind(code, fiscal_year)
    previous = find_activity_kind(code, fiscal_year - 1)
    return _usable(found, default, f"{fiscal_year_label(fiscal_year)}の活動種別", previous)


def find_activity_kind(code: str, fiscal_year: int) -> ActivityKind | None:
    return ActivityKind.objects.filter(fiscal_year=fiscal_year, code=code).first()


def _usable(found: T | None, default: DefaultCode, where: str, previous: T | None) -> T:
    if found is None:
        noun = "分類" if default.consulter_type else "種別"
        # A split or ended entry of last year hands its code to none: name it only when no
        # entry of this year continues it yet.
        continuing = ""
        if previous is not None and not previous.successors.exists():
            continuing = f"前年度の「{previous.name}」を引き継ぐ{noun}か、"
        raise MissingCode(
            f"{where}に、{default.purpose}がありません。分類の画面でこの年度の一覧に、"
            f"{continuing}「{default.name}」という名称の{noun}を加えてください。"
        )
    if found.retired:
        raise MissingCode(
            f"{where}の「{found.name}」（{default.purpose}）は使用終了になっています。"
            "分類の画面で使用を再開してください。"
        )
    return found


# --- Giving entries their codes --------------------------------------------------------


def settle_codes(fiscal_year: int) -> None:
    """Give the entries of `fiscal_year` and the later years the codes they carry."""
    last = max(
        (model.objects.aggregate(last=Max("fiscal_year"))["last"] or 0)
        for model in (ActivityKind, Category)
    )
    for year in range(fiscal_year, last + 1):
        kinds = _year_terms(ActivityKind.objects.filter(fiscal_year=year))
        _settle(kinds, {normalize(d.name): d.code for d in ACTIVITY_KIND_CODES})
        categories = _year_terms(
            Category.objects.filter(fiscal_year=year).select_related("consulter_type")
        )
        by_type: dict[int, list[Any]] = {}
        for category in categories:
            by_type.setdefault(category.consulter_type_id, []).append(category)
        for terms in by_type.values():
            type_code = terms[0].consulter_type.code
            _settle(
                terms,
                {
                    normalize(d.name): d.code
                    for d in CATEGORY_CODES
                    if type_code and d.consulter_type == type_code
                },
            )


def settle_type_code(consulter_type: ConsulterType) -> None:
    """A new consulter type with a default name takes its code, if no type holds it."""
    by_name = {normalize(d.name): d.code for d in CONSULTER_TYPE_CODES}
    code = by_name.get(normalize(consulter_type.name))
    if consulter_type.code or not code or ConsulterType.objects.filter(code=code).exists():
        return
    consulter_type.code = code
    consulter_type.save(update_fields=["code"])


def _year_terms(queryset: Any) -> list[Any]:
    model = queryset.model
    return list(
        queryset.order_by("order", "id").prefetch_related(
            Prefetch(
                "predecessors",
                queryset=model.objects.order_by("order", "id").prefetch_related("successors"),
            )
        )
    )


def _settle(terms: Sequence[Term], default_codes: dict[str, str]) -> None:
    held = {t.code for t in terms if t.code}
    waiting = [t for t in terms if not t.code and not t.retired]
    for term in waiting:
        inherited = _inherited_code(term, term.predecessors.all())
        if inherited and inherited not in held:
            _give(term, inherited, held)
    for term in waiting:
        code = default_codes.get(term.name_key)
        if not term.code and code and code not in held:
            _give(term, code, held)


def _inherited_code(term: Term, predecessors: Iterable[Any]) -> str:
    coded = [p for p in predecessors if p.code]
    if len(coded) != 1 or [s.pk for s in coded[0].successors.all()] != [term.pk]:
        return ""
    return str(coded[0].code)


def _give(term: Term, code: str, held: set[str]) -> None:
    term.code = code
    term.save(update_fields=["code"])
    held.add(code)
