"""Run flows step by step; progress lives in the ``flow_stack`` slot, so it is event-sourced.

``FlowExecutor.decide`` reads the tracker and returns the next action plus the events to apply
before it (the new ``flow_stack`` value, ``set_slots`` values, collected answers). It never
mutates the tracker: the policy hands the events to the processor, so a restarted server
replays the same stack from the stored events.

A stack frame is ``{"flow": id, "step": step_id, "asked": bool, "attempts": int}``: the step
now running; ``asked`` marks a collect step waiting for the user's answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from dialogue.errors import StoryError
from dialogue.events import Event, SlotSet
from dialogue.flows.model import END, Flow, FlowsList, FlowStep, StepKind
from dialogue.forms import extract_slots
from dialogue.tracker import ACTION_LISTEN, DialogueStateTracker

if TYPE_CHECKING:
    from dialogue.domain import Domain

__all__ = ["FLOW_STACK_SLOT", "FlowDecision", "FlowExecutor", "FlowFrame"]

FLOW_STACK_SLOT = "flow_stack"
# not action_default_fallback: it reverts the user message, and with it the reset of the dropped flow
DEFAULT_FALLBACK_ACTION = "action_default_ask_rephrase"


@dataclass
class FlowFrame:
    """One running flow and its current step."""

    flow: str
    step: str
    asked: bool = False
    attempts: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {"flow": self.flow, "step": self.step, "asked": self.asked, "attempts": self.attempts}

    @classmethod
    def from_dict(cls, data: Any) -> FlowFrame | None:
        if not isinstance(data, dict) or "flow" not in data or "step" not in data:
            return None
        return cls(
            str(data["flow"]), str(data["step"]), bool(data.get("asked")), int(data.get("attempts") or 0)
        )


@dataclass(frozen=True)
class FlowDecision:
    """The next action (``None``: no flow is running, no opinion) and the events to apply first."""

    action: str | None
    events: tuple[Event, ...] = ()


class _Run:
    """The state one ``decide`` call works on: stack, slot values, new events."""

    def __init__(self, tracker: DialogueStateTracker, domain: Domain, stack: list[FlowFrame]) -> None:
        self.domain = domain
        self.stack = stack
        self.slots: dict[str, Any] = dict(tracker.slots)
        self.intent = tracker.latest_message.intent_name if tracker.latest_message else None
        self.events: list[Event] = []
        self._old_stack = tracker.get_slot(FLOW_STACK_SLOT) or []

    def set_slot(self, name: str, value: Any) -> None:
        self.slots[name] = value
        self.events.append(SlotSet(name, value))

    def reset(self, flow: Flow) -> None:
        for name in flow.slots_to_reset():
            spec = self.domain.slots.get(name)
            self.set_slot(name, spec.initial_value if spec is not None else None)

    def decision(self, action: str) -> FlowDecision:
        stack = [frame.to_dict() for frame in self.stack]
        events = list(self.events)
        if stack != self._old_stack:
            events.append(SlotSet(FLOW_STACK_SLOT, stack))
        return FlowDecision(action, tuple(events))


class FlowExecutor:
    """Decides the next action of the running flow (or starts one).

    Args:
        flows: the bot's flows.
        fallback_action: predicted (and every running flow dropped) when a collect step got no
            value twice in a row.
        max_reasks: how many times a collect step re-asks before falling back.
        max_steps: steps one decision may walk through without an action (a loop guard).
    """

    def __init__(
        self,
        flows: FlowsList,
        *,
        fallback_action: str = DEFAULT_FALLBACK_ACTION,
        max_reasks: int = 1,
        max_steps: int = 100,
    ) -> None:
        self.flows = flows
        self.fallback_action = fallback_action
        self.max_reasks = max_reasks
        self.max_steps = max_steps

    def read_stack(self, tracker: DialogueStateTracker) -> list[FlowFrame]:
        """The tracker's flow stack; frames of flows or steps that no longer exist are dropped."""
        frames = [FlowFrame.from_dict(raw) for raw in tracker.get_slot(FLOW_STACK_SLOT) or []]
        return [
            frame
            for frame in frames
            if frame is not None and frame.flow in self.flows and self._flow(frame.flow).has_step(frame.step)
        ]

    def decide(self, tracker: DialogueStateTracker, domain: Domain) -> FlowDecision:
        """The next action of the flows for this tracker, with the events to apply before it.

        Raises:
            StoryError: a flow walked ``max_steps`` steps without an action (FLW201).
        """
        run = _Run(tracker, domain, self.read_stack(tracker))
        user_turn = tracker.latest_action_name == ACTION_LISTEN and tracker.latest_message is not None
        if user_turn:
            flow = self.flows.triggered_by(run.intent)
            if flow is not None and all(frame.flow != flow.id for frame in run.stack):
                return self._start(flow, tracker, run)
        if not run.stack:
            return FlowDecision(None)
        top = run.stack[-1]
        step = self._flow(top.flow).step(top.step)
        if top.asked and step.kind is StepKind.COLLECT:
            if user_turn:
                return self._answer(step, tracker, run)
            return FlowDecision(ACTION_LISTEN)  # the question was asked: wait for the user
        return self._walk(run, self._flow(top.flow).next_step_id(step, run.slots, run.intent))

    def _flow(self, flow_id: str) -> Flow:
        flow = self.flows.get(flow_id)
        assert flow is not None  # stacks and links are checked against the flows
        return flow

    def _start(self, flow: Flow, tracker: DialogueStateTracker, run: _Run) -> FlowDecision:
        """Push ``flow`` (on top of an interrupted one, if any) and fill its slots from the message."""
        found = extract_slots(tracker, run.domain, slot_names=flow.collected_slots())
        for event in found:
            if event.value is not None:
                run.set_slot(event.key, event.value)
        run.stack.append(FlowFrame(flow.id, flow.first_step_id))
        return self._walk(run, flow.first_step_id)

    def _answer(self, step: FlowStep, tracker: DialogueStateTracker, run: _Run) -> FlowDecision:
        """Fill the collected slot from the user's answer, re-ask once, or fall back."""
        assert step.collect is not None
        value = self._collected_value(step.collect, tracker, run.domain)
        top = run.stack[-1]
        if value is not None:
            run.set_slot(step.collect, value)
            top.asked, top.attempts = False, 0
            return self._walk(run, self._flow(top.flow).next_step_id(step, run.slots, run.intent))
        if top.attempts < self.max_reasks:
            top.attempts += 1
            return run.decision(step.ask_response)
        while run.stack:  # give up: drop every running flow, then the fallback answers
            run.reset(self._flow(run.stack.pop().flow))
        return run.decision(self.fallback_action)

    @staticmethod
    def _collected_value(slot: str, tracker: DialogueStateTracker, domain: Domain) -> Any:
        """The slot's value from the latest message; a slot without mappings takes the whole text."""
        spec = domain.slots.get(slot)
        if spec is not None and not spec.mappings:
            return tracker.latest_message.text if tracker.latest_message else None
        found = extract_slots(tracker, domain, requested_slot=slot, slot_names=[slot])
        return found[-1].value if found else None

    def _walk(self, run: _Run, step_id: str) -> FlowDecision:
        """Run steps from ``step_id`` until one needs an action (or every flow ended)."""
        for _ in range(self.max_steps):
            if step_id == END:
                resumed = self._end_flow(run)
                if resumed is None:
                    return run.decision(ACTION_LISTEN)
                if isinstance(resumed, FlowDecision):
                    return resumed
                step_id = resumed
                continue
            flow = self._flow(run.stack[-1].flow)
            step = flow.step(step_id)
            run.stack[-1] = FlowFrame(flow.id, step.id)
            if step.kind is StepKind.COLLECT and step.collect is not None:
                if run.slots.get(step.collect) is None or step.ask_before_filling:
                    run.stack[-1].asked = True
                    return run.decision(step.ask_response)
            elif step.kind is StepKind.ACTION and step.action is not None:
                return run.decision(step.action)
            elif step.kind is StepKind.SET_SLOTS:
                for name, value in step.set_slots:
                    run.set_slot(name, value)
            elif step.kind is StepKind.LINK and step.link is not None:
                run.reset(flow)
                target = self._flow(step.link)
                run.stack[-1] = FlowFrame(target.id, target.first_step_id)
                step_id = target.first_step_id
                continue
            step_id = flow.next_step_id(step, run.slots, run.intent)
        flow = self._flow(run.stack[-1].flow)
        raise StoryError(
            f"flow {flow.id!r} ran {self.max_steps} steps without an action (a loop of set_slots/links?)",
            path=flow.path,
            line=flow.step(step_id).line if flow.has_step(step_id) else flow.line,
            code="FLW201",
            hint="put a collect or action step inside the loop",
        )

    def _end_flow(self, run: _Run) -> str | FlowDecision | None:
        """Pop the finished flow; resume the one below: re-ask its question or give its next step."""
        run.reset(self._flow(run.stack.pop().flow))
        if not run.stack:
            return None
        top = run.stack[-1]
        flow = self._flow(top.flow)
        step = flow.step(top.step)
        if top.asked and step.kind is StepKind.COLLECT:
            return run.decision(step.ask_response)
        return flow.next_step_id(step, run.slots, run.intent)
