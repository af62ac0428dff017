"""Dialogue training data: Rasa 3.x stories, rules and end-to-end test stories."""

from __future__ import annotations

from dialogue.training.graph import StoryGraph, StoryPath, Trace, expand_or, steps_to_trace, user_event
from dialogue.training.steps import (
    ANY_VALUE,
    ActionStep,
    BotStep,
    CheckpointStep,
    EntityValue,
    LoopStep,
    OrStep,
    SlotStep,
    SlotValue,
    SourceLocation,
    Step,
    Story,
    StoryKind,
    UserStep,
)
from dialogue.training.stories import load_stories, load_stories_text

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
    "StoryGraph",
    "StoryKind",
    "StoryPath",
    "Trace",
    "UserStep",
    "expand_or",
    "load_stories",
    "load_stories_text",
    "steps_to_trace",
    "user_event",
]
