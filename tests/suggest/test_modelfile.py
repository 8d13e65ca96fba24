"""The model file: plain arrays written whole, read without pickle, refused when odd."""

import json
import logging
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest

from tsunagu.suggest.classifier import Example, fit, note_text
from tsunagu.suggest.modelfile import (
    ModelFileError,
    current_model,
    model_path,
    read_model,
    write_model,
)

NOW = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)


def classifier():  # type: ignore[no-untyped-def]
    pairs = [("助成金の申請", 1), ("チラシの印刷", 2)] * 3
    examples = [Example(text=note_text(t), labels={label: 1.0}) for t, label in pairs]
    return fit(examples, fiscal_year=2020, consulter_type_id=7)


def test_a_written_model_reads_back_the_same(data_dir: Path) -> None:
    original = classifier()
    path = model_path()
    assert path == data_dir / "suggest" / "default.npz"
    write_model(path, trained_at=NOW, classifiers=[original])
    model = read_model(path)
    assert model.trained_at == NOW
    again = model.classifier(2020, 7)
    assert again is not None
    assert np.array_equal(again.weights, original.weights)
    assert again.ranked(note_text("助成金")) == original.ranked(note_text("助成金"))
    assert [p.name for p in path.parent.iterdir()] == ["default.npz"]  # no temporary left


def test_a_file_with_pickled_objects_is_not_loaded(data_dir: Path, caplog) -> None:  # type: ignore[no-untyped-def]
    path = model_path()
    path.parent.mkdir(parents=True)
    header = {"format": 1, "features": {}, "trained_at": NOW.isoformat(), "classifiers": []}
    np.savez(path, header=np.array([header], dtype=object))
    with pytest.raises(ModelFileError):
        read_model(path)
    with caplog.at_level(logging.WARNING):
        assert current_model() is None
    assert "使えません" in caplog.text


def test_a_model_of_other_features_or_a_broken_file_is_not_used(data_dir: Path) -> None:
    path = model_path()
    write_model(path, trained_at=NOW, classifiers=[classifier()])
    with np.load(path) as archive:
        arrays = dict(archive)
    header = json.loads(bytes(arrays["header"]).decode())
    header["features"]["n_features"] = 16
    arrays["header"] = np.frombuffer(json.dumps(header).encode(), dtype=np.uint8)
    np.savez(path, **arrays)
    with pytest.raises(ModelFileError, match="特徴量"):
        read_model(path)
    path.write_bytes(b"not a model")
    assert current_model() is None


def test_no_file_is_no_model(data_dir: Path) -> None:
    assert current_model() is None
