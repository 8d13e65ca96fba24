"""Reading and writing Excel and CSV tables: plain pytest, no Django needed."""

from __future__ import annotations

import io
from datetime import date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from tsunagu.lib.tabular import (
    BOM,
    Cell,
    Row,
    SizedRows,
    TableError,
    read_table,
    sheet_names,
    write_csv,
    write_xlsx,
)

HEADERS = ["名称", "メモ"]
# Excel cells carry no time zone: openpyxl reads them as naive datetimes.
EXCEL_DATE = datetime(2020, 4, 1)  # noqa: DTZ001


def xlsx(rows: list[list[object]], *, title: str = "Sheet", build=None) -> bytes:  # type: ignore[no-untyped-def]
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = title
    for row in rows:
        sheet.append(row)
    if build:
        build(sheet)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def rows_of(data: bytes, filename: str, **kwargs: object) -> list[Row]:
    return list(read_table(data, filename, **kwargs))  # type: ignore[arg-type]


def messages(error: pytest.ExceptionInfo[TableError]) -> str:
    return "\n".join(str(e) for e in error.value.errors)


# --- CSV encodings -----------------------------------------------------------------


@pytest.mark.parametrize(
    "encode",
    [
        lambda text: BOM + text.encode("utf-8"),
        lambda text: text.encode("utf-8"),
        lambda text: text.encode("cp932"),
    ],
    ids=["utf-8 with BOM", "utf-8", "cp932"],
)
def test_csv_encodings_are_detected(encode) -> None:  # type: ignore[no-untyped-def]
    # 髙 exists only in CP932 (not in shift_jis); ～ is where the two disagree.
    text = "名称,メモ\r\n髙橋 ～ 東部圏域,①と㈱\r\n"
    rows = rows_of(encode(text), "a.csv")
    assert rows[0].values == {"名称": "髙橋 ～ 東部圏域", "メモ": "①と㈱"}


def test_undecodable_csv_is_refused_with_a_japanese_message() -> None:
    # Neither UTF-8 nor CP932: 0x81 is a CP932 lead byte that 0x7f cannot follow.
    data = "名称\r\n".encode("cp932") + b"\x81\x7f\r\n"
    with pytest.raises(TableError) as error:
        read_table(data, "a.csv")
    assert (
        "文字コードを判別できません（UTF-8 または Shift_JIS(CP932) で保存してください）"
        in messages(error)
    )


def test_utf16_text_is_refused_with_advice() -> None:
    with pytest.raises(TableError) as error:
        read_table("名称\t\r\n一\r\n".encode("utf-16"), "a.csv")
    assert "「CSV UTF-8（コンマ区切り）」で保存してください" in messages(error)


def test_row_numbers_are_the_spreadsheet_rows_and_empty_rows_are_skipped() -> None:
    data = '名称,メモ\r\n一,"二行の\r\nメモ"\r\n,\r\n\r\n五,\r\n'.encode()
    rows = rows_of(data, "a.csv")
    assert [(r.number, r.values) for r in rows] == [
        (2, {"名称": "一", "メモ": "二行の\nメモ"}),
        (5, {"名称": "五", "メモ": None}),
    ]


def test_cells_are_trimmed_and_headers_compared_after_nfkc() -> None:
    data = "ﾒﾓ , 名称\r\n  ｻﾛﾝ　 ,  \r\n".encode()
    rows = rows_of(data, "a.csv", columns=HEADERS)
    assert rows[0].values == {"メモ": "ｻﾛﾝ", "名称": None}


def test_a_value_under_no_header_is_an_error_of_its_row() -> None:
    data = "名称\r\n一,余計\r\n".encode()
    (row,) = rows_of(data, "a.csv")
    assert row.errors and "B列に見出しがないのに値「余計」があります" in str(row.errors[0])
    assert row.errors[0].row == 2


# --- bad files -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "filename"),
    [
        (b"", "a.csv"),
        (BOM, "a.csv"),
        (b"\r\n\r\n", "a.csv"),
        (b"", "a.xlsx"),
        (xlsx([]), "a.xlsx"),
    ],
)
def test_empty_files_are_refused(data: bytes, filename: str) -> None:
    with pytest.raises(TableError) as error:
        read_table(data, filename)
    assert messages(error) == "ファイルが空です。"


@pytest.mark.parametrize(
    ("data", "filename"),
    [("名称,メモ\r\n,\r\n".encode(), "a.csv"), (xlsx([HEADERS]), "a.xlsx")],
)
def test_a_header_without_data_is_refused(data: bytes, filename: str) -> None:
    with pytest.raises(TableError) as error:
        read_table(data, filename)
    assert messages(error) == "見出し行だけで、データの行がありません。"


def test_duplicated_headers_are_named() -> None:
    with pytest.raises(TableError) as error:
        read_table("名称,メモ,名称\r\n一,二,三\r\n".encode(), "a.csv")
    assert "1行目「名称」：見出し「名称」が2回あります。" in messages(error)


def test_unknown_and_missing_columns_are_listed_with_the_expected_ones() -> None:
    with pytest.raises(TableError) as error:
        read_table(
            "名前,メモ,備考\r\n一,二,三\r\n".encode(), "a.csv", columns=HEADERS, required=["名称"]
        )
    text = messages(error)
    assert "使えない見出しがあります：「名前」、「備考」。使える見出しは 名称、メモ です。" in text
    assert "必要な見出しがありません：「名称」。" in text


def test_an_empty_first_row_is_explained() -> None:
    with pytest.raises(TableError) as error:
        read_table(xlsx([[None], ["名称"], ["一"]]), "a.xlsx")
    assert "1行目が空です。" in messages(error)


@pytest.mark.parametrize(
    ("filename", "message"),
    [
        ("old.xls", "古い形式の Excel ファイル（.xls）は読めません。"),
        ("a.pdf", "Excel ファイル（.xlsx）か CSV ファイル（.csv）を選んでください。"),
    ],
)
def test_other_file_types_are_refused(filename: str, message: str) -> None:
    with pytest.raises(TableError) as error:
        read_table(b"data", filename)
    assert message in messages(error)


def test_a_broken_xlsx_is_refused() -> None:
    with pytest.raises(TableError) as error:
        read_table(b"PK\x03\x04 not really a zip", "a.xlsx")
    assert "Excel ファイルとして開けません" in messages(error)


# --- xlsx ----------------------------------------------------------------------------


def test_xlsx_cells_keep_their_types_and_sheets_are_chosen_by_name() -> None:
    def second_sheet(sheet) -> None:  # type: ignore[no-untyped-def]
        other = sheet.parent.create_sheet("地域社協")
        other.append(["名称", "会員数", "設立"])
        other.append(["本町地域社協", 82, EXCEL_DATE])

    data = xlsx([["名称"], ["東部圏域"]], title="圏域", build=second_sheet)
    assert sheet_names(data) == ["圏域", "地域社協"]
    (row,) = rows_of(data, "a.xlsx", sheet="地域社協")
    assert row.values == {"名称": "本町地域社協", "会員数": 82, "設立": EXCEL_DATE}
    with pytest.raises(TableError) as error:
        read_table(data, "a.xlsx", sheet="関係機関")
    assert (
        "シート「関係機関」がありません（このファイルのシート：「圏域」、「地域社協」）。"
        in messages(error)
    )


def test_merged_cells_are_refused_naming_the_cells() -> None:
    def merge(sheet) -> None:  # type: ignore[no-untyped-def]
        sheet.merge_cells("B3:C3")

    data = xlsx([["名称", "メモ", "備考"], ["一", "二", "三"], ["四", "五", None]], build=merge)
    with pytest.raises(TableError) as error:
        read_table(data, "a.xlsx")
    assert "セルB3:C3が結合されています" in messages(error)


def test_formulas_are_refused_naming_the_cell() -> None:
    data = xlsx([["名称", "会員数"], ["一", 3], ["二", "=B2*2"]])
    rows = rows_of(data, "a.xlsx")
    assert rows[0].errors == ()
    assert len(rows[1].errors) == 1
    error = rows[1].errors[0]
    assert error.row == 3 and "セルB3が数式です" in error.message


def test_text_that_starts_with_an_equals_sign_is_not_a_formula() -> None:
    data = write_xlsx([("一覧", ["名称", "メモ"], [["一", "=SUM(A1)は数式ではありません"]])])
    (row,) = rows_of(data, "a.xlsx")
    assert row.errors == ()
    assert row.values["メモ"] == "=SUM(A1)は数式ではありません"


# --- writing -------------------------------------------------------------------------


def test_csv_is_written_for_excel() -> None:
    data = write_csv(["日付", "メモ"], [[date(2020, 4, 1), 'a,"b"\nc'], [None, 3]])
    assert data.startswith(BOM)
    assert data[len(BOM) :].decode() == ('"日付","メモ"\r\n"2020-04-01","a,""b""\nc"\r\n"","3"\r\n')


def test_csv_protects_formula_like_text_and_reads_it_back() -> None:
    data = write_csv(["メモ"], [["=1+1"], ["-3"], ["@me"], ["'=x"]])
    assert b'"\'=1+1"' in data and b'"\'-3"' in data
    assert [r.values["メモ"] for r in rows_of(data, "a.csv")] == ["=1+1", "-3", "@me", "'=x"]


def test_xlsx_is_laid_out_for_a4_printing() -> None:
    rows = SizedRows(iter([["令和2年度", date(2020, 4, 1), 3]]), 1)
    data = write_xlsx([("分類", ["年度", "日付", "順"], rows)])
    sheet = load_workbook(io.BytesIO(data))["分類"]
    assert sheet["A1"].font.bold
    assert sheet.print_title_rows == "$1:$1"
    assert sheet.page_setup.orientation == "portrait"
    assert sheet.page_setup.paperSize == 9  # A4
    assert sheet.page_setup.fitToWidth == 1
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.freeze_panes == "A2"
    assert sheet.dimensions == "A1:C2"
    # era labels stay text: Excel's own era format would print 令和1年
    assert sheet["A2"].data_type == "s" and sheet["A2"].value == "令和2年度"
    assert sheet.column_dimensions["A"].width >= 10


# --- round trips ---------------------------------------------------------------------

JAPANESE_TEXT = st.text(
    alphabet=st.one_of(
        st.characters(blacklist_categories=("Cs", "Cc")),
        st.sampled_from(list(",\"'\n\r\t=+-@|　 髙～ｶﾞ")),
    ),
    max_size=30,
)


def _expected(value: str) -> str | None:
    cleaned = value.replace("\r\n", "\n").replace("\r", "\n").strip()
    return cleaned or None


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(JAPANESE_TEXT, min_size=3, max_size=3), min_size=1, max_size=5))
def test_csv_round_trip_keeps_any_text(rows: list[list[str]]) -> None:
    headers = ["名称", "メモ", "備考"]
    expected = [[_expected(v) for v in row] for row in rows]
    expected = [row for row in expected if any(v is not None for v in row)]
    data = write_csv(headers, rows)
    if not expected:
        with pytest.raises(TableError):
            read_table(data, "a.csv")
        return
    read = [[r.values[h] for h in headers] for r in read_table(data, "a.csv")]
    assert read == expected


@settings(max_examples=25, deadline=None)
@given(
    st.lists(
        st.lists(JAPANESE_TEXT.filter(lambda t: t.strip()), min_size=2, max_size=2),
        min_size=1,
        max_size=3,
    )
)
def test_xlsx_round_trip_keeps_any_text(rows: list[list[str]]) -> None:
    data = write_xlsx([("一覧", ["名称", "メモ"], rows)])
    read = [[r.values["名称"], r.values["メモ"]] for r in read_table(data, "a.xlsx")]
    # XML cannot hold some control characters: the writer drops them.
    expected = [
        [_expected("".join(c for c in v if c >= " " or c in "\n\r\t")) for v in row] for row in rows
    ]
    assert read == expected


def test_cell_types_written_to_xlsx_come_back() -> None:
    values: list[Cell] = ["文字", 3, 1.5, date(2020, 4, 1), True, None]
    data = write_xlsx([("一覧", ["a", "b", "c", "d", "e", "f"], [values])])
    (row,) = rows_of(data, "a.xlsx")
    assert row.values == {
        "a": "文字",
        "b": 3,
        "c": 1.5,
        "d": EXCEL_DATE,
        "e": "〇",
        "f": None,
    }
