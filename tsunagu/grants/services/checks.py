"""Checks every grants service makes of what it is given: amounts in yen, fiscal years."""

from typing import Any

from django.core.exceptions import ValidationError

from tsunagu.lib.amounts import AmountParseError, format_yen, parse_yen
from tsunagu.lib.fiscal import MAX_FISCAL_YEAR, MIN_FISCAL_YEAR


def yen(value: Any, label: str, *, minimum: int = 0) -> int:
    """An amount as int yen, or ValidationError saying what is wrong with it."""
    if isinstance(value, float):
        if not value.is_integer():
            raise ValidationError(
                f"{label}は円単位の整数で入力してください（1円未満の端数は扱えません）。"
            )
        value = int(value)
    if value is None or not isinstance(value, int | str):
        raise ValidationError(f"{label}は円単位の整数で入力してください。")
    try:
        amount = parse_yen(value, label=label)
    except AmountParseError as error:
        raise ValidationError(f"{label}：{error}") from error
    if amount < minimum:
        raise ValidationError(f"{label}は{format_yen(minimum)}以上で入力してください。")
    return amount


def check_year(fiscal_year: int) -> None:
    if not MIN_FISCAL_YEAR <= fiscal_year <= MAX_FISCAL_YEAR:
        raise ValidationError(f"{fiscal_year}年度は扱えません。年度を確かめてください。")
