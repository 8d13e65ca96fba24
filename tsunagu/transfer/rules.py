"""Imports and exports. Records are every writer's; the directory, the yearly lists and
the baseline figures are the administrators' (`obj` is the kind of file)."""

from typing import Any

from tsunagu.core.access import admin, predicate, writer
from tsunagu.transfer.formats import Kind


@predicate(
    "transfer.import",
    refusal="取り込みは職員と管理者が行います（マスタ・分類・過去の集計は管理者だけ）。",
    scope=None,
)
def import_files(user: Any, obj: Any = None) -> bool:
    return writer(user) and (obj is None or obj == Kind.RECORDS or admin(user))


@predicate(
    "transfer.export",
    refusal="出力には記録のメモが含まれるため、職員と管理者だけが行えます。",
    scope=None,
)
def export_files(user: Any, obj: Any = None) -> bool:
    return writer(user)
