"""A served bot seen through its HTTP API, so end-to-end test stories run over the real server.

``RemoteBot`` speaks the REST channel (``POST /bots/{bot}/webhooks/rest/webhook``) and
reads trackers back (``GET /bots/{bot}/conversations/{id}/tracker``): it has the two methods
``dialogue.testing.run_test_stories`` needs, so ``wealthbot test --url`` and the tests drive
a running server exactly as a channel would.
"""

from __future__ import annotations

from typing import Any

import httpx

from dialogue.processor import BotMessage, UserMessage
from dialogue.tracker import DialogueStateTracker

__all__ = ["RemoteBot"]


class RemoteBot:
    """One bot of a running server.

    Args:
        base_url: the server, e.g. ``http://127.0.0.1:5005``.
        bot: the bot's name on the server.
        metadata: sent with every message (e.g. the logged-in ``customer_id``).
        headers: extra HTTP headers (an API key for protected tracker endpoints).
    """

    def __init__(
        self,
        base_url: str,
        bot: str,
        metadata: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
        timeout: float = 30.0,
    ) -> None:
        self.bot = bot
        self.metadata = dict(metadata or {})
        self.client = httpx.AsyncClient(base_url=base_url.rstrip("/"), headers=headers, timeout=timeout)

    async def handle_message(self, message: UserMessage) -> list[BotMessage]:
        body = {
            "sender": message.sender_id,
            "message": message.text,
            "metadata": {**self.metadata, **message.metadata},
        }
        response = await self.client.post(f"/bots/{self.bot}/webhooks/rest/webhook", json=body)
        response.raise_for_status()
        return [BotMessage(**reply) for reply in response.json()]

    async def get_tracker(self, sender_id: str) -> DialogueStateTracker:
        response = await self.client.get(f"/bots/{self.bot}/conversations/{sender_id}/tracker")
        response.raise_for_status()
        return DialogueStateTracker.from_dict(sender_id, response.json()["events"])

    async def aclose(self) -> None:
        await self.client.aclose()
