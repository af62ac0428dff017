"""Reading comprehension over documents: retrieve passages, extract the answer span, or say "no answer".

Typical use::

    reader = DocumentReader.from_config()          # the shipped documents, the offline reader
    answer = reader.answer("瑞丰安心纯债A赎回多久到账？")
    if answer.answered:
        print(answer.text, answer.title, answer.confidence)

``from_config(reader="transformers:/path/to/model")`` swaps the span extractor for a local
transformers extractive QA model (``knowledge.reading.transformers_reader``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from knowledge.reading.documents import Document, Passage, load_documents
from knowledge.reading.extractive import ScoredSpan, SpanExtractor, question_overlap
from knowledge.reading.retriever import Hit, PassageRetriever

__all__ = ["Answer", "DocumentReader", "Extractor", "load_extractor"]

MAX_QUESTION_CHARS = 200


class Extractor(Protocol):
    """Anything that finds answer spans in a context (the offline ranker or a transformers model)."""

    def best(self, question: str, context: str, top: int = 1) -> list[ScoredSpan]: ...


@dataclass(frozen=True)
class Answer:
    """The reader's answer; ``text`` is None for "no answer" (``reason`` says why).

    ``start``/``end`` index ``Document.text`` of ``doc_id``; ``passage`` is the supporting passage.
    """

    question: str
    text: str | None
    confidence: float
    reason: str = ""
    start: int = -1
    end: int = -1
    doc_id: str = ""
    title: str = ""
    kind: str = ""
    products: tuple[str, ...] = ()
    passage: Passage | None = None
    alternatives: tuple[str, ...] = field(default=(), compare=False)

    @property
    def answered(self) -> bool:
        """Whether there is an answer."""
        return self.text is not None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready view (for custom payloads and logs)."""
        return {
            "question": self.question,
            "answer": self.text,
            "confidence": round(self.confidence, 4),
            "reason": self.reason,
            "doc_id": self.doc_id,
            "title": self.title,
            "kind": self.kind,
            "products": list(self.products),
            "start": self.start,
            "end": self.end,
            "passage": self.passage.text if self.passage else None,
        }


def load_extractor(spec: str = "offline") -> Extractor:
    """The span extractor named by ``spec``: ``offline`` (the default) or ``transformers:<path>``.

    Raises:
        ValueError: an unknown spec.
    """
    if spec in ("", "offline", "ranker"):
        return SpanExtractor()
    if spec.startswith("transformers:"):
        from knowledge.reading.transformers_reader import TransformersExtractor

        return TransformersExtractor(Path(spec.split(":", 1)[1]))
    raise ValueError(f"unknown reader {spec!r}: use 'offline' or 'transformers:<model path>'")


class DocumentReader:
    """Answers questions from documents.

    Args:
        documents: the documents to read.
        extractor: the span extractor (the offline span ranker when None).
        top_passages: how many retrieved passages are read.
        min_overlap: the least share of the question's content bigrams the supporting
            passage (with its title and heading) must contain; below it, "no answer".
        min_confidence: the least span probability; None takes the ranker's tuned threshold.
        cut: a word segmenter for retrieval (the NLP core's jieba when None).
    """

    def __init__(
        self,
        documents: Sequence[Document],
        extractor: Extractor | None = None,
        top_passages: int = 3,
        min_overlap: float = 0.4,
        min_confidence: float | None = None,
        cut: Any = None,
    ) -> None:
        if cut is None:
            from nlu.resources import Resources

            cut = Resources().jieba().lcut
        self.retriever = PassageRetriever(documents, cut=cut)
        self.extractor: Extractor = extractor or SpanExtractor()
        self.top_passages = top_passages
        self.min_overlap = min_overlap
        self.min_confidence = min_confidence

    @classmethod
    def from_config(
        cls, documents_dir: str | Path | None = None, reader: str = "offline", **options: Any
    ) -> DocumentReader:
        """A reader over the documents of ``documents_dir`` (the shipped ones by default)."""
        return cls(load_documents(documents_dir), extractor=load_extractor(reader), **options)

    def _threshold(self) -> float:
        if self.min_confidence is not None:
            return self.min_confidence
        ranker = getattr(self.extractor, "ranker", None)
        if ranker is None and isinstance(self.extractor, SpanExtractor):
            from knowledge.reading.ranker import SpanRanker

            ranker = self.extractor.ranker = SpanRanker.load()
        return float(getattr(ranker, "no_answer_threshold", 0.0))

    def answer(self, question: str, product_hint: str | None = None) -> Answer:
        """Answer ``question`` from the documents, or "no answer" with a reason.

        Args:
            question: the customer's question.
            product_hint: a product name or code from the conversation (a slot), used when
                the question itself names no product ("封闭期多长？" after talking about one).

        Reasons for no answer: ``empty_question``, ``no_passage`` (nothing retrieved),
        ``low_overlap`` (the best passage is about something else), ``ambiguous_product``
        (several products' prospectuses answer alike and the question names none),
        ``low_confidence`` (no span is likely enough).
        """
        question = " ".join(str(question or "").split())
        if not question.strip("?？!！。.,， "):
            return Answer(question, None, 0.0, "empty_question")
        if len(question) > MAX_QUESTION_CHARS:  # the ask is usually at the end of a long message
            question = question[-MAX_QUESTION_CHARS:]
        if product_hint and self.retriever.product_documents(question)[0] is None:
            question = f"{product_hint} {question}"
        hits, reason = self._hits(question)
        if reason:
            return Answer(question, None, 0.0, reason)
        candidates = [
            (span, hit) for hit in hits for span in self.extractor.best(question, hit.passage.text, top=1)
        ]
        if not candidates:
            return Answer(question, None, 0.0, "low_confidence")
        span, hit = max(
            candidates, key=lambda pair: pair[0].probability * (1.0 + self._overlap(question, pair[1]))
        )
        if span.probability < self._threshold():
            return Answer(question, None, span.probability, "low_confidence")
        start = hit.passage.start + span.start
        return Answer(
            question=question,
            text=span.text,
            confidence=span.probability,
            start=start,
            end=start + len(span.text),
            doc_id=hit.document.id,
            title=hit.document.title,
            kind=hit.document.kind,
            products=hit.document.products,
            passage=hit.passage,
            alternatives=tuple(dict.fromkeys(s.text for s, _ in candidates if s.text != span.text)),
        )

    def _hits(self, question: str) -> tuple[list[Hit], str]:
        """The retrieved passages worth reading, or a no-answer reason."""
        found = self.retriever.search(question, self.top_passages)
        hits = [h for h in found if self._overlap(question, h) >= self.min_overlap]
        if not hits:
            return [], "low_overlap" if found else "no_passage"
        if self.retriever.product_documents(question)[0] is None:
            best = hits[0].score
            tied = {h.document.id for h in hits if h.document.kind == "prospectus" and h.score >= 0.99 * best}
            if len(tied) > 1:
                return [], "ambiguous_product"
        return hits, ""

    @staticmethod
    def _overlap(question: str, hit: Hit) -> float:
        return question_overlap(question, f"{hit.document.title} {hit.passage.heading} {hit.passage.text}")
