"""Resources several components share, created once per pipeline.

The jieba tokenizer is one instance (with the bot's domain dictionary) used by the
tokenizer, the corrector and the feature extractors, so the dictionary loads once.
Sentence encoders are loaded once per process (``load_encoder`` caches them).
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import jieba

__all__ = ["Resources"]

logger = logging.getLogger(__name__)


_BASE_LOCK = threading.Lock()
_BASE: list[Any] = []


def _base_jieba() -> Any:
    """jieba's default dictionary, loaded once per process; never modified."""
    with _BASE_LOCK:
        if not _BASE:
            import jieba

            base = jieba.Tokenizer()
            base.initialize()
            _BASE.append(base)
        return _BASE[0]


@dataclass
class Resources:
    """Shared, lazily built resources of one pipeline.

    Attributes:
        domain_words: words from the bot's data (entity values, lookups, synonyms,
            product names) that jieba must keep whole and the corrector aims at.
    """

    domain_words: set[str] = field(default_factory=set)
    # where training may keep sentence embeddings between runs (None: no disk cache)
    embedding_cache_dir: Path | None = None
    _training_encoders: dict[str, Any] = field(default_factory=dict)
    _jieba: Any = None

    def jieba(self) -> jieba.Tokenizer:
        """The shared jieba tokenizer, with ``domain_words`` added."""
        if self._jieba is None:
            import jieba

            jieba.setLogLevel(logging.WARNING)
            tokenizer = jieba.Tokenizer()
            base = _base_jieba()
            # a copy of the prefix dictionary (tens of ms) instead of a reload per bot (~0.7 s)
            tokenizer.FREQ, tokenizer.total = dict(base.FREQ), base.total
            tokenizer.initialized = True
            for word in sorted(self.domain_words):
                if word.strip():
                    tokenizer.add_word(word, freq=max(tokenizer.suggest_freq(word), 10))
            self._jieba = tokenizer
        return self._jieba

    def add_domain_words(self, words: set[str]) -> None:
        """Add words; a tokenizer already built learns them too."""
        new = {w for w in words if w.strip()} - self.domain_words
        self.domain_words |= new
        if self._jieba is not None:
            for word in sorted(new):
                self._jieba.add_word(word, freq=max(self._jieba.suggest_freq(word), 10))

    def encoder(self, spec: str) -> Any:
        """The sentence encoder for ``spec`` (see ``nlu.intent.encoders``), shared process-wide."""
        from nlu.intent.encoders import load_encoder

        return load_encoder(spec)

    def training_encoder(self, spec: str) -> Any:
        """The encoder for training: disk-cached when ``embedding_cache_dir`` is set."""
        if self.embedding_cache_dir is None:
            return self.encoder(spec)
        if spec not in self._training_encoders:
            from nlu.intent.embedding_cache import DiskCachedEncoder

            self._training_encoders[spec] = DiskCachedEncoder(self.encoder(spec), self.embedding_cache_dir)
        return self._training_encoders[spec]
