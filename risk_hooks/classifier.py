"""A small learned second opinion for the inbound guard: character n-grams + logistic regression.

Rules are precise but only know the wording they were written for; this classifier catches
some paraphrases they miss. It trains in well under a second from labelled files in the
red-team format (``attacks`` / ``benign`` keyed by category; by default the red-team *dev*
split plus ``data/inbound_train.yml``, never the held-out or fresh splits the benchmark
scores on), once per process, and only ever *warns*: a learned guess is recorded and
reviewed, it never blocks a customer.
"""

from __future__ import annotations

import functools
import threading
from pathlib import Path
from typing import Any

import yaml

from risk_hooks.errors import RiskConfigError
from risk_hooks.text import match_form

__all__ = ["DEFAULT_TRAIN_FILES", "AttackClassifier", "load_classifier"]

_DATA = Path(__file__).resolve().parent / "data"
DEFAULT_TRAIN_FILES = (_DATA / "redteam" / "dev.yml", _DATA / "inbound_train.yml")
BENIGN = "benign"


class AttackClassifier:
    """Predicts an attack category (or ``benign``) with the probability that a text is an attack.

    Args:
        texts: training texts (any form; normalized here).
        labels: a category per text, ``benign`` for look-alikes.
        c: inverse regularization of the logistic regression.
    """

    def __init__(self, texts: list[str], labels: list[str], c: float = 10.0) -> None:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        if BENIGN not in labels or len(set(labels)) < 2:
            raise ValueError("the classifier needs benign examples and at least one attack category")
        self._vectorizer = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True)
        # saga: single-threaded and fast here; lbfgs fights over BLAS threads on a busy machine
        self._model: Any = LogisticRegression(max_iter=2000, C=c, solver="saga")
        self._model.fit(self._vectorizer.fit_transform([match_form(t) for t in texts]), labels)
        self._benign = list(self._model.classes_).index(BENIGN)
        self._lock = threading.Lock()

    def predict(self, text: str) -> tuple[str, float]:
        """``(most likely attack category, probability that text is any attack)``."""
        with self._lock:  # sklearn objects are not documented as thread-safe
            probabilities = self._model.predict_proba(self._vectorizer.transform([match_form(text)]))[0]
        ranked = sorted(
            (p, c)
            for i, (p, c) in enumerate(zip(probabilities, self._model.classes_, strict=True))
            if i != self._benign
        )
        return str(ranked[-1][1]), float(1.0 - probabilities[self._benign])


@functools.lru_cache(maxsize=4)
def load_classifier(train_files: tuple[Path, ...] = DEFAULT_TRAIN_FILES) -> AttackClassifier:
    """Train (once per process and set of files) from red-team-format YAML files.

    Raises:
        RiskConfigError: a file is missing or malformed (names it).
    """
    texts: list[str] = []
    labels: list[str] = []
    for path in train_files:
        file_texts, file_labels = _read(Path(path))
        texts += file_texts
        labels += file_labels
    try:
        return AttackClassifier(texts, labels)
    except ValueError as exc:
        raise RiskConfigError(
            ", ".join(map(str, train_files)), "", f"cannot train the classifier: {exc}"
        ) from exc


def _read(path: Path) -> tuple[list[str], list[str]]:
    try:
        content = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        texts: list[str] = []
        labels: list[str] = []
        for key in ("attacks", "benign"):
            for category, items in (content.get(key) or {}).items():
                texts += [str(t) for t in items or []]
                labels += [str(category) if key == "attacks" else BENIGN] * len(items or [])
    except (OSError, yaml.YAMLError, AttributeError, TypeError) as exc:
        raise RiskConfigError(path, "", f"cannot read classifier training data: {exc}") from exc
    return texts, labels
