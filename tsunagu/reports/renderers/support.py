"""The 個別支援・地域支援 section as a table (xlsx, CSV and the report page): 活動内容,
then 個別支援, 地域支援 and 計 of the year, and of the year before when the report compares
with it (empty for a kind not counted then: new, or split from one). The text renderer
has its lines (text.support_lines)."""

from tsunagu.reports.result import SupportSplit, SupportSplitRow

__all__ = ["support_headers", "support_rows"]

Values = list[str | int | None]


def support_headers(split: SupportSplit) -> list[str]:
    headers = ["活動内容", f"個別支援（{split.year_label}）", f"地域支援（{split.year_label}）"]
    headers.append(f"計（{split.year_label}）")
    if split.previous_label:
        label = split.previous_label
        headers += [f"個別支援（{label}）", f"地域支援（{label}）", f"計（{label}）"]
    return headers


def _values(split: SupportSplit, row: SupportSplitRow) -> Values:
    values: Values = [row.label, row.individual, row.area, row.total]
    if split.previous_label:
        values += [row.previous_individual, row.previous_area, row.previous_total]
    return values


def support_rows(split: SupportSplit) -> list[Values]:
    """A row per activity kind, then 合計; None where a kind was not counted."""
    return [_values(split, row) for row in (*split.rows, split.total)]
