"""FAQ knowledge: a SQL store of entries, YAML/CSV/XLSX import and export, hybrid retrieval.

``FaqStore`` keeps entries; ``FaqRetriever`` finds the entry a question asks for (BM25 +
faiss + a learned matcher) and decides: answer, "您是不是想问" suggestions, or no answer;
``FaqService`` keeps both in step; ``knowledge.faq.actions.ActionAnswerFaq`` answers in a dialogue.
"""

from __future__ import annotations

from knowledge.faq.defaults import default_retriever, new_retriever
from knowledge.faq.errors import (
    DuplicateFaqIdError,
    FaqError,
    FaqFormatError,
    FaqNotFoundError,
    FaqValidationError,
)
from knowledge.faq.formats import LIST_SEPARATOR, dump_faqs, load_faqs
from knowledge.faq.matcher import PairMatcher, Thresholds
from knowledge.faq.model import Channel, FaqAnswer, FaqButton, FaqEntry, FaqLink, FaqStatus
from knowledge.faq.retriever import FaqHit, FaqOutcome, FaqResult, FaqRetriever, RetrieverConfig
from knowledge.faq.service import FaqService
from knowledge.faq.store import FaqStore

__all__ = [
    "LIST_SEPARATOR",
    "Channel",
    "DuplicateFaqIdError",
    "FaqAnswer",
    "FaqButton",
    "FaqEntry",
    "FaqError",
    "FaqFormatError",
    "FaqHit",
    "FaqLink",
    "FaqNotFoundError",
    "FaqOutcome",
    "FaqResult",
    "FaqRetriever",
    "FaqService",
    "FaqStatus",
    "FaqStore",
    "FaqValidationError",
    "PairMatcher",
    "RetrieverConfig",
    "Thresholds",
    "default_retriever",
    "dump_faqs",
    "load_faqs",
    "new_retriever",
]
