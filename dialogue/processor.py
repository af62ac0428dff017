"""Handles one user message end to end: lock, track, understand, decide, act, store.

Every event is stored as soon as it happens (user message first, then each action's
events), so a crashing action or a killed process never loses what came before.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import time
from dataclasses import dataclass, field
from typing import Any, Protocol

from dialogue.errors import RemoteActionError
from dialogue.events import (
    ActionExecuted,
    ActionExecutionRejected,
    BotUttered,
    Event,
    RiskDecision,
    SessionStarted,
    UserUtteranceReverted,
    UserUttered,
)
from dialogue.hooks import InboundVerdict, TurnHooks
from dialogue.tracker import ACTION_LISTEN, DialogueStateTracker

__all__ = ["APOLOGY", "BotMessage", "MessageProcessor", "UserMessage"]

logger = logging.getLogger(__name__)

APOLOGY = "抱歉，系统开小差了，请稍后再试。"
SESSION_START = "action_session_start"
HANDOFF = "action_handoff"
_INTENT_PAYLOAD = re.compile(r"^/(?P<intent>[A-Za-z0-9_\-.]+)(?P<entities>\{.*\})?$", re.S)


@dataclass(frozen=True)
class UserMessage:
    """A message from a channel."""

    text: str
    sender_id: str
    input_channel: str = "rest"
    metadata: dict[str, Any] = field(default_factory=dict)
    message_id: str | None = None


@dataclass(frozen=True)
class BotMessage:
    """A message for a channel, in the REST channel's shape."""

    recipient_id: str
    text: str | None = None
    buttons: list[dict[str, Any]] | None = None
    image: str | None = None
    custom: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"recipient_id": self.recipient_id}
        for key in ("text", "buttons", "image", "custom"):
            value = getattr(self, key)
            if value:
                out[key] = value
        return out

    @classmethod
    def from_event(cls, recipient_id: str, event: BotUttered) -> BotMessage:
        data = event.data or {}
        return cls(recipient_id, event.text, data.get("buttons"), data.get("image"), data.get("custom"))


class NLU(Protocol):
    def parse(self, text: str) -> Any: ...


class MessageProcessor:
    """Runs conversations of one bot.

    Args:
        domain: the bot's ``Domain``.
        nlu: a trained ``nlu.Pipeline`` (anything with ``parse(text)``).
        policies: a ``PolicyEnsemble``.
        actions: an ``ActionRegistry``.
        tracker_store: where events are appended.
        lock_store: serializes messages of one conversation.
        nlg: the ``NaturalLanguageGenerator``.
        slot_extractor: fills slots from the latest message via the domain's mappings.
        hooks: the risk guard called before NLU and on every bot message (``dialogue.hooks``).
    """

    def __init__(
        self,
        *,
        domain: Any,
        nlu: NLU,
        policies: Any,
        actions: Any,
        tracker_store: Any,
        lock_store: Any,
        nlg: Any,
        slot_extractor: Any = None,
        max_actions: int = 10,
        hooks: TurnHooks | None = None,
    ) -> None:
        self.domain = domain
        self.nlu = nlu
        self.policies = policies
        self.actions = actions
        self.tracker_store = tracker_store
        self.lock_store = lock_store
        self.nlg = nlg
        self.slot_extractor = slot_extractor
        self.max_actions = max_actions
        self.hooks = hooks

    async def get_tracker(self, sender_id: str) -> DialogueStateTracker:
        events = await self.tracker_store.retrieve(sender_id)
        return DialogueStateTracker(sender_id, self.domain.slot_defaults(), events)

    async def handle_message(self, message: UserMessage) -> list[BotMessage]:
        """Process one message; returns the bot's replies in order."""
        async with self.lock_store.lock(message.sender_id):
            tracker = await self.get_tracker(message.sender_id)
            start = len(tracker.events)
            if self._needs_session_start(tracker):
                await self._run_action(tracker, SESSION_START, None, None)
                await self._store(tracker, [ActionExecuted(action_name=ACTION_LISTEN)])
            verdict = await self._inbound(message, tracker)
            if verdict.decision in ("block", "handoff"):
                await self._stop_at_guard(message, tracker, verdict)
            else:
                await self._understand_and_act(message, tracker, verdict)
            replies = [e for e in tracker.events[start:] if isinstance(e, BotUttered)]
        return [BotMessage.from_event(message.sender_id, e) for e in replies]

    async def trigger(self, sender_id: str, action_name: str) -> list[BotMessage]:
        """Run an action outside a user turn (server push, reminders), then predict on."""
        async with self.lock_store.lock(sender_id):
            tracker = await self.get_tracker(sender_id)
            start = len(tracker.events)
            await self._run_action(tracker, action_name, "trigger", 1.0)
            await self._predict_and_run(tracker)
            replies = [e for e in tracker.events[start:] if isinstance(e, BotUttered)]
        return [BotMessage.from_event(sender_id, e) for e in replies]

    async def _understand_and_act(
        self, message: UserMessage, tracker: DialogueStateTracker, verdict: InboundVerdict
    ) -> None:
        parse_data = await self._parse(message.text)
        user = UserUttered(
            text=message.text,
            parse_data=parse_data,
            input_channel=message.input_channel,
            message_id=message.message_id,
            metadata=dict(message.metadata),
        )
        await self._store(tracker, [_with_stored_text(user, verdict.stored_text), *verdict.events])
        if tracker.is_paused:
            return
        if self.slot_extractor is not None:
            await self._store(tracker, list(self.slot_extractor(tracker, self.domain, None)))
        await self._predict_and_run(tracker)

    async def _stop_at_guard(
        self, message: UserMessage, tracker: DialogueStateTracker, verdict: InboundVerdict
    ) -> None:
        """A blocked message never reaches NLU; a handed-off one goes straight to a human."""
        text = message.text if verdict.stored_text is None else verdict.stored_text
        user = UserUttered(
            text=text,
            parse_data={"text": text, "intent": {}, "entities": [], "intent_ranking": []},
            input_channel=message.input_channel,
            message_id=message.message_id,
            metadata=dict(message.metadata),
        )
        reply = [BotUttered(text=verdict.reply, data={"guard": verdict.decision})] if verdict.reply else []
        await self._store(tracker, [user, *verdict.events, *reply])
        if verdict.decision == "handoff":
            await self._run_action(tracker, HANDOFF, "risk_hooks", 1.0)
            await self._store(tracker, [ActionExecuted(action_name=ACTION_LISTEN)])
            return
        # the blocked turn stays in the store for the audit, but out of the dialogue state
        await self._store(tracker, [ActionExecuted(action_name=ACTION_LISTEN), UserUtteranceReverted()])

    async def _inbound(self, message: UserMessage, tracker: DialogueStateTracker) -> InboundVerdict:
        if self.hooks is None:
            return InboundVerdict()
        try:
            return await self.hooks.inbound(message, tracker)
        except Exception as exc:  # a broken guard must not silence the bot: fail open, on record
            logger.exception("inbound hook failed for %s", message.sender_id)
            return InboundVerdict("warn", events=(_hook_error("inbound", exc),))

    async def _outbound(self, tracker: DialogueStateTracker, events: list[Event]) -> list[Event]:
        assert self.hooks is not None
        checked: list[Event] = []
        for event in events:
            if not isinstance(event, BotUttered):
                checked.append(event)
                continue
            try:
                verdict = await self.hooks.outbound(event, tracker)
            except Exception as exc:
                logger.exception("outbound hook failed for %s", tracker.sender_id)
                checked.extend([event, _hook_error("outbound", exc)])
                continue
            checked.extend([verdict.message, *verdict.events])
        return checked

    def _needs_session_start(self, tracker: DialogueStateTracker) -> bool:
        if not any(isinstance(e, SessionStarted) for e in tracker.events):
            return True
        expiry_minutes = getattr(self.domain.session_config, "session_expiration_time", 0) or 0
        last = tracker.events[-1].timestamp if tracker.events else time.time()
        return bool(expiry_minutes) and time.time() - last > expiry_minutes * 60

    async def _parse(self, text: str) -> dict[str, Any]:
        payload = _intent_payload(text)
        if payload is not None:
            return payload

        result = await asyncio.to_thread(self.nlu.parse, text)
        return dict(result.to_dict())

    async def _predict_and_run(self, tracker: DialogueStateTracker) -> None:
        for _ in range(self.max_actions):
            prediction = self.policies.predict(tracker, self.domain)
            if prediction.action is None:
                prediction_action, policy, confidence = ACTION_LISTEN, None, None
            else:
                prediction_action = prediction.action
                policy, confidence = prediction.policy, prediction.confidence
            await self._store(tracker, list(getattr(prediction, "events", ()) or ()))
            if prediction_action == ACTION_LISTEN:
                await self._store(
                    tracker, [ActionExecuted(action_name=ACTION_LISTEN, policy=policy, confidence=confidence)]
                )
                return
            if not await self._run_action(tracker, prediction_action, policy, confidence):
                return
        logger.warning("%s: stopped after %d actions without listening", tracker.sender_id, self.max_actions)
        await self._store(tracker, [ActionExecuted(action_name=ACTION_LISTEN)])

    async def _run_action(
        self, tracker: DialogueStateTracker, name: str, policy: str | None, confidence: float | None
    ) -> bool:
        """Run one action and store its events; False when the turn must end (error)."""
        try:
            action = self.actions.get(name)
            events = list(await action.run(tracker, self.domain, self.nlg))
        except RemoteActionError as exc:
            if getattr(exc, "rejected", False):
                await self._store(
                    tracker, [ActionExecutionRejected(action_name=name, policy=policy, confidence=confidence)]
                )
                return True
            return await self._apologize(tracker, name, exc)
        except Exception as exc:  # an action's bug must not lose the conversation
            return await self._apologize(tracker, name, exc)
        executed = ActionExecuted(action_name=name, policy=policy, confidence=confidence)
        await self._store(tracker, [executed, *events])
        return True

    async def _apologize(self, tracker: DialogueStateTracker, name: str, exc: Exception) -> bool:
        logger.exception("action %s failed for %s: %s", name, tracker.sender_id, exc)
        apology = self.nlg.generate("utter_default_error", tracker) if self.nlg else None
        await self._store(
            tracker,
            [
                apology or BotUttered(text=APOLOGY, data={"error": name}),
                ActionExecuted(action_name=ACTION_LISTEN),
            ],
        )
        return False

    async def _store(self, tracker: DialogueStateTracker, events: list[Event]) -> None:
        if not events:
            return
        if self.hooks is not None and any(isinstance(e, BotUttered) for e in events):
            events = await self._outbound(tracker, events)
        tracker.update_many(events)
        await self.tracker_store.append(tracker.sender_id, events)


def _with_stored_text(user: UserUttered, stored_text: str | None) -> UserUttered:
    """The user event as the tracker keeps it (``stored_text``: masked by the inbound hook)."""
    if stored_text is None or stored_text == user.text:
        return user
    parse_data = {**user.parse_data, "text": stored_text}
    return UserUttered(
        text=stored_text,
        parse_data=parse_data,
        input_channel=user.input_channel,
        message_id=user.message_id,
        metadata=user.metadata,
        timestamp=user.timestamp,
    )


def _hook_error(hook: str, exc: Exception) -> RiskDecision:
    return RiskDecision(hook=hook, decision="error", reason=f"{type(exc).__name__}: {exc}", rule="hook_error")


def _intent_payload(text: str) -> dict[str, Any] | None:
    """Rasa's button payloads: ``/intent_name`` or ``/intent_name{"entity": "value"}``."""
    match = _INTENT_PAYLOAD.match(text.strip())
    if not match:
        return None
    entities: list[dict[str, Any]] = []
    if match.group("entities"):
        try:
            values = json.loads(match.group("entities"))
        except json.JSONDecodeError:
            return None
        if not isinstance(values, dict):
            return None
        entities = [
            {"entity": k, "value": v, "start": 0, "end": 0, "extractor": "payload"} for k, v in values.items()
        ]
    intent = {"name": match.group("intent"), "confidence": 1.0}
    return {"text": text, "intent": intent, "intent_ranking": [intent], "entities": entities}
