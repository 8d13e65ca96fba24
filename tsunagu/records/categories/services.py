"""Saving the yearly lists: 相談内容の分類 of each consulter type, and 活動種別.

A fiscal year's list is saved in one go: the whole list is checked (names, lineage to the
year before, entries that records still use) before anything is written, so a half-edited
list never exists. Entries keep their id across renames because records point to ids, and
a list only ever touches its own year: records of other years are never changed.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count

from tsunagu.accounts.models import User
from tsunagu.audit.services import log_action
from tsunagu.core.access import require
from tsunagu.core.concurrency import claim_version
from tsunagu.lib.fiscal import MAX_FISCAL_YEAR, MIN_FISCAL_YEAR, fiscal_year_label
from tsunagu.lib.textnorm import normalize
from tsunagu.records.categories.queries import list_digest
from tsunagu.records.categories.schemes import Scheme, Term, as_scheme, scheme_of
from tsunagu.records.codes import settle_codes, settle_type_code
from tsunagu.records.lineage import TermSpec, lineage_problems
from tsunagu.records.models import (
    ActivityKind,
    Category,
    ConsulterType,
    ReportStyle,
    SupportRecord,
)

NAME_MAX_LENGTH = 100

STALE_MESSAGE = (
    "この画面を開いたあとに、ほかの人がこの一覧を変更しました。"
    "画面を開き直して、もう一度入力してください。"
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


def _quoted(names: Iterable[str]) -> str:
    return "".join(f"「{name}」" for name in names) or "なし"


def save_year_list(
    *,
    by: User,
    fiscal_year: int,
    scheme: Scheme | ConsulterType,
    entries: Sequence[EntrySpec],
    expected_digest: str | None = None,
) -> SavedList:
    """Replace a year's list with `entries`, or refuse with every reason (YearListError).

    Entries left out are deleted if no record uses them and no entry of the next year
    continues them; otherwise the list is refused: retire them instead.
    """
    require(by, "category.edit")
    return save_list(
        by=by,
        fiscal_year=fiscal_year,
        scheme=as_scheme(scheme),
        entries=entries,
        expected_digest=expected_digest,
        action="categories.list.saved",
    )


def save_list(
    *,
    by: User,
    fiscal_year: int,
    scheme: Scheme,
    entries: Sequence[EntrySpec],
    expected_digest: str | None,
    action: str,
) -> SavedList:
    """`save_year_list` audited as `action`, for the edits of one entry (categories.edits),
    which have required category.edit themselves."""
    _check_year(fiscal_year)
    scheme.check_editable()
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
    this_year = scheme.terms().filter(fiscal_year=fiscal_year)
    current = list(this_year.select_for_update().prefetch_related("predecessors"))
    if expected_digest is not None and list_digest(current) != expected_digest:
        raise YearListError([(None, STALE_MESSAGE)])
    previous = list(scheme.terms().filter(fiscal_year=fiscal_year - 1))
    by_id = {t.pk: t for t in current}
    kept = {e.id for e in entries if e.id is not None}
    removed = [t for t in current if t.pk not in kept]

    catch_all = scheme.catch_all_flags(entries, by_id)
    problems = _entry_problems(entries, by_id, scheme, fiscal_year)
    problems += lineage_problems([p.name for p in previous], [e.term for e in entries])
    problems += _removal_problems(removed, fiscal_year)
    problems += _consultation_problems(scheme, entries, by_id)
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
        if term is not None and scheme.is_catch_all(term) and not catch_all[index]:
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
            term = scheme.create(
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
                scheme,
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
        label = f"{fiscal_year_label(fiscal_year)} {scheme.label}"
        log_action(
            by=by,
            action=action,
            target=scheme.audit_target,
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
                        f"「{name}」は{fiscal_year_label(fiscal_year)}の{scheme.label}"
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
    scheme: Scheme, entries: Sequence[EntrySpec], by_id: dict[int, Term]
) -> list[tuple[int | None, str]]:
    """A kind with records keeps whether it counts as a consultation: changing it would
    reinterpret those records (tsunagu check_records)."""
    changed = {
        index: by_id[entry.id]
        for index, entry in enumerate(entries)
        if entry.id in by_id and scheme.changed_consultation(by_id[entry.id], entry)
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


def _update(
    scheme: Scheme,
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
    scheme.update_flags(term, entry, name=name, catch_all=catch_all, fields=fields, changes=changes)
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
                scheme = scheme_of(source)
                copy = scheme.create(
                    fiscal_year,
                    source.name,
                    source.order,
                    retired=False,
                    like=source,
                    catch_all=scheme.is_catch_all(source),
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
