"""`tsunagu bench pages`: its output's shape on a tiny run (the real server, two clients).
No timing is asserted: the figures depend on the machine (docs/benchmarks.md)."""

import io
import re
import tempfile

from django.core.management import call_command

from tsunagu.bench.pages import percentile

PAGES = [
    "home",
    "records list",
    "category filter",
    "note search",
    "record detail",
    "entry form GET",
    "entry POST",
    "report page",
    "カルテ",
    "volunteer list",
    "case list",
]
FIGURES = (
    r"[\d,]+ requests · p50 [\d,]+ ms · p95 [\d,]+ ms · p99 [\d,]+ ms · "
    r"server CPU [\d,]+ ms/request"
)


def test_every_page_has_its_line_with_a_ratio_to_the_login_page(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    out = io.StringIO()
    call_command(
        "bench", "pages", "--records", "300", "--clients", "2", "--seconds", "0.3", stdout=out
    )
    lines = out.getvalue().splitlines()
    assert any(line.startswith("records: 300 in ") for line in lines)
    floors = [line for line in lines if line.startswith("login (floor): ")]
    assert len(floors) == 2
    assert all(re.fullmatch(f"login \\(floor\\): {FIGURES}", line) for line in floors)
    for name in PAGES:
        (line,) = [line for line in lines if line.startswith(f"{name}: ")]
        # No "unexpected" statuses: every page answered 200, the entry POST saved (302).
        assert re.fullmatch(f"{re.escape(name)}: {FIGURES} · ratio \\d+\\.\\d", line), line
    assert list(tmp_path.iterdir()) == []


def test_percentile_is_the_nearest_rank() -> None:
    values = [float(n) for n in range(1, 101)]
    assert percentile(values, 0.5) == 50.0
    assert percentile(values, 0.95) == 95.0
    assert percentile(values, 0.99) == 99.0
    assert percentile([3.0], 0.99) == 3.0
    assert percentile([], 0.5) == 0.0
