"""Reading comprehension: documents in passages, BM25 retrieval, extractive answers or "no answer"."""

from __future__ import annotations

from knowledge.reading.documents import (
    Document,
    DocumentError,
    Passage,
    chunk_document,
    load_document,
    load_documents,
    parse_document,
    split_sentences,
)
from knowledge.reading.extractive import ScoredSpan, SpanExtractor
from knowledge.reading.reader import Answer, DocumentReader, load_extractor
from knowledge.reading.retriever import Hit, PassageRetriever

__all__ = [
    "Answer",
    "Document",
    "DocumentError",
    "DocumentReader",
    "Hit",
    "Passage",
    "PassageRetriever",
    "ScoredSpan",
    "SpanExtractor",
    "chunk_document",
    "load_document",
    "load_documents",
    "load_extractor",
    "parse_document",
    "split_sentences",
]
