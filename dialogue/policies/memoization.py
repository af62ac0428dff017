"""Memoization policy: replays stories exactly (priority 3).

It remembers, for every action in every story path, the last ``max_history`` states
before it. When the conversation's last states equal a remembered key, it predicts the
remembered action with confidence 1.0. Keys that stories continue differently are
forgotten (they are ambiguous). Only slots with ``influence_conversation`` count.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from dialogue.policies.base import PolicyPrediction, Priority
from dialogue.policies.state import State, initial_slots, tracker_states, training_pairs
from dialogue.tracker import DialogueStateTracker

if TYPE_CHECKING:
    from dialogue.domain import Domain
    from dialogue.training.graph import StoryGraph

__all__ = ["MemoizationPolicy", "influencing_slots"]

Key = tuple[State, ...]


def influencing_slots(domain: Domain) -> frozenset[str]:
    """Names of the slots whose value may change what the bot does next."""
    return frozenset(name for name, spec in domain.slots.items() if spec.influence_conversation)


class MemoizationPolicy:
    """Predicts the next action of a story whose recent history matches exactly."""

    name = "MemoizationPolicy"
    priority = Priority.MEMOIZATION

    def __init__(self, max_history: int = 5) -> None:
        self.max_history = max_history
        self.lookup: dict[Key, str | None] = {}

    def _key(self, states: Sequence[State], slots: frozenset[str]) -> Key:
        return tuple(s.only_slots(slots) for s in states[-self.max_history :])

    def train(self, stories: StoryGraph, domain: Domain) -> None:
        """Remember the recent states before each action of every story path."""
        slots = influencing_slots(domain)
        start = initial_slots(domain)
        self.lookup = {}
        for trace in stories.training_traces():
            for states, action, _ in training_pairs(trace.events, domain, start):
                key = self._key(states, slots)
                if key in self.lookup and self.lookup[key] != action:
                    self.lookup[key] = None  # stories disagree: no exact answer
                else:
                    self.lookup[key] = action

    def predict(self, tracker: DialogueStateTracker, domain: Domain) -> PolicyPrediction:
        """The remembered action for the last ``max_history`` states, if any."""
        action = self.lookup.get(self._key(tracker_states(tracker, domain), influencing_slots(domain)))
        if action is None:
            return PolicyPrediction.abstain(self.name)
        return PolicyPrediction(action, 1.0, self.name)

    def persist(self, directory: Path) -> None:
        payload = {
            "max_history": self.max_history,
            "lookup": [[[s.to_list() for s in key], action] for key, action in self.lookup.items()],
        }
        (directory / "memoization.json").write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, directory: Path) -> MemoizationPolicy:
        payload = json.loads((directory / "memoization.json").read_text(encoding="utf-8"))
        policy = cls(max_history=int(payload["max_history"]))
        policy.lookup = {tuple(State.from_list(s) for s in key): action for key, action in payload["lookup"]}
        return policy
