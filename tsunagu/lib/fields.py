"""Keeping derived columns in step with their sources on a partial save."""

from collections.abc import Iterable, Mapping


def with_derived_fields(
    update_fields: Iterable[str] | None, derived: Mapping[str, str]
) -> set[str] | None:
    """`update_fields` plus the columns derived from them (e.g. name → name_key), so that
    a save with update_fields never leaves a search key or a fiscal year behind."""
    if update_fields is None:
        return None
    fields = set(update_fields)
    return fields | {derived[name] for name in fields if name in derived}
