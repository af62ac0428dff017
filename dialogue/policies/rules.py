"""Rule policy: a rule's steps must match the end of the conversation (priority 5).

Each rule becomes *snippets*: for every action the rule predicts, the partial states
leading to it. A snippet matches when its states, aligned to the end of the tracker's
states, each agree with the tracker on what they constrain (previous action, intent,
entities present, slot values, active loop). ``conversation_start`` rules match only
before any other user message; rules end with an implicit ``action_listen`` unless
``wait_for_user_input: false``. A rule that starts with an action (after a condition)
treats that action as context: it is matched, never predicted.

While a form is active and has not rejected the latest message, only rules that
mention the active loop apply, and a rule's closing ``action_listen`` is left to the
form policy, so the form resumes after an interruption (Rasa's behaviour).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dialogue.events import ActionExecutionRejected, UserUttered
from dialogue.policies.base import PolicyPrediction, Priority
from dialogue.policies.state import State, featurize_slot, tracker_states
from dialogue.tracker import ACTION_LISTEN, DialogueStateTracker
from dialogue.training.graph import LinearStep
from dialogue.training.steps import ANY_VALUE, ActionStep, LoopStep, SlotStep, SourceLocation, Story, UserStep

if TYPE_CHECKING:
    from dialogue.domain import Domain
    from dialogue.training.graph import StoryGraph

__all__ = ["PartialState", "RulePolicy", "RuleSnippet", "best_snippet", "build_snippets", "loop_rejected"]

_ANY = "__any__"


@dataclass(frozen=True)
class PartialState:
    """What a rule requires of one state; unset fields match anything."""

    prev_action: str | None = None
    intent: str | None = None
    entities: tuple[str, ...] = ()
    slots: tuple[tuple[str, str | None], ...] = ()
    loop_constrained: bool = False
    active_loop: str | None = None

    def matches(self, state: State) -> bool:
        """Whether ``state`` agrees with every constraint."""
        if self.prev_action is not None and state.prev_action != self.prev_action:
            return False
        if self.intent is not None and state.intent != self.intent:
            return False
        if self.entities and not set(self.entities) <= set(state.entities):
            return False
        if self.loop_constrained and state.active_loop != self.active_loop:
            return False
        actual = dict(state.slots)
        for name, wanted in self.slots:
            value = actual.get(name)
            if (wanted == _ANY and value is None) or (wanted != _ANY and value != wanted):
                return False
        return True

    @property
    def specificity(self) -> int:
        """How many things this state constrains."""
        return (
            (self.prev_action is not None)
            + (self.intent is not None)
            + len(self.entities)
            + len(self.slots)
            + self.loop_constrained
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "prev_action": self.prev_action,
            "intent": self.intent,
            "entities": list(self.entities),
            "slots": [list(s) for s in self.slots],
            "loop_constrained": self.loop_constrained,
            "active_loop": self.active_loop,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PartialState:
        return cls(
            data["prev_action"],
            data["intent"],
            tuple(data["entities"]),
            tuple((k, v) for k, v in data["slots"]),
            data["loop_constrained"],
            data["active_loop"],
        )


@dataclass(frozen=True)
class RuleSnippet:
    """Partial states that, matching the end of a conversation, predict ``action``."""

    states: tuple[PartialState, ...]
    action: str
    rule: str
    source: SourceLocation
    conversation_start: bool = False
    closing: bool = False  # the implicit action_listen that ends the rule
    specificity: int = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "specificity", sum(s.specificity for s in self.states))

    @property
    def mentions_loop(self) -> bool:
        return any(s.loop_constrained for s in self.states)

    def matches(self, states: Sequence[State]) -> bool:
        """Whether the snippet matches the end of ``states``."""
        size = len(self.states)
        if size > len(states):
            return False
        window = states[len(states) - size :]
        if self.conversation_start:
            first = window[0]
            if first.user_turns != (1 if self.states[0].intent is not None else 0):
                return False
        return all(p.matches(s) for p, s in zip(self.states, window, strict=True))

    def to_dict(self) -> dict[str, Any]:
        return {
            "states": [s.to_dict() for s in self.states],
            "action": self.action,
            "rule": self.rule,
            "source": [self.source.path, self.source.line],
            "conversation_start": self.conversation_start,
            "closing": self.closing,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RuleSnippet:
        return cls(
            tuple(PartialState.from_dict(s) for s in data["states"]),
            data["action"],
            data["rule"],
            SourceLocation(*data["source"]),
            data["conversation_start"],
            data["closing"],
        )


class _Builder:
    """Walks one rule variant's steps and collects its snippets."""

    def __init__(self, rule: Story, domain: Domain | None) -> None:
        self.rule = rule
        self.domain = domain
        self.done: list[PartialState] = []
        self.current: dict[str, Any] = {"slots": {}}
        self.snippets: list[RuleSnippet] = []
        self.last_action: str | None = None
        self.seen_user = False
        for step in rule.condition:
            self.constrain(step)

    def constrain(self, step: SlotStep | LoopStep) -> None:
        if isinstance(step, LoopStep):
            self.current["loop"] = step.name
            return
        for slot in step.slots:
            if slot.value == ANY_VALUE:
                wanted = _ANY
            else:
                wanted = featurize_slot(self.domain, slot.name, slot.value)
            self.current["slots"][slot.name] = wanted

    def freeze(self) -> PartialState:
        c = self.current
        return PartialState(
            prev_action=c.get("prev"),
            intent=c.get("intent"),
            entities=tuple(sorted(c.get("entities", ()))),
            slots=tuple(sorted(c["slots"].items())),
            loop_constrained="loop" in c,
            active_loop=c.get("loop"),
        )

    def act(self, action: str, source: SourceLocation, *, predict: bool, closing: bool = False) -> None:
        state = self.freeze()
        if predict:
            states = (*self.done, state)
            self.snippets.append(
                RuleSnippet(states, action, self.rule.name, source, self.rule.conversation_start, closing)
            )
        self.done.append(state)
        self.current = {"slots": {}, "prev": action}
        self.last_action = action

    def user(self, step: UserStep) -> None:
        if self.last_action is not None and self.last_action != ACTION_LISTEN:
            self.act(ACTION_LISTEN, step.source, predict=True)
        self.current["prev"] = ACTION_LISTEN
        self.current["intent"] = step.intent
        self.current["entities"] = {e.entity for e in step.entities}
        self.seen_user = True


def build_snippets(rule: Story, steps: Sequence[LinearStep], domain: Domain | None) -> list[RuleSnippet]:
    """The snippets of one rule variant (``or`` already expanded)."""
    builder = _Builder(rule, domain)
    last_source = rule.source
    for step in steps:
        last_source = step.source
        if isinstance(step, UserStep):
            builder.user(step)
        elif isinstance(step, ActionStep):
            # a rule starting with an action (a form's submit rule) names it as context only
            predict = builder.seen_user or bool(builder.done) or rule.conversation_start
            builder.act(step.name, step.source, predict=predict)
        elif isinstance(step, SlotStep | LoopStep):
            builder.constrain(step)
    ends_with_user = bool(steps) and isinstance(steps[-1], UserStep)
    if rule.wait_for_user_input and builder.last_action not in (None, ACTION_LISTEN) and not ends_with_user:
        builder.act(ACTION_LISTEN, last_source, predict=True, closing=True)
    return builder.snippets


def best_snippet(
    snippets: Iterable[RuleSnippet], states: Sequence[State], *, loop: str = "none"
) -> RuleSnippet | None:
    """The longest, then most specific, then first written snippet matching ``states``.

    Args:
        loop: ``"none"`` (no active loop), ``"active"`` (the form handles the message:
            only rules about the loop apply) or ``"rejected"`` (the form gave up on the
            message: any rule may answer it, but only the form may close the turn).
    """
    best: RuleSnippet | None = None
    for snippet in snippets:
        if loop == "active" and not snippet.mentions_loop:
            continue
        if loop == "rejected" and snippet.closing and not snippet.mentions_loop:
            continue
        if not snippet.matches(states):
            continue
        if best is None or (len(snippet.states), snippet.specificity) > (len(best.states), best.specificity):
            best = snippet
    return best


def loop_rejected(tracker: DialogueStateTracker) -> bool:
    """Whether the active loop rejected the latest user message (it could not fill a slot)."""
    loop = tracker.active_loop_name
    for event in reversed(tracker.applied_events()):
        if isinstance(event, UserUttered):
            return False
        if isinstance(event, ActionExecutionRejected) and event.action_name == loop:
            return True
    return False


class RulePolicy:
    """Predicts with certainty what a matching rule says; abstains otherwise."""

    name = "RulePolicy"
    priority = Priority.RULE

    def __init__(self, snippets: Sequence[RuleSnippet] = ()) -> None:
        self.snippets: list[RuleSnippet] = list(snippets)

    def train(self, stories: StoryGraph, domain: Domain) -> None:
        """Build the snippets of every rule (with ``or`` expanded)."""
        self.snippets = [
            s for rule, steps in stories.rule_variants() for s in build_snippets(rule, steps, domain)
        ]

    def best_match(self, states: Sequence[State], *, loop: str = "none") -> RuleSnippet | None:
        """The snippet that decides for ``states`` (see ``best_snippet``)."""
        return best_snippet(self.snippets, states, loop=loop)

    def predict(self, tracker: DialogueStateTracker, domain: Domain) -> PolicyPrediction:
        """The action of the best matching rule snippet, with confidence 1.0."""
        loop = "none"
        if tracker.active_loop_name is not None:
            loop = "rejected" if loop_rejected(tracker) else "active"
        snippet = self.best_match(tracker_states(tracker, domain), loop=loop)
        if snippet is None:
            return PolicyPrediction.abstain(self.name)
        return PolicyPrediction(snippet.action, 1.0, self.name)

    def persist(self, directory: Path) -> None:
        payload = {"snippets": [s.to_dict() for s in self.snippets]}
        (directory / "rules.json").write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, directory: Path) -> RulePolicy:
        payload = json.loads((directory / "rules.json").read_text(encoding="utf-8"))
        return cls([RuleSnippet.from_dict(s) for s in payload["snippets"]])
