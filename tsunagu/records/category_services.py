"""The yearly lists: 相談内容の分類 of each consulter type, and 活動種別.

A fiscal year's list is saved in one go: the whole list is checked (names, lineage to the
year before, entries that records still use) before anything is written, so a half-edited
list never exists. Entries keep their id across renames because records point to ids, and
a list only ever touches its own year: records of other years are never changed.
"""

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any, Final, Literal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, QuerySet

from tsunagu.accounts.models import User
from tsunagu.audit.services import log_action
from tsunagu.core.access import require
from tsunagu.core.concurrency import claim_version
from tsunagu.lib.fiscal import MAX_FISCAL_YEAR, MIN_FISCAL_YEAR, fiscal_year_label
from tsunagu.lib.textnorm import normalize
from tsunagu.records.codes import settle_codes, settle_type_code
from tsunagu.records.lineage import TermSpec, lineage_label, lineage_problems, shapes
from tsunagu.records.models import (
    ActivityKind,
    Category,
    ConsulterType,
    ReportStyle,
    SupportRecord,
    is_catch_all_name,
)

ACTIVITY_KINDS: Final = "activity_kinds"
KINDS_SLUG: Final = "kinds"

Scheme = ConsulterType | Literal["activity_kinds"]
Term = Category | ActivityKind

NAME_MAX_LENGTH = 100

STALE_MESSAGE = (
    "この画面を開いたあとに、ほかの人がこの一覧を変更しました。"
    "画面を開き直して、もう一度入力してください。"
)


# --- Schemes ------------------------------------------------------------------------


def scheme_label(scheme: Scheme) -> str:
    if isinstance(scheme, ConsulterType):
        return f"{scheme.name}の相談内容の分類"
    return "活動種別"


def scheme_slug(scheme: Scheme) -> str:
    return str(scheme.pk) if isinstance(scheme, ConsulterType) else KINDS_SLUG


def scheme_of(entry: Term) -> Scheme:
    return entry.consulter_type if isinstance(entry, Category) else ACTIVITY_KINDS


def terms_of(scheme: Scheme) -> QuerySet[Any]:
    """Every entry of the scheme, all years; ordered without joins so it can be locked."""
    if isinstance(scheme, ConsulterType):
        return Category.objects.filter(consulter_type=scheme).order_by("fiscal_year", "order", "id")
    return ActivityKind.objects.order_by("fiscal_year", "order", "id")


def year_list(fiscal_year: int, scheme: Scheme) -> list[Term]:
    """A year's list in order, with the entries of the year before that each continues."""
    return list(
        terms_of(scheme)
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
        lists.append(_scheme_list(consulter_type, own, own_previous))
    return lists


def _scheme_list(scheme: Scheme, terms: Sequence[Term], previous: Sequence[Term]) -> SchemeList:
    labels = lineage_labels(terms)
    continued = {p.pk for t in terms for p in t.predecessors.all()}
    return SchemeList(
        scheme=scheme,
        label=scheme.title if isinstance(scheme, ConsulterType) else "活動種別",
        slug=scheme_slug(scheme),
        has_categories=not isinstance(scheme, ConsulterType) or scheme.has_categories,
        rows=[(t, labels[t.pk]) for t in terms],
        ended=[p.name for p in previous if p.pk not in continued],
    )


# --- Saving a list --------------------------------------------------------------------


@dataclass(frozen=True)
class EntrySpec:
    """One entry of a list as it should be after saving.

    `id` names an existing entry of the same year and list (a rename keeps it, so records
    keep pointing to it); None creates one. `predecessors` are names in the year before.
    `order` None places the entry after those with an order.
    """

    name: str
    predecessors: tuple[str, ...] = ()
    id: int | None = None
    order: int | None = None
    retired: bool = False
    # Activity kinds only: counted as a consultation (ActivityKind.is_consultation);
    # None leaves it as it is (an existing kind) or to the default (a new one).
    consultation: bool | None = None
    # Categories only: the list's catch-all (Category.catch_all); None leaves it as it is
    # (an existing category) or to the default (a new one named その他, when no other
    # entry of the list is the catch-all).
    catch_all: bool | None = None

    @property
    def term(self) -> TermSpec:
        return TermSpec(self.name.strip(), tuple(p.strip() for p in self.predecessors))


class YearListError(ValidationError):
    """A refused list: every reason, each with the index of the entry it is about (None
    for the list as a whole), so that a screen can show it next to its row."""

    def __init__(self, problems: Sequence[tuple[int | None, str]]) -> None:
        super().__init__([message for _, message in problems])
        self.problems = list(problems)

    def for_entry(self, index: int) -> list[str]:
        return [message for i, message in self.problems if i == index]

    @property
    def general(self) -> list[str]:
        return [message for i, message in self.problems if i is None]


@dataclass(frozen=True)
class SavedList:
    terms: list[Term]
    # What changed, in Japanese, as written to the audit log; empty when nothing did.
    changes: dict[str, str]


def _check_year(fiscal_year: int) -> None:
    if not MIN_FISCAL_YEAR <= fiscal_year <= MAX_FISCAL_YEAR:
        raise ValidationError(f"{fiscal_year}年度は扱えません。年度を確かめてください。")


def _check_scheme(scheme: Scheme) -> None:
    if isinstance(scheme, ConsulterType) and not scheme.has_categories:
        raise ValidationError(f"「{scheme.name}」の相談は合計だけを数えるため、分類はありません。")


def _quoted(names: Iterable[str]) -> str:
    return "".join(f"「{name}」" for name in names) or "なし"


def save_year_list(
    *,
    by: User,
    fiscal_year: int,
    scheme: Scheme,
    entries: Sequence[EntrySpec],
    expected_digest: str | None = None,
) -> SavedList:
    """Replace a year's list with `entries`, or refuse with every reason (YearListError).

    Entries left out are deleted if no record uses them and no entry of the next year
    continues them; otherwise the list is refused: retire them instead.
    """
    require(by, "category.edit")
    return _save(
        by=by,
        fiscal_year=fiscal_year,
        scheme=scheme,
        entries=entries,
        expected_digest=expected_digest,
        action="categories.list.saved",
    )


def _save(
    *,
    by: User,
    fiscal_year: int,
    scheme: Scheme,
    entries: Sequence[EntrySpec],
    expected_digest: str | None,
    action: str,
) -> SavedList:
    _check_year(fiscal_year)
    _check_scheme(scheme)
    try:
        with transaction.atomic():
            return _write_list(
                by=by,
                fiscal_year=fiscal_year,
                scheme=scheme,
                entries=entries,
                expected_digest=expected_digest,
                action=action,
            )
    except IntegrityError as error:
        # Two people saving the same list at once: the checks passed for both.
        raise YearListError([(None, STALE_MESSAGE)]) from error


def _write_list(
    *,
    by: User,
    fiscal_year: int,
    scheme: Scheme,
    entries: Sequence[EntrySpec],
    expected_digest: str | None,
    action: str,
) -> SavedList:
    this_year = terms_of(scheme).filter(fiscal_year=fiscal_year)
    current = list(this_year.select_for_update().prefetch_related("predecessors"))
    if expected_digest is not None and list_digest(current) != expected_digest:
        raise YearListError([(None, STALE_MESSAGE)])
    previous = list(terms_of(scheme).filter(fiscal_year=fiscal_year - 1))
    by_id = {t.pk: t for t in current}
    kept = {e.id for e in entries if e.id is not None}
    removed = [t for t in current if t.pk not in kept]

    catch_all = _catch_all_flags(scheme, entries, by_id)
    problems = _entry_problems(entries, by_id, scheme, fiscal_year)
    problems += lineage_problems([p.name for p in previous], [e.term for e in entries])
    problems += _removal_problems(removed, fiscal_year)
    problems += _consultation_problems(entries, by_id)
    problems += _catch_all_problems(entries, catch_all)
    if problems:
        raise YearListError(problems)

    previous_by_key = {p.name_key: p for p in previous}
    ranked = sorted(
        range(len(entries)),
        key=lambda i: (entries[i].order is None, entries[i].order or 0, i),
    )
    orders = {i: rank for rank, i in enumerate(ranked, start=1)}
    old_sequence = [t.pk for t in current if t.pk in kept]

    changes: dict[str, list[str]] = {
        "追加": [],
        "名称変更": [],
        "使用終了": [],
        "使用再開": [],
        "削除": [t.name for t in removed],
        "前年度とのつながり": [],
        "相談として数える": [],
        "相談として数えない": [],
        "その他扱い": [],
        "その他扱いの解除": [],
    }
    if removed:
        this_year.filter(pk__in=[t.pk for t in removed]).delete()

    # One catch-all per list: take the mark off first, so that moving it to another
    # entry never holds two for a moment.
    for index, entry in enumerate(entries):
        term = by_id.get(entry.id) if entry.id is not None else None
        if isinstance(term, Category) and term.catch_all and not catch_all[index]:
            term.catch_all = False
            term.save(update_fields=["catch_all"])
            changes["その他扱いの解除"].append(entry.term.name)

    # Names are unique within a list: park the renamed entries under a temporary name
    # first, so that swapping two names never collides halfway.
    old_names = {t.pk: t.name for t in current}
    renamed = [
        by_id[e.id]
        for e in entries
        if e.id is not None and normalize(e.name) != by_id[e.id].name_key
    ]
    for term in renamed:
        term.name = f"（名称変更中 {term.pk}）"
        term.save(update_fields=["name"])

    saved: list[Term] = []
    for index, entry in enumerate(entries):
        spec = entry.term
        predecessors = [previous_by_key[normalize(p)] for p in spec.predecessors]
        if entry.id is None:
            term = _create(
                scheme,
                fiscal_year,
                spec.name,
                orders[index],
                entry.retired,
                like=predecessors[0] if len(predecessors) == 1 else None,
                consultation=entry.consultation,
                catch_all=catch_all[index],
            )
            term.predecessors.set(predecessors)
            changes["追加"].append(spec.name)
            if catch_all[index]:
                changes["その他扱い"].append(spec.name)
            if predecessors:
                changes["前年度とのつながり"].append(
                    f"「{spec.name}」：{_quoted(p.name for p in predecessors)}"
                )
        else:
            term = by_id[entry.id]
            before = list(term.predecessors.all())
            _update(
                term,
                entry,
                name=spec.name,
                old_name=old_names[term.pk],
                order=orders[index],
                catch_all=catch_all[index],
                changes=changes,
            )
            if {p.pk for p in before} != {p.pk for p in predecessors}:
                term.predecessors.set(predecessors)
                changes["前年度とのつながり"].append(
                    f"「{spec.name}」：{_quoted(p.name for p in before)} → "
                    f"{_quoted(p.name for p in predecessors)}"
                )
        saved.append(term)
    settle_codes(fiscal_year)

    result = {key: "、".join(values) for key, values in changes.items() if values}
    saved_in_order = sorted(saved, key=lambda t: t.order)
    if [t.pk for t in saved_in_order if t.pk in kept] != old_sequence:
        result["並び順"] = "変更しました"
    if result:
        label = f"{fiscal_year_label(fiscal_year)} {scheme_label(scheme)}"
        log_action(
            by=by,
            action=action,
            target=scheme if isinstance(scheme, ConsulterType) else None,
            label=label,
            changes={"年度": fiscal_year_label(fiscal_year), **result},
        )
    return SavedList(terms=saved_in_order, changes=result)


def _entry_problems(
    entries: Sequence[EntrySpec], by_id: dict[int, Term], scheme: Scheme, fiscal_year: int
) -> list[tuple[int | None, str]]:
    problems: list[tuple[int | None, str]] = []
    seen: set[int] = set()
    for index, entry in enumerate(entries):
        name = entry.name.strip()
        if entry.id is not None:
            if entry.id not in by_id:
                problems.append(
                    (
                        index,
                        f"「{name}」は{fiscal_year_label(fiscal_year)}の{scheme_label(scheme)}"
                        "にありません。画面を開き直してください。",
                    )
                )
            elif entry.id in seen:
                problems.append((index, f"「{name}」と同じ分類が二度指定されています。"))
            seen.add(entry.id)
        if len(name) > NAME_MAX_LENGTH:
            problems.append(
                (index, f"「{name[:20]}…」は長すぎます。{NAME_MAX_LENGTH}文字以内にしてください。")
            )
    return problems


def _removal_problems(removed: list[Term], fiscal_year: int) -> list[tuple[int | None, str]]:
    if not removed:
        return []
    model = type(removed[0])
    rows = (
        model.objects.filter(pk__in=[t.pk for t in removed])
        .annotate(record_count=Count("records"))
        .prefetch_related("successors")
        .order_by("order", "id")
    )
    problems: list[tuple[int | None, str]] = []
    for term in rows:
        if term.record_count:
            problems.append(
                (
                    None,
                    f"「{term.name}」は{term.record_count}件の記録で使われているため削除できません。"
                    "削除せずに「使用終了」にしてください。",
                )
            )
        successors = [s.name for s in term.successors.all()]
        if successors:
            problems.append(
                (
                    None,
                    f"「{term.name}」は{fiscal_year_label(fiscal_year + 1)}の"
                    f"{_quoted(successors)}に引き継がれているため削除できません。"
                    "先に翌年度の一覧を直すか、「使用終了」にしてください。",
                )
            )
    return problems


def _catch_all_flags(
    scheme: Scheme, entries: Sequence[EntrySpec], by_id: dict[int, Term]
) -> list[bool]:
    """Whether each entry is to be the list's catch-all: as said; else as it is; else (a
    new entry) when it is named その他 and no other entry of the list is said or kept to be."""
    if not isinstance(scheme, ConsulterType):
        return [False] * len(entries)
    flags: list[bool | None] = []
    for entry in entries:
        term = by_id.get(entry.id) if entry.id is not None else None
        if entry.catch_all is not None:
            flags.append(entry.catch_all)
        elif isinstance(term, Category):
            flags.append(term.catch_all)
        else:
            flags.append(None)
    taken = any(flags)
    return [
        bool(flag) if flag is not None else (not taken and is_catch_all_name(entry.name))
        for flag, entry in zip(flags, entries, strict=True)
    ]


def _catch_all_problems(
    entries: Sequence[EntrySpec], catch_all: Sequence[bool]
) -> list[tuple[int | None, str]]:
    marked = [index for index, flag in enumerate(catch_all) if flag]
    first = marked[0] if marked else None
    return [
        (
            index,
            f"「{entries[index].name.strip()}」と「{entries[first].name.strip()}」の両方が"
            "「その他扱い」になっています。その他扱いにできるのは、一つの一覧に一つだけです。",
        )
        for index in marked[1:]
        if first is not None
    ]


def _consultation_problems(
    entries: Sequence[EntrySpec], by_id: dict[int, Term]
) -> list[tuple[int | None, str]]:
    """A kind with records keeps whether it counts as a consultation: changing it would
    reinterpret those records (tsunagu check_records)."""
    changed = {
        index: by_id[entry.id]
        for index, entry in enumerate(entries)
        if entry.id in by_id
        and entry.consultation is not None
        and isinstance(by_id[entry.id], ActivityKind)
        and by_id[entry.id].is_consultation != entry.consultation  # type: ignore[union-attr]
    }
    used = set(
        SupportRecord.objects.filter(activity_kind__in=list(changed.values()))
        .values_list("activity_kind_id", flat=True)
        .distinct()
    )
    return [
        (
            index,
            f"「{term.name}」は記録で使われているため、相談として数えるかどうかを変えられません。"
            "新しい年度の種別で変えてください。",
        )
        for index, term in changed.items()
        if term.pk in used
    ]


def _create(
    scheme: Scheme,
    fiscal_year: int,
    name: str,
    order: int,
    retired: bool,
    like: Term | None = None,
    consultation: bool | None = None,
    catch_all: bool = False,
) -> Term:
    """A kind counts as a consultation as `consultation` says; else as `like`, the entry
    of the year before it continues, did; else from its name (ActivityKind.save). A
    category is the catch-all as `catch_all` says."""
    fields = {"fiscal_year": fiscal_year, "name": name, "order": order, "retired": retired}
    if isinstance(scheme, ConsulterType):
        return Category.objects.create(consulter_type=scheme, catch_all=catch_all, **fields)
    if consultation is not None:
        return ActivityKind.objects.create(**fields, is_consultation=consultation)
    if isinstance(like, ActivityKind):
        return ActivityKind.objects.create(**fields, is_consultation=like.is_consultation)
    return ActivityKind.objects.create(**fields)


def _update(
    term: Term,
    entry: EntrySpec,
    *,
    name: str,
    old_name: str,
    order: int,
    catch_all: bool,
    changes: dict[str, list[str]],
) -> None:
    fields: list[str] = []
    # A renamed entry is parked under a temporary name: compare with the name it had.
    if term.name != name:
        fields.append("name")
    if old_name != name:
        changes["名称変更"].append(f"「{old_name}」→「{name}」")
    if term.order != order:
        fields.append("order")
    if term.retired != entry.retired:
        fields.append("retired")
        changes["使用終了" if entry.retired else "使用再開"].append(name)
    if (
        isinstance(term, ActivityKind)
        and entry.consultation is not None
        and term.is_consultation != entry.consultation
    ):
        term.is_consultation = entry.consultation
        fields.append("is_consultation")
        changes["相談として数える" if entry.consultation else "相談として数えない"].append(name)
    # Taken off before any entry is updated (_write_list): only ever set here.
    if isinstance(term, Category) and catch_all and not term.catch_all:
        term.catch_all = True
        fields.append("catch_all")
        changes["その他扱い"].append(name)
    if fields:
        term.name, term.order, term.retired = name, order, entry.retired
        term.save(update_fields=fields)


# --- Starting a year ------------------------------------------------------------------


def start_year(*, by: User, fiscal_year: int) -> int:
    """Copy every list of the year before (entries in use only) into `fiscal_year`, each
    copy continuing its source. Returns how many entries were copied."""
    require(by, "category.edit")
    _check_year(fiscal_year)
    label = fiscal_year_label(fiscal_year)
    try:
        with transaction.atomic():
            if _year_has_entries(fiscal_year):
                raise ValidationError(f"{label}の一覧はすでにあります。")
            kinds = list(ActivityKind.objects.filter(fiscal_year=fiscal_year - 1, retired=False))
            categories = list(
                Category.objects.filter(
                    fiscal_year=fiscal_year - 1, retired=False, consulter_type__active=True
                ).select_related("consulter_type")
            )
            if not kinds and not categories:
                raise ValidationError(
                    f"前年度（{fiscal_year_label(fiscal_year - 1)}）の一覧がないため、写せません。"
                    f"{label}の一覧は、それぞれの編集画面で一から作ってください。"
                )
            for source in [*kinds, *categories]:
                copy = _create(
                    scheme_of(source),
                    fiscal_year,
                    source.name,
                    source.order,
                    retired=False,
                    like=source,
                    catch_all=isinstance(source, Category) and source.catch_all,
                )
                copy.predecessors.set([source])
            settle_codes(fiscal_year)
            log_action(
                by=by,
                action="categories.year.started",
                label=label,
                changes={
                    "年度": label,
                    "写した活動種別": len(kinds),
                    "写した相談内容の分類": len(categories),
                },
            )
    except IntegrityError as error:
        raise ValidationError(f"{label}の一覧はすでにあります。") from error
    return len(kinds) + len(categories)


def _year_has_entries(fiscal_year: int) -> bool:
    return any(
        model.objects.filter(fiscal_year=fiscal_year).exists() for model in (ActivityKind, Category)
    )


# --- One-entry changes, as edits of the whole list -------------------------------------


def current_entries(fiscal_year: int, scheme: Scheme) -> list[EntrySpec]:
    """The saved list as specs, to edit and hand back to `save_year_list`."""
    return _snapshot(fiscal_year, scheme)[0]


def _snapshot(fiscal_year: int, scheme: Scheme) -> tuple[list[EntrySpec], str]:
    terms = year_list(fiscal_year, scheme)
    specs = [
        EntrySpec(
            name=t.name,
            predecessors=tuple(p.name for p in t.predecessors.all()),
            id=t.pk,
            order=position,
            retired=t.retired,
            catch_all=getattr(t, "catch_all", None),
        )
        for position, t in enumerate(terms, start=1)
    ]
    return specs, list_digest(terms)


def _renumbered(entries: list[EntrySpec]) -> list[EntrySpec]:
    return [replace(e, order=position) for position, e in enumerate(entries, start=1)]


def _index_of(entries: list[EntrySpec], entry: Term) -> int:
    for index, spec in enumerate(entries):
        if spec.id == entry.pk:
            return index
    raise ValidationError(f"「{entry.name}」が見つかりません。画面を開き直してください。")


def rename(*, by: User, entry: Term, name: str) -> SavedList:
    require(by, "category.edit")
    entries, digest = _snapshot(entry.fiscal_year, scheme_of(entry))
    index = _index_of(entries, entry)
    entries[index] = replace(entries[index], name=name)
    return save_year_list(
        by=by,
        fiscal_year=entry.fiscal_year,
        scheme=scheme_of(entry),
        entries=entries,
        expected_digest=digest,
    )


def add(
    *,
    by: User,
    fiscal_year: int,
    scheme: Scheme,
    name: str,
    predecessors: Sequence[str] = (),
) -> SavedList:
    """Add an entry at the end of the list."""
    require(by, "category.edit")
    entries, digest = _snapshot(fiscal_year, scheme)
    entries.append(EntrySpec(name=name, predecessors=tuple(predecessors)))
    return save_year_list(
        by=by,
        fiscal_year=fiscal_year,
        scheme=scheme,
        entries=_renumbered(entries),
        expected_digest=digest,
    )


def retire(*, by: User, entry: Term, retired: bool = True) -> SavedList:
    """Stop (or resume) offering an entry for new records; its records keep it."""
    require(by, "category.edit")
    entries, digest = _snapshot(entry.fiscal_year, scheme_of(entry))
    index = _index_of(entries, entry)
    entries[index] = replace(entries[index], retired=retired)
    return save_year_list(
        by=by,
        fiscal_year=entry.fiscal_year,
        scheme=scheme_of(entry),
        entries=entries,
        expected_digest=digest,
    )


def _has_records(entry: Term) -> bool:
    return entry.records.exists()


def split(*, by: User, entry: Term, into: Sequence[str]) -> SavedList:
    """Replace an entry by several, each continuing what it continued (so that last
    year's entry is split between them).

    An entry that keeps one of the new names stays (with its records). Otherwise an entry
    that records use stays too, retired and with its lineage, so that its records are still
    compared with last year's; one that no record uses is deleted.
    """
    require(by, "category.edit")
    names = [name.strip() for name in into if name.strip()]
    if len({normalize(name) for name in names}) < 2:
        raise ValidationError("分割後の名称を、違う名称で二つ以上入力してください。")
    scheme = scheme_of(entry)
    entries, digest = _snapshot(entry.fiscal_year, scheme)
    index = _index_of(entries, entry)
    original = entries[index]
    replacement = [
        replace(original, name=name, retired=False)
        if normalize(name) == entry.name_key
        else EntrySpec(name=name, predecessors=original.predecessors)
        for name in names
    ]
    if entry.name_key not in {normalize(name) for name in names} and _has_records(entry):
        replacement.insert(0, replace(original, retired=True))
    entries[index : index + 1] = replacement
    return _save(
        by=by,
        fiscal_year=entry.fiscal_year,
        scheme=scheme,
        entries=_renumbered(entries),
        expected_digest=digest,
        action="categories.entry.split",
    )


def merge(*, by: User, entries: Sequence[Term], into_name: str) -> SavedList:
    """Replace several entries of one list by one continuing all that they continued.

    An entry whose name is the merged name becomes the merged entry (with its records).
    The others are deleted, or retired with their lineage when records use them.
    """
    require(by, "category.edit")
    name = into_name.strip()
    if len({e.pk for e in entries}) < 2:
        raise ValidationError("統合する分類を二つ以上選んでください。")
    if not name:
        raise ValidationError("統合後の名称を入力してください。")
    first = entries[0]
    scheme = scheme_of(first)
    if any(e.fiscal_year != first.fiscal_year or scheme_of(e) != scheme for e in entries):
        raise ValidationError("同じ年度の同じ一覧の分類だけを統合できます。")
    specs, digest = _snapshot(first.fiscal_year, scheme)
    chosen = {e.pk: e for e in entries}
    positions = sorted(_index_of(specs, e) for e in entries)
    union: dict[str, str] = {}
    for position in positions:
        for predecessor in specs[position].predecessors:
            union.setdefault(normalize(predecessor), predecessor)
    keeper = next((e for e in entries if e.name_key == normalize(name)), None)
    # The merged category is the catch-all when one of those it replaces was.
    carries = any(isinstance(e, Category) and e.catch_all for e in entries)
    merged = EntrySpec(
        name=name,
        predecessors=tuple(union.values()),
        id=keeper.pk if keeper else None,
        catch_all=True if carries else None,
    )
    result: list[EntrySpec] = []
    for index, spec in enumerate(specs):
        if index == positions[0]:
            result.append(merged)
        if spec.id not in chosen:
            result.append(spec)
        elif spec.id != merged.id and _has_records(chosen[spec.id]):
            kept = replace(spec, retired=True)
            result.append(replace(kept, catch_all=False) if carries else kept)
    return _save(
        by=by,
        fiscal_year=first.fiscal_year,
        scheme=scheme,
        entries=_renumbered(result),
        expected_digest=digest,
        action="categories.entry.merged",
    )


# --- Consulter types ------------------------------------------------------------------

CONSULTER_TYPE_FIELDS = ("name", "report_title", "order", "report_style", "active")


def save_consulter_type(
    *,
    by: User | None,
    consulter_type: ConsulterType | None,
    values: dict[str, Any],
    expected_version: int | None = None,
) -> ConsulterType:
    """Create a consulter type (None) or change one (`expected_version` required). A type
    that has categories cannot become total-only: its categories would silently drop out
    of the report. `by=None` is the system (a command-line import of consulter types)."""
    require(by, "category.edit", system=True)
    name = str(values["name"]).strip()
    others = ConsulterType.objects.all()
    if consulter_type is not None:
        others = others.exclude(pk=consulter_type.pk)
    if any(normalize(other.name) == normalize(name) for other in others):
        raise ValidationError(f"相談者区分「{name}」はすでにあります。")
    values = {**values, "name": name}
    try:
        with transaction.atomic():
            if consulter_type is None:
                consulter_type = ConsulterType.objects.create(
                    **{f: values[f] for f in CONSULTER_TYPE_FIELDS}
                )
                settle_type_code(consulter_type)
                log_action(
                    by=by,
                    action="categories.consulter_type.created",
                    target=consulter_type,
                    changes={f: values[f] for f in CONSULTER_TYPE_FIELDS},
                )
                return consulter_type
            if expected_version is None:
                raise TypeError("changing a consulter type needs the expected_version")
            claim_version(consulter_type, expected_version)
            changed = [f for f in CONSULTER_TYPE_FIELDS if getattr(consulter_type, f) != values[f]]
            if not changed:
                return consulter_type
            if (
                "report_style" in changed
                and values["report_style"] == ReportStyle.TOTAL
                and consulter_type.categories.exists()
            ):
                raise ValidationError(
                    f"「{consulter_type.name}」には相談内容の分類があるため、"
                    "「合計のみ」にはできません。"
                )
            before = {f: getattr(consulter_type, f) for f in changed}
            for field in changed:
                setattr(consulter_type, field, values[field])
            consulter_type.save(update_fields=changed)
            log_action(
                by=by,
                action="categories.consulter_type.updated",
                target=consulter_type,
                changes={f: [before[f], values[f]] for f in changed},
            )
            return consulter_type
    except IntegrityError as error:
        raise ValidationError(f"相談者区分「{name}」はすでにあります。") from error
