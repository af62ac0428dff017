"""Loader for Rasa 3.x ``stories.yml``, ``rules.yml`` and end-to-end ``test_stories.yml``.

Every step keeps the file and line it was written on, and every error is a
``StoryError`` naming them. Files (or folders searched recursively) without a
``stories:`` or ``rules:`` key, such as ``nlu.yml`` or ``domain.yml``, are skipped.
Stories in files whose name starts with ``test_`` are end-to-end test stories.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from dialogue.errors import StoryError
from dialogue.training.graph import StoryGraph
from dialogue.training.steps import (
    ANY_VALUE,
    ActionStep,
    BotStep,
    CheckpointStep,
    EntityValue,
    LoopStep,
    OrStep,
    SlotStep,
    SlotValue,
    SourceLocation,
    Step,
    Story,
    StoryKind,
    UserStep,
)
from nlu.errors import TrainingDataError
from nlu.training_data import parse_annotated_example
from nlu.yaml_source import compose_yaml, mapping_value, read_yaml_text, yaml_files

__all__ = ["load_stories", "load_stories_text"]

_STEP_KINDS = ("intent", "user", "action", "bot", "slot_was_set", "active_loop", "or", "checkpoint")
# keys allowed next to the step's kind
_STEP_EXTRAS = {
    "intent": {"entities", "user"},
    "user": {"entities", "intent"},
    "checkpoint": {"slot_was_set"},
}
_STORY_KEYS = {"story", "steps", "metadata"}
_RULE_KEYS = {"rule", "steps", "metadata", "condition", "conversation_start", "wait_for_user_input"}


def load_stories(paths: str | Path | Iterable[str | Path], *, test: bool | None = None) -> StoryGraph:
    """Load stories, rules and test stories from files or folders.

    Args:
        paths: files or folders (searched recursively for ``*.yml``/``*.yaml``).
        test: ``True`` treats every story as a test story, ``False`` none;
            ``None`` decides by file name (``test_*.yml``).

    Raises:
        StoryError: unreadable YAML or invalid content (``STY001``-``STY006``), with file:line.
    """
    if isinstance(paths, str | Path):
        paths = [paths]
    graph = StoryGraph()
    for file in _expand(paths):
        text = _read(file)
        is_test = file.name.startswith("test_") if test is None else test
        graph = graph.merge(load_stories_text(text, str(file), test=is_test))
    return graph


def load_stories_text(text: str, path: str = "<stories>", *, test: bool = False) -> StoryGraph:
    """Parse the YAML text of one stories/rules file.

    Raises:
        StoryError: invalid YAML or content, located at ``path:line``.
    """
    root = _compose(text, path)
    graph = StoryGraph()
    if not isinstance(root, yaml.MappingNode):
        return graph
    for key, kind in (("stories", StoryKind.TEST if test else StoryKind.STORY), ("rules", StoryKind.RULE)):
        node = mapping_value(root, key)
        if node is None:
            continue
        if not isinstance(node, yaml.SequenceNode):
            raise _error(f"'{key}' must be a list", path, node, "STY003")
        items = [_parse_story(item, path, kind) for item in node.value]
        if kind is StoryKind.RULE:
            graph.rules.extend(items)
        elif kind is StoryKind.TEST:
            graph.test_stories.extend(items)
        else:
            graph.stories.extend(items)
    return graph


_expand = functools.partial(yaml_files, error=StoryError, code="STY001")
_read = functools.partial(read_yaml_text, error=StoryError, code="STY001")
_compose = functools.partial(compose_yaml, error=StoryError, code="STY002")


def _keys(node: yaml.MappingNode) -> list[str]:
    return [str(k.value) for k, _ in node.value if isinstance(k, yaml.ScalarNode)]


def _where(path: str, node: yaml.Node) -> SourceLocation:
    return SourceLocation(path, node.start_mark.line + 1)


def _error(message: str, path: str, node: yaml.Node, code: str, hint: str = "") -> StoryError:
    return StoryError(
        message,
        path=path,
        line=node.start_mark.line + 1,
        column=node.start_mark.column + 1,
        code=code,
        hint=hint,
    )


def _value(node: yaml.Node) -> Any:
    """The plain Python value of a node (scalars typed as YAML types them)."""
    return yaml.safe_load(yaml.serialize(node))


def _scalar_text(node: yaml.Node | None, path: str, what: str, parent: yaml.Node) -> str:
    if node is None or not isinstance(node, yaml.ScalarNode) or not str(node.value).strip():
        raise _error(f"{what} must be a non-empty name", path, node or parent, "STY006")
    return str(node.value).strip()


def _parse_story(item: yaml.Node, path: str, kind: StoryKind) -> Story:
    label = "rule" if kind is StoryKind.RULE else "story"
    if not isinstance(item, yaml.MappingNode):
        raise _error(f"each entry must be a mapping like '- {label}: name'", path, item, "STY004")
    allowed = _RULE_KEYS if kind is StoryKind.RULE else _STORY_KEYS
    unknown = [k for k in _keys(item) if k not in allowed]
    if unknown:
        raise _error(
            f"unknown key {unknown[0]!r} in {label}",
            path,
            item,
            "STY004",
            hint=f"a {label} may have: {', '.join(sorted(allowed))}",
        )
    name = _scalar_text(mapping_value(item, label), path, f"'{label}'", item)
    steps_node = mapping_value(item, "steps")
    if not isinstance(steps_node, yaml.SequenceNode):
        raise _error(f"{label} {name!r} needs a list of 'steps'", path, steps_node or item, "STY004")
    steps = tuple(_parse_step(step, path) for step in steps_node.value)
    condition: tuple[SlotStep | LoopStep, ...] = ()
    condition_node = mapping_value(item, "condition")
    if condition_node is not None:
        condition = _parse_condition(condition_node, path)
    return Story(
        name=name,
        kind=kind,
        steps=steps,
        source=_where(path, item),
        condition=condition,
        conversation_start=_flag(item, "conversation_start", path, default=False),
        wait_for_user_input=_flag(item, "wait_for_user_input", path, default=True),
    )


def _flag(item: yaml.MappingNode, key: str, path: str, *, default: bool) -> bool:
    node = mapping_value(item, key)
    if node is None:
        return default
    value = _value(node)
    if not isinstance(value, bool):
        raise _error(f"'{key}' must be true or false", path, node, "STY004")
    return value


def _parse_condition(node: yaml.Node, path: str) -> tuple[SlotStep | LoopStep, ...]:
    if not isinstance(node, yaml.SequenceNode):
        raise _error("a rule 'condition' must be a list of steps", path, node, "STY004")
    out: list[SlotStep | LoopStep] = []
    for child in node.value:
        step = _parse_step(child, path)
        if not isinstance(step, SlotStep | LoopStep):
            raise _error(
                "a rule condition may only hold 'slot_was_set' and 'active_loop' steps",
                path,
                child,
                "STY004",
            )
        out.append(step)
    return tuple(out)


def _parse_step(node: yaml.Node, path: str) -> Step:
    if not isinstance(node, yaml.MappingNode):
        raise _error("a step must be a mapping like '- intent: greet'", path, node, "STY005")
    keys = _keys(node)
    kinds = [k for k in keys if k in _STEP_KINDS]
    unknown = [k for k in keys if k not in _STEP_KINDS and k != "entities" and k != "metadata"]
    if unknown or not kinds:
        bad = unknown[0] if unknown else keys[0] if keys else "<empty>"
        raise _error(
            f"unknown step kind {bad!r}",
            path,
            node,
            "STY005",
            hint=f"a step is one of: {', '.join(_STEP_KINDS)}",
        )
    kind = "user" if "user" in kinds else kinds[0]
    extra = [k for k in kinds if k != kind and k not in _STEP_EXTRAS.get(kind, set())]
    if extra or ("entities" in keys and kind not in ("intent", "user")):
        raise _error(
            f"a step has one kind, found {', '.join(k for k in keys if k != 'metadata')}",
            path,
            node,
            "STY005",
            hint="split it into one step per line, e.g. '- intent: x' then '- action: y'",
        )
    return _STEP_PARSERS[kind](node, path)


def _parse_user(node: yaml.MappingNode, path: str) -> UserStep:
    where = _where(path, node)
    intent_node = mapping_value(node, "intent")
    intent = _scalar_text(intent_node, path, "'intent'", node) if intent_node is not None else None
    entities = _parse_entities(mapping_value(node, "entities"), path)
    text = None
    user_node = mapping_value(node, "user")
    if user_node is not None:
        raw = _scalar_text(user_node, path, "'user' text", node)
        line = user_node.start_mark.line + (2 if user_node.style in ("|", ">") else 1)
        try:
            text, annotated = parse_annotated_example(raw.strip(), path=path, line=line)
        except TrainingDataError as exc:
            raise StoryError(exc.detail, path=path, line=line, code="STY006", hint=exc.hint) from exc
        entities += tuple(EntityValue(a.entity, a.value, a.role, a.group) for a in annotated)
    return UserStep(intent=intent, source=where, entities=entities, text=text)


def _parse_entities(node: yaml.Node | None, path: str) -> tuple[EntityValue, ...]:
    if node is None:
        return ()
    if not isinstance(node, yaml.SequenceNode):
        raise _error("'entities' must be a list like '- amount: 五万'", path, node, "STY006")
    out: list[EntityValue] = []
    for child in node.value:
        value = _value(child)
        if isinstance(value, str) and value.strip():
            out.append(EntityValue(value.strip()))
        elif isinstance(value, dict) and "entity" in value:
            out.append(
                EntityValue(str(value["entity"]), value.get("value"), value.get("role"), value.get("group"))
            )
        elif isinstance(value, dict) and len(value) == 1:
            (entity, entity_value), *_ = value.items()
            out.append(EntityValue(str(entity), entity_value))
        else:
            raise _error(
                "an entity is '- name', '- name: value' or '- entity: name' with value/role/group",
                path,
                child,
                "STY006",
            )
    return tuple(out)


def _parse_action(node: yaml.MappingNode, path: str) -> ActionStep:
    return ActionStep(_scalar_text(mapping_value(node, "action"), path, "'action'", node), _where(path, node))


def _parse_bot(node: yaml.MappingNode, path: str) -> BotStep:
    return BotStep(_scalar_text(mapping_value(node, "bot"), path, "'bot' text", node), _where(path, node))


def _parse_checkpoint(node: yaml.MappingNode, path: str) -> CheckpointStep:
    return CheckpointStep(
        _scalar_text(mapping_value(node, "checkpoint"), path, "'checkpoint'", node), _where(path, node)
    )


def _parse_loop(node: yaml.MappingNode, path: str) -> LoopStep:
    value_node = mapping_value(node, "active_loop")
    value = _value(value_node) if value_node is not None else None
    if value is not None and (not isinstance(value, str) or not value.strip()):
        raise _error("'active_loop' must be a form name or null", path, value_node or node, "STY006")
    return LoopStep(value.strip() if isinstance(value, str) else None, _where(path, node))


def _parse_slots(node: yaml.MappingNode, path: str) -> SlotStep:
    slots_node = mapping_value(node, "slot_was_set")
    if isinstance(slots_node, yaml.MappingNode):  # tolerate a single mapping instead of a list
        entries = [(key, {_value(key): _value(value)}) for key, value in slots_node.value]
    elif isinstance(slots_node, yaml.SequenceNode):
        entries = [(child, _value(child)) for child in slots_node.value]
    else:
        raise _error(
            "'slot_was_set' must be a list like '- amount: 五万'", path, slots_node or node, "STY006"
        )
    slots: list[SlotValue] = []
    for child, value in entries:
        if isinstance(value, str) and value.strip():
            slots.append(SlotValue(value.strip(), ANY_VALUE))
        elif isinstance(value, dict) and value:
            slots.extend(SlotValue(str(k), v) for k, v in value.items())
        else:
            raise _error("a slot is '- name' or '- name: value'", path, child, "STY006")
    return SlotStep(tuple(slots), _where(path, node))


def _parse_or(node: yaml.MappingNode, path: str) -> OrStep:
    alternatives_node = mapping_value(node, "or")
    if not isinstance(alternatives_node, yaml.SequenceNode) or not alternatives_node.value:
        raise _error("'or' must be a non-empty list of intent or slot steps", path, node, "STY006")
    alternatives: list[UserStep | SlotStep] = []
    for child in alternatives_node.value:
        step = _parse_step(child, path)
        if not isinstance(step, UserStep | SlotStep):
            raise _error("an 'or' may only hold intent, user or slot_was_set steps", path, child, "STY006")
        alternatives.append(step)
    return OrStep(tuple(alternatives), _where(path, node))


_STEP_PARSERS: dict[str, Any] = {
    "intent": _parse_user,
    "user": _parse_user,
    "action": _parse_action,
    "bot": _parse_bot,
    "checkpoint": _parse_checkpoint,
    "active_loop": _parse_loop,
    "slot_was_set": _parse_slots,
    "or": _parse_or,
}
