"""A label-agnostic text classifier: multinomial logistic regression over character
n-gram TF-IDF, optional lexicon prior features and optional sentence embeddings.

The emotion classifier trains it on the five customer emotions; the SMP2020-EWECT
benchmark trains the same class on six Weibo labels. Training uses scikit-learn;
prediction is plain numpy over the learned weights, and ``save``/``load`` write JSON
plus an ``.npz`` of arrays (no pickle), so a loaded model gives identical outputs.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Protocol

import numpy as np
from scipy import sparse

from nlu.emotion.features import CharNgramVectorizer
from nlu.emotion.lexicon import EmotionLexicon, LexiconCues

__all__ = ["EmotionModel", "ModelSettings", "TextEncoder"]

_FORMAT = 1


class TextEncoder(Protocol):
    """Anything that embeds texts into an ``(n, dim)`` float array."""

    def encode(self, texts: list[str]) -> np.ndarray: ...


@dataclass(frozen=True)
class ModelSettings:
    """Hyper-parameters of ``EmotionModel``.

    Attributes:
        ngram_min: smallest character n-gram.
        ngram_max: largest character n-gram.
        min_df: drop n-grams seen in fewer training texts.
        max_features: keep at most this many n-grams.
        regularization: inverse L2 strength (scikit-learn's ``C``).
        lexicon_weight: scale of the lexicon feature columns.
        dense_weight: scale of the sentence-embedding columns.
        balanced: weight classes inversely to their frequency.
        max_iter: optimizer iterations.
    """

    ngram_min: int = 1
    ngram_max: int = 3
    min_df: int = 1
    max_features: int = 200_000
    regularization: float = 10.0
    lexicon_weight: float = 0.5
    dense_weight: float = 1.0
    balanced: bool = False
    max_iter: int = 200


class EmotionModel:
    """Softmax regression over n-grams (+ lexicon prior, + dense embeddings).

    Args:
        settings: hyper-parameters.
        lexicon: adds the lexicon's prior scores and cues as features when given.
        encoder: adds sentence embeddings as features when given.
    """

    def __init__(
        self,
        settings: ModelSettings | None = None,
        *,
        lexicon: EmotionLexicon | None = None,
        encoder: TextEncoder | None = None,
    ) -> None:
        self.settings = settings or ModelSettings()
        self.lexicon = lexicon
        self.encoder = encoder
        self.vectorizer = CharNgramVectorizer(
            (self.settings.ngram_min, self.settings.ngram_max),
            self.settings.min_df,
            self.settings.max_features,
        )
        self.labels: list[str] = []
        self.coef: np.ndarray = np.zeros((0, 0))
        self.intercept: np.ndarray = np.zeros(0)
        self.dense_dim = 0

    @property
    def is_trained(self) -> bool:
        """Whether ``fit`` or ``load`` has run."""
        return bool(self.labels)

    def fit(self, texts: list[str], labels: list[str]) -> EmotionModel:
        """Learn the vocabulary and the weights.

        Raises:
            ValueError: fewer than two distinct labels, or lengths differ.
        """
        from sklearn.linear_model import LogisticRegression
        from threadpoolctl import threadpool_limits

        if len(texts) != len(labels):
            raise ValueError(f"{len(texts)} texts but {len(labels)} labels")
        classes = sorted(set(labels))
        if len(classes) < 2:
            raise ValueError("need examples of at least two labels")
        self.vectorizer.fit(texts)
        features = self._features(texts)
        regression = LogisticRegression(
            C=self.settings.regularization,
            solver="newton-cg",  # lbfgs is ~30x slower on these wide sparse matrices
            max_iter=self.settings.max_iter,
            class_weight="balanced" if self.settings.balanced else None,
        )
        # one BLAS thread: these small problems gain nothing from threads, and on a busy
        # machine oversubscribed BLAS threads made training 30x slower
        with threadpool_limits(limits=1):
            regression.fit(features, np.array(labels))
        self.labels = [str(c) for c in regression.classes_]
        coef = np.asarray(regression.coef_, dtype=np.float64)
        intercept = np.asarray(regression.intercept_, dtype=np.float64)
        if len(self.labels) == 2:  # binary: scikit-learn keeps one row; make it a softmax pair
            coef = np.vstack([-coef[0] / 2, coef[0] / 2])
            intercept = np.array([-intercept[0] / 2, intercept[0] / 2])
        self.coef, self.intercept = coef, intercept
        return self

    def predict_proba(self, texts: list[str]) -> np.ndarray:
        """Class probabilities, ``(len(texts), len(labels))``, columns in ``labels`` order."""
        self._check_trained()
        logits = np.asarray(self._features(texts) @ self.coef.T) + self.intercept
        return _softmax(logits)

    def predict_one(self, text: str, cues: LexiconCues | None = None) -> np.ndarray:
        """Probabilities for one text without building a sparse matrix (fast path).

        Args:
            text: the text.
            cues: the lexicon's ``analyze(text)`` if the caller already has it.
        """
        self._check_trained()
        indices, values = self.vectorizer.row(text)
        logits = self.coef[:, indices] @ values + self.intercept
        extra = self._extra_row(text, cues)
        if extra.size:
            logits = logits + self.coef[:, self.vectorizer.size :] @ extra
        return _softmax(logits[None, :])[0]

    def predict(self, texts: list[str]) -> list[str]:
        """The most probable label of each text."""
        probabilities = self.predict_proba(texts)
        return [self.labels[i] for i in probabilities.argmax(axis=1)]

    def save(self, directory: Path, name: str = "emotion_model") -> None:
        """Write ``<name>.json`` and ``<name>.npz`` into ``directory``."""
        self._check_trained()
        state = {
            "format": _FORMAT,
            "settings": asdict(self.settings),
            "labels": self.labels,
            "vectorizer": self.vectorizer.to_dict(),
            "lexicon": self.lexicon.to_dict() if self.lexicon else None,
            "dense_dim": self.dense_dim,
        }
        (directory / f"{name}.json").write_text(json.dumps(state, ensure_ascii=False), encoding="utf-8")
        np.savez(directory / f"{name}.npz", coef=self.coef, intercept=self.intercept, idf=self.vectorizer.idf)

    @classmethod
    def load(
        cls, directory: Path, name: str = "emotion_model", *, encoder: TextEncoder | None = None
    ) -> EmotionModel:
        """Rebuild a saved model; the lexicon comes from the saved copy.

        Raises:
            FileNotFoundError: the files are missing.
            ValueError: an unknown format, or a dense model loaded without an encoder.
        """
        state = json.loads((directory / f"{name}.json").read_text(encoding="utf-8"))
        if state.get("format") != _FORMAT:
            raise ValueError(f"unsupported emotion model format {state.get('format')!r}")
        settings = ModelSettings(**state["settings"])
        lexicon = EmotionLexicon.from_dict(state["lexicon"]) if state["lexicon"] else None
        if state["dense_dim"] and encoder is None:
            raise ValueError("this model was trained with sentence embeddings; pass an encoder")
        model = cls(settings, lexicon=lexicon, encoder=encoder if state["dense_dim"] else None)
        with np.load(directory / f"{name}.npz", allow_pickle=False) as arrays:
            model.vectorizer = CharNgramVectorizer.from_dict(state["vectorizer"], arrays["idf"])
            model.coef = np.array(arrays["coef"])
            model.intercept = np.array(arrays["intercept"])
        model.labels = list(state["labels"])
        model.dense_dim = int(state["dense_dim"])
        return model

    def _features(self, texts: list[str]) -> sparse.csr_matrix:
        blocks = [self.vectorizer.transform(texts)]
        if self.lexicon is not None:
            rows = np.array([self.lexicon.features(t) for t in texts], dtype=np.float64)
            blocks.append(sparse.csr_matrix(rows.reshape(len(texts), -1) * self.settings.lexicon_weight))
        if self.encoder is not None:
            dense = np.asarray(self.encoder.encode(list(texts)), dtype=np.float64)
            self.dense_dim = dense.shape[1]
            blocks.append(sparse.csr_matrix(dense * self.settings.dense_weight))
        return sparse.hstack(blocks, format="csr")

    def _extra_row(self, text: str, cues: LexiconCues | None) -> np.ndarray:
        parts: list[np.ndarray] = []
        if self.lexicon is not None:
            row = self.lexicon.features(text, cues)
            parts.append(np.array(row, dtype=np.float64) * self.settings.lexicon_weight)
        if self.encoder is not None:
            dense = np.asarray(self.encoder.encode([text]), dtype=np.float64)[0]
            parts.append(dense * self.settings.dense_weight)
        return np.concatenate(parts) if parts else np.zeros(0)

    def _check_trained(self) -> None:
        if not self.is_trained:
            raise RuntimeError("EmotionModel is not trained; call fit() or load() first")


def _softmax(logits: np.ndarray) -> np.ndarray:
    shifted = logits - logits.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    return exp / exp.sum(axis=1, keepdims=True)
