"""Entity synonym mapping: variant values become their canonical value (like Rasa's).

Synonyms come from ``synonym:`` blocks of nlu.yml and from annotations whose text
differs from their value, such as ``[鸡金](product:基金)``.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any, ClassVar

from nlu.component import Component
from nlu.entities._gazetteer_index import fold_entry
from nlu.message import Message
from nlu.resources import Resources
from nlu.training_data import TrainingData

__all__ = ["EntitySynonymMapper"]

_MODEL_FILE = "synonyms.json"


class EntitySynonymMapper(Component):
    """Replaces an entity's value with its canonical value when it is a known variant.

    The entity's text is looked up first, then its value as a string; ASCII letters
    and full-width forms are folded, so "ETF" and "ｅｔｆ" map alike.
    """

    @dataclasses.dataclass(frozen=True)
    class Config:
        """No settings."""

    requires: ClassVar[tuple[str, ...]] = ("entities",)
    provides: ClassVar[tuple[str, ...]] = ("entities",)

    def __init__(self, config: Any, resources: Resources) -> None:
        super().__init__(config, resources)
        self.synonyms: dict[str, str] = {}

    def train(self, data: TrainingData, messages: list[Message]) -> None:
        """Collect variant -> canonical pairs from synonyms and annotations."""
        synonyms: dict[str, str] = {}
        for example in data.examples:
            for ann in example.entities:
                text = example.text[ann.start : ann.end]
                if text != ann.value:
                    synonyms[fold_entry(text)] = ann.value
        # explicit synonym blocks win over annotations
        for variant, value in data.synonyms.items():
            synonyms[fold_entry(variant)] = value
        self.synonyms = synonyms

    def process(self, message: Message) -> Message:
        """Map each entity's value to its canonical value."""
        if not self.synonyms:
            return message
        message.entities = [
            dataclasses.replace(entity, value=canonical)
            if (canonical := self._canonical(entity.text, entity.value)) is not None
            and canonical != entity.value
            else entity
            for entity in message.entities
        ]
        return message

    def _canonical(self, text: str, value: Any) -> str | None:
        found = self.synonyms.get(fold_entry(text))
        if found is None and isinstance(value, str | int | float) and not isinstance(value, bool):
            found = self.synonyms.get(fold_entry(str(value)))
        return found

    def persist(self, directory: Path) -> None:
        """Write the synonym table as JSON."""
        payload = json.dumps({"synonyms": self.synonyms}, ensure_ascii=False, indent=1, sort_keys=True)
        (directory / _MODEL_FILE).write_text(payload, "utf-8")

    @classmethod
    def load(cls, config: Any, resources: Resources, directory: Path) -> EntitySynonymMapper:
        """Rebuild the mapper from ``persist``'s JSON (empty if there is none)."""
        component = cls.create(config, resources)
        component.initialize()
        path = directory / _MODEL_FILE
        if path.exists():
            component.synonyms = dict(json.loads(path.read_text("utf-8"))["synonyms"])
        return component
