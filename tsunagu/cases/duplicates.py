"""Finding a case registered twice, by the rule of lib/identity.py: the same name or the
same フリガナ, unless both birth years are known and differ. A family name alone is too
common to call a duplicate, so a name (or a reading) counts only when both its parts are
given. Cases without identity (pseudonym only) cannot be compared and never match."""

from tsunagu.cases.models import Case
from tsunagu.lib.identity import birth_year_q, candidates_q
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
    name_key = normalize(family_name + given_name) if family_name and given_name else ""
    kana_key = (
        normalize(family_name_kana + given_name_kana)
        if family_name_kana and given_name_kana
        else ""
    )
    same = candidates_q(name_key, kana_key)
    if same is None:
        return []
    candidates = Case.objects.filter(same, birth_year_q(birth_year), anonymised_at__isnull=True)
    if exclude is not None:
        candidates = candidates.exclude(pk=exclude)
    return list(candidates.prefetch_related("staff").order_by("-opened_on", "-id")[:10])
