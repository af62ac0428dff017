"""An incremental BM25 index over sparse term counts (numpy/scipy), with add and remove by id.

Documents live in a CSC matrix (rows = documents, columns = terms) plus a small list of
recent additions; the two are merged when the list grows past ``merge_every``, so an
addition costs microseconds and is searchable at once. Removal clears a row's ``alive`` flag
and its document frequencies; removed rows are dropped at the next merge.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable

import numpy as np
from scipy import sparse

__all__ = ["Bm25Index"]


class Bm25Index:
    """BM25 (Okapi) with live updates.

    Args:
        k1: term-frequency saturation.
        b: length normalization.
        merge_every: how many recent additions to keep outside the matrix.
    """

    def __init__(self, k1: float = 1.2, b: float = 0.75, merge_every: int = 2048) -> None:
        self.k1, self.b, self.merge_every = k1, b, merge_every
        self._vocab: dict[str, int] = {}
        self._df = np.zeros(0, dtype=np.float64)
        self._row_of: dict[int, int] = {}
        self._ids: list[int] = []
        self._terms: list[tuple[np.ndarray, np.ndarray]] = []  # per row: term ids, counts
        self._alive: list[bool] = []
        self._lengths: list[float] = []
        self._total_length = 0.0
        self._matrix = sparse.csc_matrix((0, 0), dtype=np.float32)
        self._recent: dict[int, list[tuple[int, float]]] = {}  # term -> [(row, tf)] of unmerged rows
        self._lengths_array = np.zeros(0)

    def __len__(self) -> int:
        return len(self._row_of)

    def __contains__(self, doc_id: int) -> bool:
        return doc_id in self._row_of

    def add(self, doc_id: int, terms: Iterable[str]) -> None:
        """Index a document's ``terms`` under ``doc_id`` (replacing an earlier document with that id)."""
        if doc_id in self._row_of:
            self.remove(doc_id)
        counts = Counter(terms)
        term_ids = np.array([self._term_id(t) for t in counts], dtype=np.int64)
        tfs = np.array(list(counts.values()), dtype=np.float32)
        row = len(self._ids)
        self._ids.append(doc_id)
        self._terms.append((term_ids, tfs))
        self._alive.append(True)
        length = float(tfs.sum())
        self._lengths.append(length)
        self._total_length += length
        self._row_of[doc_id] = row
        np.add.at(self._df, term_ids, 1.0)
        for term, tf in zip(term_ids.tolist(), tfs.tolist(), strict=True):
            self._recent.setdefault(term, []).append((row, tf))
        if len(self._ids) - self._matrix.shape[0] >= self.merge_every:
            self._merge()

    def remove(self, doc_id: int) -> None:
        """Forget ``doc_id``; unknown ids are ignored."""
        row = self._row_of.pop(doc_id, None)
        if row is None:
            return
        self._alive[row] = False
        term_ids, _ = self._terms[row]
        np.subtract.at(self._df, term_ids, 1.0)
        self._total_length -= self._lengths[row]

    def search(self, query_terms: Iterable[str], k: int = 20) -> tuple[np.ndarray, np.ndarray]:
        """The ``k`` best documents for the query's terms: (doc ids, scores), best first, scores > 0."""
        n_docs = len(self._row_of)
        terms = [self._vocab[t] for t in dict.fromkeys(query_terms) if t in self._vocab]
        if not n_docs or not terms:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        if len(self._lengths_array) != len(self._lengths):
            self._lengths_array = np.asarray(self._lengths)
        average = max(self._total_length / n_docs, 1e-9)
        norm = self.k1 * (1.0 - self.b + self.b * self._lengths_array / average)
        scores = np.zeros(len(self._ids))
        merged = self._matrix.shape[0]
        for term in terms:
            df = self._df[term]
            if df <= 0:
                continue
            idf = math.log(1.0 + (n_docs - df + 0.5) / (df + 0.5))
            rows, tfs = self._postings(term, merged)
            scores[rows] += idf * tfs * (self.k1 + 1.0) / (tfs + norm[rows])
        scores[~np.asarray(self._alive)] = 0.0
        return self._top(scores, k)

    def document_frequency(self, term: str) -> float:
        """How many live documents contain ``term``."""
        index = self._vocab.get(term)
        return float(self._df[index]) if index is not None else 0.0

    def idf(self, term: str) -> float:
        """BM25 inverse document frequency of ``term`` (unknown terms get the highest)."""
        n_docs = len(self._row_of)
        df = self.document_frequency(term)
        return math.log(1.0 + (n_docs - df + 0.5) / (df + 0.5))

    def _postings(self, term: int, merged: int) -> tuple[np.ndarray, np.ndarray]:
        rows = np.zeros(0, dtype=np.int64)
        tfs = np.zeros(0)
        if term < self._matrix.shape[1]:
            start, end = self._matrix.indptr[term], self._matrix.indptr[term + 1]
            rows = self._matrix.indices[start:end].astype(np.int64)
            tfs = self._matrix.data[start:end].astype(np.float64)
        recent = self._recent.get(term)
        if recent:
            extra = np.asarray(recent, dtype=np.float64)
            rows = np.concatenate([rows, extra[:, 0].astype(np.int64)])
            tfs = np.concatenate([tfs, extra[:, 1]])
        return rows, tfs

    def _top(self, scores: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        hits = np.flatnonzero(scores > 0)
        if len(hits) > k:
            hits = hits[np.argpartition(-scores[hits], k - 1)[:k]]
        hits = hits[np.argsort(-scores[hits], kind="stable")]
        ids = np.asarray(self._ids, dtype=np.int64)[hits]
        return ids, scores[hits]

    def _term_id(self, term: str) -> int:
        index = self._vocab.get(term)
        if index is None:
            index = self._vocab[term] = len(self._vocab)
            if index >= len(self._df):
                self._df = np.concatenate([self._df, np.zeros(max(1024, len(self._df)))])
        return index

    def _merge(self) -> None:
        """Move recent rows into the matrix and drop removed rows (row numbers change)."""
        keep = [r for r, alive in enumerate(self._alive) if alive]
        self._ids = [self._ids[r] for r in keep]
        self._terms = [self._terms[r] for r in keep]
        self._lengths = [self._lengths[r] for r in keep]
        self._alive = [True] * len(keep)
        self._row_of = {doc_id: row for row, doc_id in enumerate(self._ids)}
        counts = np.array([len(t) for t, _ in self._terms], dtype=np.int64)
        rows = np.repeat(np.arange(len(keep)), counts)
        cols = np.concatenate([t for t, _ in self._terms]) if keep else np.zeros(0, dtype=np.int64)
        data = np.concatenate([c for _, c in self._terms]) if keep else np.zeros(0, dtype=np.float32)
        shape = (len(keep), len(self._vocab))
        self._matrix = sparse.csc_matrix((data, (rows, cols)), shape=shape, dtype=np.float32)
        self._recent = {}
        self._lengths_array = np.asarray(self._lengths)
