"""A transformers extractive QA model from a local path as the span extractor.

Selected with ``DocumentReader.from_config(reader="transformers:<path>")``. ``transformers``
(and torch) are imported only when such a reader is built; in this project they come with
the ``test`` extra (a dependency of sentence-transformers). The model must be a
``*ForQuestionAnswering`` with a fast tokenizer (offsets are needed to map tokens back to
characters). Nothing is downloaded: the path must hold the model and tokenizer files.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from knowledge.reading.extractive import ScoredSpan

__all__ = ["TransformersExtractor", "TransformersReaderError"]


class TransformersReaderError(RuntimeError):
    """The model path is missing, transformers is not installed, or the tokenizer is not a fast one."""


class TransformersExtractor:
    """Finds answer spans with a local extractive QA model.

    Args:
        path: the model folder (``config.json``, weights, tokenizer files).
        max_length: tokens per window (question + context).
        max_answer_tokens: the longest answer considered.
    """

    def __init__(self, path: str | Path, max_length: int = 384, max_answer_tokens: int = 30) -> None:
        self.path = Path(path)
        if not self.path.is_dir():
            raise TransformersReaderError(f"{self.path}: no such model folder")
        self.max_length = max_length
        self.max_answer_tokens = max_answer_tokens
        self._model: Any = None
        self._tokenizer: Any = None

    def _load(self) -> None:
        if self._model is not None:
            return
        try:
            from transformers import AutoModelForQuestionAnswering, AutoTokenizer
        except ImportError as exc:
            raise TransformersReaderError("the transformers reader needs the 'transformers' package") from exc
        self._tokenizer = AutoTokenizer.from_pretrained(self.path, local_files_only=True)
        if not getattr(self._tokenizer, "is_fast", False):
            raise TransformersReaderError(f"{self.path}: the tokenizer must be a fast tokenizer (offsets)")
        self._model = AutoModelForQuestionAnswering.from_pretrained(self.path, local_files_only=True)
        self._model.eval()

    def best(self, question: str, context: str, top: int = 1) -> list[ScoredSpan]:
        """The ``top`` best spans of ``context``; probability = softmax(start) x softmax(end)."""
        import torch

        self._load()
        encoded = self._tokenizer(
            question,
            context,
            truncation="only_second",
            max_length=self.max_length,
            return_offsets_mapping=True,
            return_tensors="pt",
        )
        offsets = encoded.pop("offset_mapping")[0].tolist()
        context_tokens = [
            i for i, sid in enumerate(encoded.sequence_ids(0)) if sid == 1 and offsets[i][1] > offsets[i][0]
        ]
        if not context_tokens:
            return []
        with torch.no_grad():
            output = self._model(**encoded)
        start_p = _softmax(output.start_logits[0].numpy(), context_tokens)
        end_p = _softmax(output.end_logits[0].numpy(), context_tokens)
        spans = []
        for i in context_tokens:
            for j in context_tokens:
                if i <= j < i + self.max_answer_tokens:
                    spans.append((start_p[i] * end_p[j], offsets[i][0], offsets[j][1]))
        spans.sort(key=lambda s: -s[0])
        return [ScoredSpan(s, e, context[s:e], float(p), 0, len(context)) for p, s, e in spans[:top]]


def _softmax(logits: np.ndarray, allowed: list[int]) -> dict[int, float]:
    values = logits[allowed].astype(float)
    values = np.exp(values - values.max())
    values /= values.sum()
    return dict(zip(allowed, values.tolist(), strict=True))
