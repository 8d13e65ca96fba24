"""Possible duplicates among registrations, on the normalised name, フリガナ and birth year,
by the rule of lib/identity.py (shared with the case register), among registrations of
the same kind; for groups the birth year plays no part.

The rule is pure (`same_person`) so that it can be tested on its own; `find_duplicates`
narrows the candidates in the database first.
"""

from dataclasses import dataclass

from tsunagu.lib.identity import birth_years_agree, candidates_q, keys_match
from tsunagu.lib.textnorm import normalize
from tsunagu.volunteers.models import Volunteer, VolunteerKind


@dataclass(frozen=True)
class Identity:
    """What two registrations are compared on."""

    kind: str
    name_key: str
    kana_key: str
    birth_year: int | None

    @classmethod
    def of(
        cls,
        *,
        kind: str,
        name: str,
        kana: str = "",
        birth_year: int | None = None,
    ) -> "Identity":
        return cls(kind, normalize(name), normalize(kana), birth_year)


def same_person(a: Identity, b: Identity) -> bool:
    """Whether b may be the same volunteer as a.

    The same name, or the same フリガナ (斉藤/斎藤 read alike), of the same kind; and birth
    years that do not contradict each other (equal, or one of them unknown). For groups the
    birth year plays no part.
    """
    if a.kind != b.kind or not keys_match(a.name_key, a.kana_key, b.name_key, b.kana_key):
        return False
    return a.kind == VolunteerKind.GROUP or birth_years_agree(a.birth_year, b.birth_year)


def identity_of(volunteer: Volunteer) -> Identity:
    return Identity.of(
        kind=volunteer.kind,
        name=volunteer.full_name,
        kana=volunteer.full_kana,
        birth_year=volunteer.birth_year,
    )


def find_duplicates(identity: Identity, *, exclude_pk: int | None = None) -> list[Volunteer]:
    """Registrations (active or not) that may be the same volunteer, by フリガナ order."""
    query = candidates_q(identity.name_key, identity.kana_key)
    if query is None:
        return []
    candidates = Volunteer.objects.filter(query, kind=identity.kind)
    if exclude_pk is not None:
        candidates = candidates.exclude(pk=exclude_pk)
    return [
        v for v in candidates.order_by("kana_key", "id") if same_person(identity, identity_of(v))
    ]
