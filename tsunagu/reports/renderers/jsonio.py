"""The report as JSON (docs/report-json.md), and back.

Published figures are frozen in this form when a fiscal year is closed and rendered
again years later, so `report_from_dict(report_to_dict(r)) == r` exactly. Derived
fields ("text" of a delta, "new" of a row, "shares") are written for the reader's
convenience and ignored when reading.
"""

import json
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from tsunagu.reports.result import (
    Delta,
    DeltaKind,
    OutreachShare,
    Report,
    Row,
    Section,
    Style,
    SupportSplit,
    SupportSplitRow,
    Trend,
    TrendRow,
)

__all__ = [
    "FORMAT",
    "VERSION",
    "ReportFormatError",
    "render_json",
    "report_from_dict",
    "report_from_json",
    "report_to_dict",
]

FORMAT = "tsunagu-report"
VERSION = 1

T = TypeVar("T")


class ReportFormatError(ValueError):
    """The data is not a report this version of tsunagu can read."""


def _delta(delta: Delta) -> dict[str, Any]:
    value = delta.value if delta.kind is DeltaKind.NUMBER else None
    return {"kind": delta.kind.value, "value": value, "text": delta.text}


def _row(row: Row) -> dict[str, Any]:
    return {
        "rank": row.rank,
        "label": row.label,
        "count": row.count,
        "delta": _delta(row.delta),
        "new": row.delta.kind is DeltaKind.NEW,
    }


def _section(section: Section) -> dict[str, Any]:
    return {
        "key": section.key,
        "title": section.title,
        "style": section.style.value,
        "total": section.total,
        "total_delta": _delta(section.total_delta),
        "rows": [_row(r) for r in section.rows],
        "notes": list(section.notes),
    }


def _trend(trend: Trend) -> dict[str, Any]:
    return {
        "key": trend.key,
        "title": trend.title,
        "years": list(trend.years),
        "year_labels": list(trend.year_labels),
        "rows": [{"label": r.label, "counts": list(r.counts)} for r in trend.rows],
        "notes": list(trend.notes),
    }


def _outreach(outreach: OutreachShare) -> dict[str, Any]:
    return {
        "years": list(outreach.years),
        "year_labels": list(outreach.year_labels),
        "consultations": list(outreach.consultations),
        "at_outreach": list(outreach.at_outreach),
        "shares": list(outreach.shares),
    }


def _split_row(row: SupportSplitRow) -> dict[str, Any]:
    return {
        "label": row.label,
        "individual": row.individual,
        "area": row.area,
        "previous_individual": row.previous_individual,
        "previous_area": row.previous_area,
    }


def _support_split(split: SupportSplit) -> dict[str, Any]:
    return {
        "key": split.key,
        "title": split.title,
        "year_label": split.year_label,
        "previous_label": split.previous_label,
        "rows": [_split_row(r) for r in split.rows],
        "total": _split_row(split.total),
    }


def report_to_dict(report: Report) -> dict[str, Any]:
    data = {
        "format": FORMAT,
        "version": VERSION,
        "fiscal_year": report.fiscal_year,
        "fiscal_year_label": report.fiscal_year_label,
        "previous_label": report.previous_label,
        "scope_label": report.scope_label,
        "municipality": dict(report.municipality),
        "notes": list(report.notes),
        "sections": [_section(s) for s in report.sections],
        "agency_table": _section(report.agency_table),
        "trends": [_trend(t) for t in report.trends],
        "outreach": _outreach(report.outreach),
        **(
            {"period_label": report.period_label, "comparison_label": report.comparison_label}
            if report.period_label
            else {}
        ),
    }
    # Absent, not null, from a report frozen before the section existed: it reads back
    # and is written again as it was frozen.
    if report.support_split is not None:
        data["support_split"] = _support_split(report.support_split)
    return data


def render_json(report: Report) -> str:
    return json.dumps(report_to_dict(report), ensure_ascii=False, indent=2) + "\n"


# Reading: strict about types, so that a damaged file is refused rather than shown wrong.


def _typed(value: object, kind: type[T], *, optional: bool = False) -> T:
    if value is None and optional:
        return value  # type: ignore[return-value]
    # bool is an int to Python, never a count to us.
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise ReportFormatError(f"{kind.__name__} expected, got {value!r}")
    return value


def _int(value: object) -> int:
    return _typed(value, int)


def _str(value: object) -> str:
    return _typed(value, str)


def _opt_int(value: object) -> int | None:
    return None if value is None else _int(value)


def _items(value: object, read: Callable[[Any], T]) -> tuple[T, ...]:
    return tuple(read(item) for item in _typed(value, list))


def _delta_from(data: Mapping[str, Any]) -> Delta:
    kind = DeltaKind(data["kind"])
    if kind is DeltaKind.NUMBER:
        return Delta(kind, _int(data["value"]))
    if data.get("value") is not None:
        raise ReportFormatError(f"a {kind.value} delta has no value: {data!r}")
    return Delta(kind)


def _row_from(data: Mapping[str, Any]) -> Row:
    return Row(
        label=_str(data["label"]),
        count=_int(data["count"]),
        delta=_delta_from(data["delta"]),
        rank=_opt_int(data["rank"]),
    )


def _section_from(data: Mapping[str, Any]) -> Section:
    return Section(
        key=_str(data["key"]),
        title=_str(data["title"]),
        style=Style(data["style"]),
        total=_int(data["total"]),
        total_delta=_delta_from(data["total_delta"]),
        rows=_items(data["rows"], _row_from),
        notes=_items(data["notes"], _str),
    )


def _same_length(*columns: tuple[object, ...]) -> None:
    if len({len(c) for c in columns}) > 1:
        raise ReportFormatError("the yearly columns differ in length")


def _trend_from(data: Mapping[str, Any]) -> Trend:
    trend = Trend(
        key=_str(data["key"]),
        title=_str(data["title"]),
        years=_items(data["years"], _int),
        year_labels=_items(data["year_labels"], _str),
        rows=_items(
            data["rows"],
            lambda r: TrendRow(label=_str(r["label"]), counts=_items(r["counts"], _opt_int)),
        ),
        notes=_items(data["notes"], _str),
    )
    _same_length(trend.years, trend.year_labels, *(r.counts for r in trend.rows))
    return trend


def _outreach_from(data: Mapping[str, Any]) -> OutreachShare:
    outreach = OutreachShare(
        years=_items(data["years"], _int),
        year_labels=_items(data["year_labels"], _str),
        consultations=_items(data["consultations"], _int),
        at_outreach=_items(data["at_outreach"], _int),
    )
    _same_length(outreach.years, outreach.year_labels, outreach.consultations, outreach.at_outreach)
    return outreach


def _split_row_from(data: Mapping[str, Any]) -> SupportSplitRow:
    return SupportSplitRow(
        label=_str(data["label"]),
        individual=_int(data["individual"]),
        area=_int(data["area"]),
        previous_individual=_opt_int(data["previous_individual"]),
        previous_area=_opt_int(data["previous_area"]),
    )


def _support_split_from(data: Mapping[str, Any] | None) -> SupportSplit | None:
    """None for a report frozen before the section existed (no key)."""
    if data is None:
        return None
    return SupportSplit(
        key=_str(data["key"]),
        title=_str(data["title"]),
        year_label=_str(data["year_label"]),
        previous_label=_typed(data["previous_label"], str, optional=True),
        rows=_items(data["rows"], _split_row_from),
        total=_split_row_from(data["total"]),
    )


def _municipality_from(value: object) -> dict[str, str]:
    return {_str(k): _str(v) for k, v in _typed(value, dict).items()}


def _check_format(data: Mapping[str, Any]) -> None:
    if data.get("format") != FORMAT:
        raise ReportFormatError("tsunaguの報告書のデータではありません。")
    version = data.get("version")
    if version != VERSION:
        raise ReportFormatError(
            f"報告書のデータの版（{version}）を読めません。このtsunaguが読めるのは版{VERSION}です。"
        )


def report_from_dict(data: Mapping[str, Any]) -> Report:
    """The report frozen by `report_to_dict`; ReportFormatError (Japanese message) when
    the data is not one."""
    _check_format(data)
    try:
        return Report(
            fiscal_year=_int(data["fiscal_year"]),
            fiscal_year_label=_str(data["fiscal_year_label"]),
            previous_label=_str(data["previous_label"]),
            scope_label=_str(data["scope_label"]),
            sections=_items(data["sections"], _section_from),
            agency_table=_section_from(data["agency_table"]),
            trends=_items(data["trends"], _trend_from),
            outreach=_outreach_from(data["outreach"]),
            notes=_items(data["notes"], _str),
            municipality=_municipality_from(data["municipality"]),
            period_label=_str(data.get("period_label", "")),
            comparison_label=_str(data.get("comparison_label", "前年度比")),
            support_split=_support_split_from(data.get("support_split")),
        )
    except ReportFormatError as error:
        raise ReportFormatError(f"報告書のデータが壊れています（{error}）。") from error
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise ReportFormatError(f"報告書のデータが壊れています（{error!r}）。") from error


def report_from_json(text: str) -> Report:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ReportFormatError(f"報告書のデータがJSONとして読めません（{error}）。") from error
    if not isinstance(data, dict):
        raise ReportFormatError("tsunaguの報告書のデータではありません。")
    return report_from_dict(data)
