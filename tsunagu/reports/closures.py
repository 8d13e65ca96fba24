"""Is this fiscal year closed (年度締め)? The one question every screen asks, and the
sentence it says.

Records of a closed year can still be written, corrected, deleted and restored: the
published figures stay as they were frozen, and the report page shows the differences
(reports/differences.py). Every screen that changes such a record says so before the
user saves or confirms, in the words of `closed_notice`."""

from typing import Literal

from tsunagu.lib.fiscal import fiscal_year_label
from tsunagu.reports.models import YearClosure

Action = Literal["create", "edit", "delete", "restore", "list"]

# What is changed, and how the sentence says the change: 「この日付の年度」「保存しても」.
_WORDS: dict[Action, tuple[str, str]] = {
    "create": ("この日付の年度", "保存しても"),
    "edit": ("この記録の年度", "直しても"),
    "delete": ("この記録の年度", "削除しても"),
    "restore": ("この記録の年度", "元に戻しても"),
    "list": ("", "この一覧を変えても"),
}

INCLUDE_CLOSED_LABEL = "締められた年度の記録も取り込む"


def is_closed(fiscal_year: int) -> bool:
    return YearClosure.objects.in_force().filter(fiscal_year=fiscal_year).exists()


def closed_years() -> frozenset[int]:
    """Every closed fiscal year, in one query (for a list of records of several years)."""
    return frozenset(YearClosure.objects.in_force().values_list("fiscal_year", flat=True))


def closed_notice(fiscal_year: int, action: Action) -> str:
    """The warning for a change of a record (or a yearly list) of a closed year."""
    subject, doing = _WORDS[action]
    label = fiscal_year_label(fiscal_year)
    if action == "list":
        return (
            f"{label}は締められています。{doing}公表済みの集計は変わりません"
            "（締めを解除して集計し直すと、変えた一覧で数えます）。"
        )
    return (
        f"{subject}（{label}）は締められています。{doing}公表済みの集計は変わりません"
        "（実績報告の画面に違いとして表示されます）。"
    )


def notice_if_closed(fiscal_year: int, action: Action) -> str:
    """`closed_notice` when the year is closed, else ""."""
    return closed_notice(fiscal_year, action) if is_closed(fiscal_year) else ""


def import_refusal(fiscal_year: int) -> str:
    """Why a row of a closed year is not imported unless the user says so."""
    return (
        f"{fiscal_year_label(fiscal_year)}は締められています。締められた年度の記録も"
        f"取り込むときは「{INCLUDE_CLOSED_LABEL}」にチェックしてください"
        "（コマンドでは --include-closed）。"
    )
