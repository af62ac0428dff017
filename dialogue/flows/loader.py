"""Load ``flows.yml`` files into a ``FlowsList``, with file:line on every error.

Structural checks run on load (unknown ``next`` targets, unreachable steps, links to unknown
flows, bad conditions); ``validate_flows`` adds the checks that need the domain (undeclared
slots, intents, responses and actions).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from dialogue.errors import StoryError
from dialogue.flows.conditions import Condition, ConditionError
from dialogue.flows.model import END, Branch, Flow, FlowsList, FlowStep, StepKind
from nlu.yaml_source import compose_yaml, yaml_files

if TYPE_CHECKING:
    from dialogue.domain import Domain

__all__ = ["FlowError", "load_flows", "parse_flows", "validate_flows"]

FlowError = StoryError

_FLOW_KEYS = {"description", "trigger", "steps", "name"}
_KIND_KEYS = {"collect": StepKind.COLLECT, "action": StepKind.ACTION, "set_slots": StepKind.SET_SLOTS}
_KIND_KEYS |= {"link": StepKind.LINK}
_STEP_KEYS = {
    StepKind.COLLECT: {"ask", "ask_before_filling", "reset_after_flow_ends"},
    StepKind.ACTION: set(),
    StepKind.SET_SLOTS: set(),
    StepKind.LINK: set(),
    StepKind.BRANCH: set(),
}
_COMMON_STEP_KEYS = {"id", "next", "description"}


def _line(node: yaml.Node) -> int:
    return int(node.start_mark.line) + 1


def _error(message: str, path: str, node_or_line: yaml.Node | int, code: str, hint: str = "") -> FlowError:
    line = node_or_line if isinstance(node_or_line, int) else _line(node_or_line)
    return FlowError(message, path=path, line=line, code=code, hint=hint)


def _value(node: yaml.Node) -> Any:
    return yaml.constructor.SafeConstructor().construct_object(node, deep=True)


def _pairs(node: yaml.Node, path: str, what: str) -> list[tuple[str, yaml.Node]]:
    if not isinstance(node, yaml.MappingNode):
        raise _error(f"{what} must be a mapping", path, node, "FLW003")
    return [(str(key.value), value) for key, value in node.value]


def _scalar(node: yaml.Node, path: str, what: str) -> str:
    if not isinstance(node, yaml.ScalarNode) or not str(node.value).strip():
        raise _error(f"{what} must be a non-empty name", path, node, "FLW004")
    return str(node.value).strip()


def parse_flows(text: str, path: str = "<flows>") -> FlowsList:
    """Parse one ``flows.yml`` document and run the structural checks.

    Args:
        text: the YAML text.
        path: the file name used in error messages.

    Returns:
        The flows (empty if the document has no ``flows`` key).

    Raises:
        FlowError: invalid content, with file and line.
    """
    flows = _parse_document(text, path)
    _check_structure(flows)
    return flows


def load_flows(paths: str | Path | Iterable[str | Path], domain: Domain | None = None) -> FlowsList:
    """Load and merge the flows of files and folders (files without ``flows:`` are skipped).

    Args:
        paths: files or folders (folders are searched for ``*.yml``/``*.yaml``).
        domain: when given, also check slots, intents, responses and actions against it.

    Raises:
        FlowError: unreadable or invalid content, a flow id defined twice, or a failed check.
    """
    if isinstance(paths, str | Path):
        paths = [paths]
    merged: dict[str, Flow] = {}
    for file in _expand(paths):
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise FlowError(f"cannot read flows: {exc}", path=str(file), code="FLW001") from exc
        for flow in _parse_document(text, str(file)):
            if flow.id in merged:
                first = merged[flow.id]
                raise _error(
                    f"flow {flow.id!r} is defined twice (first at {first.path}:{first.line})",
                    flow.path,
                    flow.line,
                    "FLW005",
                )
            merged[flow.id] = flow
    flows = FlowsList(merged)
    _check_structure(flows)
    if domain is not None:
        validate_flows(flows, domain)
    return flows


_expand = functools.partial(yaml_files, error=FlowError, code="FLW001")
_compose = functools.partial(compose_yaml, error=FlowError, code="FLW001")


def _parse_document(text: str, path: str) -> FlowsList:
    root = _compose(text, path)
    if root is None or not isinstance(root, yaml.MappingNode):
        return FlowsList({})
    flows_node = next((value for key, value in root.value if key.value == "flows"), None)
    if flows_node is None:
        return FlowsList({})
    flows: dict[str, Flow] = {}
    for flow_id, node in _pairs(flows_node, path, "'flows'"):
        if flow_id in flows:
            raise _error(f"flow {flow_id!r} is defined twice", path, node, "FLW005")
        flows[flow_id] = _parse_flow(flow_id, node, path)
    return FlowsList(flows)


def _parse_flow(flow_id: str, node: yaml.Node, path: str) -> Flow:
    fields = dict(_pairs(node, path, f"flow {flow_id!r}"))
    unknown = set(fields) - _FLOW_KEYS
    if unknown:
        raise _error(
            f"flow {flow_id!r} has unknown key(s) {sorted(unknown)}",
            path,
            node,
            "FLW003",
            hint=f"allowed keys: {sorted(_FLOW_KEYS)}",
        )
    steps_node = fields.get("steps")
    if not isinstance(steps_node, yaml.SequenceNode) or not steps_node.value:
        raise _error(f"flow {flow_id!r} needs a non-empty 'steps' list", path, steps_node or node, "FLW003")
    steps: list[FlowStep] = []
    for index, step_node in enumerate(steps_node.value):
        if isinstance(step_node, yaml.ScalarNode) and step_node.value == END:
            if steps and not steps[-1].next:  # "- END" ends the flow after the previous step
                steps[-1] = _with_next(steps[-1], (Branch(None, END, _line(step_node)),))
            continue
        steps.append(_parse_step(index, step_node, path, flow_id))
    if not steps:
        raise _error(f"flow {flow_id!r} has no steps", path, steps_node, "FLW003")
    seen: dict[str, FlowStep] = {}
    for step in steps:
        if step.id in seen or step.id == END:
            raise _error(f"step id {step.id!r} is used twice in flow {flow_id!r}", path, step.line, "FLW005")
        seen[step.id] = step
    description = fields.get("description")
    return Flow(
        id=flow_id,
        steps=tuple(steps),
        description=str(_value(description)) if description is not None else "",
        trigger_intents=_parse_trigger(fields.get("trigger"), path, flow_id),
        path=path,
        line=_line(node),
    )


def _with_next(step: FlowStep, branches: tuple[Branch, ...]) -> FlowStep:
    return replace(step, next=branches)


def _parse_trigger(node: yaml.Node | None, path: str, flow_id: str) -> tuple[str, ...]:
    if node is None:
        return ()
    fields = dict(_pairs(node, path, f"'trigger' of flow {flow_id!r}"))
    intents = fields.get("intents")
    if intents is None or set(fields) - {"intents"}:
        raise _error("'trigger' takes one key, 'intents'", path, node, "FLW003")
    if isinstance(intents, yaml.ScalarNode):
        return (_scalar(intents, path, "a trigger intent"),)
    if not isinstance(intents, yaml.SequenceNode):
        raise _error("'intents' must be a list of intent names", path, intents, "FLW003")
    return tuple(_scalar(item, path, "a trigger intent") for item in intents.value)


def _parse_step(index: int, node: yaml.Node, path: str, flow_id: str) -> FlowStep:
    fields = dict(_pairs(node, path, f"step {index} of flow {flow_id!r}"))
    kinds = [key for key in fields if key in _KIND_KEYS]
    if len(kinds) > 1:
        raise _error(f"a step does one thing, this one has {kinds}", path, node, "FLW004")
    if not kinds and "next" not in fields:
        raise _error(
            "a step needs one of collect, action, set_slots, link (or only 'next')", path, node, "FLW004"
        )
    kind = _KIND_KEYS[kinds[0]] if kinds else StepKind.BRANCH
    allowed = _COMMON_STEP_KEYS | _STEP_KEYS[kind] | ({kinds[0]} if kinds else set())
    unknown = set(fields) - allowed
    if unknown:
        raise _error(
            f"{kind.value} step has unknown key(s) {sorted(unknown)}",
            path,
            node,
            "FLW004",
            hint=f"allowed keys: {sorted(allowed)}",
        )
    if kind is StepKind.LINK and "next" in fields:
        raise _error("a link step ends its flow; it cannot have 'next'", path, fields["next"], "FLW004")
    body = _step_body(kind, fields, path)
    step_id = _scalar(fields["id"], path, "a step id") if "id" in fields else _default_id(index, kind, body)
    branches = _parse_next(fields["next"], path) if "next" in fields else ()
    return FlowStep(id=step_id, kind=kind, line=_line(node), next=branches, **body)


def _step_body(kind: StepKind, fields: dict[str, yaml.Node], path: str) -> dict[str, Any]:
    if kind is StepKind.COLLECT:
        body: dict[str, Any] = {"collect": _scalar(fields["collect"], path, "'collect'")}
        if "ask" in fields:
            body["ask"] = _scalar(fields["ask"], path, "'ask'")
        for flag in ("ask_before_filling", "reset_after_flow_ends"):
            if flag in fields:
                value = _value(fields[flag])
                if not isinstance(value, bool):
                    raise _error(f"'{flag}' must be true or false", path, fields[flag], "FLW004")
                body[flag] = value
        return body
    if kind is StepKind.ACTION:
        return {"action": _scalar(fields["action"], path, "'action'")}
    if kind is StepKind.LINK:
        return {"link": _scalar(fields["link"], path, "'link'")}
    if kind is StepKind.SET_SLOTS:
        return {"set_slots": _parse_set_slots(fields["set_slots"], path)}
    return {}


def _parse_set_slots(node: yaml.Node, path: str) -> tuple[tuple[str, Any], ...]:
    items = node.value if isinstance(node, yaml.SequenceNode) else [node]
    pairs: list[tuple[str, Any]] = []
    for item in items:
        for key, value in _pairs(item, path, "'set_slots' entry"):
            pairs.append((key, _value(value)))
    if not pairs:
        raise _error("'set_slots' is empty", path, node, "FLW004")
    return tuple(pairs)


def _default_id(index: int, kind: StepKind, body: dict[str, Any]) -> str:
    name = body.get("collect") or body.get("action") or body.get("link")
    return f"{index}_{kind.value}" + (f"_{name}" if name else "")


def _parse_next(node: yaml.Node, path: str) -> tuple[Branch, ...]:
    if isinstance(node, yaml.ScalarNode):
        return (Branch(None, _scalar(node, path, "'next'"), _line(node)),)
    if not isinstance(node, yaml.SequenceNode) or not node.value:
        raise _error("'next' must be a step id, END, or a list of if/then and else", path, node, "FLW004")
    branches: list[Branch] = []
    for position, item in enumerate(node.value):
        fields = dict(_pairs(item, path, "a 'next' entry"))
        if set(fields) == {"else"}:
            if position != len(node.value) - 1:
                raise _error("'else' must be the last entry of 'next'", path, item, "FLW004")
            branches.append(Branch(None, _scalar(fields["else"], path, "'else'"), _line(item)))
        elif set(fields) == {"if", "then"}:
            branches.append(
                Branch(
                    _parse_condition(fields["if"], path), _scalar(fields["then"], path, "'then'"), _line(item)
                )
            )
        else:
            raise _error("a 'next' entry is {if: ..., then: step} or {else: step}", path, item, "FLW004")
    return tuple(branches)


def _parse_condition(node: yaml.Node, path: str) -> Condition:
    source = str(_value(node))
    try:
        return Condition(source)
    except ConditionError as exc:
        column = node.start_mark.column + 1
        raise FlowError(
            f"invalid condition {source!r}: {exc}",
            path=path,
            line=_line(node),
            column=column,
            code="FLW010",
            hint="use slots.<name>, intent, quoted strings, numbers, ==, <, in, and/or/not",
        ) from exc


def _check_structure(flows: FlowsList) -> None:
    """Unknown targets, links to unknown flows, and steps no path reaches."""
    for flow in flows:
        for step in flow.steps:
            for branch in step.next:
                if branch.target != END and not flow.has_step(branch.target):
                    raise _error(
                        f"step {step.id!r} of flow {flow.id!r} goes to unknown step {branch.target!r}",
                        flow.path,
                        branch.line or step.line,
                        "FLW006",
                        hint=f"known steps: {[s.id for s in flow.steps]} or END",
                    )
            if step.kind is StepKind.LINK and step.link not in flows:
                raise _error(
                    f"step {step.id!r} links to unknown flow {step.link!r}",
                    flow.path,
                    step.line,
                    "FLW009",
                    hint=f"known flows: {sorted(flows.flows)}",
                )
        _check_reachable(flow)


def _check_reachable(flow: Flow) -> None:
    reached = {flow.first_step_id}
    todo = [flow.first_step_id]
    while todo:
        step_id = todo.pop()
        if step_id == END:
            continue
        for target in flow.successors(flow.step(step_id)):
            if target not in reached:
                reached.add(target)
                todo.append(target)
    for step in flow.steps:
        if step.id not in reached:
            raise _error(
                f"step {step.id!r} of flow {flow.id!r} is unreachable",
                flow.path,
                step.line,
                "FLW007",
                hint="point a 'next' at it, or remove it",
            )


def validate_flows(flows: FlowsList, domain: Domain) -> None:
    """Check flows against the domain: slots, trigger intents, responses and actions.

    Raises:
        FlowError: the first reference the domain does not declare, with its file and line.
    """
    slots = set(domain.slots)
    intents = set(domain.intents)
    actions = set(domain.action_names)
    for flow in flows:
        for intent in flow.trigger_intents:
            if intent not in intents:
                raise _error(
                    f"flow {flow.id!r} is triggered by unknown intent {intent!r}",
                    flow.path,
                    flow.line,
                    "FLW011",
                    hint="declare it under 'intents' in domain.yml",
                )
        for step in flow.steps:
            _validate_step(flow, step, slots, actions)


def _validate_step(flow: Flow, step: FlowStep, slots: set[str], actions: set[str]) -> None:
    where = f"step {step.id!r} of flow {flow.id!r}"
    used = [step.collect] if step.collect else []
    used += [key for key, _ in step.set_slots]
    for branch in step.next:
        used += sorted(branch.condition.slot_names()) if branch.condition else []
    for slot in used:
        if slot not in slots:
            raise _error(
                f"{where} uses undeclared slot {slot!r}",
                flow.path,
                step.line,
                "FLW008",
                hint="declare it under 'slots' in domain.yml",
            )
    needed = [step.ask_response] if step.kind is StepKind.COLLECT else []
    needed += [step.action] if step.action else []
    for name in needed:
        if name not in actions:
            raise _error(
                f"{where} uses unknown response or action {name!r}",
                flow.path,
                step.line,
                "FLW012",
                hint="add it to 'responses' or 'actions' in domain.yml",
            )
