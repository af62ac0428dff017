"""Extractive summaries of news and notices: TextRank over sentence similarity, MMR, a length budget.

Sentences (``knowledge.reading.documents.split_sentences``, plus commas for long ones) are
compared by cosine similarity of character 1-2-gram TF-IDF vectors; TextRank (PageRank
on that graph, with a small bonus for early sentences) gives each sentence a salience,
and maximal marginal relevance picks sentences until the character budget is spent. The
summary keeps the picked sentences in document order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from knowledge.reading.documents import split_sentences

__all__ = ["NewsSummary", "summarize_text"]

_CLAUSE_RE = re.compile(r"[^，,]+[，,]?")


@dataclass(frozen=True)
class NewsSummary:
    """The summary text and the ``(start, end)`` spans of the sentences it took from the source."""

    text: str
    spans: tuple[tuple[int, int], ...]


def summarize_text(
    text: str,
    max_chars: int = 120,
    diversity: float = 0.3,
    position_weight: float = 0.3,
    clauses: bool = False,
) -> NewsSummary:
    """Summarize ``text`` within ``max_chars`` characters.

    Args:
        text: the news or notice body.
        max_chars: the budget; the summary never exceeds it (a single over-long best
            sentence is cut at the budget).
        diversity: the MMR weight of redundancy with sentences already picked (0 = none).
        position_weight: how much earlier sentences are preferred (news puts the gist first).
        clauses: split sentences further at commas (for short texts such as Weibo posts).

    Raises:
        ValueError: ``max_chars`` < 1.
    """
    if max_chars < 1:
        raise ValueError("max_chars must be >= 1")
    units = _units(text, clauses)
    if not units:
        return NewsSummary("", ())
    salience = _textrank(_similarity([text[s:e] for s, e in units]), len(units), position_weight)
    picked = _mmr(units, salience, _similarity([text[s:e] for s, e in units]), max_chars, diversity)
    if not picked:
        best = units[int(np.argmax(salience))]
        cut = (best[0], min(best[1], best[0] + max_chars))
        return NewsSummary(text[cut[0] : cut[1]], (cut,))
    spans = tuple(sorted(units[i] for i in picked))
    return NewsSummary("".join(text[s:e] for s, e in spans), spans)


def _units(text: str, clauses: bool) -> list[tuple[int, int]]:
    sentences = split_sentences(text)
    if not clauses:
        return sentences
    units = []
    for start, end in sentences:
        units.extend(
            (start + m.start(), start + m.end())
            for m in _CLAUSE_RE.finditer(text[start:end])
            if m.group().strip()
        )
    return units


def _similarity(sentences: list[str]) -> np.ndarray:
    """Cosine similarity of character 1-2-gram TF-IDF vectors."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    try:
        vectors = TfidfVectorizer(analyzer="char", ngram_range=(1, 2), sublinear_tf=True).fit_transform(
            sentences
        )
    except ValueError:  # only whitespace or empty vocabulary
        return np.eye(len(sentences))
    similarity = (vectors @ vectors.T).toarray()
    np.fill_diagonal(similarity, 0.0)
    return similarity


def _textrank(similarity: np.ndarray, n: int, position_weight: float, damping: float = 0.85) -> np.ndarray:
    """PageRank scores of the sentence graph, blended with a decaying position prior."""
    sums = similarity.sum(axis=1, keepdims=True)
    transition = np.divide(similarity, sums, out=np.full_like(similarity, 1.0 / n), where=sums > 0)
    scores = np.full(n, 1.0 / n)
    for _ in range(50):
        updated = (1 - damping) / n + damping * transition.T @ scores
        if np.abs(updated - scores).sum() < 1e-6:
            scores = updated
            break
        scores = updated
    prior = 1.0 / (1.0 + np.arange(n))
    return (1 - position_weight) * scores / scores.max() + position_weight * prior / prior.max()


def _mmr(
    units: list[tuple[int, int]], salience: np.ndarray, similarity: np.ndarray, budget: int, diversity: float
) -> list[int]:
    """Greedy maximal marginal relevance within the character budget."""
    picked: list[int] = []
    used = 0
    remaining = set(range(len(units)))
    while remaining:

        def gain(i: int) -> float:
            redundancy = max((similarity[i, j] for j in picked), default=0.0)
            return float((1 - diversity) * salience[i] - diversity * redundancy)

        fitting = [i for i in remaining if used + units[i][1] - units[i][0] <= budget]
        if not fitting:
            break
        best = max(fitting, key=gain)
        picked.append(best)
        used += units[best][1] - units[best][0]
        remaining.discard(best)
    return picked
