"""Typed pieces of a domain: slots and their mappings, intents, entities, responses, forms.

Everything here is a frozen dataclass built by the loader (``dialogue/_domain_parse.py``);
``dialogue.domain`` re-exports the public names.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

__all__ = [
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


class SlotType(StrEnum):
    """The slot types of Rasa 3 (``type:`` in ``domain.yml``)."""

    TEXT = "text"
    BOOL = "bool"
    CATEGORICAL = "categorical"
    FLOAT = "float"
    LIST = "list"
    ANY = "any"


class MappingType(StrEnum):
    """How a slot is filled (``mappings: - type:``)."""

    FROM_ENTITY = "from_entity"
    FROM_TEXT = "from_text"
    FROM_INTENT = "from_intent"
    FROM_TRIGGER_INTENT = "from_trigger_intent"
    CUSTOM = "custom"


@dataclass(frozen=True)
class MappingCondition:
    """A mapping applies only while ``active_loop`` runs and asks for ``requested_slot``.

    ``active_loop`` ``None`` means "no loop is active" (Rasa's ``active_loop: null``).
    """

    active_loop: str | None = None
    requested_slot: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"active_loop": self.active_loop}
        if self.requested_slot is not None:
            out["requested_slot"] = self.requested_slot
        return out


@dataclass(frozen=True)
class SlotMapping:
    """One way to fill a slot.

    Attributes:
        type: the mapping type.
        entity, role, group: for ``from_entity``: which entity (and role/group) fills the slot.
        intent, not_intent: the mapping applies only for / never for these intents (empty = any).
        value: the value set by ``from_intent`` / ``from_trigger_intent``.
        conditions: the mapping applies only if one of these holds (empty = always).
        action: for ``custom``: the action that fills the slot (optional).
    """

    type: MappingType
    entity: str | None = None
    role: str | None = None
    group: str | None = None
    intent: tuple[str, ...] = ()
    not_intent: tuple[str, ...] = ()
    value: Any = None
    conditions: tuple[MappingCondition, ...] = ()
    action: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The mapping as written in ``domain.yml``."""
        out: dict[str, Any] = {"type": self.type.value}
        for key in ("entity", "role", "group", "action"):
            if getattr(self, key) is not None:
                out[key] = getattr(self, key)
        if self.intent:
            out["intent"] = list(self.intent)
        if self.not_intent:
            out["not_intent"] = list(self.not_intent)
        if self.type in (MappingType.FROM_INTENT, MappingType.FROM_TRIGGER_INTENT):
            out["value"] = self.value
        if self.conditions:
            out["conditions"] = [c.to_dict() for c in self.conditions]
        return out


@dataclass(frozen=True)
class SlotSpec:
    """A slot declared in the domain.

    Attributes:
        values: the allowed values of a categorical slot.
        min_value, max_value: the featurization range of a float slot.
    """

    name: str
    type: SlotType
    values: list[Any] = field(default_factory=list)
    influence_conversation: bool = True
    initial_value: Any = None
    mappings: list[SlotMapping] = field(default_factory=list)
    min_value: float = 0.0
    max_value: float = 1.0

    def to_dict(self) -> dict[str, Any]:
        """The slot as written in ``domain.yml`` (and as sent to rasa-sdk)."""
        out: dict[str, Any] = {
            "type": self.type.value,
            "initial_value": self.initial_value,
            "influence_conversation": self.influence_conversation,
            "mappings": [m.to_dict() for m in self.mappings],
        }
        if self.type is SlotType.CATEGORICAL:
            out["values"] = list(self.values)
        if self.type is SlotType.FLOAT:
            out["min_value"] = self.min_value
            out["max_value"] = self.max_value
        return out


@dataclass(frozen=True)
class IntentSpec:
    """An intent and the entities the dialogue policies may see with it.

    ``use_entities`` ``None`` means all entities; ``ignore_entities`` is removed from them.
    """

    name: str
    use_entities: tuple[str, ...] | None = None
    ignore_entities: tuple[str, ...] = ()

    def used_entities(self, all_entities: list[str]) -> list[str]:
        """The entities featurized for this intent, in ``all_entities`` order."""
        allowed = all_entities if self.use_entities is None else self.use_entities
        return [e for e in all_entities if e in allowed and e not in self.ignore_entities]

    def to_yaml(self) -> str | dict[str, Any]:
        if self.use_entities is None and not self.ignore_entities:
            return self.name
        options: dict[str, Any] = {}
        if self.use_entities is not None:
            options["use_entities"] = list(self.use_entities)
        if self.ignore_entities:
            options["ignore_entities"] = list(self.ignore_entities)
        return {self.name: options}


@dataclass(frozen=True)
class EntitySpec:
    """An entity with the roles and groups it may carry."""

    name: str
    roles: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()

    def to_yaml(self) -> str | dict[str, Any]:
        if not self.roles and not self.groups:
            return self.name
        options: dict[str, Any] = {}
        if self.roles:
            options["roles"] = list(self.roles)
        if self.groups:
            options["groups"] = list(self.groups)
        return {self.name: options}


@dataclass(frozen=True)
class ResponseVariation:
    """One variation of a response.

    Attributes:
        buttons: ``{"title": ..., "payload": ...}`` dicts, as Rasa writes them.
        condition: ``{"type": "slot", "name": ..., "value": ...}`` dicts; all must hold.
        channel: the output channel this variation is for (``None`` = any).
        extras: other Rasa payload keys kept as written (``attachment``, ``quick_replies``,
            ``elements``).
    """

    text: str | None = None
    buttons: list[dict[str, Any]] = field(default_factory=list)
    image: str | None = None
    custom: Any = None
    condition: list[dict[str, Any]] = field(default_factory=list)
    channel: str | None = None
    id: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
    extras: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The variation as written in ``domain.yml``."""
        out: dict[str, Any] = {}
        if self.text is not None:
            out["text"] = self.text
        if self.buttons:
            out["buttons"] = [dict(b) for b in self.buttons]
        for key in ("image", "custom", "channel", "id"):
            if getattr(self, key) is not None:
                out[key] = getattr(self, key)
        if self.condition:
            out["condition"] = [dict(c) for c in self.condition]
        if self.metadata:
            out["metadata"] = dict(self.metadata)
        out.update(self.extras)
        return out


@dataclass(frozen=True)
class FormSpec:
    """A form: the slots it asks for, and intents that never fill them."""

    name: str
    required_slots: list[str] = field(default_factory=list)
    ignored_intents: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"required_slots": list(self.required_slots)}
        if self.ignored_intents:
            out["ignored_intents"] = list(self.ignored_intents)
        return out


@dataclass(frozen=True)
class SessionConfig:
    """When a conversation session expires and whether slots survive it.

    Attributes:
        session_expiration_time: minutes of inactivity after which a new session starts
            (0 = sessions never expire).
    """

    session_expiration_time: float = 60.0
    carry_over_slots_to_new_session: bool = True

    @property
    def expiration_seconds(self) -> float:
        return self.session_expiration_time * 60.0

    def are_sessions_enabled(self) -> bool:
        return self.session_expiration_time > 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "session_expiration_time": self.session_expiration_time,
            "carry_over_slots_to_new_session": self.carry_over_slots_to_new_session,
        }
