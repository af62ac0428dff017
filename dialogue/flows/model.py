"""The flow model: flows, their steps, and branch targets (see ``README.md`` for the format)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from dialogue.flows.conditions import Condition

__all__ = ["END", "Branch", "Flow", "FlowStep", "FlowsList", "StepKind"]

END = "END"  # the target that ends the current flow


class StepKind(StrEnum):
    """What a step does."""

    COLLECT = "collect"  # ask for a slot and wait for the answer
    ACTION = "action"  # run an action (a response or a custom action)
    SET_SLOTS = "set_slots"  # set slots, no action
    LINK = "link"  # end this flow and continue in another
    BRANCH = "branch"  # only a ``next`` (a decision point)


@dataclass(frozen=True)
class Branch:
    """One ``next`` entry: go to ``target`` if ``condition`` holds (``None``: always)."""

    condition: Condition | None
    target: str
    line: int = 0


@dataclass(frozen=True)
class FlowStep:
    """One step of a flow; only the fields of its ``kind`` are set."""

    id: str
    kind: StepKind
    line: int = 0
    collect: str | None = None
    ask: str | None = None
    ask_before_filling: bool = False
    reset_after_flow_ends: bool = True
    action: str | None = None
    set_slots: tuple[tuple[str, Any], ...] = ()
    link: str | None = None
    next: tuple[Branch, ...] = ()  # empty: continue with the following step

    @property
    def ask_response(self) -> str:
        """The response that asks for the collected slot (``utter_ask_<slot>`` by default)."""
        return self.ask or f"utter_ask_{self.collect}"

    def as_yaml(self) -> dict[str, Any]:
        """The step in ``flows.yml`` shape."""
        out: dict[str, Any] = {"id": self.id}
        if self.kind is StepKind.COLLECT:
            out["collect"] = self.collect
            if self.ask:
                out["ask"] = self.ask
            out["ask_before_filling"] = self.ask_before_filling
            out["reset_after_flow_ends"] = self.reset_after_flow_ends
        elif self.kind is StepKind.ACTION:
            out["action"] = self.action
        elif self.kind is StepKind.SET_SLOTS:
            out["set_slots"] = [{key: value} for key, value in self.set_slots]
        elif self.kind is StepKind.LINK:
            out["link"] = self.link
        if self.next:
            out["next"] = [
                {"if": b.condition.source, "then": b.target} if b.condition else {"else": b.target}
                for b in self.next
            ]
        return out


@dataclass(frozen=True)
class Flow:
    """A named call script: triggered by intents, run step by step."""

    id: str
    steps: tuple[FlowStep, ...]
    description: str = ""
    trigger_intents: tuple[str, ...] = ()
    path: str = "<flows>"
    line: int = 0
    _index: dict[str, int] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._index.update({step.id: i for i, step in enumerate(self.steps)})

    @property
    def first_step_id(self) -> str:
        return self.steps[0].id if self.steps else END

    def has_step(self, step_id: str) -> bool:
        return step_id in self._index

    def step(self, step_id: str) -> FlowStep:
        """The step called ``step_id`` (``KeyError`` if there is none)."""
        return self.steps[self._index[step_id]]

    def following(self, step_id: str) -> str:
        """The id of the step after ``step_id`` in the list, or ``END`` after the last."""
        index = self._index[step_id] + 1
        return self.steps[index].id if index < len(self.steps) else END

    def next_step_id(self, step: FlowStep, slots: Mapping[str, Any], intent: str | None) -> str:
        """Where to go after ``step``: the first branch whose condition holds, else the following step."""
        if step.kind is StepKind.LINK:
            return END
        for branch in step.next:
            if branch.condition is None or branch.condition.evaluate(slots, intent):
                return branch.target
        return self.following(step.id)

    def successors(self, step: FlowStep) -> list[str]:
        """Every step id (or ``END``) that may follow ``step``, for reachability checks."""
        if step.kind is StepKind.LINK:
            return []
        targets = [branch.target for branch in step.next]
        if not step.next or all(branch.condition is not None for branch in step.next):
            targets.append(self.following(step.id))
        return targets

    def collected_slots(self) -> list[str]:
        """Slots collected by this flow's steps, in order."""
        return [step.collect for step in self.steps if step.kind is StepKind.COLLECT and step.collect]

    def slots_to_reset(self) -> list[str]:
        """Slots to clear when the flow ends (collect steps with ``reset_after_flow_ends``)."""
        return [
            step.collect
            for step in self.steps
            if step.kind is StepKind.COLLECT and step.collect and step.reset_after_flow_ends
        ]

    def as_yaml(self) -> dict[str, Any]:
        """The flow in ``flows.yml`` shape."""
        out: dict[str, Any] = {}
        if self.description:
            out["description"] = self.description
        if self.trigger_intents:
            out["trigger"] = {"intents": list(self.trigger_intents)}
        out["steps"] = [step.as_yaml() for step in self.steps]
        return out


@dataclass(frozen=True)
class FlowsList:
    """All flows of a bot, by id."""

    flows: Mapping[str, Flow] = field(default_factory=dict)

    def __iter__(self) -> Iterator[Flow]:
        return iter(self.flows.values())

    def __len__(self) -> int:
        return len(self.flows)

    def __contains__(self, flow_id: object) -> bool:
        return flow_id in self.flows

    def get(self, flow_id: str) -> Flow | None:
        return self.flows.get(flow_id)

    def triggered_by(self, intent: str | None) -> Flow | None:
        """The first flow (in file order) that ``intent`` starts, if any."""
        if intent is None:
            return None
        return next((flow for flow in self if intent in flow.trigger_intents), None)

    def as_yaml(self) -> dict[str, Any]:
        """Everything in ``flows.yml`` shape (``load_flows`` reads it back)."""
        return {"flows": {flow.id: flow.as_yaml() for flow in self}}
