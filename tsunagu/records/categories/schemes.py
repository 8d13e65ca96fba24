"""The two kinds of yearly list ("schemes"): a consulter type's 相談内容の分類, and the
活動種別. Each kind is one class implementing what differs between them, so that reading
and saving a list never asks which kind it has."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from tsunagu.records.models import ActivityKind, Category, ConsulterType, is_catch_all_name

if TYPE_CHECKING:
    from tsunagu.records.categories.services import EntrySpec

KINDS_SLUG: Final = "kinds"

Term = Category | ActivityKind


class Scheme(ABC):
    """One kind of list. Equal schemes are the same list."""

    #: The word for one entry on the screens (「分類」「種別」).
    noun: str
    #: True for the 活動種別 (one list for the whole council).
    is_kinds: bool

    @property
    @abstractmethod
    def label(self) -> str:
        """The list's name in sentences and the audit log."""

    @property
    @abstractmethod
    def title(self) -> str:
        """The list's heading on the page of every list."""

    @property
    @abstractmethod
    def slug(self) -> str:
        """The list's part of the URL."""

    @property
    @abstractmethod
    def has_categories(self) -> bool:
        """False for a consulter type whose consultations are only counted in total."""

    @property
    @abstractmethod
    def audit_target(self) -> ConsulterType | None:
        """The row the audit entry of a saved list points to."""

    @abstractmethod
    def terms(self) -> QuerySet[Any]:
        """Every entry of the list, all years; ordered without joins so it can be locked."""

    @abstractmethod
    def check_editable(self) -> None:
        """Refuse (ValidationError) a list that cannot have entries."""

    @abstractmethod
    def create(
        self,
        fiscal_year: int,
        name: str,
        order: int,
        retired: bool,
        like: Term | None = None,
        consultation: bool | None = None,
        catch_all: bool = False,
    ) -> Term:
        """A new entry. A kind counts as a consultation as `consultation` says; else as
        `like`, the entry of the year before it continues, did; else from its name
        (ActivityKind.save). A category is the catch-all as `catch_all` says."""

    def is_catch_all(self, term: Term) -> bool:
        """Whether the entry is the list's catch-all (その他)."""
        return False

    def catch_all_flags(self, entries: Sequence[EntrySpec], by_id: dict[int, Term]) -> list[bool]:
        """Whether each entry is to be the list's catch-all."""
        return [False] * len(entries)

    def changed_consultation(self, term: Term, entry: EntrySpec) -> bool:
        """Whether saving `entry` changes whether `term` counts as a consultation."""
        return False

    @abstractmethod
    def update_flags(
        self,
        term: Term,
        entry: EntrySpec,
        *,
        name: str,
        catch_all: bool,
        fields: list[str],
        changes: dict[str, list[str]],
    ) -> None:
        """Set on `term` the flags only this kind of list has, adding the changed fields
        to `fields` and what changed to `changes`."""


@dataclass(frozen=True)
class ActivityKinds(Scheme):
    """The 活動種別: one list for the whole council, each kind counted as a
    consultation or not."""

    noun = "種別"
    is_kinds = True

    @property
    def label(self) -> str:
        return "活動種別"

    @property
    def title(self) -> str:
        return "活動種別"

    @property
    def slug(self) -> str:
        return KINDS_SLUG

    @property
    def has_categories(self) -> bool:
        return True

    @property
    def audit_target(self) -> None:
        return None

    def terms(self) -> QuerySet[Any]:
        return ActivityKind.objects.order_by("fiscal_year", "order", "id")

    def check_editable(self) -> None:
        """The activity kinds can always have entries."""

    def create(
        self,
        fiscal_year: int,
        name: str,
        order: int,
        retired: bool,
        like: Term | None = None,
        consultation: bool | None = None,
        catch_all: bool = False,
    ) -> Term:
        fields = {"fiscal_year": fiscal_year, "name": name, "order": order, "retired": retired}
        if consultation is not None:
            return ActivityKind.objects.create(**fields, is_consultation=consultation)
        if like is not None:
            return ActivityKind.objects.create(
                **fields,
                is_consultation=like.is_consultation,  # type: ignore[union-attr]
            )
        return ActivityKind.objects.create(**fields)

    def changed_consultation(self, term: Term, entry: EntrySpec) -> bool:
        return (
            entry.consultation is not None and term.is_consultation != entry.consultation  # type: ignore[union-attr]
        )

    def update_flags(
        self,
        term: Term,
        entry: EntrySpec,
        *,
        name: str,
        catch_all: bool,
        fields: list[str],
        changes: dict[str, list[str]],
    ) -> None:
        if self.changed_consultation(term, entry):
            term.is_consultation = entry.consultation  # type: ignore[union-attr]
            fields.append("is_consultation")
            changes["相談として数える" if entry.consultation else "相談として数えない"].append(name)


@dataclass(frozen=True)
class ConsulterCategories(Scheme):
    """The 相談内容の分類 of one consulter type, with at most one catch-all (その他)."""

    consulter_type: ConsulterType

    noun = "分類"
    is_kinds = False

    @property
    def label(self) -> str:
        return f"{self.consulter_type.name}の相談内容の分類"

    @property
    def title(self) -> str:
        return self.consulter_type.title

    @property
    def slug(self) -> str:
        return str(self.consulter_type.pk)

    @property
    def has_categories(self) -> bool:
        return self.consulter_type.has_categories

    @property
    def audit_target(self) -> ConsulterType:
        return self.consulter_type

    def terms(self) -> QuerySet[Any]:
        return Category.objects.filter(consulter_type=self.consulter_type).order_by(
            "fiscal_year", "order", "id"
        )

    def check_editable(self) -> None:
        if not self.has_categories:
            raise ValidationError(
                f"「{self.consulter_type.name}」の相談は合計だけを数えるため、分類はありません。"
            )

    def create(
        self,
        fiscal_year: int,
        name: str,
        order: int,
        retired: bool,
        like: Term | None = None,
        consultation: bool | None = None,
        catch_all: bool = False,
    ) -> Term:
        return Category.objects.create(
            consulter_type=self.consulter_type,
            catch_all=catch_all,
            fiscal_year=fiscal_year,
            name=name,
            order=order,
            retired=retired,
        )

    def is_catch_all(self, term: Term) -> bool:
        return term.catch_all  # type: ignore[union-attr]

    def catch_all_flags(self, entries: Sequence[EntrySpec], by_id: dict[int, Term]) -> list[bool]:
        """As said; else as it is; else (a new entry) when it is named その他 and no
        other entry of the list is said or kept to be."""
        flags: list[bool | None] = []
        for entry in entries:
            term = by_id.get(entry.id) if entry.id is not None else None
            if entry.catch_all is not None:
                flags.append(entry.catch_all)
            elif term is not None:
                flags.append(self.is_catch_all(term))
            else:
                flags.append(None)
        taken = any(flags)
        return [
            bool(flag) if flag is not None else (not taken and is_catch_all_name(entry.name))
            for flag, entry in zip(flags, entries, strict=True)
        ]

    def update_flags(
        self,
        term: Term,
        entry: EntrySpec,
        *,
        name: str,
        catch_all: bool,
        fields: list[str],
        changes: dict[str, list[str]],
    ) -> None:
        # Taken off before any entry is updated (services._write_list): only ever set here.
        if catch_all and not self.is_catch_all(term):
            term.catch_all = True  # type: ignore[union-attr]
            fields.append("catch_all")
            changes["その他扱い"].append(name)


ACTIVITY_KINDS: Final = ActivityKinds()


def as_scheme(scheme: Scheme | ConsulterType) -> Scheme:
    """A consulter type stands for its list of categories."""
    return scheme if isinstance(scheme, Scheme) else ConsulterCategories(scheme)


def scheme_of(entry: Term) -> Scheme:
    """The list an entry belongs to."""
    return _SCHEME_OF[type(entry)](entry)


_SCHEME_OF: Final[dict[type[Any], Any]] = {
    Category: lambda entry: ConsulterCategories(entry.consulter_type),
    ActivityKind: lambda entry: ACTIVITY_KINDS,
}
