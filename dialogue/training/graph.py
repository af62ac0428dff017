"""The stories of a bot as a graph: checkpoints and ``or`` expanded into linear paths.

A linear path turns into a *trace*: the event list a tracker would hold had the
conversation happened, each event paired with the story line it came from. Policies
train on traces, so training and prediction read the same kind of state.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from dialogue.events import ActionExecuted, ActiveLoop, BotUttered, Event, SlotSet, UserUttered
from dialogue.tracker import ACTION_LISTEN
from dialogue.training.steps import (
    ActionStep,
    BotStep,
    CheckpointStep,
    LoopStep,
    OrStep,
    SlotStep,
    SourceLocation,
    Step,
    Story,
    StoryKind,
    UserStep,
)

__all__ = ["LinearStep", "StoryGraph", "StoryPath", "Trace", "expand_or", "steps_to_trace", "user_event"]

LinearStep = UserStep | ActionStep | BotStep | SlotStep | LoopStep

MAX_PATHS = 5000


@dataclass(frozen=True)
class StoryPath:
    """One way through the stories: no checkpoints, no ``or``."""

    name: str
    kind: StoryKind
    steps: tuple[LinearStep, ...]


@dataclass(frozen=True)
class Trace:
    """The events of a path; ``sources[i]`` is the story line that produced ``events[i]``."""

    name: str
    events: tuple[Event, ...]
    sources: tuple[SourceLocation, ...]


@dataclass(frozen=True)
class _Segment:
    starts: tuple[str, ...]
    steps: tuple[Step, ...]
    ends: tuple[str, ...]
    name: str
    kind: StoryKind


@dataclass
class StoryGraph:
    """Stories, rules and end-to-end test stories of one bot."""

    stories: list[Story] = field(default_factory=list)
    rules: list[Story] = field(default_factory=list)
    test_stories: list[Story] = field(default_factory=list)

    def merge(self, other: StoryGraph) -> StoryGraph:
        """A new graph holding both graphs' content."""
        return StoryGraph(
            self.stories + other.stories, self.rules + other.rules, self.test_stories + other.test_stories
        )

    def all(self) -> list[Story]:
        """Stories, then rules, then test stories."""
        return [*self.stories, *self.rules, *self.test_stories]

    def story_paths(self, *, test: bool = False, max_paths: int = MAX_PATHS) -> list[StoryPath]:
        """Training stories (or, with ``test=True``, test stories) as linear paths.

        Checkpoints join a story ending in ``checkpoint: x`` to every story starting
        with it; each ``or`` multiplies the paths. A story segment appears at most once
        per path, so checkpoint cycles terminate. At most ``max_paths`` are returned.
        """
        sources = self.test_stories if test else self.stories
        segments = [segment for story in sources for segment in _segments(story)]
        by_start: dict[str, list[_Segment]] = {}
        for segment in segments:
            for name in segment.starts:
                by_start.setdefault(name, []).append(segment)
        paths: list[StoryPath] = []
        for root in (s for s in segments if not s.starts):
            _walk(root, [], by_start, paths, max_paths)
            if len(paths) >= max_paths:
                break
        return paths[:max_paths]

    def rule_variants(self) -> list[tuple[Story, tuple[LinearStep, ...]]]:
        """Each rule with its ``or`` steps expanded (checkpoints are dropped; validation flags them)."""
        out: list[tuple[Story, tuple[LinearStep, ...]]] = []
        for rule in self.rules:
            steps = [s for s in rule.steps if not isinstance(s, CheckpointStep)]
            out.extend((rule, variant) for variant in expand_or(steps))
        return out

    def training_traces(self) -> list[Trace]:
        """Traces of every training story path."""
        return [steps_to_trace(path.name, path.steps) for path in self.story_paths()]


def _segments(story: Story) -> list[_Segment]:
    segments: list[_Segment] = []
    starts: list[str] = []
    body: list[Step] = []
    ends: list[str] = []
    for step in story.steps:
        if isinstance(step, CheckpointStep):
            if body:
                ends.append(step.name)
            else:
                starts.append(step.name)
            continue
        if ends:  # a checkpoint in the middle: close the segment, the next one starts there
            segments.append(_Segment(tuple(starts), tuple(body), tuple(ends), story.name, story.kind))
            starts, body, ends = list(ends), [], []
        body.append(step)
    segments.append(_Segment(tuple(starts), tuple(body), tuple(ends), story.name, story.kind))
    return segments


def _walk(
    segment: _Segment,
    prefix: list[_Segment],
    by_start: dict[str, list[_Segment]],
    out: list[StoryPath],
    max_paths: int,
) -> None:
    chain = [*prefix, segment]
    successors = [s for name in segment.ends for s in by_start.get(name, []) if s not in chain]
    if not successors:
        steps = [step for part in chain for step in part.steps]
        names = list(dict.fromkeys(part.name for part in chain))
        for variant in expand_or(steps):
            if len(out) >= max_paths:
                return
            out.append(StoryPath(" > ".join(names), chain[0].kind, variant))
        return
    for successor in successors:
        if len(out) >= max_paths:
            return
        _walk(successor, chain, by_start, out, max_paths)


def expand_or(steps: Sequence[Step], max_variants: int = 256) -> list[tuple[LinearStep, ...]]:
    """All linear variants of ``steps``: one per choice in each ``or`` step (checkpoints dropped)."""
    choices: list[Sequence[LinearStep]] = []
    for step in steps:
        if isinstance(step, OrStep):
            choices.append(step.alternatives)
        elif not isinstance(step, CheckpointStep):
            choices.append((step,))
    return [tuple(v) for v in itertools.islice(itertools.product(*choices), max_variants)]


def user_event(step: UserStep) -> UserUttered:
    """The ``UserUttered`` a user step stands for (intent confidence 1.0)."""
    parse_data = {
        "intent": {"name": step.intent, "confidence": 1.0} if step.intent else {},
        "entities": [entity.to_dict() for entity in step.entities],
    }
    return UserUttered(text=step.text, parse_data=parse_data, timestamp=0.0)


def steps_to_trace(
    name: str,
    steps: Iterable[LinearStep],
    *,
    prefix: Iterable[SlotStep | LoopStep] = (),
    end_with_listen: bool = True,
) -> Trace:
    """Turn linear steps into the events a tracker would hold.

    ``action_listen`` is inserted before every user step that does not follow one
    and, with ``end_with_listen``, after a final bot action. ``bot:`` steps become
    ``BotUttered`` events, which train nothing.
    """
    events: list[Event] = []
    sources: list[SourceLocation] = []

    def add(event: Event, source: SourceLocation) -> None:
        events.append(event)
        sources.append(source)

    for step in [*prefix, *steps]:
        if isinstance(step, UserStep):
            if not _ends_with_listen(events):
                add(ActionExecuted(ACTION_LISTEN, timestamp=0.0), step.source)
            add(user_event(step), step.source)
        elif isinstance(step, ActionStep):
            add(ActionExecuted(step.name, timestamp=0.0), step.source)
        elif isinstance(step, BotStep):
            add(BotUttered(step.text, timestamp=0.0), step.source)
        elif isinstance(step, SlotStep):
            for slot in step.slots:
                add(SlotSet(slot.name, slot.value, timestamp=0.0), step.source)
        elif isinstance(step, LoopStep):
            add(ActiveLoop(step.name, timestamp=0.0), step.source)
    last_action = next((e for e in reversed(events) if isinstance(e, ActionExecuted)), None)
    has_user_after = last_action is not None and isinstance(events[-1], UserUttered)
    if end_with_listen and last_action is not None and not has_user_after and not _ends_with_listen(events):
        add(ActionExecuted(ACTION_LISTEN, timestamp=0.0), sources[-1])
    return Trace(name, tuple(events), tuple(sources))


def _ends_with_listen(events: list[Event]) -> bool:
    for event in reversed(events):
        if isinstance(event, ActionExecuted):
            return event.action_name == ACTION_LISTEN
        if isinstance(event, UserUttered):
            return False
    return False
