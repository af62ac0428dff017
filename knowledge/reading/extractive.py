"""The offline extractive reader: candidate spans of the best sentences, scored by the span ranker."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from knowledge.reading.documents import split_sentences
from knowledge.reading.question import QuestionAnalysis, analyze_question, content_chars
from knowledge.reading.ranker import SpanRanker
from knowledge.reading.spans import SentenceCandidates, sentence_candidates, snap_to_entity, tag_words

__all__ = ["ScoredSpan", "SpanExtractor", "question_overlap"]


@dataclass(frozen=True)
class ScoredSpan:
    """A span of the context (``start``/``end`` index it) with the ranker's probability."""

    start: int
    end: int
    text: str
    probability: float
    sentence_start: int
    sentence_end: int


def question_overlap(question: str, text: str) -> float:
    """How much of the question ``text`` covers: the mean of the shares of its content bigrams
    and of its content characters found in ``text`` (0 when the question has no content)."""
    chars = content_chars(question)
    if not chars:
        return 0.0
    grams = {question[i : i + 2] for i in range(len(question) - 1) if set(question[i : i + 2]) <= chars}
    char_share = sum(c in text for c in chars) / len(chars)
    if not grams:
        return char_share
    return 0.5 * sum(gram in text for gram in grams) / len(grams) + 0.5 * char_share


class SpanExtractor:
    """Finds the answer span of a question in a context.

    Args:
        ranker: the span ranker (the shipped one when None).
        tagger: a ``jieba.posseg.POSTokenizer`` (built on the NLP core's shared jieba when None).
        max_sentences: how many of the context's sentences, best overlap first, are read.
    """

    def __init__(self, ranker: SpanRanker | None = None, tagger: Any = None, max_sentences: int = 3) -> None:
        self.ranker = ranker
        self._tagger = tagger
        self.max_sentences = max_sentences

    @property
    def tagger(self) -> Any:
        """The part-of-speech tagger, built on first use."""
        if self._tagger is None:
            import jieba.posseg

            from nlu.resources import Resources

            self._tagger = jieba.posseg.POSTokenizer(Resources().jieba())
        return self._tagger

    def candidates(
        self, question: str | QuestionAnalysis, context: str
    ) -> list[tuple[int, SentenceCandidates]]:
        """Candidate spans of the best-overlapping sentences, with each sentence's offset in ``context``."""
        analysis = question if isinstance(question, QuestionAnalysis) else analyze_question(question)
        sentences = split_sentences(context)
        overlaps = [question_overlap(analysis.text, context[s:e]) for s, e in sentences]
        order = sorted(range(len(sentences)), key=lambda i: -overlaps[i])[: self.max_sentences]
        found: list[tuple[int, SentenceCandidates]] = []
        for rank, index in enumerate(order):
            start, end = sentences[index]
            text = context[start:end]
            words = tag_words(text, self.tagger)
            found.append((start, sentence_candidates(text, words, analysis, overlaps[index], rank)))
        return found

    def best(self, question: str | QuestionAnalysis, context: str, top: int = 1) -> list[ScoredSpan]:
        """The ``top`` best spans of ``context``, highest probability first.

        Raises:
            RuntimeError: no ranker was given or loaded.
        """
        if self.ranker is None:
            self.ranker = SpanRanker.load()
        scored: list[ScoredSpan] = []
        for offset, group in self.candidates(question, context):
            if not len(group.starts):
                continue
            probabilities = self.ranker.probability(group.features)
            for i in np.argsort(-probabilities)[:top]:
                start, end = snap_to_entity(group.text, int(group.starts[i]), int(group.ends[i]))
                start, end, sentence_end = offset + start, offset + end, offset + len(group.text)
                scored.append(
                    ScoredSpan(start, end, context[start:end], float(probabilities[i]), offset, sentence_end)
                )
        scored.sort(key=lambda span: -span.probability)
        return scored[:top]
