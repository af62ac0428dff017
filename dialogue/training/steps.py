"""Typed steps of stories, rules and test stories, each with the file:line it came from."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from nlu.training_data import SourceLocation

__all__ = [
    "ANY_VALUE",
    "ActionStep",
    "BotStep",
    "CheckpointStep",
    "EntityValue",
    "LoopStep",
    "OrStep",
    "SlotStep",
    "SlotValue",
    "SourceLocation",
    "Step",
    "Story",
    "StoryKind",
    "UserStep",
]

# ``slot_was_set: [- name]`` (no value): the slot holds some value, whatever it is
ANY_VALUE = "__any__"


class StoryKind(StrEnum):
    """Where a story came from: training stories, rules, or end-to-end test stories."""

    STORY = "story"
    RULE = "rule"
    TEST = "test"


@dataclass(frozen=True)
class EntityValue:
    """An entity a user step carries; ``value`` is ``None`` when the story names only the entity."""

    entity: str
    value: Any = None
    role: str | None = None
    group: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Rasa's entity dict as it appears in ``parse_data["entities"]``."""
        out: dict[str, Any] = {"entity": self.entity}
        if self.value is not None:
            out["value"] = self.value
        if self.role is not None:
            out["role"] = self.role
        if self.group is not None:
            out["group"] = self.group
        return out


@dataclass(frozen=True)
class UserStep:
    """``- intent: x`` / ``- user: text`` (end-to-end), with optional entities."""

    intent: str | None
    source: SourceLocation
    entities: tuple[EntityValue, ...] = ()
    text: str | None = None


@dataclass(frozen=True)
class ActionStep:
    """``- action: name``."""

    name: str
    source: SourceLocation


@dataclass(frozen=True)
class BotStep:
    """``- bot: text`` in end-to-end stories: the bot's words, not an action name."""

    text: str
    source: SourceLocation


@dataclass(frozen=True)
class SlotValue:
    """One ``slot_was_set`` entry; ``value`` is ``ANY_VALUE`` when only the name is given."""

    name: str
    value: Any = ANY_VALUE


@dataclass(frozen=True)
class SlotStep:
    """``- slot_was_set: [...]``."""

    slots: tuple[SlotValue, ...]
    source: SourceLocation


@dataclass(frozen=True)
class LoopStep:
    """``- active_loop: name`` (``None`` when a form ends: ``active_loop: null``)."""

    name: str | None
    source: SourceLocation


@dataclass(frozen=True)
class OrStep:
    """``- or: [...]``: any one of the alternatives (user or slot steps) continues the story."""

    alternatives: tuple[UserStep | SlotStep, ...]
    source: SourceLocation


@dataclass(frozen=True)
class CheckpointStep:
    """``- checkpoint: name``: joins the end of one story to the start of others."""

    name: str
    source: SourceLocation


Step = UserStep | ActionStep | BotStep | SlotStep | LoopStep | OrStep | CheckpointStep


@dataclass(frozen=True)
class Story:
    """One story, rule or test story.

    Attributes:
        condition: rule-only: slot and active-loop steps that must hold before the rule starts.
        conversation_start: rule-only: the rule applies only at the start of a conversation.
        wait_for_user_input: rule-only: ``False`` means the rule does not end with ``action_listen``.
    """

    name: str
    kind: StoryKind
    steps: tuple[Step, ...]
    source: SourceLocation
    condition: tuple[SlotStep | LoopStep, ...] = ()
    conversation_start: bool = False
    wait_for_user_input: bool = True

    @property
    def is_rule(self) -> bool:
        return self.kind is StoryKind.RULE
