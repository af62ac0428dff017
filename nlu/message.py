"""Value types shared by every NLU component and by the packages that consume parses.

Spans: components work on ``Message.working_text`` (normalized, then corrected; both
steps keep a 1:1 character alignment with the normalized text), but every span that
leaves the NLU (entities, corrections, quantities) points into the user's original
``text``. ``Message.to_original`` converts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

__all__ = [
    "Correction",
    "Emotion",
    "EmotionLabel",
    "Entity",
    "NEGATIVE_EMOTIONS",
    "IntentScore",
    "Message",
    "ParseResult",
    "Quantity",
    "QuantityKind",
    "Token",
]


@dataclass(frozen=True)
class Token:
    """A token of ``Message.working_text``; ``start``/``end`` index the working text."""

    text: str
    start: int
    end: int


class QuantityKind(StrEnum):
    """What a number in the text measures."""

    AMOUNT = "amount"  # money, value in yuan
    PERCENT = "percent"  # value in percent: "百分之四点五" -> 4.5
    DURATION = "duration"  # value in ``unit`` (day/week/month/year)
    NUMBER = "number"  # a bare number


@dataclass(frozen=True)
class Quantity:
    """A number the normalizer read from text; span in original-text coordinates."""

    kind: QuantityKind
    value: float
    start: int
    end: int
    text: str
    unit: str = ""  # "CNY", "%", "day", "week", "month", "year", ""


@dataclass(frozen=True)
class Correction:
    """A spelling/ASR fix; span in original-text coordinates."""

    original: str
    corrected: str
    start: int
    end: int
    score: float = 0.0


@dataclass(frozen=True)
class Entity:
    """An extracted entity; ``start``/``end`` index the original text."""

    entity: str
    value: Any
    start: int
    end: int
    text: str
    extractor: str
    confidence: float = 1.0
    role: str | None = None
    group: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Rasa's entity shape plus our ``text`` and ``confidence``."""
        out: dict[str, Any] = {
            "entity": self.entity,
            "value": self.value,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "extractor": self.extractor,
            "confidence": round(float(self.confidence), 4),
        }
        if self.role:
            out["role"] = self.role
        if self.group:
            out["group"] = self.group
        return out


@dataclass(frozen=True)
class IntentScore:
    """One intent with its calibrated confidence."""

    name: str
    confidence: float

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "confidence": round(float(self.confidence), 4)}


class EmotionLabel(StrEnum):
    """Customer emotions the dialogue reacts to."""

    ANGER = "anger"
    ANXIETY = "anxiety"
    DISSATISFACTION = "dissatisfaction"
    POSITIVE = "positive"
    NEUTRAL = "neutral"


# the emotions that may call for a human: an agent should hear of them, a complaint may escalate
NEGATIVE_EMOTIONS = frozenset({EmotionLabel.ANGER, EmotionLabel.ANXIETY, EmotionLabel.DISSATISFACTION})


@dataclass(frozen=True)
class Emotion:
    """Emotion label, its probability and an intensity in [0, 1]."""

    label: EmotionLabel
    confidence: float
    intensity: float
    scores: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "label": self.label.value,
            "confidence": round(float(self.confidence), 4),
            "intensity": round(float(self.intensity), 4),
            "scores": {k: round(float(v), 4) for k, v in self.scores.items()},
        }


@dataclass
class Message:
    """The state of one utterance as it moves through the pipeline.

    Attributes:
        text: what the user sent, untouched (after truncation, see ``truncated``).
        normalized: width-folded, simplified, control characters removed.
        offsets: ``offsets[i]`` is the index in ``text`` of ``normalized[i]``;
            it has one extra entry, ``len(text)``, so end offsets map too.
        working_text: ``normalized`` after corrections (same length, same alignment).
    """

    text: str
    normalized: str = ""
    offsets: list[int] = field(default_factory=list)
    working_text: str = ""
    truncated: bool = False
    tokens: list[Token] = field(default_factory=list)
    quantities: list[Quantity] = field(default_factory=list)
    corrections: list[Correction] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    intent: IntentScore | None = None
    intent_ranking: list[IntentScore] = field(default_factory=list)
    emotion: Emotion | None = None
    # training-only: gold labels carried by examples from nlu.yml
    gold_intent: str | None = None
    gold_entities: list[Entity] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.offsets:
            self.normalized = self.normalized or self.text
            self.offsets = list(range(len(self.normalized) + 1))
        if not self.working_text:
            self.working_text = self.normalized

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a ``[start, end)`` span of the working text to the original text."""
        if start >= end:
            pos = self.offsets[start]
            return pos, pos
        return self.offsets[start], self.offsets[end - 1] + 1

    def original_span_text(self, start: int, end: int) -> str:
        """The original text under a working-text span."""
        o_start, o_end = self.to_original(start, end)
        return self.text[o_start:o_end]


@dataclass(frozen=True)
class ParseResult:
    """What ``parse(text)`` returns: Rasa's ``/model/parse`` fields plus ours."""

    text: str
    normalized_text: str
    corrected_text: str
    intent: IntentScore
    intent_ranking: list[IntentScore]
    entities: list[Entity]
    corrections: list[Correction]
    quantities: list[Quantity]
    emotion: Emotion | None
    truncated: bool = False

    @classmethod
    def from_message(cls, message: Message) -> ParseResult:
        intent = message.intent or IntentScore("nlu_fallback", 0.0)
        return cls(
            text=message.text,
            normalized_text=message.normalized,
            corrected_text=message.working_text,
            intent=intent,
            intent_ranking=list(message.intent_ranking),
            entities=sorted(message.entities, key=lambda e: (e.start, e.end)),
            corrections=list(message.corrections),
            quantities=list(message.quantities),
            emotion=message.emotion,
            truncated=message.truncated,
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON shape of Rasa's ``/model/parse`` with our extra fields."""
        return {
            "text": self.text,
            "intent": self.intent.to_dict(),
            "entities": [e.to_dict() for e in self.entities],
            "intent_ranking": [i.to_dict() for i in self.intent_ranking],
            "normalized_text": self.normalized_text,
            "corrected_text": self.corrected_text,
            "corrections": [
                {
                    "original": c.original,
                    "corrected": c.corrected,
                    "start": c.start,
                    "end": c.end,
                    "score": round(float(c.score), 4),
                }
                for c in self.corrections
            ],
            "quantities": [
                {
                    "kind": q.kind.value,
                    "value": q.value,
                    "unit": q.unit,
                    "start": q.start,
                    "end": q.end,
                    "text": q.text,
                }
                for q in self.quantities
            ],
            "emotion": self.emotion.to_dict() if self.emotion else None,
            "truncated": self.truncated,
        }
