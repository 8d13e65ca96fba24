"""Hostile and broken files, built small on disk in the test itself (issue #9).

Each is a real attack shape: a worksheet or shared-strings part that inflates to hundreds
of megabytes from a few hundred kilobytes, the XML entity bombs, a file that is not a zip,
a CSV that is one enormous line.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from functools import cache
from typing import IO

MB = 1024 * 1024
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PARTS = {
    "[Content_Types].xml": (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
        "</Types>"
    ),
    "_rels/.rels": (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{_RELS}/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>"
    ),
    "xl/workbook.xml": (
        f'<workbook xmlns="{_MAIN}" xmlns:r="{_RELS}"><sheets>'
        '<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{_RELS}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{_RELS}/sharedStrings" Target="sharedStrings.xml"/>'
        "</Relationships>"
    ),
    # Cells of type "s" are indexes into the shared strings, as Excel writes them.
    "xl/worksheets/sheet1.xml": (
        f'<worksheet xmlns="{_MAIN}"><sheetData>'
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
        '<row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2" t="s"><v>3</v></c></row>'
        "</sheetData></worksheet>"
    ),
    "xl/sharedStrings.xml": (
        f'<sst xmlns="{_MAIN}"><si><t>名称</t></si><si><t>メモ</t></si>'
        "<si><t>サロンひだまり</t></si><si><t>毎月第2火曜日</t></si></sst>"
    ),
}


def base_xlsx() -> bytes:
    """A small workbook as Excel writes it (its text in the shared strings), read as
    名称 / メモ with one row: the bombs replace one of its parts."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, xml in _PARTS.items():
            archive.writestr(name, '<?xml version="1.0" encoding="UTF-8"?>' + xml)
    return out.getvalue()


def replace_member(base: bytes, name: str, write: Callable[[IO[bytes]], None]) -> bytes:
    """`base` with the member `name` replaced (or added), written by `write` in chunks,
    deflated: what stays in memory is the compressed file only."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(base)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            if info.filename != name:
                target.writestr(info, source.read(info))
        with target.open(name, "w", force_zip64=True) as member:
            write(member)
    return out.getvalue()


def _repeat(head: bytes, item: bytes, tail: bytes, size: int) -> Callable[[IO[bytes]], None]:
    def write(member: IO[bytes]) -> None:
        member.write(head)
        chunk = item * (MB // len(item))
        for _ in range(size // len(chunk)):
            member.write(chunk)
        member.write(tail)

    return write


@cache  # a few seconds to deflate; the same bytes serve every test
def shared_strings_bomb(size: int = 200 * MB) -> bytes:
    """sharedStrings.xml inflating to `size` bytes of one repeated string."""
    item = "<si><t>あいうえおかきくけこ</t></si>".encode()
    head = f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{_MAIN}">'.encode()
    return replace_member(base_xlsx(), "xl/sharedStrings.xml", _repeat(head, item, b"</sst>", size))


def many_shared_strings(count: int) -> bytes:
    """sharedStrings.xml of `count` tiny strings: small, and not too compressible."""

    def write(member: IO[bytes]) -> None:
        member.write(f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{_MAIN}">'.encode())
        for start in range(0, count, 10_000):
            member.write(
                b"".join(
                    b"<si><t>%d</t></si>" % n for n in range(start, min(count, start + 10_000))
                )
            )
        member.write(b"</sst>")

    return replace_member(base_xlsx(), "xl/sharedStrings.xml", write)


@cache
def worksheet_bomb(size: int = 300 * MB) -> bytes:
    """The first worksheet padded with `size` bytes of blanks: a classic zip bomb."""
    head = (
        f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{_MAIN}"><sheetData>'
    ).encode()
    return replace_member(
        base_xlsx(),
        "xl/worksheets/sheet1.xml",
        _repeat(head, b" " * 64, b"</sheetData></worksheet>", size),
    )


def _xml_member(name: str, xml: str) -> bytes:
    return replace_member(base_xlsx(), name, lambda member: member.write(xml.encode()))


def billion_laughs(part: str = "xl/sharedStrings.xml") -> bytes:
    """Nested entities that expand to gigabytes if a parser resolves them."""
    entities = '<!ENTITY lol0 "lol">' + "".join(
        f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10)
    )
    if part.endswith("sharedStrings.xml"):
        body = f'<sst xmlns="{_MAIN}"><si><t>&lol9;</t></si><si><t>x</t></si></sst>'
        root = "sst"
    else:
        body = (
            f'<worksheet xmlns="{_MAIN}"><sheetData><row r="1">'
            '<c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>'
        )
        root = "worksheet"
    return _xml_member(
        part, f'<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE {root} [{entities}]>{body}'
    )


def external_entity(target: str = "file:///etc/passwd") -> bytes:
    """XXE: an entity that would read a file of the server into a cell."""
    return _xml_member(
        "xl/sharedStrings.xml",
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<!DOCTYPE sst [<!ENTITY xxe SYSTEM "{target}">]>'
        f'<sst xmlns="{_MAIN}"><si><t>&xxe;</t></si><si><t>x</t></si></sst>',
    )


def not_a_zip() -> bytes:
    return b"<html><body>this is not an Excel file</body></html>\n" * 100


def enormous_csv_line(size: int = 40 * MB) -> bytes:
    """A CSV whose second line is `size` characters of tiny cells with no line break."""
    return "名称,メモ\r\n".encode() + b"a," * (size // 2)


def unclosed_quote_csv(lines: int = 2_000_000) -> bytes:
    """A CSV whose quoted cell never closes: every following line joins one record."""
    return "名称,メモ\r\n".encode() + b'"x\r\n' + b"yy\r\n" * lines


_FIGURES = r"""
import resource, sys, time
from tests.lib import hostile
from tsunagu.lib.tabular import TableError, read_table
make, name = sys.argv[1], sys.argv[2]
data = eval("hostile." + make)
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
started = time.perf_counter()
try:
    for _ in read_table(data, name):
        pass
    said = "READ"
except TableError as error:
    said = str(error)
took = time.perf_counter() - started
grew = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
print(f"{make:44} {len(data) / 1024:7.0f} KB {took:6.2f} s  +{grew:5.1f} MB RSS  {said[:50]}")
"""


def main() -> None:
    """Print the time and peak-RSS growth of refusing each file, a fresh process each:
    `.venv/bin/python -m tests.lib.hostile`."""
    import subprocess
    import sys

    for make, name in [
        ("shared_strings_bomb()", "a.xlsx"),
        ("worksheet_bomb()", "a.xlsx"),
        ("many_shared_strings(1_100_000)", "a.xlsx"),
        ("billion_laughs()", "a.xlsx"),
        ("billion_laughs('xl/worksheets/sheet1.xml')", "a.xlsx"),
        ("external_entity()", "a.xlsx"),
        ("not_a_zip()", "a.xlsx"),
        ("enormous_csv_line()", "a.csv"),
        ("unclosed_quote_csv()", "a.csv"),
    ]:
        subprocess.run([sys.executable, "-c", _FIGURES, make, name], check=True)  # noqa: S603


if __name__ == "__main__":
    main()
