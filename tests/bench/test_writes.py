"""`tsunagu bench writes`: a tiny run through the real server. Its point is a count, not a
time: every save that answered "saved" is a row, and nothing failed."""

import io
import re
import tempfile

from django.core.management import call_command

from tsunagu.bench.writes import hidden_fields


def test_every_answered_save_is_a_row_and_nothing_fails(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    out = io.StringIO()
    call_command(
        "bench", "writes", "--records", "200", "--clients", "3", "--seconds", "2", stdout=out
    )
    (line,) = [line for line in out.getvalue().splitlines() if line.startswith("saves: ")]
    found = re.fullmatch(
        r"saves: ([\d,]+) requests · ([\d,]+) saved · errors 0 · rows created ([\d,]+) · "
        r"lost 0 · extra 0 · p50 [\d,]+ ms · p95 [\d,]+ ms · p99 [\d,]+ ms",
        line,
    )
    assert found, line
    requests, saved, rows = (int(n.replace(",", "")) for n in found.groups())
    assert requests == saved == rows > 0
    assert list(tmp_path.iterdir()) == []


def test_the_forms_hidden_fields_are_sent_back_but_not_the_csrf_token() -> None:
    page = (
        b'<input type="hidden" name="csrfmiddlewaretoken" value="x">'
        b'<input type="hidden" name="form_token" value="a&amp;b">'
        b'<input type="text" name="note" value="no">'
    )
    assert hidden_fields(page) == {"form_token": "a&b"}
