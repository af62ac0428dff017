"""``RemoteAction``: run a custom action on a rasa-sdk compatible action server.

The request is Rasa's webhook call (``POST <url>`` with ``next_action``, ``sender_id``,
``tracker``, ``domain``, ``version``); the answer's ``events`` and ``responses`` become
engine events. Failures raise ``RemoteActionError`` subclasses::

    RemoteActionError
    └── ActionServerError             ``code``: unreachable (ACT010), 404 (ACT013), other
        │                             status (ACT014), unreadable answer (ACT015)
        ├── ActionRejectedError       HTTP 400 naming the action: it refused to run (ACT012)
        └── ActionServerTimeoutError  no answer in time after the request was sent (ACT011)

(see ``dialogue.actions.errors``).

A request is retried only when it provably never reached the server (connection refused,
connect timeout); after a sent request times out we never retry, because the action may
have run. Every execution carries one ``X-Request-Id`` (kept across retries) so a server can
drop duplicates.
"""

from __future__ import annotations

import asyncio
import json
import logging
import uuid
from typing import TYPE_CHECKING, Any

import httpx

from dialogue.actions.base import Action
from dialogue.actions.errors import ActionRejectedError, ActionServerError, ActionServerTimeoutError
from dialogue.actions.wire import events_from_dicts, messages_to_events

if TYPE_CHECKING:
    from dialogue.domain import Domain
    from dialogue.events import Event
    from dialogue.nlg import NaturalLanguageGenerator
    from dialogue.sdk.types import ActionCall, ActionResponse
    from dialogue.tracker import DialogueStateTracker

__all__ = ["REQUEST_ID_HEADER", "WEBHOOK_VERSION", "RemoteAction"]

logger = logging.getLogger(__name__)

WEBHOOK_VERSION = "3.x"
REQUEST_ID_HEADER = "X-Request-Id"
# errors raised before a single byte of the request reached the server
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


class RemoteAction(Action):
    """An action run by the action server at ``url`` (Rasa's ``action_endpoint``).

    Args:
        name: the action name (``next_action``).
        url: the webhook URL, e.g. ``http://localhost:5055/webhook``.
        timeout: seconds to wait for the whole answer.
        retries: extra attempts when the request could not be sent at all.
        client: an ``httpx.AsyncClient`` to reuse (one per call otherwise).
    """

    def __init__(
        self,
        name: str,
        url: str,
        timeout: float = 5.0,
        retries: int = 2,
        client: httpx.AsyncClient | None = None,
    ) -> None:
        self._name = name
        self.url = url
        self.timeout = timeout
        self.retries = max(0, retries)
        self._client = client

    def name(self) -> str:
        return self._name

    def payload(self, tracker: DialogueStateTracker, domain: Domain) -> ActionCall:
        """The webhook body for running this action on ``tracker``."""
        return {
            "next_action": self._name,
            "sender_id": tracker.sender_id,
            "tracker": tracker.current_state(),  # type: ignore[typeddict-item]
            "domain": domain.as_dict(),
            "version": WEBHOOK_VERSION,
        }

    async def run(
        self, tracker: DialogueStateTracker, domain: Domain, nlg: NaturalLanguageGenerator
    ) -> list[Event]:
        """Call the action server; utterances come first, then the returned events.

        Raises:
            RemoteActionError: the server was unreachable, timed out, refused or failed.
        """
        body = json.dumps(self.payload(tracker, domain), ensure_ascii=False, default=str).encode("utf-8")
        headers = {"Content-Type": "application/json", REQUEST_ID_HEADER: uuid.uuid4().hex}
        answer = await self._post(body, headers)
        utterances = messages_to_events(answer.get("responses") or [], tracker, nlg)
        return [*utterances, *events_from_dicts(answer.get("events") or [], self._name)]

    async def _post(self, body: bytes, headers: dict[str, str]) -> ActionResponse:
        if self._client is not None:
            response = await self._send(self._client, body, headers)
        else:
            async with httpx.AsyncClient(timeout=self.timeout) as client:
                response = await self._send(client, body, headers)
        return self._read(response)

    async def _send(self, client: httpx.AsyncClient, body: bytes, headers: dict[str, str]) -> httpx.Response:
        """POST with retries for requests that never left; never retry a sent request."""
        for attempt in range(self.retries + 1):
            try:
                return await client.post(self.url, content=body, headers=headers, timeout=self.timeout)
            except _NOT_SENT as exc:
                if attempt == self.retries:
                    raise ActionServerError(
                        "ACT010",
                        f"action server {self.url} unreachable for {self._name!r} after "
                        f"{attempt + 1} attempt(s): {exc!r}; is it running?",
                    ) from exc
                logger.warning("action server %s unreachable (%r); retry %d", self.url, exc, attempt + 1)
                await asyncio.sleep(0.1 * 2**attempt)
            except httpx.TimeoutException as exc:
                raise ActionServerTimeoutError(
                    "ACT011",
                    f"action server {self.url} did not answer {self._name!r} within "
                    f"{self.timeout} s (not retried: the action may have run)",
                ) from exc
            except httpx.HTTPError as exc:
                raise ActionServerError(
                    "ACT014", f"calling {self._name!r} at {self.url} failed: {exc!r}"
                ) from exc
        raise AssertionError("unreachable")  # the loop always returns or raises

    def _read(self, response: httpx.Response) -> ActionResponse:
        """The JSON answer, or the error its status stands for."""
        status = response.status_code
        detail = _json_or_text(response)
        if status == 400 and isinstance(detail, dict) and detail.get("action_name"):
            raise ActionRejectedError(self._name, str(detail.get("error") or "rejected"))
        if status == 404:
            raise ActionServerError(
                "ACT013",
                f"action server {self.url} has no action {self._name!r} (HTTP 404): check the "
                f"actions module it was started with",
            )
        if status != 200:
            raise ActionServerError(
                "ACT014", f"action server answered HTTP {status} for {self._name!r}: {response.text[:300]}"
            )
        if detail is None:  # rasa-sdk answers ``null`` for an action that returned nothing
            return {}
        if not isinstance(detail, dict) or not isinstance(detail.get("events") or [], list):
            raise ActionServerError("ACT015", f"unreadable answer for {self._name!r}: {response.text[:300]}")
        return detail  # type: ignore[return-value]


def _json_or_text(response: httpx.Response) -> Any:
    """The parsed JSON body (``None`` for an empty body), or the raw text if not JSON."""
    if not response.content.strip():
        return None
    try:
        return response.json()
    except ValueError:
        return response.text
