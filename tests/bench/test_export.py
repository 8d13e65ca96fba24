"""`tsunagu bench export`: a tiny run. Both files hold every live record, each export is
timed against the import of the same file into a fresh database, and nothing is left."""

import io
import re
import tempfile

from django.core.management import call_command


def test_each_format_is_exported_and_imported_back_whole(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    out = io.StringIO()
    call_command("bench", "export", "--records", "120", stdout=out)
    lines = out.getvalue().splitlines()
    (made,) = [line for line in lines if line.startswith("records: ")]
    assert made.startswith("records: 120 in FY")
    found = {}
    for line in lines:
        match = re.fullmatch(
            r"(csv|xlsx): ([\d,]+) rows, [\d.,]+ MB · export ([\d.]+) s · "
            r"import ([\d.]+) s · ratio ([\d.]+)",
            line,
        )
        if match:
            found[match[1]] = match.groups()[1:]
    assert set(found) == {"csv", "xlsx"}, lines
    for rows, export, imported, ratio in found.values():
        # The trash (0.5% of the records) is not exported: 119 or 120 rows.
        assert 115 <= int(rows.replace(",", "")) <= 120
        low, high = float(export) - 0.005, float(export) + 0.005  # printed to 0.01 s
        assert low / (float(imported) + 0.005) <= float(ratio) + 0.005
        assert float(ratio) - 0.005 <= high / max(0.001, float(imported) - 0.005)
    assert found["csv"][0] == found["xlsx"][0]
    assert list(tmp_path.iterdir()) == []
