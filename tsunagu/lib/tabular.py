"""Reading and writing the tables councils keep in Excel: .xlsx and CSV, no Django.

Reading streams: a `Table` can be iterated several times (an import validates every row,
then saves in a second pass) without holding the rows in memory. Every problem is a
`RowError` with the row number as the spreadsheet shows it (the header is row 1), so the
person fixing the file can find the cell.

Writing follows what Japanese office users expect (see docs/domain.md): CSV in UTF-8 with a
BOM, CRLF and every field quoted; .xlsx with a bold header repeated on every printed page,
A4 portrait fitted to the page width.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
import zipfile
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence, Sized
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import PurePath
from typing import IO, Any

from tsunagu.lib.textnorm import normalize_newlines

__all__ = [
    "MAX_COLUMNS",
    "MAX_CSV_ROW_CHARS",
    "MAX_EXPANDED_BYTES",
    "MAX_RATIO",
    "MAX_ROWS",
    "MAX_SHARED_STRINGS",
    "MAX_SHARED_STRINGS_BYTES",
    "Cell",
    "Row",
    "RowError",
    "SizedRows",
    "Table",
    "TableError",
    "cell_text",
    "csv_chunks",
    "read_table",
    "save_xlsx",
    "sheet_names",
    "table_format",
    "write_csv",
    "write_xlsx",
]

Cell = str | int | float | bool | date | time | timedelta | None

BOM = b"\xef\xbb\xbf"
_CHUNK = 1 << 20
# A text that Excel would run as a formula when it opens a CSV (CSV injection); the
# writer protects it with a leading apostrophe and the reader takes that off again.
_CSV_FORMULA = re.compile(r"'*[=+\-@\t\r]")
_CSV_ESCAPED = re.compile(r"'+[=+\-@\t\r]")
_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*?\bref="([A-Z]+[0-9]+(?::[A-Z]+[0-9]+)?)"')
# Characters XML 1.0 cannot hold; openpyxl refuses them (text pasted from Word has \x0b).
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_EMPTY = "ファイルが空です。"

# Limits on what a file may cost to read (a hostile or broken file must be refused before
# it takes the server's memory or minutes of its time). An .xlsx is a zip: zipfile never
# inflates a member past the size its directory declares (it reports a bad CRC instead),
# so the declared sizes, checked before openpyxl opens anything, bound the work. Read-only
# openpyxl still keeps every shared string in memory: those are limited separately.
MAX_EXPANDED_BYTES = 512 * 1024 * 1024
# Real worksheets compress 5 to 20 times; deflate cannot pass about 1,032. Only members
# larger than _RATIO_FLOOR are judged: a small one costs nothing whatever its ratio.
MAX_RATIO = 100
_RATIO_FLOOR = 4 * 1024 * 1024
MAX_SHARED_STRINGS_BYTES = 100 * 1024 * 1024
MAX_SHARED_STRINGS = 1_000_000
# Below this size a sharedStrings.xml cannot hold enough strings to matter: not scanned.
_SHARED_SCAN_FLOOR = 8 * 1024 * 1024
_MAX_MEMBERS = 10_000
_CENTRAL_ENTRY = b"PK\x01\x02"
# Data rows (the header not counted), columns, and the characters of one CSV row.
MAX_ROWS = 300_000
MAX_COLUMNS = 1_000
MAX_CSV_ROW_CHARS = 1_000_000
_MB = 1024 * 1024
_SPLIT = "年度ごとなどに分けてください。"
_NOT_XLSX = (
    "Excel ファイルとして開けません。ファイルが壊れていないか、"
    ".xlsx 形式で保存されているか確かめてください。"
)
# What openpyxl and the XML parser raise for a damaged or hostile file, while opening it
# or reading its rows (defusedxml's refusals of DTDs and entities are ValueErrors).
_UNREADABLE = (
    zipfile.BadZipFile,
    zlib.error,
    SyntaxError,
    ValueError,
    KeyError,
    IndexError,
    TypeError,
    AttributeError,
    EOFError,
    OSError,
)


@dataclass(frozen=True)
class RowError:
    """One problem, placed as precisely as known: row (header = 1) and column header."""

    row: int | None
    column: str | None
    message: str
    sheet: str | None = None

    def __str__(self) -> str:
        place = "".join(
            [
                f"シート「{self.sheet}」" if self.sheet else "",
                f"{self.row}行目" if self.row else "",
                f"「{self.column}」" if self.column else "",
            ]
        )
        return f"{place}：{self.message}" if place else self.message


class TableError(ValueError):
    """A file that cannot be read as the expected table; `errors` says every reason."""

    def __init__(self, errors: Sequence[RowError] | str) -> None:
        self.errors: list[RowError] = (
            [RowError(None, None, errors)] if isinstance(errors, str) else list(errors)
        )
        super().__init__("\n".join(str(e) for e in self.errors))


@dataclass(frozen=True)
class Row:
    """A data row: values keyed by header; `errors` for cells that could not be read."""

    number: int
    values: dict[str, Cell]
    errors: tuple[RowError, ...] = field(default=())

    def get(self, column: str) -> Cell:
        return self.values.get(column)

    def text(self, column: str) -> str:
        return cell_text(self.values.get(column))


def cell_text(value: Cell) -> str:
    """A cell as text: "" for empty, 3 for 3.0, 2020-04-01 for a date."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "〇" if value else ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M") if value.time() != time() else f"{value:%Y-%m-%d}"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _clean_text(text: str) -> str:
    # Excel writes a line break inside a cell as \n; a CSV may carry \r\n or \r.
    if "\r" in text:
        text = normalize_newlines(text)
    return text.strip()


def _header_name(value: Cell) -> str:
    return unicodedata.normalize("NFKC", cell_text(value)).strip()


def table_format(filename: str) -> str:
    """ "csv" or "xlsx", from the file name; anything else is refused in Japanese."""
    suffix = PurePath(filename).suffix.lower()
    if suffix in (".csv", ".txt"):
        return "csv"
    if suffix in (".xlsx", ".xlsm"):
        return "xlsx"
    if suffix == ".xls":
        raise TableError(
            "古い形式の Excel ファイル（.xls）は読めません。Excel で「名前を付けて保存」から"
            "「Excel ブック（.xlsx）」を選んで保存し直してください。"
        )
    raise TableError("Excel ファイル（.xlsx）か CSV ファイル（.csv）を選んでください。")


# --- CSV -----------------------------------------------------------------------------


def _decodes(data: bytes, encoding: str) -> bool:
    """Whether all of data decodes, checked in chunks so no copy of the text is kept."""
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    try:
        for start in range(0, len(data), _CHUNK):
            decoder.decode(data[start : start + _CHUNK])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _csv_encoding(data: bytes) -> str:
    if data.startswith(BOM):
        return "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        # Excel's 「Unicode テキスト」: UTF-16 and tab separated, not a CSV.
        raise TableError(
            "UTF-16 のファイル（Excel の「Unicode テキスト」）は読めません。"
            "「CSV UTF-8（コンマ区切り）」で保存してください。"
        )
    if _decodes(data, "utf-8"):
        return "utf-8"
    # Never shift_jis: it cannot decode 髙 and turns ～ into 〜.
    if _decodes(data, "cp932"):
        return "cp932"
    raise TableError(
        "文字コードを判別できません（UTF-8 または Shift_JIS(CP932) で保存してください）。"
    )


def _csv_cell(text: str) -> Cell:
    if _CSV_ESCAPED.match(text):
        text = text[1:]
    cleaned = _clean_text(text)
    return cleaned or None


class _RowTooLong(Exception):
    pass


class _BoundedLines:
    """The lines of a CSV for csv.reader, at most MAX_CSV_ROW_CHARS characters per record
    (`used` is reset before each record): a file that is one enormous line, or a quoted
    cell that never closes, is refused instead of being read into memory whole."""

    def __init__(self, stream: io.TextIOBase) -> None:
        self.stream = stream
        self.used = 0

    def __iter__(self) -> _BoundedLines:
        return self

    def __next__(self) -> str:
        line = self.stream.readline(MAX_CSV_ROW_CHARS + 1 - self.used)
        if not line:
            raise StopIteration
        self.used += len(line)
        if self.used > MAX_CSV_ROW_CHARS:
            raise _RowTooLong
        return line


def _csv_rows(data: bytes, encoding: str) -> Iterator[tuple[int, list[Cell], list[RowError]]]:
    stream = io.TextIOWrapper(io.BytesIO(data), encoding=encoding, newline="")
    lines = _BoundedLines(stream)
    reader = csv.reader(lines, strict=False)
    number = 0
    while True:
        number += 1
        lines.used = 0
        try:
            raw = next(reader)
        except StopIteration:
            return
        except _RowTooLong:
            message = f"一行の文字数が多すぎます（{MAX_CSV_ROW_CHARS:,}文字まで）。"
            raise TableError([RowError(number, None, message)]) from None
        except csv.Error as error:
            limit = csv.field_size_limit()
            if "field larger than field limit" in str(error):
                message = f"一つのセルの文字数が多すぎます（{limit:,}文字まで）。"
            else:
                message = f"CSV として読めません（{error}）。"
            raise TableError([RowError(number, None, message)]) from error
        _check_width(number, len(raw))
        yield number, [_csv_cell(text) for text in raw], []


def _check_width(number: int, width: int) -> None:
    if width > MAX_COLUMNS:
        raise TableError(
            [
                RowError(
                    number,
                    None,
                    f"列が多すぎます（{width:,}列。{MAX_COLUMNS:,}列まで）。"
                    "使っていない列を削除してください。",
                )
            ]
        )


# --- xlsx ----------------------------------------------------------------------------


def _refuse_expansion(data: bytes) -> None:
    """Refuse an .xlsx that would expand too far, from its zip directory alone."""
    # zipfile builds an object per member before anything can be checked.
    if data.count(_CENTRAL_ENTRY) > _MAX_MEMBERS:
        raise TableError(_NOT_XLSX)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except _UNREADABLE as error:
        raise TableError(_NOT_XLSX) from error
    total = sum(m.file_size for m in members)
    if total > MAX_EXPANDED_BYTES:
        raise TableError(
            f"展開すると {total / _MB:,.0f}MB になるため読み込みません"
            f"（{MAX_EXPANDED_BYTES // _MB:,}MB まで）。{_SPLIT}"
        )
    for member in members:
        if member.file_size > _RATIO_FLOOR and member.file_size > MAX_RATIO * max(
            1, member.compress_size
        ):
            raise TableError(
                f"ファイルの中の「{member.filename}」が異常に高い圧縮率"
                f"（{member.file_size // max(1, member.compress_size):,}倍）で、展開すると "
                f"{member.file_size / _MB:,.0f}MB になるため読み込みません。"
                "壊れたファイルか、Excel 以外で作られたファイルのおそれがあります。"
            )
    for member in members:
        if member.filename.lower().endswith("sharedstrings.xml"):
            _refuse_shared_strings(data, member)


def _refuse_shared_strings(data: bytes, member: zipfile.ZipInfo) -> None:
    too_many = (
        f"文字列の表（共有文字列）が大きすぎるため読み込みません"
        f"（{MAX_SHARED_STRINGS_BYTES // _MB:,}MB・{MAX_SHARED_STRINGS:,}個まで）。{_SPLIT}"
    )
    if member.file_size > MAX_SHARED_STRINGS_BYTES:
        raise TableError(too_many)
    if member.file_size <= _SHARED_SCAN_FLOOR:
        return
    # Counted with bytes.count, fast and without a copy: <si> tags, and a:si ones (whose
    # end tag is counted too, hence the halving) for a file that gives the tag a prefix.
    plain = prefixed = 0
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive, archive.open(member) as xml:
            tail = b""
            while chunk := xml.read(_CHUNK):
                # Two bytes of overlap: a tag cut by the boundary, never one counted twice.
                buffer = tail + chunk
                plain += buffer.count(b"<si")
                prefixed += buffer.count(b":si")
                tail = buffer[-2:]
                if plain + prefixed // 2 > MAX_SHARED_STRINGS:
                    raise TableError(too_many)
    except _UNREADABLE as error:
        if isinstance(error, TableError):
            raise
        raise TableError(_NOT_XLSX) from error


def _unreadable(error: BaseException) -> TableError:
    from defusedxml import DefusedXmlException

    # openpyxl wraps the parser's refusal in a ValueError of its own.
    causes: list[BaseException] = [error]
    while causes[-1].__cause__ is not None and len(causes) < 10:
        causes.append(causes[-1].__cause__)
    if any(isinstance(cause, DefusedXmlException) for cause in causes):
        return TableError(
            "ファイルの中に XML の定義（DTD・実体参照）があるため読み込みません。"
            "Excel で開いて「名前を付けて保存」から .xlsx で保存し直してください。"
        )
    return TableError(_NOT_XLSX)


def _load_workbook(data: bytes) -> Any:
    from openpyxl import load_workbook

    _refuse_expansion(data)
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except _UNREADABLE as error:
        raise _unreadable(error) from error


def sheet_names(data: bytes) -> list[str]:
    """The sheet names of an .xlsx file, in the order of the workbook."""
    if not data:
        raise TableError(_EMPTY)
    workbook = _load_workbook(data)
    try:
        return list(workbook.sheetnames)
    finally:
        workbook.close()


def _merged_ranges(data: bytes, worksheet_path: str) -> list[str]:
    """Merged ranges of a sheet, found in its XML: read-only openpyxl does not see them.

    The XML is scanned in chunks (mergeCells come after all the cell data), so a large
    sheet costs no memory."""
    found: list[str] = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive, archive.open(worksheet_path) as xml:
        tail = b""
        while chunk := xml.read(_CHUNK):
            buffer = tail + chunk
            last_end = 0
            # A plain substring search first: the regex is slow on megabytes of cells.
            for match in _MERGE.finditer(buffer) if b"mergeCell" in buffer else ():
                found.append(match.group(1).decode("ascii"))
                last_end = match.end()
            # Keep a tail long enough for a tag cut at the chunk boundary, but never a
            # tag that was already counted.
            tail = buffer[max(last_end, len(buffer) - 200) :]
    return found


def _xlsx_cell(cell: Any, number: int, errors: list[RowError]) -> Cell:
    value = cell.value
    if value is None:
        return None
    kind = cell.data_type
    if kind == "s":
        return _clean_text(value) or None
    coordinate = getattr(cell, "coordinate", "")
    if kind == "f":
        errors.append(
            RowError(
                number,
                None,
                f"セル{coordinate}が数式です。数式は取り込めません。"
                "「値の貼り付け」で値に置き換えてください。",
            )
        )
        return None
    if kind == "e":
        errors.append(
            RowError(number, None, f"セル{coordinate}がエラー（{value}）になっています。")
        )
        return None
    if isinstance(value, str):
        return _clean_text(value) or None
    if isinstance(value, (int, float, date, time, timedelta)):
        return value
    return _clean_text(str(value)) or None


def _open_sheet(data: bytes, sheet: str | None) -> Any:
    """The read-only worksheet, refused when it has merged cells.

    Loading is done once per table: openpyxl reads the whole sheet on load when the file
    does not state its used range (openpyxl's own write-only files do not)."""
    workbook = _load_workbook(data)
    if sheet is None:
        worksheet = workbook.worksheets[0]
    elif sheet in workbook.sheetnames:
        worksheet = workbook[sheet]
    else:
        shown = "、".join(f"「{name}」" for name in workbook.sheetnames)
        raise TableError(f"シート「{sheet}」がありません（このファイルのシート：{shown}）。")
    try:
        merged = _merged_ranges(data, worksheet._worksheet_path)
    except _UNREADABLE as error:
        raise _unreadable(error) from error
    if merged:
        raise TableError(
            [
                RowError(
                    None,
                    None,
                    f"シート「{worksheet.title}」のセル{ref}が結合されています。"
                    "結合を解除し、各セルに値を入れてください。",
                )
                for ref in merged
            ]
        )
    # Some programs write a wrong used range; read-only mode would trust it.
    worksheet.reset_dimensions()
    return worksheet


def _xlsx_rows(worksheet: Any) -> Iterator[tuple[int, list[Cell], list[RowError]]]:
    rows = enumerate(worksheet.iter_rows(min_row=1), start=1)
    while True:
        # The sheet's XML is parsed as the rows are read: a damaged or hostile part
        # shows only here.
        try:
            number, cells = next(rows)
        except StopIteration:
            return
        except _UNREADABLE as error:
            raise _unreadable(error) from error
        _check_width(number, len(cells))
        errors: list[RowError] = []
        values = [_xlsx_cell(cell, number, errors) for cell in cells]
        yield number, values, errors


# --- reading -------------------------------------------------------------------------

RawRows = Iterator[tuple[int, list[Cell], list[RowError]]]


def _limited(rows: RawRows) -> RawRows:
    """The rows, refused past MAX_ROWS data rows (empty rows count: they cost time too)."""
    for number, values, errors in rows:
        if number > MAX_ROWS + 1:
            raise TableError(
                [RowError(number, None, f"行が多すぎます（{MAX_ROWS:,}行まで）。{_SPLIT}")]
            )
        yield number, values, errors


class Table:
    """The rows of one sheet or CSV file under a checked header. Iterate as often as needed."""

    def __init__(
        self,
        open_rows: Callable[[], RawRows],
        headers: list[str],
        sheet: str | None,
    ) -> None:
        self._open_rows = open_rows
        self.headers = tuple(h for h in headers if h)
        self.sheet = sheet
        self._positions = headers

    def __iter__(self) -> Iterator[Row]:
        rows = self._open_rows()
        next(rows, None)  # the header
        for number, values, errors in rows:
            row = self._row(number, values, errors)
            if row is not None:
                yield row

    def _row(self, number: int, values: list[Cell], errors: list[RowError]) -> Row | None:
        if not errors and all(v is None for v in values):
            return None
        # Every column of the header is present, even where a short row ends early.
        named: dict[str, Cell] = dict.fromkeys(self.headers)
        for position, value in enumerate(values):
            header = self._positions[position] if position < len(self._positions) else ""
            if header:
                named[header] = value
            elif value is not None:
                errors.append(
                    RowError(
                        number,
                        None,
                        f"{_column_letter(position)}列に見出しがないのに値「{cell_text(value)}」があります。"
                        "見出しを書くか、値を消してください。",
                    )
                )
        return Row(number, named, tuple(errors))


def _column_letter(position: int) -> str:
    letters = ""
    position += 1
    while position:
        position, remainder = divmod(position - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def _check_headers(
    headers: list[str], columns: Sequence[str] | None, required: Sequence[str]
) -> list[RowError]:
    errors: list[RowError] = []
    named = [h for h in headers if h]
    if not named:
        return [RowError(1, None, "1行目が空です。1行目に見出し（列の名前）を書いてください。")]
    for name, count in Counter(named).items():
        if count > 1:
            errors.append(RowError(1, name, f"見出し「{name}」が{count}回あります。"))
    if columns is not None:
        unknown = [h for h in dict.fromkeys(named) if h not in columns]
        if unknown:
            errors.append(
                RowError(
                    1,
                    None,
                    "使えない見出しがあります："
                    + "、".join(f"「{h}」" for h in unknown)
                    + "。使える見出しは "
                    + "、".join(columns)
                    + " です。",
                )
            )
    missing = [c for c in required if c not in named]
    if missing:
        errors.append(
            RowError(
                1,
                None,
                "必要な見出しがありません：" + "、".join(f"「{c}」" for c in missing) + "。",
            )
        )
    return errors


def read_table(
    data: bytes,
    filename: str,
    sheet: str | None = None,
    *,
    columns: Sequence[str] | None = None,
    required: Sequence[str] = (),
    allow_empty: bool = False,
) -> Table:
    """Open a .xlsx sheet (the first one unless named) or a CSV file and check its header.

    Headers are compared after NFKC and trimming, in any order. `columns` lists the
    headers allowed (None: any), `required` those that must be there. Raises TableError
    for an unreadable, empty or header-only file and for a bad header; problems inside
    data rows come with each `Row` as it is read. `allow_empty`: a header-only table is
    an empty Table (an export of nothing registered yet), not an error.
    """
    fmt = table_format(filename)
    # Only the head is looked at: stripping all of a large file would copy it.
    if len(data) <= _CHUNK and data.strip() in (b"", BOM):
        raise TableError(_EMPTY)
    if fmt == "csv":
        encoding = _csv_encoding(data)

        def open_rows() -> RawRows:
            return _limited(_csv_rows(data, encoding))

        rows = open_rows()
    else:
        worksheet = _open_sheet(data, sheet)

        def open_rows() -> RawRows:
            return _limited(_xlsx_rows(worksheet))

        rows = open_rows()
    first = next(rows, None)
    if first is None:
        raise TableError(_EMPTY)
    _, header_cells, header_errors = first
    if header_errors:
        raise TableError(header_errors)
    headers = [_header_name(value) for value in header_cells]
    while headers and not headers[-1]:
        headers.pop()
    if not headers and all(v is None for _, values, _ in rows for v in values):
        raise TableError(_EMPTY)
    # Compare in NFKC, but key the rows by the caller's spelling of each column.
    canonical = {_header_name(c): c for c in [*(columns or ()), *required]}
    errors = _check_headers(
        headers,
        None if columns is None else [_header_name(c) for c in columns],
        [_header_name(c) for c in required],
    )
    if errors:
        raise TableError(errors)
    table = Table(open_rows, [canonical.get(h, h) for h in headers], sheet)
    # The whole file is not read here: the first data row is enough to tell it exists.
    if not allow_empty and next(iter(table), None) is None:
        raise TableError("見出し行だけで、データの行がありません。")
    return table


# --- writing -------------------------------------------------------------------------


def _csv_text(value: Cell) -> str:
    if isinstance(value, str):
        return "'" + value if _CSV_FORMULA.match(value) else value
    return cell_text(value)


def write_csv(headers: Sequence[str], rows: Iterable[Sequence[Cell]]) -> bytes:
    """CSV for Excel: UTF-8 with a BOM, CRLF, every field quoted."""
    return b"".join(csv_chunks(headers, rows))


_CSV_CHUNK_ROWS = 1000


def csv_chunks(headers: Sequence[str], rows: Iterable[Sequence[Cell]]) -> Iterator[bytes]:
    """The bytes of `write_csv`, in pieces of about a thousand rows, for a response or a
    file that is written while the rows are still being read."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow([_csv_text(h) for h in headers])
    yield BOM
    written = 0
    for row in rows:
        writer.writerow([_csv_text(v) for v in row])
        written += 1
        if written == _CSV_CHUNK_ROWS:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
            written = 0
    yield buffer.getvalue().encode("utf-8")


class SizedRows:
    """Rows produced lazily whose number is known beforehand (e.g. a queryset's count)."""

    def __init__(self, rows: Iterable[Sequence[Cell]], count: int) -> None:
        self.rows = rows
        self.count = count

    def __len__(self) -> int:
        return self.count

    def __iter__(self) -> Iterator[Sequence[Cell]]:
        return iter(self.rows)


def _display_width(value: Cell) -> int:
    if isinstance(value, datetime):
        return 16
    if isinstance(value, date):
        return 10
    text = cell_text(value)
    longest = max(text.split("\n"), key=len, default="")
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in longest)


_WIDTH_SAMPLE = 200
_MAX_WIDTH = 60


def _write_sheet(
    workbook: Any, title: str, headers: Sequence[str], rows: Iterable[Sequence[Cell]]
) -> None:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.worksheet import Worksheet

    sheet = workbook.create_sheet(title=title)
    if isinstance(rows, Sized):
        # The used range, written before the rows: without it a read-only reader (openpyxl
        # among them) has to scan the whole sheet just to open the file.
        last = f"{get_column_letter(max(1, len(headers)))}{len(rows) + 1}"
        sheet.calculate_dimension = lambda: f"A1:{last}"
    iterator = iter(rows)
    # Column widths must be set before the first row is written: guess from a sample.
    sample = [list(row) for _, row in zip(range(_WIDTH_SAMPLE), iterator, strict=False)]
    for position, header in enumerate(headers):
        widest = max(
            [
                _display_width(header),
                *(_display_width(r[position]) for r in sample if position < len(r)),
            ]
        )
        letter = get_column_letter(position + 1)
        sheet.column_dimensions[letter].width = min(_MAX_WIDTH, max(6, widest + 2))
    sheet.freeze_panes = "A2"
    sheet.print_title_rows = "1:1"
    sheet.page_setup.orientation = "portrait"
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True

    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=_XML_ILLEGAL.sub("", header))
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)

    def cells(row: Sequence[Cell]) -> list[Any]:
        out: list[Any] = []
        for value in row:
            if isinstance(value, str):
                text = _XML_ILLEGAL.sub("", value)
                if text.startswith("=") or "\n" in text:
                    # Text, never a formula; line breaks shown inside the cell.
                    cell = WriteOnlyCell(sheet, value=text)
                    cell.data_type = "s"
                    if "\n" in text:
                        cell.alignment = wrap
                    out.append(cell)
                else:
                    out.append(text)
            elif isinstance(value, bool):
                out.append("〇" if value else None)
            else:
                out.append(value)
        return out

    for sampled in sample:
        sheet.append(cells(sampled))
    for row in iterator:
        sheet.append(cells(row))


def write_xlsx(sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence[Cell]]]]) -> bytes:
    """An .xlsx workbook, one sheet per (title, headers, rows); rows are consumed lazily.

    Give rows a len() (a list, or `SizedRows`) when it is known: the file then states its
    used range and opens quickly in any reader."""
    buffer = io.BytesIO()
    save_xlsx(buffer, sheets)
    return buffer.getvalue()


def save_xlsx(
    target: IO[bytes], sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence[Cell]]]]
) -> None:
    """The workbook of `write_xlsx`, written to a (temporary) file instead of memory."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    for title, headers, rows in sheets:
        _write_sheet(workbook, title, headers, rows)
    workbook.save(target)
