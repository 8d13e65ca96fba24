"""Reading one cell's value the way every import reads it, and the errors it collects."""

import unicodedata
from collections.abc import Iterable

from tsunagu.accounts.models import User
from tsunagu.lib.amounts import COUNT, AmountParseError, parse_amount
from tsunagu.lib.tabular import Cell, RowError, cell_text
from tsunagu.lib.textnorm import normalize
from tsunagu.transfer.formats import SEPARATOR


def _word(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().lower()


TRUE_WORDS = frozenset(
    map(_word, ["〇", "○", "◯", "●", "はい", "1", "有", "有効", "あり", "TRUE", "yes"])
)
FALSE_WORDS = frozenset(
    map(_word, ["×", "✕", "✖", "x", "いいえ", "0", "無", "無効", "なし", "FALSE", "no"])
)
ERROR_LIMIT = 200


class ValueProblem(ValueError):
    """A cell that cannot be read; the message is for the user."""


class Errors:
    """Every error of an import, keeping the first ERROR_LIMIT and counting the rest."""

    def __init__(self, limit: int = ERROR_LIMIT) -> None:
        self.limit = limit
        self.shown: list[RowError] = []
        self.hidden = 0

    def add(self, row: int | None, column: str | None, message: str) -> None:
        self.append(RowError(row, column, message))

    def append(self, error: RowError) -> None:
        if len(self.shown) < self.limit:
            self.shown.append(error)
        else:
            self.hidden += 1

    def extend(self, errors: Iterable[RowError]) -> None:
        for error in errors:
            self.append(error)

    @property
    def count(self) -> int:
        return len(self.shown) + self.hidden

    def __bool__(self) -> bool:
        return bool(self.shown)


def parse_flag(value: Cell, *, empty: bool) -> bool:
    """〇/はい/1 → True, ×/いいえ/0 → False, an empty cell → `empty`."""
    if value is None:
        return empty
    if isinstance(value, bool):
        return value
    word = _word(cell_text(value))
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ValueProblem(
        f"「{cell_text(value)}」は読み取れません。〇（はい）か空欄"
        + ("" if empty else "、または ×（いいえ）")
        + "で書いてください。"
    )


def parse_count(value: Cell, *, label: str = "数") -> int | None:
    """A whole number ≥ 0 (順, 会員数) as lib/amounts reads a count (１２, 1,234, 12件);
    None for an empty cell."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    try:
        number = parse_amount(
            value if isinstance(value, int) and not isinstance(value, bool) else cell_text(value),
            label=label,
            unit=COUNT,
        )
    except AmountParseError as error:
        raise ValueProblem(str(error)) from error
    if number > 2_147_483_647:
        raise ValueProblem(f"「{number}」は大きすぎます。")
    return number


def split_names(value: Cell) -> list[str]:
    """The names of a cell such as 「寄付したい|ボランティアしたい」; ｜ counts as |."""
    text = unicodedata.normalize("NFKC", cell_text(value))
    return [part.strip() for part in text.split(SEPARATOR) if part.strip()]


def check_length(text: str, limit: int) -> None:
    if len(text) > limit:
        raise ValueProblem(f"長すぎます（{len(text):,}文字）。{limit:,}文字までにしてください。")


class StaffLookup:
    """Staff accounts named in a file by username or by 「氏 名」 (spaces do not matter)."""

    def __init__(self) -> None:
        self.by_username: dict[str, int] = {}
        self.by_folded_username: dict[str, int] = {}
        self.by_name: dict[str, list[int]] = {}
        self.names: dict[int, str] = {}
        for pk, username, last, first in User.objects.values_list(
            "pk", "username", "last_name", "first_name"
        ):
            self.by_username[username] = pk
            self.by_folded_username[normalize(username)] = pk
            display = f"{last} {first}".strip() or username
            self.names[pk] = display
            self.by_name.setdefault(normalize(display), []).append(pk)

    def find(self, text: str) -> int:
        if text in self.by_username:
            return self.by_username[text]
        key = normalize(text)
        if key in self.by_folded_username:
            return self.by_folded_username[key]
        matches = self.by_name.get(key, [])
        if len(matches) == 1:
            return matches[0]
        if matches:
            raise ValueProblem(
                f"「{text}」という職員が{len(matches)}人います。ログインIDで書いてください。"
            )
        raise ValueProblem(
            f"職員「{text}」が見つかりません。ログインIDか「氏 名」で書いてください"
            "（職員アカウントは取り込みでは作られません）。"
        )

    def label(self, pk: int, username: str) -> str:
        """How an export names the account: 「氏 名」 when that finds it back, else the ID."""
        name = self.names.get(pk, username)
        try:
            return name if self.find(name) == pk else username
        except ValueProblem:
            return username
