"""`tsunagu bench writes`: the real server and signed-in clients, tiny numbers. No timing
is asserted (docs/benchmarks.md); the counts must agree."""

import io
import re

from django.core.management import call_command

LAST_LINE = re.compile(
    r"requests (?P<requests>[\d,]+) · errors (?P<errors>[\d,]+) · saved (?P<saved>[\d,]+) · "
    r"rows created (?P<created>[\d,]+) · lost (?P<lost>-?[\d,]+) · p95 \d+ ms"
)


def test_two_clients_for_two_seconds_lose_nothing(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    out = io.StringIO()
    call_command(
        "bench", "writes", "--clients", "2", "--seconds", "2", "--threads", "2", stdout=out
    )
    lines = out.getvalue().splitlines()
    match = LAST_LINE.fullmatch(lines[-1])
    assert match, lines
    figures = {k: int(v.replace(",", "")) for k, v in match.groupdict().items()}
    assert figures["requests"] > 0
    assert figures["errors"] == 0 and figures["lost"] == 0
    assert figures["saved"] == figures["created"] == figures["requests"]
    assert list(tmp_path.iterdir()) == []
