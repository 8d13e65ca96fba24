"""What every importer has: a validating pass that writes nothing, then an applying pass
that runs inside the import's transaction, and the refusal that lists every error."""

import unicodedata
from abc import ABC, abstractmethod
from dataclasses import replace
from typing import Any, ClassVar

from django.core.exceptions import ValidationError

from tsunagu.accounts.models import User
from tsunagu.lib.tabular import Cell, Row, RowError, TableError, cell_text
from tsunagu.records.models import ImportBatch
from tsunagu.transfer.formats import SEPARATOR
from tsunagu.transfer.values import Errors, ValueProblem, check_length, parse_count, parse_flag


class ImportRefused(ValidationError):
    """Nothing was imported. `row_errors` are the first errors, `hidden` counts the rest."""

    def __init__(self, errors: Errors | TableError) -> None:
        if isinstance(errors, TableError):
            self.row_errors: list[RowError] = list(errors.errors)
            self.hidden = 0
        else:
            self.row_errors = list(errors.shown)
            self.hidden = errors.hidden
        super().__init__([str(e) for e in self.row_errors])

    @property
    def count(self) -> int:
        return len(self.row_errors) + self.hidden

    def lines(self) -> list[str]:
        """The errors as text lines, for the command line."""
        lines = [str(e) for e in self.row_errors]
        if self.hidden:
            lines.append(f"ほかに {self.hidden:,} 件の問題があります。")
        return lines


class Importer(ABC):
    kind: ClassVar[str]

    @abstractmethod
    def validate(self, errors: Errors) -> int:
        """Check every row, adding every problem to `errors`; return the number of rows."""

    @abstractmethod
    def apply(self, *, by: User | None, batch: ImportBatch) -> str:
        """Write the file's content (inside the caller's transaction); a Japanese summary."""

    def close(self) -> None:  # noqa: B027 - a hook most importers do not need
        """Release what validate() kept for apply()."""


class RowReader:
    """Reads the cells of one row, turning every unreadable value into an error of the row.

    A column absent from the file reads as None (leave the stored value alone); an empty
    cell of a present column reads as "" / None according to the method."""

    def __init__(self, row: Row, errors: Errors, *, sheet: str | None = None) -> None:
        self.row = row
        self.errors = errors
        self.sheet = sheet
        self.failed = False
        for error in row.errors:
            self.fail_with(replace(error, sheet=sheet) if sheet else error)

    def fail_with(self, error: RowError) -> None:
        self.failed = True
        self.errors.append(error)

    def problem(self, column: str | None, message: str) -> None:
        self.fail_with(RowError(self.row.number, column, message, self.sheet))

    def has(self, column: str) -> bool:
        return column in self.row.values

    def raw(self, column: str) -> Cell:
        return self.row.values.get(column)

    def text(self, column: str, *, limit: int | None = None, required: bool = False) -> str:
        text = cell_text(self.row.values.get(column))
        if required and not text:
            self.problem(column, f"{column}が空です。")
        if limit is not None:
            try:
                check_length(text, limit)
            except ValueProblem as problem:
                self.problem(column, str(problem))
                return text[:limit]
        return text

    def name(self, column: str = "名称", *, limit: int = 100) -> str:
        """A required name; | is refused because files list several names with it."""
        text = self.text(column, required=True, limit=limit)
        if SEPARATOR in unicodedata.normalize("NFKC", text):
            self.problem(
                column, f"名称に「{SEPARATOR}」は使えません（複数の名前の区切りに使うため）。"
            )
        return text

    def count(self, column: str) -> int | None:
        try:
            return parse_count(self.row.values.get(column), label=column)
        except ValueProblem as problem:
            self.problem(column, str(problem))
            return None

    def flag(self, column: str, *, empty: bool) -> bool | None:
        """None when the column is absent from the file."""
        if not self.has(column):
            return None
        try:
            return parse_flag(self.row.values.get(column), empty=empty)
        except ValueProblem as problem:
            self.problem(column, str(problem))
            return empty


def model_changes(obj: Any, values: dict[str, Any]) -> list[str]:
    """Set `values` on obj; the names of the fields that really changed."""
    changed = []
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed.append(name)
    return changed
