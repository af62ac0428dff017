"""Training checks: what is wrong with a bot's stories and rules, found before any model trains.

Each finding names the file and line, a stable code and how to fix it:

- ``STY101`` undeclared intent, ``STY102`` action, ``STY103`` slot, ``STY104`` entity,
  ``STY105`` form in ``active_loop`` (errors); ``STY106`` a slot value its type cannot hold (warning)
- ``STY110`` a story contradicts a rule: same conversation so far, different next action (error)
- ``STY111`` two rules with the same conditions and steps predict different actions (error)
- ``STY112`` two stories agree on the recent history but continue differently (warning)
- ``STY120`` an action right after an explicit ``action_listen``: the bot waits for the user (error)
- ``STY121`` two user messages in a row: the bot always acts in between (error)
- ``STY122`` a checkpoint in a rule (error); ``STY123`` a start checkpoint no story ends with,
  ``STY124`` an end checkpoint no story starts with (warnings)
- ``STY125`` a rule that predicts nothing (warning)
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from dialogue.errors import StoryError
from dialogue.policies.memoization import influencing_slots
from dialogue.policies.rules import RuleSnippet, best_snippet, build_snippets
from dialogue.policies.state import State, initial_slots, training_pairs
from dialogue.tracker import ACTION_LISTEN
from dialogue.training.steps import (
    ActionStep,
    CheckpointStep,
    LoopStep,
    OrStep,
    SlotStep,
    SourceLocation,
    Step,
    Story,
    UserStep,
)

if TYPE_CHECKING:
    from dialogue.domain import Domain
    from dialogue.training.graph import StoryGraph

__all__ = ["Finding", "Severity", "validate"]


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Finding:
    """One problem in the training data."""

    code: str
    severity: Severity
    message: str
    path: str | None = None
    line: int | None = None
    hint: str = ""

    def __str__(self) -> str:
        where = f"{self.path or '<stories>'}:{self.line}" if self.line else self.path or "<stories>"
        text = f"{where}: {self.severity.value} [{self.code}] {self.message}"
        return f"{text} (hint: {self.hint})" if self.hint else text

    def to_error(self, more: int = 0) -> StoryError:
        """This finding as a ``StoryError`` (``more``: how many other errors there are)."""
        suffix = f" (and {more} more error{'s' if more > 1 else ''})" if more else ""
        return StoryError(
            self.message + suffix, path=self.path, line=self.line, code=self.code, hint=self.hint
        )


def _finding(code: str, severity: Severity, message: str, source: SourceLocation, hint: str = "") -> Finding:
    return Finding(code, severity, message, source.path, source.line, hint)


def validate(domain: Domain, stories: StoryGraph, *, max_history: int = 5) -> list[Finding]:
    """Check stories, rules and test stories against the domain and each other.

    Args:
        domain: the bot's domain.
        stories: its stories, rules and test stories.
        max_history: the history length two stories must agree on to be compared (``STY112``).

    Returns:
        Every finding, errors and warnings, without duplicates, in a stable order.
    """
    findings: list[Finding] = []
    findings += _check_names(domain, stories.all())
    findings += _check_sequences(stories.all())
    findings += _check_checkpoints(stories)
    snippets = [s for rule, steps in stories.rule_variants() for s in build_snippets(rule, steps, domain)]
    findings += _check_empty_rules(stories, snippets)
    findings += _check_rule_conflicts(snippets)
    findings += _check_story_rule_conflicts(domain, stories, snippets)
    findings += _check_story_conflicts(domain, stories, max_history)
    return list(dict.fromkeys(findings))


# ---- names the domain must declare -----------------------------------------------------------


def _flat_steps(story: Story) -> Iterator[Step]:
    for step in (*story.condition, *story.steps):
        if isinstance(step, OrStep):
            yield from step.alternatives
        else:
            yield step


def _undeclared(
    code: str, kind: str, name: str, known: Iterable[str], section: str, source: SourceLocation
) -> Finding:
    close = difflib.get_close_matches(name, list(known), n=1)
    hint = f"did you mean {close[0]!r}? " if close else ""
    hint += f"otherwise declare it under '{section}:' in domain.yml"
    return _finding(code, Severity.ERROR, f"{kind} {name!r} is not declared in the domain", source, hint)


def _check_names(domain: Domain, stories: Sequence[Story]) -> list[Finding]:
    out: list[Finding] = []
    actions = set(domain.action_names)
    for story in stories:
        for step in _flat_steps(story):
            if isinstance(step, UserStep):
                if step.intent is not None and step.intent not in domain.intents:
                    out.append(
                        _undeclared("STY101", "intent", step.intent, domain.intents, "intents", step.source)
                    )
                for entity in step.entities:
                    if entity.entity not in domain.entities:
                        out.append(
                            _undeclared(
                                "STY104", "entity", entity.entity, domain.entities, "entities", step.source
                            )
                        )
            elif isinstance(step, ActionStep) and step.name not in actions:
                section = "responses" if step.name.startswith("utter_") else "actions"
                out.append(_undeclared("STY102", "action", step.name, actions, section, step.source))
            elif isinstance(step, SlotStep):
                out += _check_slots(domain, step)
            elif isinstance(step, LoopStep) and step.name is not None:
                if step.name not in domain.forms and step.name not in domain.actions:
                    out.append(_undeclared("STY105", "form", step.name, domain.forms, "forms", step.source))
    return out


def _check_slots(domain: Domain, step: SlotStep) -> list[Finding]:
    out: list[Finding] = []
    for slot in step.slots:
        spec = domain.slots.get(slot.name)
        if spec is None:
            out.append(_undeclared("STY103", "slot", slot.name, domain.slots, "slots", step.source))
            continue
        slot_type = str(getattr(spec.type, "value", spec.type))
        value = slot.value
        if value is None or isinstance(value, str) and value == "__any__":
            continue
        allowed = [str(v).lower() for v in spec.values]
        if slot_type == "categorical" and str(value).lower() not in allowed:
            message = f"slot {slot.name!r} is categorical and {value!r} is not one of its values"
            hint = f"use one of {', '.join(map(str, spec.values))} or add it to the slot's values"
            out.append(_finding("STY106", Severity.WARNING, message, step.source, hint))
        elif slot_type == "bool" and not isinstance(value, bool):
            message = f"slot {slot.name!r} is a bool slot but the story sets it to {value!r}"
            out.append(_finding("STY106", Severity.WARNING, message, step.source, "write true or false"))
    return out


# ---- steps that cannot happen in a real conversation -------------------------------------------


def _check_sequences(stories: Sequence[Story]) -> list[Finding]:
    out: list[Finding] = []
    for story in stories:
        last: str | None = None
        for step in story.steps:
            if isinstance(step, CheckpointStep):
                if story.is_rule:
                    hint = "rules cannot use checkpoints; write a story, or split the rule"
                    out.append(_finding("STY122", Severity.ERROR, "checkpoint in a rule", step.source, hint))
                last = None
            elif isinstance(step, ActionStep):
                if last == ACTION_LISTEN and step.name != ACTION_LISTEN:
                    message = f"{step.name!r} follows action_listen without a user message in between"
                    hint = "the bot waits after action_listen: add the user's step, or drop action_listen"
                    out.append(_finding("STY120", Severity.ERROR, message, step.source, hint))
                last = ACTION_LISTEN if step.name == ACTION_LISTEN else "action"
            elif isinstance(step, UserStep | OrStep) and _is_user(step):
                if last == "user":
                    message = f"story {story.name!r} has two user messages in a row"
                    hint = "the bot always acts between two user messages: add the bot's action in between"
                    out.append(_finding("STY121", Severity.ERROR, message, step.source, hint))
                last = "user"
    return out


def _is_user(step: UserStep | OrStep) -> bool:
    return isinstance(step, UserStep) or any(isinstance(a, UserStep) for a in step.alternatives)


def _check_checkpoints(stories: StoryGraph) -> list[Finding]:
    out: list[Finding] = []
    for group in (stories.stories, stories.test_stories):
        starts: dict[str, SourceLocation] = {}
        ends: dict[str, SourceLocation] = {}
        for story in group:
            seen_body = False
            for step in story.steps:
                if isinstance(step, CheckpointStep):
                    (ends if seen_body else starts).setdefault(step.name, step.source)
                else:
                    seen_body = True
        for name, source in starts.items():
            if name not in ends:
                message = f"no story ends with checkpoint {name!r}, so the story starting with it never runs"
                out.append(
                    _finding("STY123", Severity.WARNING, message, source, "check the checkpoint's spelling")
                )
        for name, source in ends.items():
            if name not in starts:
                message = f"no story starts with checkpoint {name!r}, so it leads nowhere"
                out.append(
                    _finding("STY124", Severity.WARNING, message, source, "check the checkpoint's spelling")
                )
    return out


def _check_empty_rules(stories: StoryGraph, snippets: Sequence[RuleSnippet]) -> list[Finding]:
    with_snippets = {(s.rule, s.source.path) for s in snippets}
    return [
        _finding(
            "STY125",
            Severity.WARNING,
            f"rule {rule.name!r} predicts no action",
            rule.source,
            "a rule needs at least one action after its first step",
        )
        for rule in stories.rules
        if (rule.name, rule.source.path) not in with_snippets
    ]


# ---- contradictions ------------------------------------------------------------------------------


def _check_rule_conflicts(snippets: Sequence[RuleSnippet]) -> list[Finding]:
    out: list[Finding] = []
    first: dict[tuple[object, ...], RuleSnippet] = {}
    for snippet in snippets:
        key = (snippet.states, snippet.conversation_start)
        earlier = first.setdefault(key, snippet)
        if earlier.action != snippet.action:
            message = (
                f"rule {snippet.rule!r} predicts {snippet.action!r} where rule {earlier.rule!r} "
                f"({earlier.source}) predicts {earlier.action!r} under the same conditions"
            )
            hint = "merge the rules, add a condition to one, or end one with 'wait_for_user_input: false'"
            out.append(_finding("STY111", Severity.ERROR, message, snippet.source, hint))
    return out


def _check_story_rule_conflicts(
    domain: Domain, stories: StoryGraph, snippets: Sequence[RuleSnippet]
) -> list[Finding]:
    by_prev: dict[str | None, list[RuleSnippet]] = {}
    for snippet in snippets:
        by_prev.setdefault(snippet.states[-1].prev_action, []).append(snippet)
    out: list[Finding] = []
    start = initial_slots(domain)
    for trace in stories.training_traces():
        for states, action, index in training_pairs(trace.events, domain, start):
            candidates = [*by_prev.get(states[-1].prev_action, ()), *by_prev.get(None, ())]
            loop = "active" if states[-1].active_loop else "none"
            snippet = best_snippet(candidates, states, loop=loop)
            if snippet is None or snippet.action == action:
                continue
            message = (
                f"story {trace.name!r} runs {action!r} here, but rule {snippet.rule!r} "
                f"({snippet.source}) predicts {snippet.action!r} for the same conversation"
            )
            hint = "rules win over stories: make the story agree, or narrow the rule with a condition"
            if snippet.closing:
                hint += " (a rule ends with action_listen unless it says 'wait_for_user_input: false')"
            out.append(_finding("STY110", Severity.ERROR, message, trace.sources[index], hint))
    return out


def _check_story_conflicts(domain: Domain, stories: StoryGraph, max_history: int) -> list[Finding]:
    slots = influencing_slots(domain)
    start = initial_slots(domain)
    seen: dict[tuple[State, ...], tuple[str, SourceLocation, str]] = {}
    out: list[Finding] = []
    for trace in stories.training_traces():
        for states, action, index in training_pairs(trace.events, domain, start):
            key = tuple(s.only_slots(slots) for s in states[-max_history:])
            source = trace.sources[index]
            earlier = seen.setdefault(key, (action, source, trace.name))
            if earlier[0] != action:
                message = (
                    f"story {trace.name!r} runs {action!r} where story {earlier[2]!r} ({earlier[1]}) "
                    f"runs {earlier[0]!r} after the same last {len(key)} states"
                )
                hint = "the policies cannot tell them apart: set an influencing slot, or make them agree"
                out.append(_finding("STY112", Severity.WARNING, message, source, hint))
    return out
