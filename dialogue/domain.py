"""The domain: everything a bot can understand, remember, say and do (Rasa 3 ``domain.yml``).

``Domain.load`` reads one file, several files or folders of ``*.yml`` (like Rasa's
``domain/`` folder) and merges them. Reading is split by concept: ``_domain_yaml``
(line-aware YAML), ``_domain_parse`` / ``_domain_slot`` / ``_domain_response`` (one file's
sections), ``_domain_merge`` (merging files and checking references).

Error codes (all ``DomainError``, with file and line):

- ``DOM001`` no such file or folder, or no domain file in it
- ``DOM002`` unreadable file or invalid YAML
- ``DOM003`` unknown top-level section
- ``DOM004`` a section or entry has the wrong shape
- ``DOM010`` unknown or missing slot type; ``DOM011`` categorical slot without values;
  ``DOM012`` bad slot option or initial value; ``DOM013`` bad slot mapping
- ``DOM014`` mapping names an undeclared entity (or role/group); ``DOM015`` undeclared intent;
  ``DOM016`` mapping condition names an unknown loop or slot
- ``DOM020`` response (variation) without text, image, custom or buttons; ``DOM021`` malformed
  variation; ``DOM022`` response condition on an undeclared slot; ``DOM023`` an ``utter_``
  action without a response (an error, not a warning: the bot would fail at run time)
- ``DOM030`` form requires an undeclared slot; ``DOM031`` malformed form or unknown ignored intent
- ``DOM040`` a name declared twice with different definitions
- ``DOM041`` intent ``use_entities``/``ignore_entities`` names an undeclared entity
- ``DOM042`` invalid ``session_config``
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from dialogue._domain_merge import (
    BUILTIN_SLOTS,
    DEFAULT_INTENTS,
    MergedDomain,
    merge_fragments,
    session_config_of,
)
from dialogue._domain_parse import DomainFragment, parse_fragment
from dialogue._domain_types import (
    EntitySpec,
    FormSpec,
    IntentSpec,
    MappingCondition,
    MappingType,
    ResponseVariation,
    SessionConfig,
    SlotMapping,
    SlotSpec,
    SlotType,
)
from dialogue._domain_yaml import domain_error, read_yaml_file, read_yaml_text
from nlu.training_data import SourceLocation

__all__ = [
    "BUILTIN_ACTIONS",
    "BUILTIN_SLOTS",
    "DEFAULT_INTENTS",
    "Domain",
    "EntitySpec",
    "FormSpec",
    "IntentSpec",
    "MappingCondition",
    "MappingType",
    "ResponseVariation",
    "SessionConfig",
    "SlotMapping",
    "SlotSpec",
    "SlotType",
]

BUILTIN_ACTIONS: tuple[str, ...] = (
    "action_listen",
    "action_restart",
    "action_session_start",
    "action_default_fallback",
    "action_deactivate_loop",
    "action_revert_fallback_events",
    "action_default_ask_affirmation",
    "action_default_ask_rephrase",
    "action_two_stage_fallback",
    "action_back",
    "action_clarify",
    "action_handoff",
    "action_unlikely_intent",
    "action_extract_slots",
)

_LATEST_VERSION = "3.1"


@dataclass(frozen=True)
class Domain:
    """A bot's intents, entities, slots, responses, actions, forms and session config.

    Attributes:
        intents: declared intent names, then Rasa's default intents not declared.
        intent_specs: per intent, the entities the policies may see with it.
        entity_specs: per entity, its roles and groups.
        slots: declared slots, then the built-in ``requested_slot`` (when there are forms)
            and ``session_started_metadata``.
        actions: custom action names as declared (``actions:``).
        actions_sending_domain: actions declared with ``send_domain: true``.
        config: the ``config:`` section (``store_entities_as_slots``).
    """

    version: str = _LATEST_VERSION
    intents: list[str] = field(default_factory=list)
    entities: list[str] = field(default_factory=list)
    slots: dict[str, SlotSpec] = field(default_factory=dict)
    responses: dict[str, list[ResponseVariation]] = field(default_factory=dict)
    actions: list[str] = field(default_factory=list)
    forms: dict[str, FormSpec] = field(default_factory=dict)
    session_config: SessionConfig = field(default_factory=SessionConfig)
    intent_specs: dict[str, IntentSpec] = field(default_factory=dict)
    entity_specs: dict[str, EntitySpec] = field(default_factory=dict)
    actions_sending_domain: frozenset[str] = frozenset()
    config: dict[str, Any] = field(default_factory=dict)
    sources: dict[str, SourceLocation] = field(default_factory=dict, compare=False, repr=False)

    # ---- loading -------------------------------------------------------------------------

    @classmethod
    def load(cls, paths: str | Path | Iterable[str | Path]) -> Domain:
        """Load and merge domain files; folders are searched recursively for ``*.yml``/``*.yaml``.

        Files in a folder with no domain section (``nlu:``, ``stories:`` ...) are skipped.

        Raises:
            DomainError: a missing path (``DOM001``) or invalid content (see the module doc).
        """
        fragments: list[DomainFragment] = []
        for file in _expand(paths):
            fragment = parse_fragment(read_yaml_file(file), str(file))
            if fragment is not None:
                fragments.append(fragment)
        return cls._from_fragments(fragments)

    @classmethod
    def from_yaml(cls, text: str, path: str = "<string>") -> Domain:
        """Build a domain from ``domain.yml`` content (``path`` names it in errors).

        Raises:
            DomainError: invalid content.
        """
        fragment = parse_fragment(read_yaml_text(text, path), path)
        return cls._from_fragments([fragment] if fragment is not None else [])

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Domain:
        """Build a domain from Rasa's domain JSON (as ``as_dict`` writes it).

        Raises:
            DomainError: invalid content.
        """
        return cls.from_yaml(yaml.safe_dump(dict(data), allow_unicode=True, sort_keys=False), "<dict>")

    @classmethod
    def empty(cls) -> Domain:
        """A domain that declares nothing."""
        return cls._from_fragments([])

    @classmethod
    def _from_fragments(cls, fragments: list[DomainFragment]) -> Domain:
        merged = merge_fragments(fragments)
        slots = {name: entry.value for name, entry in merged.slots.items()}
        for builtin in BUILTIN_SLOTS:
            if builtin not in slots and (builtin != "requested_slot" or merged.forms):
                slots[builtin] = SlotSpec(builtin, SlotType.ANY, influence_conversation=False)
        intent_specs = {name: entry.value for name, entry in merged.intents.items()}
        for intent in DEFAULT_INTENTS:
            intent_specs.setdefault(intent, IntentSpec(intent))
        return cls(
            version=merged.version or _LATEST_VERSION,
            intents=list(intent_specs),
            entities=list(merged.entities),
            slots=slots,
            responses={name: entry.value for name, entry in merged.responses.items()},
            actions=list(merged.actions),
            forms={name: entry.value for name, entry in merged.forms.items()},
            session_config=session_config_of(merged),
            intent_specs=intent_specs,
            entity_specs={name: entry.value for name, entry in merged.entities.items()},
            actions_sending_domain=frozenset(n for n, e in merged.actions.items() if e.value is True),
            config={"store_entities_as_slots": True, **merged.config},
            sources=_sources(merged),
        )

    # ---- queries ---------------------------------------------------------------------------

    @cached_property
    def action_names(self) -> list[str]:
        """Every action the policies may predict: built-ins, responses, custom actions, forms."""
        names = [*BUILTIN_ACTIONS, *self.responses, *self.actions, *self.forms]
        return list(dict.fromkeys(names))

    @property
    def form_names(self) -> list[str]:
        return list(self.forms)

    def slot_defaults(self) -> dict[str, Any]:
        """Each slot's initial value: what a new tracker starts with."""
        return {name: _copy(spec.initial_value) for name, spec in self.slots.items()}

    def used_entities(self, intent: str) -> list[str]:
        """The entities the dialogue policies see with ``intent`` (``use_entities`` options)."""
        spec = self.intent_specs.get(intent)
        return spec.used_entities(self.entities) if spec else list(self.entities)

    def location(self, kind: str, name: str) -> SourceLocation | None:
        """Where ``name`` of ``kind`` (intent, entity, slot, response, action, form) is declared."""
        return self.sources.get(f"{kind}:{name}")

    def is_empty(self) -> bool:
        """True when the domain declares nothing of its own (built-ins do not count)."""
        own_intents = [i for i in self.intents if i not in DEFAULT_INTENTS]
        own_slots = [s for s in self.slots if s not in BUILTIN_SLOTS]
        return not (own_intents or self.entities or own_slots or self.responses or self.actions or self.forms)

    def as_dict(self) -> dict[str, Any]:
        """Rasa's domain JSON, as the rasa-sdk action server receives it."""
        return {
            "version": self.version,
            "config": dict(self.config),
            "session_config": self.session_config.to_dict(),
            "intents": [self.intent_specs[name].to_yaml() for name in self.intents],
            "entities": [self.entity_specs[name].to_yaml() for name in self.entities],
            "slots": {name: spec.to_dict() for name, spec in self.slots.items()},
            "responses": {name: [v.to_dict() for v in vs] for name, vs in self.responses.items()},
            "actions": [
                {name: {"send_domain": True}} if name in self.actions_sending_domain else name
                for name in self.actions
            ],
            "forms": {name: spec.to_dict() for name, spec in self.forms.items()},
        }


def _expand(paths: str | Path | Iterable[str | Path]) -> list[Path]:
    raw_paths: list[str | Path] = [paths] if isinstance(paths, str | Path) else list(paths)
    files: list[Path] = []
    for raw in raw_paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix in (".yml", ".yaml"))
            if not found:
                raise domain_error(f"no *.yml domain files in folder {path}", str(path), None, "DOM001")
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            raise domain_error(f"no such file or folder: {path}", str(path), None, "DOM001")
    if not raw_paths:
        raise domain_error("no domain paths given", "<domain>", None, "DOM001")
    return files


def _sources(merged: MergedDomain) -> dict[str, SourceLocation]:
    kinds = {"intents": "intent", "entities": "entity", "slots": "slot", "responses": "response"}
    kinds |= {"actions": "action", "forms": "form"}
    return {
        f"{kind}:{name}": SourceLocation(entry.path, entry.line)
        for section, kind in kinds.items()
        for name, entry in merged.section(section).items()
    }


def _copy(value: Any) -> Any:
    """A fresh copy of a (YAML-shaped) initial value, so trackers never share a list."""
    if isinstance(value, list):
        return [_copy(v) for v in value]
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    return value
