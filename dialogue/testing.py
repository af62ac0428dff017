"""End-to-end test stories: replay ``user:`` turns through a bot and compare what it did.

A story fails at the first step where the bot diverged: a different intent, a different
action or bot text, or a slot/loop that does not hold. The report names that step's
file and line.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from typing import Any, Protocol

from dialogue.events import ActionExecuted, BotUttered, UserUttered
from dialogue.processor import UserMessage
from dialogue.tracker import ACTION_LISTEN, DialogueStateTracker
from dialogue.training.graph import StoryGraph
from dialogue.training.steps import ANY_VALUE, ActionStep, BotStep, EntityValue, LoopStep, SlotStep, UserStep

__all__ = ["StoryResult", "TestReport", "run_test_stories"]


class Conversations(Protocol):
    async def handle_message(self, message: UserMessage) -> list[Any]: ...

    async def get_tracker(self, sender_id: str) -> DialogueStateTracker: ...


@dataclass
class StoryResult:
    name: str
    passed: bool
    failure: str = ""
    location: str = ""


@dataclass
class TestReport:
    __test__ = False  # not a pytest test class, despite the name

    results: list[StoryResult] = field(default_factory=list)

    @property
    def failed(self) -> list[StoryResult]:
        return [r for r in self.results if not r.passed]

    def summary(self) -> str:
        lines = [f"FAILED {r.name} at {r.location}: {r.failure}" for r in self.failed]
        lines.append(f"{len(self.results) - len(self.failed)} passed, {len(self.failed)} failed")
        return "\n".join(lines)


async def run_test_stories(bot: Conversations, stories: StoryGraph) -> TestReport:
    """Run every test story of ``stories`` against ``bot`` in a fresh conversation."""
    report = TestReport()
    for path in stories.story_paths(test=True):
        report.results.append(await _run_story(bot, path.name, list(path.steps)))
    return report


def _user_text(step: UserStep) -> str:
    if step.text:
        return step.text
    entities = {e.entity: e.value for e in step.entities if e.value is not None}
    return f"/{step.intent}" + (json.dumps(entities, ensure_ascii=False) if entities else "")


async def _run_story(bot: Conversations, name: str, steps: list[Any]) -> StoryResult:
    sender = f"test-{uuid.uuid4().hex[:12]}"
    observed: list[tuple[str, str]] = []  # ("action", name) / ("bot", text) since the last user turn
    for step in steps:
        where = str(step.source)
        if isinstance(step, UserStep):
            if problem := _leftover(observed):
                return StoryResult(name, False, problem, where)
            await bot.handle_message(UserMessage(_user_text(step), sender, input_channel="test"))
            tracker = await bot.get_tracker(sender)
            observed = _since_last_user(tracker)
            intent = tracker.latest_message.intent_name if tracker.latest_message else None
            if step.intent and step.text and intent != step.intent:
                problem = f"expected intent {step.intent!r}, NLU said {intent!r}"
                return StoryResult(name, False, problem, where)
            if step.text and (problem := _entity_problem(tracker.latest_message, step)):
                return StoryResult(name, False, problem, where)
        elif isinstance(step, ActionStep | BotStep):
            kind, expected = ("action", step.name) if isinstance(step, ActionStep) else ("bot", step.text)
            found = _take(observed, kind, expected)
            if found is not None:
                return StoryResult(name, False, f"expected {kind} {expected!r}, bot did {found}", where)
        elif isinstance(step, SlotStep | LoopStep):
            tracker = await bot.get_tracker(sender)
            problem = _state_problem(tracker, step)
            if problem:
                return StoryResult(name, False, problem, where)
    if problem := _leftover(observed):
        return StoryResult(name, False, problem, f"end of {name}")
    return StoryResult(name, True)


def _entity_problem(message: UserUttered | None, step: UserStep) -> str:
    """An entity annotated in the story's text (``[杭州](city)``) that the NLU did not extract.

    An entity matches on name, role and group, and on value when the annotation gives one
    (the NLU's value or the text it covers, so synonyms and normalized values both pass).
    Extra entities the NLU found are not failures.
    """
    found = list(message.entities) if message is not None else []
    for expected in step.entities:
        if not any(_same_entity(expected, entity) for entity in found):
            names = [f"{e.get('entity')}={e.get('value')!r}" for e in found]
            return f"expected entity {expected.entity}={expected.value!r}, NLU found {names}"
    return ""


def _same_entity(expected: EntityValue, entity: dict[str, Any]) -> bool:
    label = (entity.get("entity"), entity.get("role"), entity.get("group"))
    if label != (expected.entity, expected.role, expected.group):
        return False
    return expected.value is None or str(expected.value) in (str(entity.get("value")), entity.get("text"))


def _since_last_user(tracker: DialogueStateTracker) -> list[tuple[str, str]]:
    events = tracker.events
    last_user = max((i for i, e in enumerate(events) if isinstance(e, UserUttered)), default=-1)
    out: list[tuple[str, str]] = []
    for event in events[last_user + 1 :]:
        if isinstance(event, ActionExecuted) and event.action_name != ACTION_LISTEN:
            out.append(("action", event.action_name))
        elif isinstance(event, BotUttered) and event.text:
            out.append(("bot", event.text))
    return out


def _take(observed: list[tuple[str, str]], kind: str, expected: str) -> str | None:
    """Consume the next observed item of ``kind``; return a description if it differs."""
    while observed and observed[0][0] != kind:
        observed.pop(0)  # bot texts between actions are not compared by action steps
    if not observed:
        return "nothing more"
    got = observed.pop(0)[1]
    return None if got == expected else repr(got)


def _leftover(observed: list[tuple[str, str]]) -> str:
    """Actions the bot ran that the story does not mention."""
    actions = [name for kind, name in observed if kind == "action"]
    return f"bot ran unexpected action(s) {actions}" if actions else ""


def _state_problem(tracker: DialogueStateTracker, step: SlotStep | LoopStep) -> str:
    if isinstance(step, LoopStep):
        if tracker.active_loop_name != step.name:
            return f"expected active loop {step.name!r}, found {tracker.active_loop_name!r}"
        return ""
    for slot in step.slots:
        value = tracker.get_slot(slot.name)
        if slot.value == ANY_VALUE and value is None:
            return f"expected slot {slot.name!r} to be set"
        if slot.value != ANY_VALUE and value != slot.value:
            return f"expected slot {slot.name!r}={slot.value!r}, found {value!r}"
    return ""
