"""Hostile and oversized files are refused quickly, in Japanese, without taking memory."""

from __future__ import annotations

import io
import time
import tracemalloc
import zipfile
from collections.abc import Callable, Iterator

import pytest

from tests.lib import hostile
from tsunagu.lib import tabular
from tsunagu.lib.tabular import TableError, read_table, sheet_names

MB = 1024 * 1024


def refusal(data: bytes, filename: str) -> tuple[str, float, float]:
    """(message, seconds, peak MB of Python memory) of reading every row of the file."""
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(TableError) as error:
            for _ in read_table(data, filename):
                pass
    finally:
        seconds = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1] / MB
        tracemalloc.stop()
    return str(error.value), seconds, peak


@pytest.mark.parametrize(
    ("make", "filename", "message"),
    [
        (
            hostile.shared_strings_bomb,
            "bomb.xlsx",
            "ファイルの中の「xl/sharedStrings.xml」が異常に高い圧縮率",
        ),
        (
            hostile.worksheet_bomb,
            "bomb.xlsx",
            "ファイルの中の「xl/worksheets/sheet1.xml」が異常に高い圧縮率",
        ),
        (
            lambda: hostile.many_shared_strings(1_100_000),
            "strings.xlsx",
            "文字列の表（共有文字列）が大きすぎるため読み込みません（100MB・1,000,000個まで）",
        ),
        (hostile.billion_laughs, "laughs.xlsx", "XML の定義（DTD・実体参照）があるため"),
        (
            lambda: hostile.billion_laughs("xl/worksheets/sheet1.xml"),
            "laughs.xlsx",
            "XML の定義（DTD・実体参照）があるため",
        ),
        (hostile.external_entity, "xxe.xlsx", "XML の定義（DTD・実体参照）があるため"),
        (hostile.not_a_zip, "fake.xlsx", "Excel ファイルとして開けません。"),
        (
            hostile.enormous_csv_line,
            "line.csv",
            "2行目：一行の文字数が多すぎます（1,000,000文字まで）",
        ),
        (hostile.unclosed_quote_csv, "quote.csv", "2行目：一つのセルの文字数が多すぎます"),
    ],
    ids=[
        "shared-strings-200MB",
        "worksheet-300MB",
        "too-many-shared-strings",
        "billion-laughs-strings",
        "billion-laughs-sheet",
        "xxe",
        "not-a-zip",
        "csv-enormous-line",
        "csv-unclosed-quote",
    ],
)
def test_a_hostile_file_is_refused_fast_and_small(
    make: Callable[[], bytes], filename: str, message: str
) -> None:
    data = make()
    assert len(data) < 50 * MB  # each fits through the upload limit
    text, seconds, peak = refusal(data, filename)
    assert message in text
    assert seconds < 5, seconds
    assert peak < 200, peak


def test_the_expanded_size_of_a_workbook_is_limited(monkeypatch: pytest.MonkeyPatch) -> None:
    # A real 512 MB is slow to build in a test: the limit is lowered, the check is the same.
    data = hostile.base_xlsx()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        total = sum(m.file_size for m in archive.infolist())
    monkeypatch.setattr(tabular, "MAX_EXPANDED_BYTES", total - 1)
    with pytest.raises(TableError) as error:
        sheet_names(data)
    assert "MB になるため読み込みません" in str(error.value)
    monkeypatch.setattr(tabular, "MAX_EXPANDED_BYTES", total)
    assert sheet_names(data) == ["Sheet1"]


def test_the_real_xml_parser_refuses_entities_even_past_the_checks() -> None:
    """defusedxml is what openpyxl parses with: no entity is ever expanded or fetched."""
    from openpyxl import DEFUSEDXML, load_workbook

    assert DEFUSEDXML
    with pytest.raises(ValueError) as error:
        load_workbook(io.BytesIO(hostile.external_entity()), read_only=True)
    assert "EntitiesForbidden" in repr(error.value.__cause__)


def _csv_lines(count: int) -> Iterator[bytes]:
    yield "名称\r\n".encode()
    for _ in range(count):
        yield b"a\r\n"


def test_rows_beyond_the_limit_are_refused_while_reading(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tabular, "MAX_ROWS", 1_000)
    table = read_table(b"".join(_csv_lines(1_000)), "ok.csv")
    assert sum(1 for _ in table) == 1_000
    table = read_table(b"".join(_csv_lines(1_001)), "long.csv")
    with pytest.raises(TableError) as error:
        for _ in table:
            pass
    assert (
        str(error.value)
        == "1002行目：行が多すぎます（1,000行まで）。年度ごとなどに分けてください。"
    )


def test_empty_rows_count_towards_the_limit_in_a_workbook(monkeypatch: pytest.MonkeyPatch) -> None:
    """A sheet that jumps to row 1,000,000 would make openpyxl yield every row between."""
    monkeypatch.setattr(tabular, "MAX_ROWS", 1_000)
    sheet = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>名称</t></is></c></row>'
        '<row r="2"><c r="A2" t="inlineStr"><is><t>a</t></is></c></row>'
        '<row r="1000000"><c r="A1000000" t="inlineStr"><is><t>b</t></is></c></row>'
        "</sheetData></worksheet>"
    )
    data = hostile.replace_member(
        hostile.base_xlsx(), "xl/worksheets/sheet1.xml", lambda m: m.write(sheet.encode())
    )
    text, _, _ = refusal(data, "far.xlsx")
    assert text == "1002行目：行が多すぎます（1,000行まで）。年度ごとなどに分けてください。"


def test_a_row_wider_than_the_limit_is_refused() -> None:
    data = "名称\r\n".encode() + b"," * 5_000 + b"\r\n"
    text, _, _ = refusal(data, "wide.csv")
    assert text == (
        "2行目：列が多すぎます（5,001列。1,000列まで）。使っていない列を削除してください。"
    )


def test_a_workbook_within_the_limits_still_reads() -> None:
    assert [row.values for row in read_table(hostile.base_xlsx(), "ok.xlsx")] == [
        {"名称": "サロンひだまり", "メモ": "毎月第2火曜日"}
    ]
    # Half the limit passes the count (openpyxl itself would take seconds to read them).
    tabular._refuse_expansion(hostile.many_shared_strings(500_000))
