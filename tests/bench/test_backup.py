"""`tsunagu bench backup`: its output, and that the backup side is always whole. The plain
copy's figures vary from run to run and are not asserted (docs/benchmarks.md)."""

import io
import re
import tempfile

from django.core.management import call_command


def test_the_backup_is_never_corrupt_nor_behind_while_threads_write(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    out = io.StringIO()
    call_command("bench", "backup", "--trials", "2", "--writers", "4", stdout=out)
    lines = out.getvalue().splitlines()
    assert "4 writer threads; 2 trials per method" in lines
    copy = next(line for line in lines if line.startswith("plain file copy: "))
    assert re.fullmatch(
        r"plain file copy: corrupt [0-2]/2 · missing committed rows [0-2]/2 · slowest \d+ ms", copy
    )
    backup = next(line for line in lines if line.startswith("tsunagu backup: "))
    assert re.fullmatch(
        r"tsunagu backup: corrupt 0/2 · missing committed rows 0/2 · slowest \d+ ms", backup
    )
    assert list(tmp_path.iterdir()) == []
