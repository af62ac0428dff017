"""Fallback policy: unclear messages get a clarifying question, then a human (priority 4).

Right after a user message it looks at the NLU result: intent ``nlu_fallback``, a
confidence below ``nlu_threshold``, or two top intents closer than
``ambiguity_threshold`` make the message unclear. An unclear message is answered with
``action_clarify`` (buttons with the top two intents); if the previous user message
was already clarified, with ``action_handoff``. After either action it predicts
``action_listen``. While a form is active it waits until the form rejects the message.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dialogue.events import ActionExecuted, UserUttered
from dialogue.policies.base import PolicyPrediction, Priority
from dialogue.policies.rules import loop_rejected
from dialogue.tracker import ACTION_LISTEN, DialogueStateTracker

if TYPE_CHECKING:
    from dialogue.domain import Domain
    from dialogue.training.graph import StoryGraph

__all__ = ["ACTION_CLARIFY", "ACTION_HANDOFF", "FALLBACK_INTENT", "FallbackPolicy", "is_unclear"]

ACTION_CLARIFY = "action_clarify"
ACTION_HANDOFF = "action_handoff"
FALLBACK_INTENT = "nlu_fallback"


def is_unclear(message: UserUttered, nlu_threshold: float, ambiguity_threshold: float) -> bool:
    """Whether the NLU result of ``message`` is too weak or too ambiguous to act on."""
    intent = message.intent
    name = intent.get("name")
    if not name or name == FALLBACK_INTENT:
        return True
    if float(intent.get("confidence", 1.0)) < nlu_threshold:
        return True
    ranking = [r for r in message.parse_data.get("intent_ranking") or [] if r.get("name") != FALLBACK_INTENT]
    if len(ranking) >= 2:
        first, second = (float(r.get("confidence", 0.0)) for r in ranking[:2])
        return first - second < ambiguity_threshold
    return False


class FallbackPolicy:
    """Clarify the first unclear message, hand the second one in a row to a human.

    Args:
        nlu_threshold: intent confidence below which a message is unclear.
        ambiguity_threshold: top-two intent confidences closer than this are ambiguous.
    """

    name = "FallbackPolicy"
    priority = Priority.FALLBACK

    def __init__(self, nlu_threshold: float = 0.4, ambiguity_threshold: float = 0.1) -> None:
        self.nlu_threshold = nlu_threshold
        self.ambiguity_threshold = ambiguity_threshold

    def train(self, stories: StoryGraph, domain: Domain) -> None:
        """Nothing to learn: the policy works on NLU confidences."""

    def predict(self, tracker: DialogueStateTracker, domain: Domain) -> PolicyPrediction:
        """``action_clarify``, ``action_handoff``, the ``action_listen`` after them, or no opinion."""
        latest_action = tracker.latest_action_name
        if latest_action in (ACTION_CLARIFY, ACTION_HANDOFF):
            return PolicyPrediction(ACTION_LISTEN, 1.0, self.name)
        message = tracker.latest_message
        if latest_action != ACTION_LISTEN or message is None:
            return PolicyPrediction.abstain(self.name)
        if tracker.active_loop_name is not None and not loop_rejected(tracker):
            return PolicyPrediction.abstain(self.name)  # the form may still use the message
        if not is_unclear(message, self.nlu_threshold, self.ambiguity_threshold):
            return PolicyPrediction.abstain(self.name)
        action = ACTION_HANDOFF if _previous_turn_clarified(tracker) else ACTION_CLARIFY
        return PolicyPrediction(action, 1.0, self.name)

    def _config(self) -> dict[str, Any]:
        return {"nlu_threshold": self.nlu_threshold, "ambiguity_threshold": self.ambiguity_threshold}

    def persist(self, directory: Path) -> None:
        (directory / "fallback.json").write_text(json.dumps(self._config()), encoding="utf-8")

    @classmethod
    def load(cls, directory: Path) -> FallbackPolicy:
        return cls(**json.loads((directory / "fallback.json").read_text(encoding="utf-8")))


def _previous_turn_clarified(tracker: DialogueStateTracker) -> bool:
    """Whether the bot answered the user message before the latest one with ``action_clarify``."""
    seen_latest = False
    for event in reversed(tracker.applied_events()):
        if isinstance(event, UserUttered):
            if seen_latest:
                return False
            seen_latest = True
        elif seen_latest and isinstance(event, ActionExecuted) and event.action_name == ACTION_CLARIFY:
            return True
    return False
