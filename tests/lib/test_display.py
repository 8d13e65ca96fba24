"""show_value: the text of a value in the audit log and in an edit conflict's table."""

from datetime import date

import pytest

from tsunagu.lib.display import EMPTY, show_value


class Row:
    def __str__(self) -> str:
        return "東地区"


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, "（空）"),
        ("", "（空）"),
        ([], "（空）"),
        (True, "はい"),
        (False, "いいえ"),
        (0, "0"),
        (1, "1"),
        ("訪問", "訪問"),
        (["介護", "子育て", "住まい"], "介護、子育て、住まい"),
        ([True, None, "電話"], "はい、（空）、電話"),
        (date(2024, 4, 1), "2024-04-01"),
        (Row(), "東地区"),
    ],
)
def test_show_value(value: object, text: str) -> None:
    assert show_value(value) == text


def test_empty_is_the_word_the_conflict_table_uses() -> None:
    assert EMPTY == "（空）"


def test_audit_entry_shows_a_cleared_list_as_empty() -> None:
    from tsunagu.audit.descriptions import describe_changes

    assert describe_changes("", {"goals": [[], ["見守り"]]})[0][1] == "（空） → 見守り"
    assert describe_changes("", {"active": [True, False]})[0][1] == "はい → いいえ"
