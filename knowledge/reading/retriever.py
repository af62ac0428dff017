"""BM25 retrieval of passages over character bigrams and jieba words (scipy sparse matrices).

A question naming a product (its code, name or an alias listed in a document's front
matter ``product_names``) is searched only in the documents about that product, plus
documents about no product (market news), so "稳盈债券A的封闭期" does not read another
fund's prospectus.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from knowledge.reading.documents import Document, Passage, chunk_document
from knowledge.reading.question import STOP_CHARS

__all__ = ["Hit", "PassageRetriever", "passage_terms"]

_K1 = 1.2
_B = 0.75
_WORD_RE = re.compile(r"[\w\u4e00-\u9fff]+")


@dataclass(frozen=True)
class Hit:
    """A retrieved passage, its document and its BM25 score."""

    passage: Passage
    document: Document
    score: float


def passage_terms(text: str, cut: Callable[[str], Sequence[str]] | None = None) -> list[str]:
    """Index terms: character bigrams of word-character runs, plus jieba words when ``cut`` is given."""
    terms: list[str] = []
    for run in _WORD_RE.findall(text.lower()):
        terms.extend(run[i : i + 2] for i in range(len(run) - 1) if not set(run[i : i + 2]) <= STOP_CHARS)
        if len(run) == 1 and run not in STOP_CHARS:
            terms.append(run)
    if cut is not None:
        terms.extend(f"w:{w}" for w in cut(text.lower()) if len(w) > 1 and _WORD_RE.fullmatch(w))
    return terms


class PassageRetriever:
    """BM25 over the passages of some documents.

    Args:
        documents: the documents to index.
        cut: a word segmenter (``jieba.Tokenizer.lcut``); character bigrams only when None.
        max_chars: the passage length bound of ``chunk_document``.
    """

    def __init__(
        self,
        documents: Sequence[Document],
        cut: Callable[[str], Sequence[str]] | None = None,
        max_chars: int = 220,
    ) -> None:
        self.documents = {d.id: d for d in documents}
        self._cut = cut
        self.passages = [p for d in documents for p in chunk_document(d, max_chars=max_chars)]
        self._vocabulary: dict[str, int] = {}
        rows, cols, values = [], [], []
        for row, passage in enumerate(self.passages):
            document = self.documents[passage.doc_id]
            counts: dict[int, int] = {}
            for term in passage_terms(f"{document.title} {passage.heading} {passage.text}", cut):
                column = self._vocabulary.setdefault(term, len(self._vocabulary))
                counts[column] = counts.get(column, 0) + 1
            rows.extend([row] * len(counts))
            cols.extend(counts)
            values.extend(counts.values())
        shape = (len(self.passages), max(len(self._vocabulary), 1))
        tf = sparse.csr_matrix((np.asarray(values, dtype=float), (rows, cols)), shape=shape)
        lengths = np.asarray(tf.sum(axis=1)).ravel()
        document_frequency = np.bincount(tf.indices, minlength=shape[1])
        self._idf = np.log1p((len(self.passages) - document_frequency + 0.5) / (document_frequency + 0.5))
        norm = _K1 * (1 - _B + _B * lengths / max(lengths.mean(), 1.0)) if len(lengths) else lengths
        weighted = tf.tocoo()
        data = weighted.data * (_K1 + 1) / (weighted.data + norm[weighted.row])
        self._weights = sparse.csr_matrix((data, (weighted.row, weighted.col)), shape=shape).T.tocsr()
        self._products = self._product_index(documents)

    @staticmethod
    def _product_index(documents: Sequence[Document]) -> dict[str, set[str]]:
        """Product code / name / alias (lower case) -> ids of the documents about it."""
        index: dict[str, set[str]] = {}
        for document in documents:
            names = [*document.products, *(document.meta.get("product_names") or ())]
            for name in names:
                if len(str(name)) >= 2:
                    index.setdefault(str(name).lower(), set()).add(document.id)
        return index

    def product_documents(self, question: str) -> tuple[set[str] | None, str]:
        """Ids of the documents about the products the question names (longest names first), or None,
        and the question with those names blanked out."""
        text = question.lower()
        found: set[str] = set()
        for name in sorted(self._products, key=len, reverse=True):
            if name in text:
                found |= self._products[name]
                text = text.replace(name, " ")
        return (found or None), text

    def search(self, question: str, top_k: int = 5) -> list[Hit]:
        """The ``top_k`` passages by BM25, restricted to the named products' documents if any.

        Within a named product's documents, the passages are ranked by the rest of the
        question (every passage of a prospectus carries the product's name in its title).
        """
        allowed, rest = self.product_documents(question)
        scores = self._scores(rest if allowed is not None and rest.strip() else question)
        if scores is None:
            return []
        if allowed is not None:
            keep = np.array(
                [p.doc_id in allowed or not self.documents[p.doc_id].products for p in self.passages]
            )
            in_product = np.array([p.doc_id in allowed for p in self.passages])
            scores = np.where(keep, scores + 1e-3 * in_product, 0.0)
        order = np.argsort(-scores)[:top_k]
        passages = self.passages
        return [
            Hit(passages[i], self.documents[passages[i].doc_id], float(scores[i]))
            for i in order
            if scores[i] > 0
        ]

    def _scores(self, text: str) -> np.ndarray | None:
        """BM25 of every passage for ``text``; None when no term of it is indexed."""
        columns = [self._vocabulary[t] for t in passage_terms(text, self._cut) if t in self._vocabulary]
        if not columns or not self.passages:
            return None
        counts = np.bincount(columns, minlength=len(self._vocabulary))
        used = np.flatnonzero(counts)
        return np.asarray(self._weights[used].T @ (self._idf[used] * np.minimum(counts[used], 2))).ravel()
