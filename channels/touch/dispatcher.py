"""The one way out for touches: render, apply caps and quiet hours, deliver, record.

``TouchDispatcher.dispatch`` renders the message's template, then:

1. finds the earliest allowed send time (quiet hours push it to their end: deferred, never
   dropped);
2. counts the customer's touches on that channel in the local day and ISO week of that time
   (sent and deferred ones); at a cap the touch is ``capped`` and not sent;
3. sends now through the adapter, or records the touch as ``deferred`` until that time.

Every outcome is written to the store's ``touch_log``. ``release_due`` (run it from a
scheduler, e.g. every minute) sends the deferred touches whose time has come. The clock is
injectable so tests (and replays) control "now".
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime

from channels.touch.message import TouchAdapter, TouchMessage, TouchResult, TouchStatus
from channels.touch.policy import TouchPolicy
from channels.touch.store import TouchStore
from channels.touch.templates import TemplateBook

__all__ = ["TouchDispatcher"]

logger = logging.getLogger(__name__)


def _utc_now() -> datetime:
    return datetime.now(UTC)


class TouchDispatcher:
    """Enforces the touch policy in front of any ``TouchAdapter``.

    Args:
        adapter: delivers the touches (``DatabaseAdapter``, ``WebhookAdapter``, an SMS gateway).
        templates: the templates messages name.
        store: the touch log (caps count it) and deferred queue.
        policy: caps and quiet hours; default ``TouchPolicy()`` (SMS 1/day 3/week, 21:00-08:00).
        clock: the current time, time-zone aware.
    """

    def __init__(
        self,
        adapter: TouchAdapter,
        templates: TemplateBook,
        store: TouchStore,
        policy: TouchPolicy | None = None,
        clock: Callable[[], datetime] = _utc_now,
    ) -> None:
        self.adapter = adapter
        self.templates = templates
        self.store = store
        self.policy = policy or TouchPolicy()
        self.clock = clock
        self._lock = asyncio.Lock()  # a cap check and its record happen together

    async def dispatch(self, message: TouchMessage) -> TouchResult:
        """Send ``message`` now, later (quiet hours) or not at all (cap); the outcome is recorded.

        Raises:
            TemplateError: unknown template, a template of another channel, or a missing
                variable (nothing is recorded: the caller must fix the message).
        """
        rendered = replace(
            message, content=self.templates.render(message.template_id, message.channel, message.variables)
        )
        now = self.clock()
        when = self.policy.next_allowed(now)
        async with self._lock:
            capped = await asyncio.to_thread(self._over_cap, rendered, when)
            if capped:
                result = TouchResult(
                    rendered.message_id, TouchStatus.CAPPED, rendered.channel, self.adapter.name, error=capped
                )
                await asyncio.to_thread(self.store.log, rendered, result, when)
                return result
            if when > now:
                result = TouchResult(
                    rendered.message_id,
                    TouchStatus.DEFERRED,
                    rendered.channel,
                    self.adapter.name,
                    scheduled_at=when,
                )
                await asyncio.to_thread(self.store.log, rendered, result, when)
                return result
            # recorded before delivery, so a concurrent dispatch counts it against the cap
            pending = TouchResult(rendered.message_id, TouchStatus.SENT, rendered.channel, self.adapter.name)
            await asyncio.to_thread(self.store.log, rendered, pending, now)
        return await self._deliver(rendered, now)

    async def release_due(self) -> list[TouchResult]:
        """Send the deferred touches whose time has come; returns their results."""
        now = self.clock()
        if self.policy.is_quiet(now):
            return []
        results = []
        for message in await asyncio.to_thread(self.store.due, now):
            results.append(await self._deliver(message, now))
        return results

    async def _deliver(self, message: TouchMessage, now: datetime) -> TouchResult:
        try:
            result = await self.adapter.send(message)
        except Exception as exc:  # an adapter that raises still leaves a record
            logger.exception("touch %s: adapter %s raised", message.message_id, self.adapter.name)
            result = TouchResult(
                message.message_id, TouchStatus.FAILED, message.channel, self.adapter.name, error=str(exc)
            )
        await asyncio.to_thread(self.store.log, message, result, now)
        return result

    def _over_cap(self, message: TouchMessage, when: datetime) -> str | None:
        """Why ``message`` at ``when`` would break its channel's cap (``None``: it would not)."""
        cap = self.policy.cap(message.channel)
        day, week = self.policy.windows(when)
        for limit, (start, end), period in ((cap.per_day, day, "day"), (cap.per_week, week, "week")):
            if limit is None:
                continue
            used = self.store.count(message.customer_id, message.channel, start, end)
            if used >= limit:
                return f"{message.channel.value} cap reached: {used}/{limit} this {period}"
        return None
