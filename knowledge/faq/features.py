"""Pair features for the question matcher: lexical overlap, cosine, edit distance, agreement.

``pair_features`` compares two ``TextProfile``s without any index (used for question
matching); ``knowledge.faq.retriever`` appends the ``CONTEXT_FEATURES`` of retrieval: BM25 and
cosine relative to the best candidate, fused rank, how well the candidate's whole entry (its
other questions, its answer text) matches.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from knowledge.faq.text_profile import TextProfile

__all__ = ["CONTEXT_FEATURES", "PAIR_FEATURES", "edit_distance", "pair_features"]

PAIR_FEATURES: tuple[str, ...] = (
    "cosine", "char_jaccard", "char_cover_min", "char_cover_max", "word_jaccard", "bigram_jaccard",
    "idf_word_overlap", "edit_similarity", "length_ratio", "log_length_diff", "numbers_both",
    "numbers_mismatch", "entities_match", "entities_mismatch", "negation_mismatch",
    "question_kind_mismatch", "exact_match", "pinyin_jaccard",
)  # fmt: skip
CONTEXT_FEATURES: tuple[str, ...] = (
    "bm25_relative", "cosine_gap", "reciprocal_rank", "entry_cosine_gap", "entry_share",
    "answer_cosine", "answer_cosine_gap", "entry_cosine_lead", "entry_bm25_lead",
)  # fmt: skip


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    union = len(a | b)
    return len(a & b) / union if union else 0.0


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance by Myers' bit-parallel algorithm (O(len(a)) big-int steps)."""
    if len(a) < len(b):
        a, b = b, a
    if not b:
        return len(a)
    masks: dict[str, int] = {}
    for i, char in enumerate(b):
        masks[char] = masks.get(char, 0) | (1 << i)
    top = 1 << (len(b) - 1)
    full = (1 << len(b)) - 1
    pv, mv, score = full, 0, len(b)
    for char in a:
        eq = masks.get(char, 0)
        xv = eq | mv
        xh = (((eq & pv) + pv) ^ pv) | eq
        ph = mv | ~(xh | pv)
        mh = pv & xh
        if ph & top:
            score += 1
        elif mh & top:
            score -= 1
        ph = ((ph << 1) | 1) & full
        mh = (mh << 1) & full
        pv = (mh | ~(xv | ph)) & full
        mv = ph & xv
    return score


def pair_features(
    query: TextProfile,
    doc: TextProfile,
    cosine: float,
    idf: Callable[[str], float] | None = None,
) -> list[float]:
    """The ``PAIR_FEATURES`` of a query/candidate pair.

    Args:
        query: the user's question.
        doc: the candidate question.
        cosine: cosine similarity of their sentence vectors.
        idf: word -> inverse document frequency (None: every word weighs 1).
    """
    q_len, d_len = max(len(query.text), 1), max(len(doc.text), 1)
    common = len(query.chars & doc.chars)
    covers = (common / max(len(query.chars), 1), common / max(len(doc.chars), 1))
    qw, dw = query.word_set, doc.word_set
    weight = idf or (lambda _w: 1.0)
    total = sum(weight(w) for w in qw | dw)
    idf_overlap = sum(weight(w) for w in qw & dw) / total if total else 0.0
    edit = edit_distance(query.text[:64], doc.text[:64])
    both_numbers = bool(query.numbers and doc.numbers)
    both_entities = bool(query.entities and doc.entities)
    return [
        cosine,
        _jaccard(query.chars, doc.chars),
        min(covers),
        max(covers),
        _jaccard(qw, dw),
        _jaccard(query.bigrams, doc.bigrams),
        idf_overlap,
        1.0 - edit / max(min(q_len, 64), min(d_len, 64)),
        min(q_len, d_len) / max(q_len, d_len),
        math.log1p(abs(q_len - d_len)),
        float(both_numbers),
        float(both_numbers and query.numbers != doc.numbers),
        float(both_entities and bool(query.entities & doc.entities)),
        float(bool(query.entities ^ doc.entities) and both_entities),
        float(query.negated != doc.negated),
        float(query.question_kind != doc.question_kind),
        float(query.text == doc.text),
        _jaccard(query.pinyin_bigrams, doc.pinyin_bigrams),
    ]


def feature_matrix(rows: list[list[float]]) -> np.ndarray:
    """Rows of features as a float64 matrix (``(0, 0)`` when empty)."""
    return np.asarray(rows, dtype=np.float64) if rows else np.zeros((0, 0))
