"""A trainable character-level CRF tagger for custom entities (python-crfsuite).

It learns BIO labels over the characters of the working text from the bot's annotated
examples (``[招商银行](bank)``, roles and groups included) and tags new messages with
the entity's text as its value (the synonym mapper canonicalises it later). Without
annotated entities it learns nothing and adds nothing.
"""

from __future__ import annotations

import dataclasses
import json
import tempfile
from pathlib import Path
from typing import Any, ClassVar

from nlu.component import Component
from nlu.entities._crf_features import (
    FeatureSettings,
    LabelSpan,
    Word,
    bio_labels,
    decode_labels,
    lexicon_features,
    sentence_features,
)
from nlu.entities._gazetteer_index import fold, fold_entry
from nlu.message import Entity, Message
from nlu.resources import Resources
from nlu.training_data import Example, TrainingData

__all__ = ["CRFEntityTagger"]

_MODEL_FILE = "crf_tagger.crfsuite"
_META_FILE = "crf_tagger.json"
# jieba parts of speech of names: people, transliterated people, places, organisations,
# other proper nouns, abbreviations
_DICTIONARY_TAGS = frozenset({"nr", "nrt", "nrfg", "ns", "nt", "nz", "j"})


class CRFEntityTagger(Component):
    """Linear-chain CRF over characters with n-gram, jieba word and lookup features."""

    @dataclasses.dataclass(frozen=True)
    class Config:
        """Settings of the CRF tagger.

        Attributes:
            algorithm: crfsuite training algorithm, ``lbfgs`` or ``l2sgd`` (no L1).
            c1: L1 regularisation (``lbfgs`` only).
            c2: L2 regularisation.
            max_iterations: L-BFGS iterations (epochs for ``l2sgd``).
            min_feature_count: features seen fewer times in training are dropped.
            min_confidence: entities whose mean label marginal is lower are dropped.
            entity_types: entity types to learn; empty means every annotated type.
            window: characters either side used as unigram features.
            use_words: jieba word-boundary and word features.
            use_pos: jieba part-of-speech features (needs ``use_words``).
            use_pinyin: toneless pinyin of each character as a feature.
            use_lookups: whether characters inside lookup-table names are marked.
            use_dictionary: whether characters inside names of jieba's dictionary
                (people, places, organisations, other proper nouns) are marked.
        """

        algorithm: str = "lbfgs"
        c1: float = 0.02
        c2: float = 0.05
        max_iterations: int = 50
        min_feature_count: int = 2
        min_confidence: float = 0.0
        entity_types: tuple[str, ...] = ()
        window: int = 2
        use_words: bool = True
        use_pos: bool = True
        use_pinyin: bool = False
        use_lookups: bool = True
        use_dictionary: bool = True

    requires: ClassVar[tuple[str, ...]] = ("working_text",)
    provides: ClassVar[tuple[str, ...]] = ("entities",)
    extractor_name: ClassVar[str] = "crf"

    def __init__(self, config: Any, resources: Resources) -> None:
        super().__init__(config, resources)
        self.settings = FeatureSettings(
            window=config.window,
            use_words=config.use_words,
            use_pos=config.use_pos and config.use_words,
            use_pinyin=config.use_pinyin,
        )
        self.lookups: dict[str, str] = {}  # folded name -> lookup table name
        self._lookup_lengths: list[int] = []
        self._model: bytes = b""
        self._tagger: Any = None
        self._pos_tokenizer: Any = None
        self._dictionary: dict[str, str] | None = None

    def train(self, data: TrainingData, messages: list[Message]) -> None:
        """Fit the CRF on the annotated examples (no-op when there are none)."""
        import pycrfsuite

        self._set_lookups(data.lookups if self.config.use_lookups else {})
        wanted = set(self.config.entity_types)
        self._model, self._tagger = b"", None
        if not any(not wanted or a.entity in wanted for e in data.examples for a in e.entities):
            return
        trainer = pycrfsuite.Trainer(verbose=False)
        for index, example in enumerate(data.examples):
            if not example.text.strip():
                continue
            spans = [a for a in example.entities if not wanted or a.entity in wanted]
            message = messages[index] if index < len(messages) else Message(example.text)
            working, labels = _aligned_labels(example, spans, message)
            if working:
                trainer.append(self.features(working), labels)
        trainer.select(self.config.algorithm)
        params: dict[str, Any] = {
            "c2": self.config.c2,
            "max_iterations": self.config.max_iterations,
            "feature.possible_transitions": True,
            "feature.minfreq": self.config.min_feature_count,
        }
        if self.config.algorithm == "lbfgs":
            params["c1"] = self.config.c1
        trainer.set_params(params)
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / _MODEL_FILE
            trainer.train(str(path))
            self._open(path.read_bytes())

    def process(self, message: Message) -> Message:
        """Append the tagger's entities to ``message.entities``."""
        text = message.working_text
        if self._tagger is None or not text.strip():
            return message
        labels = self._tagger.tag(self.features(text))
        for span, _ in decode_labels(labels):
            marginals = [self._tagger.marginal(labels[i], i) for i in range(span.start, span.end)]
            confidence = sum(marginals) / len(marginals)
            if confidence < self.config.min_confidence:
                continue
            start, end = message.to_original(span.start, span.end)
            surface = message.original_span_text(span.start, span.end)
            message.entities.append(
                Entity(
                    entity=span.entity,
                    value=surface,
                    start=start,
                    end=end,
                    text=surface,
                    extractor=self.extractor_name,
                    confidence=confidence,
                    role=span.role,
                    group=span.group,
                )
            )
        return message

    def features(self, text: str) -> list[list[str]]:
        """The feature lists of every character of a working text."""
        return sentence_features(text, self._words(text), self._lexicon(text), self.settings)

    def persist(self, directory: Path) -> None:
        """Write the crfsuite model and the lookup names into ``directory``."""
        meta = {"lookups": self.lookups, "trained": bool(self._model)}
        (directory / _META_FILE).write_text(json.dumps(meta, ensure_ascii=False, indent=1), "utf-8")
        if self._model:
            (directory / _MODEL_FILE).write_bytes(self._model)

    @classmethod
    def load(cls, config: Any, resources: Resources, directory: Path) -> CRFEntityTagger:
        """Rebuild the tagger from ``persist``'s files (untrained if there are none)."""
        component = cls.create(config, resources)
        component.initialize()
        meta_path = directory / _META_FILE
        if meta_path.exists():
            meta = json.loads(meta_path.read_text("utf-8"))
            component.lookups = dict(meta.get("lookups", {}))
            component._lookup_lengths = sorted({len(k) for k in component.lookups}, reverse=True)
        model_path = directory / _MODEL_FILE
        if model_path.exists():
            component._open(model_path.read_bytes())
        return component

    def _open(self, model: bytes) -> None:
        import pycrfsuite

        tagger = pycrfsuite.Tagger()
        tagger.open_inmemory(model)
        self._model, self._tagger = model, tagger

    def _set_lookups(self, lookups: dict[str, list[str]]) -> None:
        self.lookups = {}
        for name, elements in sorted(lookups.items()):
            for element in elements:
                key = fold_entry(element.strip())
                if len(key) >= 2:
                    self.lookups.setdefault(key, name)
        self._lookup_lengths = sorted({len(k) for k in self.lookups}, reverse=True)

    def _lexicon(self, text: str) -> list[list[str]]:
        """Per character: lookup-table and jieba-dictionary names covering it."""
        folded = fold(text)
        marks = (
            [[] for _ in text]
            if not self.lookups
            else lexicon_features(folded, self.lookups, "lk", max_length=self._lookup_lengths[0])
        )
        if self.config.use_dictionary:
            tokenizer = self.resources.jieba()
            names = self._dictionary_names()
            for i, extra in enumerate(
                lexicon_features(folded, names, "dx", max_length=8, stop=tokenizer.FREQ)
            ):
                marks[i] = marks[i] + extra
        return marks

    def _dictionary_names(self) -> dict[str, str]:
        """jieba's proper nouns and abbreviations with their part of speech."""
        if self._dictionary is None:
            table = self._pos().word_tag_tab
            self._dictionary = {w: t for w, t in table.items() if t in _DICTIONARY_TAGS and len(w) >= 2}
        return self._dictionary

    def _pos(self) -> Any:
        if self._pos_tokenizer is None:
            import jieba.posseg

            self._pos_tokenizer = jieba.posseg.POSTokenizer(self.resources.jieba())
        return self._pos_tokenizer

    def _words(self, text: str) -> list[Word]:
        if not self.settings.use_words:
            return []
        if self.settings.use_pos:
            pairs = [(p.word, p.flag) for p in self._pos().cut(text)]
        else:
            pairs = [(w, "") for w in self.resources.jieba().cut(text)]
        words: list[Word] = []
        cursor = 0
        for word, flag in pairs:
            words.append(Word(cursor, cursor + len(word), word, flag))
            cursor += len(word)
        return words if cursor == len(text) else []


def _aligned_labels(example: Example, spans: list[Any], message: Message) -> tuple[str, list[str]]:
    """The working text of ``example`` and BIO labels of ``spans`` mapped onto it."""
    working = message.working_text
    if message.text != example.text:
        if len(working) != len(example.text):
            return "", []
        message = Message(example.text)  # same length: assume 1:1 alignment
    first, last = _original_to_working(message)
    label_spans: list[LabelSpan] = []
    for ann in spans:
        inside = [i for i in range(ann.start, ann.end) if i in first]
        if inside:
            start, end = first[inside[0]], last[inside[-1]] + 1
            label_spans.append(LabelSpan(start, end, ann.entity, ann.role, ann.group))
    return working, bio_labels(len(working), label_spans)


def _original_to_working(message: Message) -> tuple[dict[int, int], dict[int, int]]:
    """Original index -> first and last working index of the characters it became."""
    first: dict[int, int] = {}
    last: dict[int, int] = {}
    for working_index, original_index in enumerate(message.offsets[: len(message.working_text)]):
        first.setdefault(original_index, working_index)
        last[original_index] = working_index
    return first, last
