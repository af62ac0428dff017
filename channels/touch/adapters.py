"""Two touch adapters: the database outbox (default) and a webhook.

``DatabaseAdapter`` writes each rendered touch to the ``touch_outbox`` table, where an SMS
gateway job or the push service picks it up: the platform runs with no provider configured.
``WebhookAdapter`` POSTs each touch as JSON to a configured URL (the bank's messaging
platform); a timeout, a refused connection or a non-2xx answer is a ``failed`` result,
never an exception.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping

import httpx

from channels.touch.errors import TouchConfigError
from channels.touch.message import TouchMessage, TouchResult, TouchStatus
from channels.touch.store import TouchStore

__all__ = ["DatabaseAdapter", "WebhookAdapter"]

logger = logging.getLogger(__name__)
_BODY_PREVIEW = 200


def _unrendered(message: TouchMessage, adapter: str) -> TouchResult:
    return TouchResult(
        message.message_id,
        TouchStatus.FAILED,
        message.channel,
        adapter,
        error="message has no rendered content",
    )


class DatabaseAdapter:
    """Delivers touches into the ``touch_outbox`` table of a ``TouchStore``."""

    name = "database"

    def __init__(self, store: TouchStore) -> None:
        self.store = store

    async def send(self, message: TouchMessage) -> TouchResult:
        """Store the touch in the outbox; a database error is a ``failed`` result."""
        if message.content is None:
            return _unrendered(message, self.name)
        try:
            await asyncio.to_thread(self.store.put_outbox, message)
        except Exception as exc:  # the dispatcher records the failure; the campaign goes on
            logger.exception("touch %s: outbox write failed", message.message_id)
            return TouchResult(
                message.message_id, TouchStatus.FAILED, message.channel, self.name, error=str(exc)
            )
        return TouchResult(message.message_id, TouchStatus.SENT, message.channel, self.name)


class WebhookAdapter:
    """POSTs each touch (``TouchMessage.to_dict()``) to ``url``.

    Args:
        url: the receiving endpoint (``http``/``https``).
        timeout_s: connect + read timeout of one POST.
        headers: extra headers (an API key for the receiver).
        transport: an httpx transport (tests, proxies); default: the network.

    Raises:
        TouchConfigError: ``url`` is not http(s) or the timeout is not positive.
    """

    name = "webhook"

    def __init__(
        self,
        url: str,
        *,
        timeout_s: float = 5.0,
        headers: Mapping[str, str] | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        if not url.startswith(("http://", "https://")):
            raise TouchConfigError(f"WebhookAdapter: url must start with http:// or https://, got {url!r}")
        if timeout_s <= 0:
            raise TouchConfigError(f"WebhookAdapter: timeout_s must be > 0, got {timeout_s}")
        self.url = url
        self.timeout_s = timeout_s
        self.headers = dict(headers or {})
        self.transport = transport

    async def send(self, message: TouchMessage) -> TouchResult:
        """POST the touch; 2xx is ``sent``, anything else a ``failed`` result with the reason."""
        if message.content is None:
            return _unrendered(message, self.name)
        headers = {"Idempotency-Key": message.message_id, **self.headers}
        try:
            async with httpx.AsyncClient(timeout=self.timeout_s, transport=self.transport) as client:
                response = await client.post(self.url, json=message.to_dict(), headers=headers)
        except httpx.TimeoutException:
            return self._failed(message, f"timed out after {self.timeout_s} s")
        except httpx.HTTPError as exc:
            return self._failed(message, f"{type(exc).__name__}: {exc}")
        detail = {"status_code": response.status_code}
        if not response.is_success:
            preview = response.text[:_BODY_PREVIEW]
            return self._failed(message, f"HTTP {response.status_code}: {preview}", detail)
        return TouchResult(message.message_id, TouchStatus.SENT, message.channel, self.name, detail=detail)

    def _failed(
        self, message: TouchMessage, error: str, detail: Mapping[str, int] | None = None
    ) -> TouchResult:
        logger.warning("touch %s: webhook %s failed: %s", message.message_id, self.url, error)
        return TouchResult(
            message.message_id,
            TouchStatus.FAILED,
            message.channel,
            self.name,
            error=error,
            detail=dict(detail or {}),
        )
