"""Gazetteer entity extraction: known names (products, banks...) found in the text.

Names come from the bot's lookup tables, synonyms and, for chosen entity types, the
annotated examples. A name matches exactly, with one substituted character (typos
such as "稳健一好" for "稳健一号", for names of four or more characters) or by
toneless pinyin with confusable initials merged (ASR errors such as "温建一号"), each
method with its own confidence. The value is the canonical, synonym-resolved name.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any, ClassVar

from nlu.component import Component
from nlu.entities._gazetteer_index import GazetteerEntry, MatchMethod, NameIndex, fold, fold_entry
from nlu.message import Entity, Message
from nlu.resources import Resources
from nlu.training_data import TrainingData

__all__ = ["GazetteerEntityExtractor"]

_MODEL_FILE = "gazetteer.json"
_FORMAT_VERSION = 1


@dataclasses.dataclass(frozen=True)
class _Candidate:
    start: int  # working-text span
    end: int
    entry: GazetteerEntry
    confidence: float


class GazetteerEntityExtractor(Component):
    """Finds names from lookup tables, synonyms and annotated examples.

    Matches never start or end inside a longer run of ASCII letters/digits and never
    overlap: longer matches win, then more confident ones, then earlier ones.
    """

    @dataclasses.dataclass(frozen=True)
    class Config:
        """Settings of the gazetteer.

        Attributes:
            entity_types: entity types whose annotated example values become names;
                empty means the types that have lookup tables.
            exact_confidence: confidence of an exact match.
            pinyin_confidence: confidence of a same-pinyin match.
            fuzzy_confidence: confidence of a one-substitution match.
            fuzzy_min_length: shortest name matched with one substituted character.
            pinyin_min_length: shortest name matched by pinyin.
            use_fuzzy: whether to match with one substituted character.
            use_pinyin: whether to match by pinyin.
        """

        entity_types: tuple[str, ...] = ()
        exact_confidence: float = 1.0
        pinyin_confidence: float = 0.85
        fuzzy_confidence: float = 0.7
        fuzzy_min_length: int = 4
        pinyin_min_length: int = 2
        use_fuzzy: bool = True
        use_pinyin: bool = True

    requires: ClassVar[tuple[str, ...]] = ("working_text",)
    provides: ClassVar[tuple[str, ...]] = ("entities",)
    extractor_name: ClassVar[str] = "gazetteer"

    def __init__(self, config: Any, resources: Resources) -> None:
        super().__init__(config, resources)
        self.entries: list[GazetteerEntry] = []
        self._index: NameIndex | None = None

    def train(self, data: TrainingData, messages: list[Message]) -> None:
        """Collect names from ``data`` and build the look-up index."""
        self._set_entries(_collect_entries(data, self.config.entity_types))

    def process(self, message: Message) -> Message:
        """Append the gazetteer's entities to ``message.entities``."""
        if self._index is None or not self.entries:
            return message
        for candidate in self._select(self._candidates(message.working_text)):
            start, end = message.to_original(candidate.start, candidate.end)
            message.entities.append(
                Entity(
                    entity=candidate.entry.entity,
                    value=candidate.entry.value,
                    start=start,
                    end=end,
                    text=message.original_span_text(candidate.start, candidate.end),
                    extractor=self.extractor_name,
                    confidence=candidate.confidence,
                )
            )
        return message

    def persist(self, directory: Path) -> None:
        """Write the names as JSON."""
        payload = {
            "version": _FORMAT_VERSION,
            "entries": [dataclasses.asdict(entry) for entry in self.entries],
        }
        (directory / _MODEL_FILE).write_text(json.dumps(payload, ensure_ascii=False, indent=1), "utf-8")

    @classmethod
    def load(cls, config: Any, resources: Resources, directory: Path) -> GazetteerEntityExtractor:
        """Rebuild the gazetteer from ``persist``'s JSON (empty if there is none)."""
        component = cls.create(config, resources)
        component.initialize()
        path = directory / _MODEL_FILE
        if path.exists():
            payload = json.loads(path.read_text("utf-8"))
            component._set_entries([GazetteerEntry(**raw) for raw in payload.get("entries", [])])
        return component

    def _set_entries(self, entries: list[GazetteerEntry]) -> None:
        self.entries = entries
        self._index = NameIndex(
            entries,
            fuzzy_min_length=self.config.fuzzy_min_length if self.config.use_fuzzy else 10**9,
            pinyin_min_length=self.config.pinyin_min_length if self.config.use_pinyin else 10**9,
        )
        # jieba must keep product names whole for the tokenizer and the tagger features
        self.resources.add_domain_words({e.surface for e in entries if len(e.surface) >= 2})

    def _candidates(self, working_text: str) -> list[_Candidate]:
        assert self._index is not None
        text = fold(working_text)
        confidences = {
            MatchMethod.EXACT: self.config.exact_confidence,
            MatchMethod.PINYIN: self.config.pinyin_confidence,
            MatchMethod.FUZZY: self.config.fuzzy_confidence,
        }
        found: list[_Candidate] = []
        for start in range(len(text)):
            if _continues_ascii_run(text, start - 1, start):
                continue
            for length in self._index.lengths:
                end = start + length
                if end > len(text) or _continues_ascii_run(text, end - 1, end):
                    continue
                hit = self._index.lookup(text[start:end])
                if hit is not None:
                    found.append(_Candidate(start, end, hit[0], confidences[hit[1]]))
        return found

    @staticmethod
    def _select(candidates: list[_Candidate]) -> list[_Candidate]:
        """Non-overlapping candidates: longest, then most confident, then earliest."""
        ranked = sorted(candidates, key=lambda c: (-(c.end - c.start), -c.confidence, c.start))
        taken: list[_Candidate] = []
        used = set[int]()
        for candidate in ranked:
            span = range(candidate.start, candidate.end)
            if any(i in used for i in span):
                continue
            used.update(span)
            taken.append(candidate)
        return sorted(taken, key=lambda c: c.start)


def _continues_ascii_run(text: str, left: int, right: int) -> bool:
    """Whether positions ``left`` and ``right`` are both ASCII letters/digits."""
    if left < 0 or right >= len(text):
        return False
    return _ascii_alnum(text[left]) and _ascii_alnum(text[right])


def _ascii_alnum(char: str) -> bool:
    return char.isascii() and char.isalnum()


def _collect_entries(data: TrainingData, entity_types: tuple[str, ...]) -> list[GazetteerEntry]:
    """Names from lookups, annotated examples of ``entity_types`` and synonyms."""
    synonyms = {fold_entry(k): v for k, v in data.synonyms.items()}

    def canonical(surface: str) -> str:
        return synonyms.get(fold_entry(surface), surface)

    types = set(entity_types) if entity_types else set(data.lookups)
    entries: list[GazetteerEntry] = []
    type_of_value: dict[str, str] = {}
    for name, elements in sorted(data.lookups.items()):
        for element in elements:
            entries.append(GazetteerEntry(element.strip(), name, canonical(element.strip())))
            type_of_value.setdefault(element.strip(), name)
    for example in data.examples:
        for ann in example.entities:
            type_of_value.setdefault(ann.value, ann.entity)
            if ann.entity in types:
                surface = example.text[ann.start : ann.end]
                entries.append(GazetteerEntry(surface, ann.entity, canonical(ann.value)))
    for variant, value in sorted(data.synonyms.items()):
        entity = type_of_value.get(value) or type_of_value.get(variant)
        if entity is not None and (not entity_types or entity in types):
            entries.append(GazetteerEntry(variant, entity, value))
            entries.append(GazetteerEntry(value, entity, value))
    return _dedupe(entries)


def _dedupe(entries: list[GazetteerEntry]) -> list[GazetteerEntry]:
    seen: set[str] = set()
    out: list[GazetteerEntry] = []
    for entry in entries:
        key = fold_entry(entry.surface)
        if key.strip() and key not in seen:
            seen.add(key)
            out.append(entry)
    return out
