"""One-entry changes to a yearly list (rename, add, retire, split, merge), each made as
an edit of the whole list and saved by `services`, so that the same checks apply."""

from collections.abc import Sequence
from dataclasses import replace

from django.core.exceptions import ValidationError

from tsunagu.accounts.models import User
from tsunagu.core.access import require
from tsunagu.lib.textnorm import normalize
from tsunagu.records.categories.queries import list_digest, year_list
from tsunagu.records.categories.schemes import Scheme, Term, as_scheme, scheme_of
from tsunagu.records.categories.services import EntrySpec, SavedList, save_list, save_year_list
from tsunagu.records.models import ConsulterType


def current_entries(fiscal_year: int, scheme: Scheme | ConsulterType) -> list[EntrySpec]:
    """The saved list as specs, to edit and hand back to `save_year_list`."""
    return _snapshot(fiscal_year, as_scheme(scheme))[0]


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


def _change_entry(*, by: User, entry: Term, **change: object) -> SavedList:
    """Save the entry's list with `change` made to the entry."""
    require(by, "category.edit")
    scheme = scheme_of(entry)
    entries, digest = _snapshot(entry.fiscal_year, scheme)
    index = _index_of(entries, entry)
    entries[index] = replace(entries[index], **change)  # type: ignore[arg-type]
    return save_year_list(
        by=by,
        fiscal_year=entry.fiscal_year,
        scheme=scheme,
        entries=entries,
        expected_digest=digest,
    )


def rename(*, by: User, entry: Term, name: str) -> SavedList:
    return _change_entry(by=by, entry=entry, name=name)


def add(
    *,
    by: User,
    fiscal_year: int,
    scheme: Scheme | ConsulterType,
    name: str,
    predecessors: Sequence[str] = (),
) -> SavedList:
    """Add an entry at the end of the list."""
    require(by, "category.edit")
    entries, digest = _snapshot(fiscal_year, as_scheme(scheme))
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
    return _change_entry(by=by, entry=entry, retired=retired)


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
    return save_list(
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
    carries = any(scheme.is_catch_all(e) for e in entries)
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
    return save_list(
        by=by,
        fiscal_year=first.fiscal_year,
        scheme=scheme,
        entries=_renumbered(result),
        expected_digest=digest,
        action="categories.entry.merged",
    )
