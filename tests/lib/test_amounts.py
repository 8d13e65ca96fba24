import pytest
from hypothesis import given
from hypothesis import strategies as st

from tsunagu.lib.amounts import COUNT, AmountParseError, format_yen, parse_amount, parse_yen


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
    with pytest.raises(AmountParseError, match=message):
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


# --- counts: the same reading, as an import file's 順・会員数 column ----------------------

COUNT_CASES = [
    ("12", 12),
    ("１２", 12),
    ("1,234", 1234),
    ("１，２３４件", 1234),
    (" 7 ", 7),
    ("0", 0),
    (15, 15),
]


@pytest.mark.parametrize(("text", "expected"), COUNT_CASES)
def test_counts_as_people_type_them(text: str | int, expected: int) -> None:
    assert parse_amount(text, label="会員数", unit=COUNT) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("abc", "「abc」は会員数として読み取れません。0以上の整数で書いてください。"),
        ("1.5", "「1.5」は会員数として読み取れません。0以上の整数で書いてください。"),
        ("30万", "「30万」は会員数として読み取れません。0以上の整数で書いてください。"),
        ("12円", "「12円」は会員数として読み取れません。0以上の整数で書いてください。"),
        ("1,2,3", "「1,2,3」は会員数として読み取れません。0以上の整数で書いてください。"),
        ("-3", "会員数は0以上の整数で書いてください。"),
        (-3, "会員数は0以上の整数で書いてください。"),
    ],
)
def test_count_refusals_say_why(text: str | int, message: str) -> None:
    with pytest.raises(AmountParseError) as refused:
        parse_amount(text, label="会員数", unit=COUNT)
    assert str(refused.value) == message


def test_yen_refusals_keep_the_forms_wording() -> None:
    with pytest.raises(AmountParseError) as refused:
        parse_yen("－300000", label="交付額")
    assert str(refused.value) == "交付額にマイナスの金額は入力できません（「－300000」）。"
    with pytest.raises(AmountParseError) as refused:
        parse_yen("1000.5")
    assert str(refused.value) == (
        "「1000.5」は1円未満の端数を含んでいます。円単位の整数で入力してください（例：300000、300,000円）。"
    )


@pytest.mark.parametrize(
    ("cell", "expected"),
    [(None, None), (12.0, 12), ("１２", 12), ("3件", 3), (2_147_483_647, 2_147_483_647)],
)
def test_an_import_reads_a_count_cell(cell: object, expected: int | None) -> None:
    from tsunagu.transfer.values import parse_count

    assert parse_count(cell, label="順") == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        (2_147_483_648, "「2147483648」は大きすぎます。"),
        (-1, "順は0以上の整数で書いてください。"),
        ("一", "「一」は順として読み取れません。0以上の整数で書いてください。"),
        (True, "「〇」は順として読み取れません。0以上の整数で書いてください。"),
    ],
)
def test_an_import_refuses_a_count_cell(cell: object, message: str) -> None:
    from tsunagu.transfer.values import ValueProblem, parse_count

    with pytest.raises(ValueProblem) as refused:
        parse_count(cell, label="順")  # type: ignore[arg-type]
    assert str(refused.value) == message
