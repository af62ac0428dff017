"""The policy contract: what every dialogue policy predicts, trains on and persists."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from dialogue.events import Event
from dialogue.tracker import DialogueStateTracker

if TYPE_CHECKING:
    from dialogue.domain import Domain
    from dialogue.training.graph import StoryGraph

__all__ = ["Policy", "PolicyPrediction", "Priority"]


class Priority:
    """Policy priorities: on a tie in confidence-passing predictions, the higher one decides."""

    FLOW = 6
    RULE = 5
    FORM = 4
    FALLBACK = 4  # listed after forms in the ensemble, so an active form tries first
    MEMOIZATION = 3
    LEARNED = 1


@dataclass(frozen=True)
class PolicyPrediction:
    """A policy's opinion on the next action.

    Attributes:
        action: the action to run next; ``None`` means no opinion.
        confidence: 0..1.
        policy: the name of the policy that made it (``"RulePolicy"``...).
        events: events the policy wants applied before the action (e.g. a flow's set_slots).
    """

    action: str | None
    confidence: float
    policy: str
    events: tuple[Event, ...] = ()

    @classmethod
    def abstain(cls, policy: str) -> PolicyPrediction:
        """No opinion."""
        return cls(None, 0.0, policy)


@runtime_checkable
class Policy(Protocol):
    """A dialogue policy. ``name`` identifies it in predictions; ``priority`` ranks it."""

    name: str
    priority: int

    def train(self, stories: StoryGraph, domain: Domain) -> None:
        """Learn from the bot's stories and rules."""

    def predict(self, tracker: DialogueStateTracker, domain: Domain) -> PolicyPrediction:
        """The next action for the conversation in ``tracker``."""

    def persist(self, directory: Path) -> None:
        """Write everything ``load`` needs into ``directory`` (which exists)."""

    @classmethod
    def load(cls, directory: Path) -> Policy:
        """Read a policy written by ``persist``."""
