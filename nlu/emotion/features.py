"""Character n-gram TF-IDF features, persisted as a plain vocabulary and idf vector.

Characters carry the signal in short Chinese utterances and survive ASR and spelling
errors that break word segmentation. The vectorizer matches scikit-learn's
``TfidfVectorizer(analyzer="char", sublinear_tf=True)`` formula (smooth idf, L2 rows)
but stores only JSON-able state, so a loaded model needs no pickle.
"""

from __future__ import annotations

import math
from collections import Counter

import numpy as np
from scipy import sparse

__all__ = ["CharNgramVectorizer"]


class CharNgramVectorizer:
    """Learns a character n-gram vocabulary and idf weights; makes L2-normalized rows.

    Args:
        ngram_range: smallest and largest n.
        min_df: drop n-grams seen in fewer documents.
        max_features: keep at most this many n-grams (most frequent first).
    """

    def __init__(self, ngram_range: tuple[int, int] = (1, 3), min_df: int = 1, max_features: int = 200_000):
        self.ngram_range = ngram_range
        self.min_df = min_df
        self.max_features = max_features
        self.vocabulary: dict[str, int] = {}
        self.idf: np.ndarray = np.zeros(0, dtype=np.float64)

    @property
    def size(self) -> int:
        """Number of features."""
        return len(self.vocabulary)

    def ngrams(self, text: str) -> list[str]:
        """All character n-grams of ``text`` (lowercased), with repeats."""
        text = text.lower()
        low, high = self.ngram_range
        grams: list[str] = []
        for n in range(low, high + 1):
            grams.extend(text[i : i + n] for i in range(len(text) - n + 1))
        return grams

    def fit(self, texts: list[str]) -> CharNgramVectorizer:
        """Learn the vocabulary and smooth idf from ``texts``."""
        doc_freq: Counter[str] = Counter()
        for text in texts:
            doc_freq.update(set(self.ngrams(text)))
        kept = [(g, df) for g, df in doc_freq.items() if df >= self.min_df]
        kept.sort(key=lambda item: (-item[1], item[0]))
        kept = sorted(kept[: self.max_features])
        self.vocabulary = {gram: i for i, (gram, _) in enumerate(kept)}
        n_docs = len(texts)
        self.idf = np.array([math.log((1 + n_docs) / (1 + df)) + 1.0 for _, df in kept], dtype=np.float64)
        return self

    def row(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """Column indices and values of one L2-normalized row (sorted by index)."""
        counts = Counter(g for g in self.ngrams(text) if g in self.vocabulary)
        if not counts:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64)
        indices = np.fromiter((self.vocabulary[g] for g in counts), dtype=np.int64, count=len(counts))
        tf = np.fromiter((1.0 + math.log(c) for c in counts.values()), dtype=np.float64, count=len(counts))
        values = tf * self.idf[indices]
        values /= np.linalg.norm(values)
        order = np.argsort(indices)
        return indices[order], values[order]

    def transform(self, texts: list[str]) -> sparse.csr_matrix:
        """An ``(n, size)`` CSR matrix of L2-normalized TF-IDF rows."""
        indptr = [0]
        all_indices: list[np.ndarray] = []
        all_values: list[np.ndarray] = []
        for text in texts:
            indices, values = self.row(text)
            all_indices.append(indices)
            all_values.append(values)
            indptr.append(indptr[-1] + len(indices))
        return sparse.csr_matrix(
            (
                np.concatenate(all_values) if all_values else np.zeros(0),
                np.concatenate(all_indices) if all_indices else np.zeros(0, dtype=np.int64),
                np.array(indptr, dtype=np.int64),
            ),
            shape=(len(texts), self.size),
        )

    def to_dict(self) -> dict[str, object]:
        """JSON-safe state (the idf goes to the caller's npz)."""
        return {
            "ngram_range": list(self.ngram_range),
            "min_df": self.min_df,
            "max_features": self.max_features,
            "vocabulary": sorted(self.vocabulary, key=self.vocabulary.__getitem__),
        }

    @classmethod
    def from_dict(cls, state: dict[str, object], idf: np.ndarray) -> CharNgramVectorizer:
        """Rebuild from ``to_dict`` output and the saved idf."""
        low, high = state["ngram_range"]  # type: ignore[misc]
        vectorizer = cls((int(low), int(high)), int(state["min_df"]), int(state["max_features"]))  # type: ignore[arg-type]
        vocabulary = list(state["vocabulary"])  # type: ignore[call-overload]
        if len(vocabulary) != len(idf):
            raise ValueError(f"vocabulary has {len(vocabulary)} entries but idf has {len(idf)}")
        vectorizer.vocabulary = {gram: i for i, gram in enumerate(vocabulary)}
        vectorizer.idf = np.asarray(idf, dtype=np.float64)
        return vectorizer
