"""Merging the fragments of several domain files and checking their cross references.

A name declared in two files must be declared the same way (``DOM040``); after the
merge every name a slot mapping, form, intent option or response condition refers to
must be declared somewhere (``DOM014``, ``DOM015``, ``DOM016``, ``DOM022``, ``DOM030``,
``DOM031``, ``DOM041``), and every ``utter_`` action needs a response (``DOM023``).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from dialogue._domain_parse import DomainFragment
from dialogue._domain_types import (
    EntitySpec,
    FormSpec,
    IntentSpec,
    MappingType,
    ResponseVariation,
    SessionConfig,
    SlotMapping,
    SlotSpec,
)
from dialogue._domain_yaml import Located, domain_error

__all__ = ["BUILTIN_SLOTS", "DEFAULT_INTENTS", "MergedDomain", "merge_fragments", "session_config_of"]

logger = logging.getLogger(__name__)

# Intents every Rasa domain has; stories and rules may use them without declaring them.
DEFAULT_INTENTS = ("restart", "back", "out_of_scope", "session_start", "nlu_fallback")
# Slots the engine sets itself (forms ask for ``requested_slot``; session start metadata).
BUILTIN_SLOTS = ("requested_slot", "session_started_metadata")
_SECTIONS = ("intents", "entities", "slots", "responses", "actions", "forms")


@dataclass
class MergedDomain:
    """All files' declarations by section and name, in first-declared order."""

    version: str | None = None
    config: dict[str, Any] = field(default_factory=dict)
    session_config: Located | None = None
    intents: dict[str, Located] = field(default_factory=dict)
    entities: dict[str, Located] = field(default_factory=dict)
    slots: dict[str, Located] = field(default_factory=dict)
    responses: dict[str, Located] = field(default_factory=dict)
    actions: dict[str, Located] = field(default_factory=dict)
    forms: dict[str, Located] = field(default_factory=dict)

    def section(self, name: str) -> dict[str, Located]:
        table: dict[str, Located] = getattr(self, name)
        return table


def merge_fragments(fragments: list[DomainFragment]) -> MergedDomain:
    """Merge files in order and validate the result.

    Raises:
        DomainError: conflicting duplicates or a reference to an undeclared name.
    """
    merged = MergedDomain()
    for fragment in fragments:
        _merge_one(merged, fragment)
    _validate(merged)
    return merged


def _merge_one(merged: MergedDomain, fragment: DomainFragment) -> None:
    if fragment.version is not None:
        if merged.version is not None and merged.version != fragment.version:
            logger.warning(
                "%s: domain version %s differs from %s", fragment.path, fragment.version, merged.version
            )
        merged.version = merged.version or fragment.version
    merged.config.update(fragment.config)
    if fragment.session_config is not None:
        table = {"session_config": merged.session_config} if merged.session_config else {}
        _merge_entry(table, fragment.session_config, "session_config")
        merged.session_config = table["session_config"]
    for section in _SECTIONS:
        table = merged.section(section)
        for entry in getattr(fragment, section):
            _merge_entry(table, entry, section)


def _merge_entry(table: dict[str, Located], entry: Located, section: str) -> None:
    first = table.get(entry.name)
    if first is None:
        table[entry.name] = entry
        return
    if first.value != entry.value:
        raise domain_error(
            f"{section} {entry.name!r} is declared differently at {first.path}:{first.line}",
            entry.path,
            entry.line,
            "DOM040",
            hint="declare it once, or make both declarations identical",
        )


def _validate(merged: MergedDomain) -> None:
    for entry in merged.slots.values():
        spec: SlotSpec = entry.value
        for index, mapping in enumerate(spec.mappings):
            line = entry.part_lines[index] if index < len(entry.part_lines) else entry.line
            _check_mapping(merged, spec.name, mapping, entry.path, line)
    for entry in merged.intents.values():
        _check_intent_entities(merged, entry)
    for entry in merged.responses.values():
        _check_response_conditions(merged, entry)
    for entry in merged.forms.values():
        _check_form(merged, entry)
    for entry in merged.actions.values():
        if entry.name.startswith("utter_") and entry.name not in merged.responses:
            raise domain_error(
                f"action {entry.name!r} has no response",
                entry.path,
                entry.line,
                "DOM023",
                hint=f"add '{entry.name}:' under 'responses:' or remove it from 'actions:'",
            )


def _check_mapping(merged: MergedDomain, slot: str, mapping: SlotMapping, path: str, line: int) -> None:
    if mapping.type is MappingType.FROM_ENTITY and mapping.entity is not None:
        _check_mapping_entity(merged, slot, mapping, path, line)
    for intent in (*mapping.intent, *mapping.not_intent):
        if intent not in merged.intents and intent not in DEFAULT_INTENTS:
            raise domain_error(
                f"slot {slot!r}: a mapping names intent {intent!r}, which is not declared",
                path,
                line,
                "DOM015",
                hint=f"add '- {intent}' under 'intents:'",
            )
    for condition in mapping.conditions:
        loop = condition.active_loop
        if loop is not None and loop not in merged.forms and loop not in merged.actions:
            raise domain_error(
                f"slot {slot!r}: a mapping condition names active_loop {loop!r}, which is no form or action",
                path,
                line,
                "DOM016",
            )
        if condition.requested_slot is not None and condition.requested_slot not in merged.slots:
            raise domain_error(
                f"slot {slot!r}: a mapping condition names requested_slot {condition.requested_slot!r}, "
                "which is not declared",
                path,
                line,
                "DOM016",
            )


def _check_mapping_entity(
    merged: MergedDomain, slot: str, mapping: SlotMapping, path: str, line: int
) -> None:
    entity = merged.entities.get(str(mapping.entity))
    if entity is None:
        raise domain_error(
            f"slot {slot!r} is filled from entity {mapping.entity!r}, which is not declared",
            path,
            line,
            "DOM014",
            hint=f"add '- {mapping.entity}' under 'entities:'",
        )
    spec: EntitySpec = entity.value
    for kind, value, declared in (("role", mapping.role, spec.roles), ("group", mapping.group, spec.groups)):
        if value is not None and value not in declared:
            raise domain_error(
                f"slot {slot!r}: entity {mapping.entity!r} declares no {kind} {value!r}",
                path,
                line,
                "DOM014",
                hint=f"list it under the entity's '{kind}s:'",
            )


def _check_intent_entities(merged: MergedDomain, entry: Located) -> None:
    spec: IntentSpec = entry.value
    for entity in (*(spec.use_entities or ()), *spec.ignore_entities):
        if entity not in merged.entities:
            raise domain_error(
                f"intent {spec.name!r} names entity {entity!r}, which is not declared",
                entry.path,
                entry.line,
                "DOM041",
                hint=f"add '- {entity}' under 'entities:'",
            )


def _check_response_conditions(merged: MergedDomain, entry: Located) -> None:
    variations: list[ResponseVariation] = entry.value
    for index, variation in enumerate(variations):
        for condition in variation.condition:
            if condition["name"] not in merged.slots and condition["name"] not in BUILTIN_SLOTS:
                line = entry.part_lines[index] if index < len(entry.part_lines) else entry.line
                raise domain_error(
                    f"response {entry.name!r}: condition on undeclared slot {condition['name']!r}",
                    entry.path,
                    line,
                    "DOM022",
                    hint="declare the slot under 'slots:'",
                )


def _check_form(merged: MergedDomain, entry: Located) -> None:
    spec: FormSpec = entry.value
    for index, slot in enumerate(spec.required_slots):
        if slot not in merged.slots:
            line = entry.part_lines[index] if index < len(entry.part_lines) else entry.line
            raise domain_error(
                f"form {spec.name!r} requires slot {slot!r}, which is not declared",
                entry.path,
                line,
                "DOM030",
                hint=f"declare '{slot}:' under 'slots:' with its mappings",
            )
    for intent in spec.ignored_intents:
        if intent not in merged.intents and intent not in DEFAULT_INTENTS:
            raise domain_error(
                f"form {spec.name!r} ignores intent {intent!r}, which is not declared",
                entry.path,
                entry.line,
                "DOM031",
            )


def session_config_of(merged: MergedDomain) -> SessionConfig:
    """The merged session config, Rasa's defaults when no file sets one."""
    return merged.session_config.value if merged.session_config else SessionConfig()
