"""Sparse TF-IDF features over character and word n-grams.

Characters carry most of the signal in short Chinese queries and survive segmentation
mistakes; words add the domain dictionary's knowledge. Kept dependency-free (a plain
vocabulary and an idf vector) so it persists as JSON and transforms one message fast.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy import sparse

__all__ = ["SparseFeaturizer", "SparseFeaturizerConfig"]


@dataclass(frozen=True)
class SparseFeaturizerConfig:
    char_ngrams: tuple[int, int] = (1, 3)
    word_ngrams: tuple[int, int] = (1, 2)
    min_df: int = 1
    max_features: int = 200_000


class SparseFeaturizer:
    """Learns an n-gram vocabulary and idf weights; turns texts into L2-normalized rows."""

    def __init__(self, config: SparseFeaturizerConfig | None = None) -> None:
        self.config = config or SparseFeaturizerConfig()
        self.vocabulary: dict[str, int] = {}
        self.idf: np.ndarray = np.zeros(0, dtype=np.float32)

    @property
    def size(self) -> int:
        return len(self.vocabulary)

    def ngrams(self, text: str, words: list[str]) -> list[str]:
        """All character and word n-grams of one text, with repeats."""
        grams: list[str] = []
        padded = f"^{text}$"
        low, high = self.config.char_ngrams
        for n in range(low, high + 1):
            grams.extend("c:" + padded[i : i + n] for i in range(len(padded) - n + 1))
        low, high = self.config.word_ngrams
        for n in range(low, high + 1):
            grams.extend("w:" + "|".join(words[i : i + n]) for i in range(len(words) - n + 1))
        return grams

    def fit(self, texts: list[str], token_lists: list[list[str]]) -> None:
        """Learn the vocabulary and idf from a corpus."""
        doc_freq: Counter[str] = Counter()
        for text, words in zip(texts, token_lists, strict=True):
            doc_freq.update(set(self.ngrams(text, words)))
        kept = [g for g, df in doc_freq.most_common(self.config.max_features) if df >= self.config.min_df]
        kept.sort()
        self.vocabulary = {g: i for i, g in enumerate(kept)}
        n_docs = len(texts)
        self.idf = np.array(
            [math.log((1 + n_docs) / (1 + doc_freq[g])) + 1.0 for g in kept], dtype=np.float32
        )

    def row(self, text: str, words: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """Indices and L2-normalized sublinear tf-idf values of one text."""
        indices, values, _ = self.row_with_coverage(text, words)
        return indices, values

    def row_with_coverage(self, text: str, words: list[str]) -> tuple[np.ndarray, np.ndarray, float]:
        """``row`` plus the share of the text's n-grams that the vocabulary knows."""
        grams = self.ngrams(text, words)
        counts = Counter(g for g in grams if g in self.vocabulary)
        coverage = sum(counts.values()) / len(grams) if grams else 0.0
        if not counts:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32), coverage
        indices = np.fromiter((self.vocabulary[g] for g in counts), dtype=np.int64, count=len(counts))
        tf = np.fromiter((1.0 + math.log(c) for c in counts.values()), dtype=np.float32, count=len(counts))
        values = tf * self.idf[indices]
        values /= np.linalg.norm(values) or 1.0
        return indices, values, coverage

    def transform(self, texts: list[str], token_lists: list[list[str]]) -> sparse.csr_matrix:
        """Rows for many texts as a CSR matrix ``(n, size)``."""
        indptr = [0]
        all_indices: list[np.ndarray] = []
        all_values: list[np.ndarray] = []
        for text, words in zip(texts, token_lists, strict=True):
            indices, values, _ = self.row_with_coverage(text, words)
            all_indices.append(indices)
            all_values.append(values)
            indptr.append(indptr[-1] + len(indices))
        data = np.concatenate(all_values) if all_values else np.zeros(0, np.float32)
        cols = np.concatenate(all_indices) if all_indices else np.zeros(0, np.int64)
        return sparse.csr_matrix((data, cols, np.array(indptr)), shape=(len(texts), self.size))

    def save(self, path: Path) -> None:
        payload = {
            "char_ngrams": list(self.config.char_ngrams),
            "word_ngrams": list(self.config.word_ngrams),
            "vocabulary": sorted(self.vocabulary, key=self.vocabulary.__getitem__),
            "idf": [round(float(v), 6) for v in self.idf],
        }
        path.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> SparseFeaturizer:
        payload = json.loads(path.read_text(encoding="utf-8"))
        config = SparseFeaturizerConfig(
            char_ngrams=tuple(payload["char_ngrams"]), word_ngrams=tuple(payload["word_ngrams"])
        )
        featurizer = cls(config)
        featurizer.vocabulary = {g: i for i, g in enumerate(payload["vocabulary"])}
        featurizer.idf = np.asarray(payload["idf"], dtype=np.float32)
        return featurizer
