"""The classifier of one consulter type and fiscal year: character n-grams of the
normalised note, hashed, and a multinomial logistic regression over the year's categories.

Hashed features (no vocabulary) mean that what is kept of the notes is a set of bucket
numbers and their weights, never a word. Buckets that occur in fewer than
`MIN_RECORDS_PER_FEATURE` records are dropped before fitting: a name or a rare phrase of
one note leaves no trace, and the kept arrays are small (docs/suggest.md).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.linear_model import LogisticRegression

from tsunagu.lib.textnorm import normalize

# Part of the model file: a file made with other values is not read (features.py of a
# later version may change them; the nightly training then writes a new file).
FEATURES = {"scheme": "char-ngram-hash", "ngram_min": 1, "ngram_max": 3, "n_features": 2**20}
MIN_RECORDS_PER_FEATURE = 3
# The regularisation strength, chosen on `tsunagu bench suggest` (docs/suggest.md).
INVERSE_REGULARISATION = 10.0
# Enough for the first lines of any note; a bound on the work of one suggestion.
MAX_NOTE_CHARS = 2000

_VECTORIZER = HashingVectorizer(
    analyzer="char",
    ngram_range=(FEATURES["ngram_min"], FEATURES["ngram_max"]),
    n_features=FEATURES["n_features"],
    alternate_sign=False,
    lowercase=False,  # normalize() has folded case, width and kana already
    norm="l2",
    dtype=np.float32,
)


def note_text(note: str) -> str:
    """What the features are computed from: the normalised note (NFKC, kana folded,
    no spaces), cut to its first characters."""
    return normalize(note[: MAX_NOTE_CHARS * 2])[:MAX_NOTE_CHARS]


def vectorize(texts: Sequence[str]) -> sparse.csr_matrix:
    matrix = _VECTORIZER.transform(texts)
    matrix.sum_duplicates()
    return matrix


@dataclass(frozen=True)
class Example:
    """One record's note (already `note_text`) and its categories of the target year,
    each with a weight; the weights of one record sum to 1."""

    text: str
    labels: dict[int, float]


@dataclass(frozen=True)
class Classifier:
    """Scores of a fiscal year's categories of one consulter type for a note."""

    fiscal_year: int
    consulter_type_id: int
    classes: np.ndarray  # int64 category ids
    features: np.ndarray  # int32 hash buckets kept, ascending
    weights: np.ndarray  # float32, (features, classes)
    intercept: np.ndarray  # float32, (classes,)
    records: int

    def ranked(self, text: str, *, min_share: float = 0.0) -> list[int]:
        """Category ids, best first, each with at least `min_share` of the probability
        (the best always); empty when the note shares no kept feature (then there is
        nothing to go on, and suggesting the usual categories would mislead)."""
        row = vectorize([text])
        if not len(self.features) or not row.nnz:
            return []
        positions = np.searchsorted(self.features, row.indices)
        inside = positions < len(self.features)
        known = inside.copy()
        known[inside] = self.features[positions[inside]] == row.indices[inside]
        if not known.any():
            return []
        scores = self.intercept + row.data[known] @ self.weights[positions[known]]
        shares = np.exp(scores - scores.max())
        shares /= shares.sum()
        order = np.argsort(-scores, kind="stable")
        return [
            int(self.classes[i])
            for rank, i in enumerate(order)
            if not rank or shares[i] >= min_share
        ]

    def arrays(self) -> dict[str, np.ndarray]:
        return {
            "classes": self.classes,
            "features": self.features,
            "weights": self.weights,
            "intercept": self.intercept,
        }

    @classmethod
    def from_arrays(
        cls, *, fiscal_year: int, consulter_type_id: int, records: int, arrays: dict[str, Any]
    ) -> "Classifier":
        classes = np.asarray(arrays["classes"], dtype=np.int64)
        features = np.asarray(arrays["features"], dtype=np.int32)
        weights = np.asarray(arrays["weights"], dtype=np.float32)
        intercept = np.asarray(arrays["intercept"], dtype=np.float32)
        if (
            classes.ndim != 1
            or features.ndim != 1
            or weights.shape != (len(features), len(classes))
            or intercept.shape != (len(classes),)
            or (len(features) > 1 and bool(np.any(np.diff(features) <= 0)))
        ):
            raise ValueError("classifier arrays of inconsistent shapes")
        return cls(fiscal_year, consulter_type_id, classes, features, weights, intercept, records)


def fit(examples: Sequence[Example], *, fiscal_year: int, consulter_type_id: int) -> Classifier:
    """Learn from the examples: each record is one row per category, weighted so that a
    record counts once whatever its number of categories."""
    matrix = vectorize([example.text for example in examples])
    in_records = np.bincount(matrix.indices, minlength=matrix.shape[1])
    features = np.flatnonzero(in_records >= MIN_RECORDS_PER_FEATURE).astype(np.int32)
    kept = matrix[:, features]
    rows = [i for i, example in enumerate(examples) for _ in example.labels]
    labels = [pk for example in examples for pk in example.labels]
    sample_weight = [w for example in examples for w in example.labels.values()]
    classes = np.array(sorted(set(labels)), dtype=np.int64)
    if len(classes) < 2 or not len(features):
        # One category (or no shared feature): nothing to tell apart; a known feature
        # still makes the lone category a suggestion.
        weights = np.zeros((len(features), len(classes)), dtype=np.float32)
        intercept = np.zeros(len(classes), dtype=np.float32)
    else:
        model = LogisticRegression(C=INVERSE_REGULARISATION, max_iter=1000)
        model.fit(kept[rows], labels, sample_weight=sample_weight)
        assert list(model.classes_) == list(classes)
        coef = model.coef_.astype(np.float32)
        bias = model.intercept_.astype(np.float32)
        if len(classes) == 2:
            # A binary model scores only the second class; the first scores zero.
            coef = np.vstack([np.zeros_like(coef), coef])
            bias = np.array([0.0, bias[0]], dtype=np.float32)
        weights = np.ascontiguousarray(coef.T)
        intercept = bias
    return Classifier(
        fiscal_year=fiscal_year,
        consulter_type_id=consulter_type_id,
        classes=classes,
        features=features,
        weights=weights,
        intercept=intercept,
        records=len(examples),
    )
