"""`tsunagu report-book --fy 2020 -o FILE`: the year's report book for the board."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tsunagu.lib.fiscal import FiscalParseError, parse_fiscal_year
from tsunagu.reports.book.build import build_book, log_book_export
from tsunagu.reports.book.render import CONTENT_TYPES, PdfUnavailable, render_book


class Command(BaseCommand):
    help = (
        "年度の事業報告の資料（表紙・目次・実績の表とグラフ・計画の進捗・助成金・募金）を"
        " Excel（.xlsx）か A4 の PDF に書き出します。フォルダーを指定すると両方を書き出します。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--fy", required=True, help="年度（2020、令和2年度、R2）")
        parser.add_argument(
            "-o",
            "--output",
            required=True,
            help="書き出すファイル（.xlsx または .pdf）、または両方を書き出すフォルダー",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            fiscal_year = parse_fiscal_year(options["fy"])
        except FiscalParseError as error:
            raise CommandError(str(error)) from error
        book = build_book(fiscal_year)
        for fmt, path in _targets(Path(options["output"]), book.filename_stem):
            try:
                content = render_book(book, fmt)
            except PdfUnavailable as error:
                raise CommandError(str(error)) from error
            try:
                path.write_bytes(content)
            except OSError as error:
                raise CommandError(
                    f"ファイル「{path}」に書き込めません（{error.strerror}）。"
                ) from error
            log_book_export(by=None, book=book, fmt=fmt)
            self.stdout.write(self.style.SUCCESS(f"{book.title}を {path} に書き出しました。"))


def _targets(output: Path, stem: str) -> list[tuple[str, Path]]:
    """(format, file) to write: the file's own format, or both formats in a folder."""
    if output.is_dir():
        return [(fmt, output / f"{stem}.{fmt}") for fmt in CONTENT_TYPES]
    fmt = output.suffix.lower().removeprefix(".")
    if fmt not in CONTENT_TYPES:
        raise CommandError(
            f"「{output}」には書き出せません。.xlsx か .pdf のファイル名、"
            "または両方を書き出すフォルダーを指定してください。"
        )
    return [(fmt, output)]
