"""`tsunagu bench suggest`: its output on tiny numbers, and that the model beats the
baseline of the most frequent categories on a clearly separable synthetic set. No timing
and no accuracy figure of the noisy set is asserted (docs/benchmarks.md)."""

import io
import re
import tempfile

import pytest
from django.core.management import call_command

from tsunagu.bench.suggest import Noise, evaluate, generate_synthetic
from tsunagu.suggest.examples import eligible_records

SCORE = re.compile(r"top-1 \d\.\d\d \(baseline \d\.\d\d\) · top-3 \d\.\d\d \(baseline \d\.\d\d\)")


def test_the_run_prints_both_sets_against_the_baseline_and_the_latency(
    tmp_path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    out = io.StringIO()
    call_command(
        "bench", "suggest", "--records", "300", "--categories", "8", "--lookups", "20", stdout=out
    )
    lines = out.getvalue().splitlines()
    assert any(line.startswith("demo (FY") and "held out" in line for line in lines)
    assert any(line.startswith("demo: ") and SCORE.search(line) for line in lines)
    assert any(line.startswith("synthetic: ") and SCORE.search(line) for line in lines)
    assert re.fullmatch(
        r"suggestion latency over [\d,]+ suggestions: p50 \d+\.\d ms · p95 \d+\.\d ms \(goal < 50 ms\)",
        lines[-2],
    )
    assert re.fullmatch(
        r"of which the classifier p50 \d+\.\d ms · p95 \d+\.\d ms; "
        r"its category query replayed bare p50 \d+\.\d ms · p95 \d+\.\d ms",
        lines[-1],
    )
    assert list(tmp_path.iterdir()) == []


@pytest.mark.django_db
def test_on_separable_notes_the_model_beats_the_most_frequent_categories(
    settings, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    settings.DATA_DIR = tmp_path
    lists = generate_synthetic(
        records=450, categories=8, last_year=2020, noise=Noise(own=0.8, confusing=0.0)
    )
    records = eligible_records().filter(consulter_type=lists.consulter_type)
    score = evaluate(records, [2020], [])
    assert score.held_out >= 20
    assert score.top1 >= score.baseline_top1 + 0.3
    assert score.top3 > score.baseline_top3
    assert score.top3 >= 0.9
