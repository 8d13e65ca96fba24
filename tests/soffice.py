"""LibreOffice for the tests that look at a workbook as it prints: the xlsx converted
to PDF, as a council's Excel user elsewhere would print it."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest


def xlsx_to_pdf(xlsx: bytes, directory: Path, name: str, *, timeout: int = 180) -> Path:
    """`name`.xlsx written into `directory` and converted there to `name`.pdf, whose path
    is returned. Skips the test without LibreOffice, unless TSUNAGU_REQUIRE_SOFFICE=1
    (CI), where its absence fails it."""
    soffice = shutil.which("soffice")
    if soffice is None:
        if os.environ.get("TSUNAGU_REQUIRE_SOFFICE") == "1":
            pytest.fail("LibreOffice (soffice) is required here but not installed")
        pytest.skip("LibreOffice (soffice) is not installed")
    source = directory / f"{name}.xlsx"
    source.write_bytes(xlsx)
    result = subprocess.run(  # noqa: S603 - fixed arguments, no shell
        [
            soffice,
            f"-env:UserInstallation={(directory / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(directory),
            str(source),
        ],
        capture_output=True,
        timeout=timeout,
        env={**os.environ, "HOME": str(directory)},
        check=False,
    )
    pdf = directory / f"{name}.pdf"
    assert pdf.exists(), result.stderr.decode(errors="replace")
    return pdf
