"""Amounts of money as people type them: 300000, 300,000, ３０００００, 300,000円, ¥300,000,
30万円. Always integer yen; negative amounts and fractions of a yen are refused with a
message that says why."""

import re
import unicodedata
from decimal import Decimal, InvalidOperation

__all__ = ["MoneyParseError", "format_yen", "parse_yen"]

_NEGATIVE = re.compile(r"^[-−‐–ー―▲△]")
_MAN = re.compile(r"^(\d+(?:\.\d+)?)万(\d*)$")
_PLAIN = re.compile(r"^\d+(?:\.\d+)?$")
_GROUPED = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$")
_EXAMPLE = "円単位の整数で入力してください（例：300000、300,000円）。"


class MoneyParseError(ValueError):
    """The text is not an amount of integer yen; the message says why, in Japanese."""


def _integral(value: Decimal, shown: str) -> int:
    if value != value.to_integral_value():
        raise MoneyParseError(f"「{shown}」は1円未満の端数を含んでいます。{_EXAMPLE}")
    return int(value)


def parse_yen(text: str | int, *, label: str = "金額") -> int:
    """The amount as an int; raises MoneyParseError for anything else."""
    if isinstance(text, bool):
        raise MoneyParseError(f"{label}は{_EXAMPLE}")
    if isinstance(text, int):
        if text < 0:
            raise MoneyParseError(f"{label}にマイナスの金額は入力できません。")
        return text
    shown = str(text).strip()
    if not shown:
        raise MoneyParseError(f"{label}が入力されていません。")
    # NFKC turns ３０００００ into 300000, ，into , and ￥ into ¥.
    cleaned = unicodedata.normalize("NFKC", shown).replace(" ", "").replace("　", "")
    if _NEGATIVE.match(cleaned):
        raise MoneyParseError(f"{label}にマイナスの金額は入力できません（「{shown}」）。")
    cleaned = cleaned.removeprefix("¥").removeprefix("\\").removesuffix("円").removesuffix("也")
    man = _MAN.match(cleaned.replace(",", ""))
    try:
        if man:
            amount = Decimal(man.group(1)) * 10_000 + Decimal(man.group(2) or 0)
            return _integral(amount, shown)
        if _PLAIN.match(cleaned) or _GROUPED.match(cleaned):
            return _integral(Decimal(cleaned.replace(",", "")), shown)
    except InvalidOperation:  # pragma: no cover - the patterns only let digits through
        pass
    raise MoneyParseError(f"「{shown}」は金額として読み取れません。{_EXAMPLE}")


def format_yen(amount: int | None) -> str:
    """300000 → 「300,000円」; None → 「—」."""
    return "—" if amount is None else f"{amount:,}円"
