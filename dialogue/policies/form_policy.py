"""FormPolicy: keeps an active form running until it completes or is cancelled (priority 4)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from dialogue.events import ActionExecuted, ActionExecutionRejected, UserUttered
from dialogue.policies.base import PolicyPrediction, Priority
from dialogue.tracker import ACTION_LISTEN, DialogueStateTracker

if TYPE_CHECKING:
    from dialogue.domain import Domain
    from dialogue.training.graph import StoryGraph

__all__ = ["FormPolicy"]

_FILE = "form_policy.json"


class FormPolicy:
    """Predicts the active form while a loop is active.

    - After the user spoke (``action_listen``) or after another action answered a digression:
      the form, confidence 1.0 (it extracts, validates, and asks again).
    - Right after the form ran: ``action_listen``.
    - No active loop, or the processor rejected the form for this message
      (``ActionExecutionRejected``): no opinion, so rules and stories handle the digression.
    """

    name = "FormPolicy"
    priority = Priority.FORM

    def train(self, stories: StoryGraph, domain: Domain) -> None:
        """Nothing to learn: forms are declared in the domain."""

    def predict(self, tracker: DialogueStateTracker, domain: Domain) -> PolicyPrediction:
        """The active form, ``action_listen`` after it ran, or no opinion."""
        loop = tracker.active_loop_name
        if loop is None or _rejected_since_last_action(tracker, loop):
            return PolicyPrediction.abstain(self.name)
        if tracker.latest_action_name == loop:
            return PolicyPrediction(ACTION_LISTEN, 1.0, self.name)
        return PolicyPrediction(loop, 1.0, self.name)

    def persist(self, directory: Path) -> None:
        (directory / _FILE).write_text(json.dumps({"priority": self.priority}), encoding="utf-8")

    @classmethod
    def load(cls, directory: Path) -> FormPolicy:
        return cls()


def _rejected_since_last_action(tracker: DialogueStateTracker, loop: str) -> bool:
    """Whether the loop's execution was rejected after the latest action or user message."""
    for event in reversed(tracker.applied_events()):
        if isinstance(event, ActionExecutionRejected) and event.action_name == loop:
            return True
        if isinstance(event, ActionExecuted | UserUttered):
            return False
    return False
