"""A stored value as the Japanese text a change summary shows: the audit log's entries and
the table of an edit conflict (保存されている内容 / あなたの入力)."""

__all__ = ["EMPTY", "show_value"]

EMPTY = "（空）"


def show_value(value: object) -> str:
    """「（空）」 for nothing (None, "", an empty list), 「はい」/「いいえ」 for a yes/no,
    a list's items joined by 「、」, anything else as its own text (a row by its __str__).

    A choice's label is the caller's to look up (it knows the choices); this shows what
    it is given."""
    if value is None or value == "" or value == []:
        return EMPTY
    if isinstance(value, bool):
        return "はい" if value else "いいえ"
    if isinstance(value, list):
        return "、".join(show_value(v) for v in value)
    return str(value)
