"""Every download goes through one door: a registered `Exporter` and `download`.

An app declares each file it lets a user take away as an `Exporter` subclass in
`<app>/exporters.py`, decorated with `@register` (the modules are imported at start-up by
`core/discovery.py`, as the dashboard panels and audit labels are). The exporter names
the access rule a user needs (asked of `core/access.py`), the audit code its download
writes (one row per download, with a Japanese sentence in the app's `audit_labels.py`)
and the URLs that serve it; its `export` returns an `ExportFile`: a table to render
(`ExportFile.table`: CSV with a BOM, sent while its rows are read, or an .xlsx through
`lib/tabular.py`) or the bytes of a file of its own (the report workbook, the book's PDF).

`download(request, Exporter, **params)` is then the only thing a view returns: it asks
the rule, builds the file, writes the audit row and answers with the same headers for
every download: `Content-Disposition` (Django's `content_disposition_header`, so that a
Japanese filename survives), `Cache-Control: no-store` and `X-Content-Type-Options:
nosniff`. `tests/core/test_exporters.py` fails for a URL that answers with an attachment
without being an exporter's."""

import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import IO, Any, ClassVar, TypeVar

from django.db import transaction
from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.http import content_disposition_header

from tsunagu.audit.services import log_action
from tsunagu.core.access import require
from tsunagu.lib.tabular import Cell, csv_chunks, save_xlsx

__all__ = [
    "CONTENT_TYPES",
    "ExportFile",
    "Exporter",
    "Sheets",
    "download",
    "exporters",
    "register",
    "serve",
]

CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
    "pdf": "application/pdf",
    "json": "application/json",
    "txt": "text/plain; charset=utf-8",
    "zip": "application/zip",
}

# (sheet name, headers, rows): one sheet for a CSV, any number for an .xlsx.
Sheets = Sequence[tuple[str, Sequence[str], Iterable[Sequence[Cell]]]]
Body = bytes | Iterator[bytes] | IO[bytes]


@dataclass
class ExportFile:
    """One file to download and what its audit row says about it.

    `body` is the whole file (bytes), the chunks of a file sent while it is written (an
    iterator: a StreamingHttpResponse) or a file to send from (a FileResponse closes it)."""

    filename: str
    content_type: str
    body: Body
    changes: dict[str, Any] = field(default_factory=dict)
    label: str = ""

    @classmethod
    def table(
        cls,
        fmt: str,
        sheets: Sheets,
        filename: str,
        *,
        changes: dict[str, Any] | None = None,
        label: str = "",
    ) -> "ExportFile":
        """Rows as a CSV (UTF-8 with a BOM, the only sheet, sent while it is read) or an
        .xlsx (every sheet; a zip is written whole, so into a temporary file first)."""
        body: Body
        if fmt == "xlsx":
            spool = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
            try:
                save_xlsx(spool, sheets)
            except BaseException:
                spool.close()
                raise
            spool.seek(0)
            body = spool
        elif fmt == "csv" and len(sheets) == 1:
            _, headers, rows = sheets[0]
            body = csv_chunks(headers, rows)
        else:
            raise ValueError(fmt)
        return cls(filename, CONTENT_TYPES[fmt], body, changes or {}, label)


class Exporter:
    """A file users may download. Subclasses set the class attributes and `export`."""

    identifier: ClassVar[str]  # stable, unique: "records.list"
    verbose_name: ClassVar[str]  # in Japanese, as the audit log and the docs say it
    rule: ClassVar[str]  # the access rule a user needs (core/access.py)
    audit: ClassVar[str]  # the audit code of one download
    urls: ClassVar[tuple[str, ...]]  # the URL names that serve it ("reports:download")

    def export(self, user: Any, **params: Any) -> ExportFile:
        """The file `user` downloads (rows they may not read are left out here)."""
        raise NotImplementedError

    def log(self, user: Any, file: ExportFile) -> None:
        """The one audit row of a download: `audit` with the file's changes and label."""
        log_action(by=user, action=self.audit, changes=file.changes, label=file.label)


_REGISTRY: dict[str, type[Exporter]] = {}
E = TypeVar("E", bound=type[Exporter])


def register(exporter: E) -> E:
    for attribute in ("identifier", "verbose_name", "rule", "audit", "urls"):
        if not getattr(exporter, attribute, None):
            raise TypeError(f"{exporter.__name__} has no {attribute}")
    known = _REGISTRY.get(exporter.identifier)
    if known is not None and known.__qualname__ != exporter.__qualname__:
        raise ValueError(f"two exporters named {exporter.identifier!r}")
    _REGISTRY[exporter.identifier] = exporter
    return exporter


def exporters() -> dict[str, type[Exporter]]:
    """Every registered exporter by identifier (the apps' modules imported first)."""
    from tsunagu.core.discovery import app_modules

    app_modules("exporters")
    return dict(_REGISTRY)


def download(request: HttpRequest, exporter: type[Exporter], **params: Any) -> HttpResponseBase:
    """What a download view returns: `serve` to the signed-in user."""
    return serve(request.user, exporter, **params)


def serve(user: Any, exporter: type[Exporter], **params: Any) -> HttpResponseBase:
    """The download of `exporter` with `params`: refused (PermissionDenied, the rule's
    sentence) to a user without its rule, else the file, its audit row written first."""
    require(user, exporter.rule)
    instance = exporter()
    file = instance.export(user, **params)
    try:
        with transaction.atomic():
            instance.log(user, file)
    except BaseException:
        if hasattr(file.body, "close"):
            file.body.close()
        raise
    return attachment(file)


def attachment(file: ExportFile) -> HttpResponseBase:
    response: HttpResponseBase
    if isinstance(file.body, bytes):
        response = HttpResponse(file.body, content_type=file.content_type)
    elif hasattr(file.body, "read"):
        response = FileResponse(file.body, content_type=file.content_type)
    else:
        response = StreamingHttpResponse(file.body, content_type=file.content_type)
    disposition = content_disposition_header(True, file.filename)
    response["Content-Disposition"] = disposition or "attachment"
    add_never_cache_headers(response)
    patch_cache_control(response, no_store=True, private=True)
    response["X-Content-Type-Options"] = "nosniff"
    return response
