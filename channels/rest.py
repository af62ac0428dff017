"""Rasa's REST channel: ``POST /webhooks/rest/webhook`` and the tracker endpoint.

Request ``{"sender": "u1", "message": "我要赎回", "metadata": {...}}``; response: a list of
``{"recipient_id", "text", "buttons", "image", "custom"}``. Served for the default bot at
the root and for every bot under ``/bots/{bot}/``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from fastapi import APIRouter, HTTPException
from pydantic import BaseModel, Field

from dialogue.processor import UserMessage

__all__ = ["ConversationService", "RestMessage", "build_rest_router"]

MAX_MESSAGE_CHARS = 5000


class ConversationService(Protocol):
    """What a channel needs from a bot: handle a message, show a tracker."""

    async def handle_message(self, message: UserMessage) -> list[Any]: ...

    async def get_tracker(self, sender_id: str) -> Any: ...


class RestMessage(BaseModel):
    """Body of Rasa's REST webhook."""

    sender: str = Field(default="default", min_length=1, max_length=128)
    message: str = Field(max_length=MAX_MESSAGE_CHARS)
    metadata: dict[str, Any] = Field(default_factory=dict)
    message_id: str | None = None


def build_rest_router(bots: Mapping[str, ConversationService], default_bot: str) -> APIRouter:
    """Routes for the REST channel and tracker look-up of every bot."""
    router = APIRouter()

    def service(bot: str) -> ConversationService:
        if bot not in bots:
            raise HTTPException(404, detail=f"unknown bot {bot!r}; serving: {', '.join(bots)}")
        return bots[bot]

    async def send(bot: str, body: RestMessage) -> list[dict[str, Any]]:
        message = UserMessage(
            text=body.message,
            sender_id=body.sender,
            input_channel="rest",
            metadata=body.metadata,
            message_id=body.message_id,
        )
        replies = await service(bot).handle_message(message)
        return [reply.to_dict() for reply in replies]

    async def tracker(bot: str, sender_id: str) -> dict[str, Any]:
        state = await service(bot).get_tracker(sender_id)
        return dict(state.current_state())

    @router.post("/webhooks/rest/webhook", tags=["channels"])
    async def rest_webhook(body: RestMessage) -> list[dict[str, Any]]:
        """Send a message to the default bot (Rasa's REST channel)."""
        return await send(default_bot, body)

    @router.post("/bots/{bot}/webhooks/rest/webhook", tags=["channels"])
    async def bot_rest_webhook(bot: str, body: RestMessage) -> list[dict[str, Any]]:
        """Send a message to the named bot."""
        return await send(bot, body)

    @router.get("/conversations/{sender_id}/tracker", tags=["conversations"])
    async def get_tracker(sender_id: str) -> dict[str, Any]:
        """The default bot's tracker of a conversation (Rasa's JSON)."""
        return await tracker(default_bot, sender_id)

    @router.get("/bots/{bot}/conversations/{sender_id}/tracker", tags=["conversations"])
    async def get_bot_tracker(bot: str, sender_id: str) -> dict[str, Any]:
        """A named bot's tracker of a conversation."""
        return await tracker(bot, sender_id)

    return router
