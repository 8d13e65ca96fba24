"""Whole amounts as people type them, in a form or in a file's cell: full-width digits,
thousands commas, the unit after the figure (300,000円, 12件); for yen also ¥ before it
and 万 (30万円). Always an integer of 0 or more; anything else is refused with a Japanese
message that says why. The one parser of money (grants) and of counts (imports)."""

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

__all__ = ["COUNT", "YEN", "AmountParseError", "Unit", "format_yen", "parse_amount", "parse_yen"]

_NEGATIVE = re.compile(r"^[-−‐–ー―▲△]")
_MAN = re.compile(r"^(\d+(?:\.\d+)?)万(\d*)$")
_PLAIN = re.compile(r"^\d+(?:\.\d+)?$")
_GROUPED = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$")


class AmountParseError(ValueError):
    """The text is not a whole amount; the message says why, in Japanese."""


@dataclass(frozen=True)
class Unit:
    """What is counted and how its refusals read. Templates take {label} (the field or
    column), {shown} (the text as typed) and {hint}."""

    suffixes: tuple[str, ...]  # may follow the figure, taken off in this order: 円, 也
    hint: str  # how to write it, after a refusal
    unreadable: str
    fraction: str
    negative: str  # {quoted}: 「（「－5」）」 for a typed text, "" for a number
    prefixes: tuple[str, ...] = ()
    man: bool = False  # 30万円


YEN = Unit(
    suffixes=("円", "也"),
    hint="円単位の整数で入力してください（例：300000、300,000円）。",
    unreadable="「{shown}」は金額として読み取れません。{hint}",
    fraction="「{shown}」は1円未満の端数を含んでいます。{hint}",
    negative="{label}にマイナスの金額は入力できません{quoted}。",
    prefixes=("¥", "\\"),
    man=True,
)
COUNT = Unit(
    suffixes=("件",),
    hint="0以上の整数で書いてください。",
    unreadable="「{shown}」は{label}として読み取れません。{hint}",
    fraction="「{shown}」は{label}として読み取れません。{hint}",
    negative="{label}は{hint}",
)


def _integral(value: Decimal, message: str) -> int:
    if value != value.to_integral_value():
        raise AmountParseError(message)
    return int(value)


def parse_amount(text: str | int, *, label: str, unit: Unit) -> int:
    """The amount as an int; raises AmountParseError for anything else."""
    if isinstance(text, bool):
        raise AmountParseError(f"{label}は{unit.hint}")
    if isinstance(text, int):
        if text < 0:
            raise AmountParseError(unit.negative.format(label=label, hint=unit.hint, quoted=""))
        return text
    shown = str(text).strip()
    words = {"label": label, "shown": shown, "hint": unit.hint}
    if not shown:
        raise AmountParseError(f"{label}が入力されていません。")
    # NFKC turns ３０００００ into 300000, ，into , and ￥ into ¥.
    cleaned = unicodedata.normalize("NFKC", shown).replace(" ", "").replace("　", "")
    if _NEGATIVE.match(cleaned):
        raise AmountParseError(unit.negative.format(**words, quoted=f"（「{shown}」）"))
    for prefix in unit.prefixes:
        cleaned = cleaned.removeprefix(prefix)
    for suffix in unit.suffixes:
        cleaned = cleaned.removesuffix(suffix)
    man = _MAN.match(cleaned.replace(",", "")) if unit.man else None
    try:
        if man:
            amount = Decimal(man.group(1)) * 10_000 + Decimal(man.group(2) or 0)
            return _integral(amount, unit.fraction.format(**words))
        if _PLAIN.match(cleaned) or _GROUPED.match(cleaned):
            return _integral(Decimal(cleaned.replace(",", "")), unit.fraction.format(**words))
    except InvalidOperation:  # pragma: no cover - the patterns only let digits through
        pass
    raise AmountParseError(unit.unreadable.format(**words))


def parse_yen(text: str | int, *, label: str = "金額") -> int:
    """An amount of integer yen: 300000, 300,000, ３０００００, 300,000円, ¥300,000, 30万円."""
    return parse_amount(text, label=label, unit=YEN)


def format_yen(amount: int | None) -> str:
    """300000 → 「300,000円」; None → 「—」."""
    return "—" if amount is None else f"{amount:,}円"
