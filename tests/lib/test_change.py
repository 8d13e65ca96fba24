"""The year-over-year change as the report (件) and the fundraising table (%) print it."""

from decimal import Decimal

import pytest

from tsunagu.lib.change import signed_change


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        (5, "件", "＋5件"),
        (-2, "件", "－2件"),
        (0, "件", "±0件"),
        (Decimal("12.5"), "%", "＋12.5%"),
        (Decimal("-73.0"), "%", "－73.0%"),
        (Decimal("0.0"), "%", "±0.0%"),
        # A fall of 0.04% rounds to −0.0: no change, not a signed minus zero.
        (Decimal("-0.0"), "%", "±0.0%"),
    ],
)
def test_signed_change(value: int | Decimal, unit: str, text: str) -> None:
    assert signed_change(value, unit) == text
