"""The model file: every classifier of one council in one NumPy `.npz` archive.

Plain arrays only, read with `allow_pickle=False`: the data directory is writable by the
app, and unpickling a file from it (joblib, pickle) would run whatever code someone had
put there. A JSON header (as bytes) says which features made the file and which
classifier is which; a file of another format or feature scheme is not used.

One council per install today: the file is `<DATA_DIR>/suggest/<council>.npz` with the
council `default`; hosting several councils (tenants) will pass each one's slug.
"""

import json
import logging
import os
import tempfile
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import numpy as np
from django.conf import settings

from tsunagu.suggest.classifier import FEATURES, Classifier

FORMAT = 1
DEFAULT_COUNCIL = "default"

logger = logging.getLogger(__name__)


class ModelFileError(Exception):
    pass


def model_path(council: str = DEFAULT_COUNCIL) -> Path:
    return Path(settings.DATA_DIR) / "suggest" / f"{council}.npz"


@dataclass(frozen=True)
class SuggestionModel:
    trained_at: datetime
    classifiers: dict[tuple[int, int], Classifier]

    def classifier(self, fiscal_year: int, consulter_type_id: int) -> Classifier | None:
        return self.classifiers.get((fiscal_year, consulter_type_id))


def write_model(path: Path, *, trained_at: datetime, classifiers: Iterable[Classifier]) -> None:
    """Write the file whole or not at all: a temporary file in the same folder, then
    renamed over the old one, so that a reader never sees half a model."""
    classifiers = list(classifiers)
    header = {
        "format": FORMAT,
        "features": FEATURES,
        "trained_at": trained_at.isoformat(),
        "classifiers": [
            {
                "fiscal_year": c.fiscal_year,
                "consulter_type": c.consulter_type_id,
                "records": c.records,
            }
            for c in classifiers
        ],
    }
    arrays: dict[str, np.ndarray] = {
        "header": np.frombuffer(json.dumps(header).encode("utf-8"), dtype=np.uint8)
    }
    for index, classifier in enumerate(classifiers):
        for name, array in classifier.arrays().items():
            arrays[f"c{index}_{name}"] = array
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".model-", suffix=".npz")
    try:
        with os.fdopen(descriptor, "wb") as file:
            np.savez_compressed(file, **arrays)  # type: ignore[arg-type]
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def read_model(path: Path) -> SuggestionModel:
    try:
        with np.load(path, allow_pickle=False) as archive:
            header = json.loads(bytes(archive["header"]).decode("utf-8"))
            if header.get("format") != FORMAT or header.get("features") != FEATURES:
                raise ModelFileError("作成したときの特徴量が今の版と違います")
            classifiers = {}
            for index, entry in enumerate(header["classifiers"]):
                names = ("classes", "features", "weights", "intercept")
                classifier = Classifier.from_arrays(
                    fiscal_year=int(entry["fiscal_year"]),
                    consulter_type_id=int(entry["consulter_type"]),
                    records=int(entry["records"]),
                    arrays={name: archive[f"c{index}_{name}"] for name in names},
                )
                classifiers[(classifier.fiscal_year, classifier.consulter_type_id)] = classifier
            return SuggestionModel(
                trained_at=datetime.fromisoformat(header["trained_at"]), classifiers=classifiers
            )
    except ModelFileError:
        raise
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise ModelFileError(str(error)) from error


_lock = threading.Lock()
_cached: tuple[tuple[str, int, int, int], SuggestionModel | None] | None = None


def current_model(council: str = DEFAULT_COUNCIL) -> SuggestionModel | None:
    """The council's model, read once and again only when the file changes; None when
    there is no file (a fresh install) or it cannot be used (then logged, never shown)."""
    global _cached
    path = model_path(council)
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    # A new file is a new inode (written beside, then renamed over the old one).
    key = (str(path), stat.st_ino, stat.st_mtime_ns, stat.st_size)
    with _lock:
        if _cached is not None and _cached[0] == key:
            return _cached[1]
        model: SuggestionModel | None
        try:
            model = read_model(path)
        except ModelFileError as error:
            logger.warning("相談内容の候補のモデル %s を使えません：%s", path, error)
            model = None
        _cached = (key, model)
        return model
