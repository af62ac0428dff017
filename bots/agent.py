"""A running bot: its trained NLU and policies, actions, stores, and the message processor."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bots.settings import Settings
from bots.training import dialogue_dir, load_bot_model
from dialogue.actions import ActionRegistry
from dialogue.domain import Domain
from dialogue.events import Event, SlotSet
from dialogue.forms import FormAction, extract_slots
from dialogue.hooks import TurnHooks
from dialogue.nlg import NaturalLanguageGenerator
from dialogue.policies.ensemble import PolicyEnsemble
from dialogue.processor import BotMessage, MessageProcessor, UserMessage
from dialogue.stores.factory import create_lock_store, create_tracker_store
from dialogue.tracker import DialogueStateTracker
from nlu.pipeline import Pipeline

__all__ = ["BotAgent", "NamespacedTrackerStore", "build_action_registry", "load_agent"]

logger = logging.getLogger(__name__)


class NamespacedTrackerStore:
    """Keeps each bot's conversations apart when bots share one database."""

    def __init__(self, store: Any, namespace: str) -> None:
        self._store = store
        self._prefix = f"{namespace}:"

    async def append(self, sender_id: str, events: list[Event]) -> None:
        await self._store.append(self._prefix + sender_id, events)

    async def retrieve(self, sender_id: str) -> list[Event]:
        return list(await self._store.retrieve(self._prefix + sender_id))

    async def keys(self) -> list[str]:
        return [k[len(self._prefix) :] for k in await self._store.keys() if k.startswith(self._prefix)]

    async def close(self) -> None:
        await self._store.close()


@dataclass
class BotAgent:
    """One bot, ready to talk: the object channels call."""

    name: str
    domain: Domain
    nlu: Pipeline
    processor: MessageProcessor

    async def handle_message(self, message: UserMessage) -> list[BotMessage]:
        return await self.processor.handle_message(message)

    async def get_tracker(self, sender_id: str) -> DialogueStateTracker:
        return await self.processor.get_tracker(sender_id)

    async def trigger(self, sender_id: str, action_name: str) -> list[BotMessage]:
        return await self.processor.trigger(sender_id, action_name)

    async def close(self) -> None:
        await self.processor.tracker_store.close()
        await self.processor.lock_store.close()


ProfileSlots = Callable[[str], dict[str, Any]]


def _slot_extractor(profile_slots: ProfileSlots | None) -> Callable[..., list[Any]]:
    def extract(tracker: DialogueStateTracker, domain: Domain, _: object) -> list[Any]:
        identity = _customer_from_metadata(tracker, domain)
        if identity and profile_slots is not None:
            identity += _prefilled(profile_slots(identity[0].value), tracker, domain)
        # while a form runs, the form itself extracts (and may reject the message)
        if tracker.active_loop_name:
            return identity
        return identity + extract_slots(tracker, domain, None)

    return extract


def _customer_from_metadata(tracker: DialogueStateTracker, domain: Domain) -> list[Any]:
    """``customer_id`` comes from the logged-in channel (message metadata), never from what a user types."""
    message = tracker.latest_message
    customer_id = (message.metadata or {}).get("customer_id") if message else None
    if "customer_id" not in domain.slots or not customer_id or tracker.get_slot("customer_id") == customer_id:
        return []
    return [SlotSet("customer_id", str(customer_id))]


def _prefilled(values: dict[str, Any], tracker: DialogueStateTracker, domain: Domain) -> list[Any]:
    """What the core system knows of a newly logged-in customer (e.g. a valid assessed risk level),
    for the bot's empty slots, so no form asks for it."""
    return [
        SlotSet(name, value)
        for name, value in values.items()
        if name in domain.slots and value is not None and tracker.get_slot(name) is None
    ]


def _action_endpoint(bot_root: Path) -> str | None:
    """Rasa's ``endpoints.yml``: ``action_endpoint: {url: ...}``."""
    path = bot_root / "endpoints.yml"
    if not path.exists():
        return None
    content = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    endpoint = content.get("action_endpoint") or {}
    return str(endpoint["url"]) if isinstance(endpoint, dict) and endpoint.get("url") else None


def build_action_registry(
    domain: Domain, python_actions: Iterable[Any] = (), action_endpoint: str | None = None
) -> ActionRegistry:
    """The bot's actions: in-process ones, the action server's, and a ``FormAction`` per form.

    Raises:
        DomainError: a form without ask responses or with a validator for unknown slots.
    """
    registry = ActionRegistry(domain, python_actions, action_endpoint=action_endpoint)
    for form_name in domain.forms:
        if form_name in registry.names():
            continue
        # Rasa runs validate_<form> when it is a known action (in process, or declared for the server)
        validator = f"validate_{form_name}"
        known = validator in registry.names() or validator in domain.actions
        form = FormAction(form_name, validation_action=registry.get(validator) if known else None)
        form.check(domain)
        registry.register(form_name, form)
    return registry


def load_agent(
    bot_root: Path,
    settings: Settings,
    *,
    python_actions: Iterable[Any] = (),
    tracker_store: Any = None,
    lock_store: Any = None,
    hooks: TurnHooks | None = None,
    profile_slots: ProfileSlots | None = None,
) -> BotAgent:
    """Load a trained bot (``wealthbot train`` first) and wire its processor.

    Args:
        bot_root: the bot folder (domain.yml, data/, optional endpoints.yml).
        settings: where models and data live and which stores to use.
        python_actions: in-process custom actions (rasa-sdk style).
        tracker_store: overrides the store from settings (tests share one).
        lock_store: overrides the lock store from settings.
        hooks: the risk guard on every turn (``dialogue.hooks``); none: no guard.
        profile_slots: customer id → slot values known about the customer (a valid assessed
            risk level…), set when the logged-in customer first appears in a conversation.
    """
    name = bot_root.name
    domain = Domain.load(bot_root / "domain.yml")
    nlu = load_bot_model(settings.models_dir, name)
    policies = PolicyEnsemble.load(dialogue_dir(settings.models_dir, name))
    registry = build_action_registry(domain, python_actions, _action_endpoint(bot_root))
    store = tracker_store or NamespacedTrackerStore(
        create_tracker_store(settings.tracker_store_url, settings.data_dir), name
    )
    processor = MessageProcessor(
        domain=domain,
        nlu=nlu,
        policies=policies,
        actions=registry,
        tracker_store=store,
        lock_store=lock_store or create_lock_store(settings.lock_store_url),
        nlg=NaturalLanguageGenerator(domain),
        slot_extractor=_slot_extractor(profile_slots),
        hooks=hooks,
    )
    return BotAgent(name, domain, nlu, processor)
