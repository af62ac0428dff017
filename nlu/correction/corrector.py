"""Pinyin-aware correction of spelling and ASR errors against the bot's vocabulary.

For each 2-4 character window whose pinyin matches a target word (exactly, with another
tone, or through an accent confusion such as z/zh, n/l, an/ang) but whose characters
differ, the corrector compares the character n-gram language-model score of the text
with and without the replacement. A replacement is kept only when its gain, less the
phonetic and edit penalties, beats ``min_gain``. Replacements keep the length, so
``working_text`` stays aligned with ``normalized``; each one is reported as a
``Correction`` whose span points into the original text.

Example: "我想买点鸡金" -> "我想买点基金", Correction("鸡金", "基金", 4, 6, gain).
"""

from __future__ import annotations

import dataclasses
import json
import logging
import math
from pathlib import Path
from typing import Any, ClassVar

from nlu.component import Component
from nlu.correction.candidates import (
    Candidate,
    SearchSettings,
    find_candidates,
    protected_positions,
)
from nlu.correction.lexicon import jieba_lexicon
from nlu.correction.ngram_lm import CharNgramLM, jieba_base_counts
from nlu.correction.pinyin_similarity import PhoneticCosts
from nlu.correction.vocabulary import (
    PinyinIndex,
    finance_glossary,
    frequent_char_pairs,
    general_index,
    is_target_word,
    segment_word_counts,
)
from nlu.errors import ModelNotTrainedError
from nlu.message import Correction, Message
from nlu.resources import Resources
from nlu.training_data import TrainingData

__all__ = ["PinyinCorrector"]

logger = logging.getLogger(__name__)

MODEL_FILE = "pinyin_corrector.json"
_FORMAT_VERSION = 1


class PinyinCorrector(Component):
    """Fixes homophone and near-homophone misspellings of vocabulary words."""

    @dataclasses.dataclass(frozen=True)
    class Config:
        """Settings of the corrector.

        Attributes:
            lm_order: order of the character n-gram model.
            lm_base_exponent: jieba words weigh ``count ** exponent`` in the LM base.
            lm_base_min_freq: jieba words rarer than this stay out of the LM base.
            domain_weight: weight of each bot sentence and word in the LM.
            min_gain: log-probability gain (after penalties) a correction must reach.
            edit_cost: penalty per changed character.
            same_tone_cost: penalty for an exact homophone.
            other_tone_cost: penalty for the same syllable in another tone.
            fuzzy_cost: penalty for an accent confusion (z/zh, n/l, an/ang, ...).
            max_edits_per_message: corrections applied to one message at most.
            max_changed_ratio: share of a word's characters that may change.
            whole_word_homophones: a non-word window may change entirely when every
                changed character is a homophone (ASR's "深够" for "申购").
            window_sizes: window lengths searched.
            protect_word_freq: jieba words at least this frequent are never corrected.
            protect_char_freq: single-character jieba tokens at least this frequent are
                never changed (0: off; for general text, where 的/是/在 are rarely wrong).
            min_word_count: segmented example words need this many occurrences
                to become targets (entity values and lookups always are).
            general_vocabulary: also aim at frequent jieba words (general text).
            general_min_freq: jieba count a general target word needs.
            glossary: also aim at the bundled wealth-management terms (``finance_terms.txt``).
        """

        lm_order: int = 3
        lm_base_exponent: float = 0.5
        lm_base_min_freq: int = 3
        domain_weight: float = 30.0
        min_gain: float = 4.0
        edit_cost: float = 1.0
        same_tone_cost: float = 0.0
        other_tone_cost: float = 0.5
        fuzzy_cost: float = 2.0
        max_edits_per_message: int = 3
        max_changed_ratio: float = 0.5
        whole_word_homophones: bool = True
        window_sizes: tuple[int, ...] = (2, 3, 4)
        protect_word_freq: int = 100
        protect_char_freq: int = 0
        min_word_count: int = 2
        general_vocabulary: bool = False
        general_min_freq: int = 20
        glossary: bool = True

    requires: ClassVar[tuple[str, ...]] = ("working_text",)
    provides: ClassVar[tuple[str, ...]] = ("working_text", "corrections")
    process_training_data: ClassVar[bool] = False

    def __init__(self, config: Config, resources: Resources) -> None:
        super().__init__(config, resources)
        self._lm: CharNgramLM | None = None
        self._vocabulary = PinyinIndex()
        self._general: PinyinIndex | None = None
        self._word_freq: dict[str, int] = {}
        self._settings = SearchSettings(
            window_sizes=tuple(config.window_sizes),
            max_changed_ratio=config.max_changed_ratio,
            whole_word_homophones=config.whole_word_homophones,
            protect_word_freq=config.protect_word_freq,
            costs=PhoneticCosts(config.same_tone_cost, config.other_tone_cost, config.fuzzy_cost),
        )

    def initialize(self) -> None:
        """Build (or find in the process cache) the jieba-derived LM base and indexes."""
        cfg = self.config
        base = jieba_base_counts(cfg.lm_order, cfg.lm_base_exponent, cfg.lm_base_min_freq)
        self._lm = CharNgramLM(base, cfg.lm_order)
        self._word_freq = jieba_lexicon().freq
        self.resources.jieba()  # load the shared tokenizer now, not on the first message
        if cfg.general_vocabulary:
            self._general = general_index(cfg.general_min_freq)

    # -- training ---------------------------------------------------------------------

    def train(self, data: TrainingData, messages: list[Message]) -> None:
        """Collect the target vocabulary and fit the LM's domain layer.

        Args:
            data: the bot's training data (taken as correctly spelt).
            messages: the examples after earlier components (normalized text).
        """
        if self._lm is None:
            self.initialize()
        assert self._lm is not None
        texts = [m.working_text for m in messages] or [e.text for e in data.examples]
        words = self._target_words(data, texts)
        self._vocabulary = PinyinIndex(words)
        weight = self.config.domain_weight
        items = [(t, weight, True) for t in texts if t.strip()]
        items += [(w, weight, False) for w in sorted(words)]
        self._lm.fit_domain(items)

    def _target_words(self, data: TrainingData, texts: list[str]) -> dict[str, float]:
        segmented = [list(self.resources.jieba().cut(text, HMM=False)) for text in texts]
        counts = segment_word_counts(segmented)
        counts.update(frequent_char_pairs(segmented, self.config.min_word_count))
        words = {w: float(c) for w, c in counts.items() if c >= self.config.min_word_count}
        extra = data.domain_words() | self.resources.domain_words
        if self.config.glossary:
            extra |= finance_glossary()
        for word in extra:
            words[word] = words.get(word, 0.0) + 1.0
        return {w: f for w, f in words.items() if is_target_word(w)}

    # -- inference --------------------------------------------------------------------

    def process(self, message: Message) -> Message:
        """Correct ``message.working_text`` in place and record each ``Correction``."""
        if self._lm is None:
            raise ModelNotTrainedError("PinyinCorrector.process called before train or load")
        text = message.working_text
        if len(text) < 2 or (not self._vocabulary and self._general is None):
            return message
        chosen = self._choose(text, self._lm)
        if not chosen:
            return message
        chars = list(text)
        for candidate, gain in chosen:
            chars[candidate.start : candidate.end] = candidate.replacement
            start, end = message.to_original(candidate.start, candidate.end)
            message.corrections.append(
                Correction(
                    original=message.original_span_text(candidate.start, candidate.end),
                    corrected=candidate.replacement,
                    start=start,
                    end=end,
                    score=round(gain, 4),
                )
            )
        message.working_text = "".join(chars)
        return message

    def correct(self, text: str) -> str:
        """The corrected form of a bare text (convenience for scripts and benchmarks)."""
        return self.process(Message(text)).working_text

    def _is_known_word(self, word: str) -> bool:
        if word in self._vocabulary or (self._general is not None and word in self._general):
            return True
        return self._word_freq.get(word, 0) >= self.config.protect_word_freq

    def candidates(self, text: str) -> list[Candidate]:
        """Sound-alike replacements the search finds in ``text``, before LM scoring."""
        segments = list(self.resources.jieba().tokenize(text, HMM=False))
        guards = protected_positions(
            text, segments, self._is_known_word, self._word_freq, self.config.protect_char_freq
        )
        indexes = [self._vocabulary] if self._general is None else [self._vocabulary, self._general]
        return find_candidates(text, guards, indexes, self._is_known_word, self._settings, self._word_freq)

    def word_frequency(self, word: str) -> int:
        """jieba's count of ``word`` (0 when unknown)."""
        return self._word_freq.get(word, 0)

    def _choose(self, text: str, lm: CharNgramLM) -> list[tuple[Candidate, float]]:
        candidates = self.candidates(text)
        if not candidates:
            return []
        scorer = _GainScorer(lm, text)
        cfg = self.config
        scored = []
        for candidate in candidates:
            gain = scorer.delta(candidate) - candidate.phonetic_cost - cfg.edit_cost * len(candidate.changed)
            if gain >= cfg.min_gain:
                scored.append((gain, candidate))
        scored.sort(key=lambda item: (-item[0], item[1].start, item[1].replacement))
        chosen: list[tuple[Candidate, float]] = []
        used: set[int] = set()
        for gain, candidate in scored:
            span = set(range(candidate.start, candidate.end))
            if span & used:
                continue
            chosen.append((candidate, gain))
            used |= span
            if len(chosen) >= cfg.max_edits_per_message:
                break
        return sorted(chosen, key=lambda item: item[0].start)

    # -- persistence ------------------------------------------------------------------

    def persist(self, directory: Path) -> None:
        """Write the vocabulary and the LM's domain layer as JSON."""
        if self._lm is None:
            raise ModelNotTrainedError("PinyinCorrector.persist called before train")
        payload = {
            "version": _FORMAT_VERSION,
            "jieba_fingerprint": jieba_lexicon().fingerprint,
            "vocabulary": self._vocabulary.to_dict(),
            "lm": self._lm.domain_to_dict(),
        }
        (directory / MODEL_FILE).write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, config: Any, resources: Resources, directory: Path) -> PinyinCorrector:
        """Rebuild a trained corrector from ``persist``'s output.

        Raises:
            ModelNotTrainedError: the model file is missing.
        """
        path = directory / MODEL_FILE
        if not path.is_file():
            raise ModelNotTrainedError(f"no corrector model at {path}")
        payload = json.loads(path.read_text(encoding="utf-8"))
        component = cls.create(config, resources)
        component.initialize()
        if payload.get("jieba_fingerprint") != jieba_lexicon().fingerprint:
            logger.warning("jieba dictionary differs from training time; corrections may differ")
        component._vocabulary = PinyinIndex.from_dict(payload["vocabulary"])
        assert component._lm is not None
        component._lm.load_domain(payload["lm"])
        return component


class _GainScorer:
    """LM log-probability change of a text when one window is replaced."""

    def __init__(self, lm: CharNgramLM, text: str) -> None:
        self._lm = lm
        self._symbols = lm.symbols(text)
        self._cache: dict[int, float] = {}

    def _original(self, index: int) -> float:
        value = self._cache.get(index)
        if value is None:
            value = self._lm.position_logprob(self._symbols, index)
            self._cache[index] = value
        return value

    def delta(self, candidate: Candidate) -> float:
        lm, symbols = self._lm, self._symbols
        pad = lm.order - 1
        first = candidate.changed[0] + pad
        last = min(len(symbols), candidate.changed[-1] + pad + lm.order)
        replaced = symbols[: candidate.start + pad] + candidate.replacement + symbols[candidate.end + pad :]
        new = sum(lm.position_logprob(replaced, i) for i in range(first, last))
        old = sum(self._original(i) for i in range(first, last))
        return new - old if math.isfinite(new - old) else -math.inf
