"""The FAQ entry value types: question, paraphrases, answer with per-channel variants.

An entry is served only when it is ``published`` and ``valid_from <= now < valid_until``
(either end may be open).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum

from knowledge.faq.errors import FaqValidationError

__all__ = ["Channel", "FaqAnswer", "FaqButton", "FaqEntry", "FaqLink", "FaqStatus"]

MAX_ID_LENGTH = 64
MAX_QUESTION_LENGTH = 500


class FaqStatus(StrEnum):
    """Editorial state; only ``published`` entries are served."""

    DRAFT = "draft"
    PUBLISHED = "published"


class Channel(StrEnum):
    """Channels that may get their own answer wording."""

    APP = "app"
    VOICE = "voice"
    SMS = "sms"


@dataclass(frozen=True)
class FaqButton:
    """A quick reply shown under an answer."""

    title: str
    payload: str


@dataclass(frozen=True)
class FaqLink:
    """A link shown with an answer."""

    title: str
    url: str


@dataclass(frozen=True)
class FaqAnswer:
    """The answer of an entry: text plus optional buttons and links."""

    text: str
    buttons: tuple[FaqButton, ...] = ()
    links: tuple[FaqLink, ...] = ()


@dataclass(frozen=True)
class FaqEntry:
    """One FAQ: a standard question, its paraphrases and its answer.

    Attributes:
        faq_id: stable id (letters, digits, ``_``, ``-``, ``.``).
        question: the standard question.
        answer: the default answer.
        paraphrases: other ways users ask it.
        category: a free category name (e.g. "交易规则").
        tags: free tags.
        channel_answers: answer text per channel, overriding ``answer.text`` there.
        valid_from: first moment served (None: always).
        valid_until: first moment no longer served (None: never).
        status: draft entries are stored but never served.
    """

    faq_id: str
    question: str
    answer: FaqAnswer
    paraphrases: tuple[str, ...] = ()
    category: str = ""
    tags: tuple[str, ...] = ()
    channel_answers: dict[Channel, str] = field(default_factory=dict)
    valid_from: datetime | None = None
    valid_until: datetime | None = None
    status: FaqStatus = FaqStatus.PUBLISHED

    def __post_init__(self) -> None:
        _check_id(self.faq_id)
        if not self.question.strip():
            raise FaqValidationError(f"FAQ {self.faq_id!r}: the question is empty")
        if len(self.question) > MAX_QUESTION_LENGTH:
            raise FaqValidationError(f"FAQ {self.faq_id!r}: the question is over {MAX_QUESTION_LENGTH} chars")
        if not self.answer.text.strip():
            raise FaqValidationError(f"FAQ {self.faq_id!r}: the answer is empty")
        object.__setattr__(self, "valid_from", _utc(self.valid_from))
        object.__setattr__(self, "valid_until", _utc(self.valid_until))
        if self.valid_from and self.valid_until and self.valid_until <= self.valid_from:
            raise FaqValidationError(f"FAQ {self.faq_id!r}: valid_until must be after valid_from")
        object.__setattr__(self, "status", FaqStatus(self.status))
        paraphrases = tuple(dict.fromkeys(p.strip() for p in self.paraphrases if p.strip()))
        object.__setattr__(self, "paraphrases", tuple(p for p in paraphrases if p != self.question))
        object.__setattr__(self, "channel_answers", {Channel(k): v for k, v in self.channel_answers.items()})

    @property
    def questions(self) -> tuple[str, ...]:
        """The standard question followed by the paraphrases."""
        return (self.question, *self.paraphrases)

    def is_servable(self, now: datetime | None = None) -> bool:
        """Whether the entry is published and inside its validity window at ``now`` (default: now, UTC)."""
        moment = _utc(now) or datetime.now(UTC)
        if self.status is not FaqStatus.PUBLISHED:
            return False
        if self.valid_from is not None and moment < self.valid_from:
            return False
        return self.valid_until is None or moment < self.valid_until

    def answer_for(self, channel: Channel | str | None = None) -> str:
        """The answer text for ``channel``: its variant when there is one, else the default."""
        if channel is not None:
            try:
                return self.channel_answers.get(Channel(channel), self.answer.text)
            except ValueError:
                return self.answer.text
        return self.answer.text

    def replace(self, **changes: object) -> FaqEntry:
        """A copy with ``changes`` applied (validated again)."""
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]


def _check_id(faq_id: str) -> None:
    ok = 0 < len(faq_id) <= MAX_ID_LENGTH and all(c.isascii() and (c.isalnum() or c in "_-.") for c in faq_id)
    if not ok:
        raise FaqValidationError(
            f"bad FAQ id {faq_id!r}: use 1-{MAX_ID_LENGTH} ASCII letters, digits, '_', '-' or '.'"
        )


def _utc(moment: datetime | None) -> datetime | None:
    """Naive datetimes are taken as UTC; aware ones are converted to UTC."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)
