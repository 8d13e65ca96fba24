import pytest
from hypothesis import given
from hypothesis import strategies as st

from tsunagu.grants.money import MoneyParseError, format_yen, parse_yen


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("300000", 300_000),
        ("３０００００", 300_000),
        ("300,000", 300_000),
        ("３００，０００", 300_000),
        ("300,000円", 300_000),
        ("¥300,000", 300_000),
        ("￥３００，０００", 300_000),
        (" 300000 ", 300_000),
        ("30万円", 300_000),
        ("３０万", 300_000),
        ("1万2500円", 12_500),
        ("2.5万円", 25_000),
        ("300000.00", 300_000),
        ("0", 0),
        (1200, 1200),
    ],
)
def test_amounts_as_people_type_them(text: str | int, expected: int) -> None:
    assert parse_yen(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("-1", "マイナス"),
        ("－300000", "マイナス"),
        ("▲1,000", "マイナス"),
        (-5, "マイナス"),
        ("1000.5", "1円未満の端数"),
        ("1.23456万", "1円未満の端数"),
        ("30,00", "金額として読み取れません"),
        ("三十万円", "金額として読み取れません"),
        ("1e5", "金額として読み取れません"),
        ("", "入力されていません"),
        ("　", "入力されていません"),
    ],
)
def test_refusals_say_why(text: str | int, message: str) -> None:
    with pytest.raises(MoneyParseError, match=message):
        parse_yen(text)


@given(st.integers(min_value=0, max_value=10**12))
def test_formatted_amounts_read_back(amount: int) -> None:
    assert parse_yen(format_yen(amount)) == amount
    full_width = format_yen(amount).translate(
        str.maketrans("0123456789,", "０１２３４５６７８９，")
    )
    assert parse_yen(full_width) == amount


def test_format_yen() -> None:
    assert format_yen(300000) == "300,000円"
    assert format_yen(None) == "—"
