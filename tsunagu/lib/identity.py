"""Whether two registrations may be the same person: the one rule of the case register
(cases/duplicates.py) and the volunteer centre (volunteers/duplicates.py).

The same name or the same フリガナ, each compared on its normalised key (lib/textnorm:
width, kana and spaces ignored; 斉藤/斎藤 read alike), and birth years that do not
contradict each other (equal, or one of them unknown). An empty key never matches: a
registration without a name or a reading cannot be compared on it.

The rule is written twice on purpose, once for Python (`keys_match`,
`birth_years_agree`) and once as a query (`candidates_q`, `birth_year_q`) that narrows in the database; tests/lib/
test_identity.py holds the two to the same answers."""

from django.db.models import Q


def keys_match(name_a: str, kana_a: str, name_b: str, kana_b: str) -> bool:
    """The same non-empty name key, or the same non-empty reading key."""
    return (bool(name_a) and name_a == name_b) or (bool(kana_a) and kana_a == kana_b)


def birth_years_agree(a: int | None, b: int | None) -> bool:
    return a is None or b is None or a == b


def candidates_q(name_key: str, kana_key: str) -> Q | None:
    """The rows (with `name_key` and `kana_key` columns) sharing a non-empty key; None when
    both keys are empty and nothing can match."""
    query = Q()
    if name_key:
        query |= Q(name_key=name_key)
    if kana_key:
        query |= Q(kana_key=kana_key)
    return query or None


def birth_year_q(birth_year: int | None) -> Q:
    """The rows (with a `birth_year` column) whose birth year does not contradict this one."""
    if birth_year is None:
        return Q()
    return Q(birth_year__isnull=True) | Q(birth_year=birth_year)
