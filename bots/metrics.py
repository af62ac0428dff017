"""Prometheus metrics of the served bots, in a registry of their own per app.

Turns are timed by ``MeteredAgent``, a wrapper with the agent's ``handle_message``; what a
turn did (NLU confidence, fallbacks, handoffs) is read from the events the agent's tracker
store is given (``ObservedTrackerStore``), so no turn costs an extra store read.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from typing import Any

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)

from dialogue.events import ActionExecuted, Event, HandoffRequested, UserUttered
from dialogue.processor import BotMessage, UserMessage

__all__ = ["FALLBACK_ACTIONS", "BotMetrics", "MeteredAgent", "ObservedTrackerStore", "instrument_agent"]

turn_logger = logging.getLogger("wealthbot.turn")

FALLBACK_ACTIONS = frozenset(
    {"action_default_fallback", "action_two_stage_fallback", "action_clarify", "action_default_ask_rephrase"}
)
_LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
_CONFIDENCE_BUCKETS = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 1.0)


class BotMetrics:
    """The counters and histograms; ``render()`` is the ``/metrics`` text."""

    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        self.registry = registry or CollectorRegistry(auto_describe=True)
        r = self.registry
        self.messages = Counter("wealthbot_messages", "User messages handled", ["bot", "channel"], registry=r)
        self.turn_errors = Counter(
            "wealthbot_turn_errors", "Turns that raised instead of answering", ["bot", "channel"], registry=r
        )
        self.turn_latency = Histogram(
            "wealthbot_turn_latency_seconds",
            "Whole dialogue turns (NLU, policies, actions, store)",
            ["bot", "channel"],
            buckets=_LATENCY_BUCKETS,
            registry=r,
        )
        self.in_flight = Gauge("wealthbot_turns_in_flight", "Turns running now", ["bot"], registry=r)
        self.nlu_confidence = Histogram(
            "wealthbot_nlu_confidence",
            "Top intent confidence",
            ["bot"],
            buckets=_CONFIDENCE_BUCKETS,
            registry=r,
        )
        self.fallbacks = Counter(
            "wealthbot_fallbacks", "Fallback/clarify actions run", ["bot", "action"], registry=r
        )
        self.handoffs = Counter(
            "wealthbot_handoffs", "Hand-offs to a human agent", ["bot", "reason"], registry=r
        )
        self.http_requests = Counter(
            "wealthbot_http_requests",
            "HTTP requests and WebSocket sessions",
            ["method", "route", "status"],
            registry=r,
        )
        self.http_latency = Histogram(
            "wealthbot_http_request_duration_seconds",
            "HTTP request duration",
            ["method", "route"],
            buckets=_LATENCY_BUCKETS,
            registry=r,
        )

    def observe_http(self, method: str, route: str, status: int, seconds: float) -> None:
        """Count one HTTP response (``route``: the route template, never the raw path)."""
        self.http_requests.labels(method, route, str(status)).inc()
        if method != "WS":  # a WebSocket's duration is the session's, not a request's
            self.http_latency.labels(method, route).observe(seconds)

    def observe_events(self, bot: str, events: Iterable[Event]) -> None:
        """Count what a turn did, from the events it stored."""
        for event in events:
            if isinstance(event, UserUttered):
                confidence = event.intent.get("confidence")
                if isinstance(confidence, int | float) and event.intent.get("name"):
                    self.nlu_confidence.labels(bot).observe(float(confidence))
            elif isinstance(event, ActionExecuted) and event.action_name in FALLBACK_ACTIONS:
                self.fallbacks.labels(bot, event.action_name).inc()
            elif isinstance(event, HandoffRequested):
                self.handoffs.labels(bot, (event.reason or "unknown")[:40]).inc()

    def render(self) -> tuple[bytes, str]:
        """The exposition text and its content type."""
        return generate_latest(self.registry), CONTENT_TYPE_LATEST


class ObservedTrackerStore:
    """A tracker store that tells its listeners about every appended batch of events."""

    def __init__(self, store: Any) -> None:
        self._store = store
        self.listeners: list[Callable[[list[Event]], None]] = []

    async def append(self, sender_id: str, events: list[Event]) -> None:
        await self._store.append(sender_id, events)
        for listener in self.listeners:
            listener(events)

    async def retrieve(self, sender_id: str) -> list[Event]:
        return list(await self._store.retrieve(sender_id))

    async def keys(self) -> list[str]:
        return list(await self._store.keys())

    async def close(self) -> None:
        await self._store.close()


def instrument_agent(agent: Any, bot: str, metrics: BotMetrics) -> None:
    """Feed ``metrics`` from the events ``agent`` stores (agents with a ``processor``; else no-op)."""
    processor = getattr(agent, "processor", None)
    if processor is None or not hasattr(processor, "tracker_store"):
        return
    if not isinstance(processor.tracker_store, ObservedTrackerStore):
        processor.tracker_store = ObservedTrackerStore(processor.tracker_store)
    processor.tracker_store.listeners.append(lambda events: metrics.observe_events(bot, events))


class MeteredAgent:
    """A ``ConversationService`` that counts and times the turns of the one it wraps.

    Every other attribute (``trigger``, ``domain``, ``processor``…) is the wrapped agent's.
    """

    def __init__(self, inner: Any, bot: str, metrics: BotMetrics) -> None:
        self.inner = inner
        self.bot = bot
        self.metrics = metrics

    async def handle_message(self, message: UserMessage) -> list[BotMessage]:
        channel = message.input_channel or "unknown"
        self.metrics.messages.labels(self.bot, channel).inc()
        in_flight = self.metrics.in_flight.labels(self.bot)
        in_flight.inc()
        started = time.perf_counter()
        replies: list[BotMessage] | None = None
        try:
            replies = await self.inner.handle_message(message)
        finally:
            seconds = time.perf_counter() - started
            in_flight.dec()
            self.metrics.turn_latency.labels(self.bot, channel).observe(seconds)
            if replies is None:
                self.metrics.turn_errors.labels(self.bot, channel).inc()
            self._log(message, channel, seconds, replies)
        return replies

    def _log(
        self, message: UserMessage, channel: str, seconds: float, replies: list[BotMessage] | None
    ) -> None:
        turn_logger.info(
            "turn %s/%s %s",
            self.bot,
            channel,
            "ok" if replies is not None else "failed",
            extra={
                "bot": self.bot,
                "channel": channel,
                "sender_id": message.sender_id,
                "message_id": message.message_id,
                "replies": None if replies is None else len(replies),
                "latency_ms": round(seconds * 1000, 2),
            },
        )

    async def get_tracker(self, sender_id: str) -> Any:
        return await self.inner.get_tracker(sender_id)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)
