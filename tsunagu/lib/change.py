"""The change from one year to the next, as the report and the fundraising table print it:
「＋5件」「－2件」「±0件」, 「＋12.5%」「－73.0%」「±0.0%」 (full-width signs)."""

from decimal import Decimal

__all__ = ["signed_change"]


def signed_change(value: int | Decimal, unit: str) -> str:
    """`value` with its full-width sign and `unit`: ＋ above zero, － below, ± for zero.
    A zero keeps its digits (Decimal("0.0") → 「±0.0%」, and a rounded −0.0 is zero too)."""
    if value > 0:
        return f"＋{value}{unit}"
    if value < 0:
        return f"－{-value}{unit}"
    return f"±{abs(value)}{unit}"
