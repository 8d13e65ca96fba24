"""Finding a case registered twice: the same name or the same フリガナ, compared on the
normalised text (width, kana and spaces ignored), unless both birth years are known and
differ. Cases without identity (pseudonym only) cannot be compared and never match."""

from django.db.models import Q

from tsunagu.cases.models import Case
from tsunagu.lib.textnorm import normalize


def find_duplicates(
    *,
    family_name: str,
    given_name: str,
    family_name_kana: str,
    given_name_kana: str,
    birth_year: int | None,
    exclude: int | None = None,
) -> list[Case]:
    name_key = normalize(family_name + given_name)
    kana_key = normalize(family_name_kana + given_name_kana)
    # A family name alone is too common to call a duplicate.
    same = Q()
    if family_name and given_name:
        same |= Q(name_key=name_key)
    if family_name_kana and given_name_kana:
        same |= Q(kana_key=kana_key)
    if not same:
        return []
    candidates = Case.objects.filter(same, anonymised_at__isnull=True)
    if exclude is not None:
        candidates = candidates.exclude(pk=exclude)
    if birth_year is not None:
        candidates = candidates.filter(Q(birth_year__isnull=True) | Q(birth_year=birth_year))
    return list(candidates.prefetch_related("staff").order_by("-opened_on", "-id")[:10])
