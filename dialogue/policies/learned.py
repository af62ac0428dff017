"""Learned policy: a small MLP over the recent states, for paths no story spelled out (priority 1).

Each state becomes a multi-hot vector (intent, entity names, previous action,
influencing slot features, active loop); the last ``max_history`` vectors are
concatenated and an MLP predicts the next action. It trains on the story paths, on
rules that start with a user message, and on random concatenations of two story paths,
which teach it that what happened several turns ago rarely decides the next action.
Training takes well under a second on a hundred stories.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from dialogue.policies.base import PolicyPrediction, Priority
from dialogue.policies.memoization import influencing_slots
from dialogue.policies.state import State, initial_slots, tracker_states, training_pairs
from dialogue.tracker import ACTION_LISTEN, DialogueStateTracker
from dialogue.training.graph import Trace, steps_to_trace
from dialogue.training.steps import UserStep

if TYPE_CHECKING:
    from torch import nn

    from dialogue.domain import Domain
    from dialogue.training.graph import StoryGraph

__all__ = ["LearnedPolicy"]


class _Features:
    """Maps states to fixed-size vectors; the vocabulary comes from the domain and the stories."""

    def __init__(self, names: dict[str, list[str]]) -> None:
        self.names = names
        self.index: dict[tuple[str, str], int] = {}
        for group in ("intent", "entity", "action", "slot", "loop"):
            for name in names.get(group, []):
                self.index.setdefault((group, name), len(self.index))

    @classmethod
    def build(cls, domain: Domain, states: Iterable[State]) -> _Features:
        names: dict[str, set[str]] = {
            "intent": set(domain.intents),
            "entity": set(domain.entities),
            "action": set(domain.action_names),
            "slot": set(),
            "loop": set(domain.forms),
        }
        for state in states:
            if state.intent:
                names["intent"].add(state.intent)
            names["entity"].update(state.entities)
            if state.prev_action:
                names["action"].add(state.prev_action)
            names["slot"].update(f"{k}={v}" for k, v in state.slots)
            if state.active_loop:
                names["loop"].add(state.active_loop)
        return cls({group: sorted(values) for group, values in names.items()})

    @property
    def size(self) -> int:
        return len(self.index)

    def indices(self, state: State) -> list[int]:
        keys = [
            ("intent", state.intent or ""),
            ("action", state.prev_action or ""),
            ("loop", state.active_loop or ""),
        ]
        keys += [("entity", e) for e in state.entities]
        keys += [("slot", f"{k}={v}") for k, v in state.slots]
        return [self.index[k] for k in keys if k in self.index]

    def encode(self, states: Sequence[State], history: int) -> np.ndarray:
        """The last ``history`` states, oldest first, left-padded with zeros."""
        vector = np.zeros(history * self.size, dtype=np.float32)
        recent = list(states[-history:])
        offset = history - len(recent)
        for position, state in enumerate(recent, start=offset):
            for index in self.indices(state):
                vector[position * self.size + index] = 1.0
        return vector


class LearnedPolicy:
    """Predicts the next action from featurized recent turns with a small MLP.

    Args:
        max_history: how many recent states the model sees.
        hidden: hidden layer width.
        epochs: full-batch training epochs.
        augmentation: how many two-story concatenations to add, per story path (capped at 400 in all).
        seed: seeds torch and the augmentation, so training is reproducible.
    """

    name = "LearnedPolicy"
    priority = Priority.LEARNED

    def __init__(
        self,
        max_history: int = 4,
        hidden: int = 64,
        epochs: int = 150,
        augmentation: int = 2,
        seed: int = 42,
    ) -> None:
        self.max_history = max_history
        self.hidden = hidden
        self.epochs = epochs
        self.augmentation = augmentation
        self.seed = seed
        self.features: _Features | None = None
        self.actions: list[str] = []
        self.model: nn.Module | None = None

    def _config(self) -> dict[str, Any]:
        return {
            "max_history": self.max_history,
            "hidden": self.hidden,
            "epochs": self.epochs,
            "augmentation": self.augmentation,
            "seed": self.seed,
        }

    def _network(self, inputs: int, outputs: int) -> nn.Module:
        from torch import nn  # torch loads when a model is built, not on import

        return nn.Sequential(
            nn.Linear(inputs, self.hidden), nn.ReLU(), nn.Dropout(0.1), nn.Linear(self.hidden, outputs)
        )

    def _traces(self, stories: StoryGraph) -> list[Trace]:
        paths = stories.story_paths()
        traces = [steps_to_trace(p.name, p.steps) for p in paths]
        for rule, steps in stories.rule_variants():
            if steps and isinstance(steps[0], UserStep):
                traces.append(
                    steps_to_trace(
                        rule.name, steps, prefix=rule.condition, end_with_listen=rule.wait_for_user_input
                    )
                )
        rng = random.Random(self.seed)
        for _ in range(min(self.augmentation * len(paths), 400) if len(paths) > 1 else 0):
            first, second = rng.sample(paths, 2)
            traces.append(steps_to_trace("augmented", (*first.steps, *second.steps)))
        return traces

    def train(self, stories: StoryGraph, domain: Domain) -> None:
        """Fit the MLP on every (recent states, next action) pair of the stories and rules."""
        import torch

        slots = influencing_slots(domain)
        start = initial_slots(domain)
        pairs = [
            ([s.only_slots(slots) for s in states[-self.max_history :]], action)
            for trace in self._traces(stories)
            for states, action, _ in training_pairs(trace.events, domain, start)
        ]
        if not pairs:
            self.model = None
            return
        self.features = _Features.build(domain, (s for states, _ in pairs for s in states))
        self.actions = sorted({action for _, action in pairs})
        action_index = {a: i for i, a in enumerate(self.actions)}
        inputs = torch.from_numpy(
            np.stack([self.features.encode(states, self.max_history) for states, _ in pairs])
        )
        targets = torch.tensor([action_index[a] for _, a in pairs])
        threads = torch.get_num_threads()
        # a model this small trains many times faster on one thread than on contended cores
        torch.set_num_threads(1)
        try:
            with torch.random.fork_rng(devices=[]):  # seeded without touching the caller's random state
                torch.manual_seed(self.seed)
                self._fit(inputs, targets)
        finally:
            torch.set_num_threads(threads)

    def _fit(self, inputs: Any, targets: Any) -> None:
        import torch

        self.model = self._network(inputs.shape[1], len(self.actions))
        optimizer = torch.optim.Adam(self.model.parameters(), lr=0.01, weight_decay=1e-4)
        self.model.train()
        for _ in range(self.epochs):
            optimizer.zero_grad()
            loss = torch.nn.functional.cross_entropy(self.model(inputs), targets)
            loss.backward()
            optimizer.step()
        self.model.eval()

    def predict(self, tracker: DialogueStateTracker, domain: Domain) -> PolicyPrediction:
        """The most probable next action and its probability."""
        if self.model is None or self.features is None:
            return PolicyPrediction.abstain(self.name)
        import torch

        slots = influencing_slots(domain)
        states = [s.only_slots(slots) for s in tracker_states(tracker, domain)]
        with torch.no_grad():
            logits = self.model(torch.from_numpy(self.features.encode(states, self.max_history))[None])[0]
            if states and states[-1].prev_action == ACTION_LISTEN and ACTION_LISTEN in self.actions:
                logits[self.actions.index(ACTION_LISTEN)] = float("-inf")  # the user just spoke: act
            probs = torch.softmax(logits, dim=0)
        best = int(torch.argmax(probs))
        return PolicyPrediction(self.actions[best], float(probs[best]), self.name)

    def persist(self, directory: Path) -> None:
        import torch

        meta = {
            "config": self._config(),
            "actions": self.actions,
            "features": self.features.names if self.features else None,
        }
        (directory / "learned.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
        if self.model is not None:
            torch.save(self.model.state_dict(), directory / "learned.pt")

    @classmethod
    def load(cls, directory: Path) -> LearnedPolicy:
        import torch

        meta = json.loads((directory / "learned.json").read_text(encoding="utf-8"))
        policy = cls(**meta["config"])
        policy.actions = list(meta["actions"])
        if meta["features"] is not None and (directory / "learned.pt").exists():
            policy.features = _Features(meta["features"])
            policy.model = policy._network(policy.max_history * policy.features.size, len(policy.actions))
            policy.model.load_state_dict(torch.load(directory / "learned.pt", weights_only=True))
            policy.model.eval()
        return policy
