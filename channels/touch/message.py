"""Value types of outbound touches: the message, its rendered content, the result, the adapter.

A *touch* is one outbound message to a customer outside a conversation: an SMS, an app push
or an H5 link (a web page sent through the app or a message). Robots and campaigns build a
``TouchMessage`` naming a template and its variables; the ``TouchDispatcher`` renders it,
applies frequency caps and quiet hours, and hands it to a ``TouchAdapter``.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, Protocol

__all__ = ["TouchAdapter", "TouchChannel", "TouchContent", "TouchMessage", "TouchResult", "TouchStatus"]


class TouchChannel(StrEnum):
    """Where a touch goes."""

    SMS = "sms"
    PUSH = "push"
    H5 = "h5"


class TouchStatus(StrEnum):
    """What became of a touch.

    ``sent``: the adapter accepted it. ``failed``: the adapter could not deliver it (recorded,
    never raised). ``deferred``: inside quiet hours, kept until ``scheduled_at``. ``capped``:
    over the customer's frequency cap, not sent.
    """

    SENT = "sent"
    FAILED = "failed"
    DEFERRED = "deferred"
    CAPPED = "capped"


@dataclass(frozen=True)
class TouchContent:
    """A rendered template: what the customer sees."""

    text: str
    title: str | None = None
    url: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "title": self.title, "url": self.url}


@dataclass(frozen=True)
class TouchMessage:
    """One outbound touch to one customer.

    Attributes:
        customer_id: who receives it (the adapter resolves the phone number or device).
        channel: SMS, push or H5.
        template_id: a template of that channel (``templates.yml``).
        variables: values of the template's ``{placeholders}``.
        campaign: the campaign it belongs to (reports).
        robot: the robot that asked for it (``breakpoint``, ``outbound``...).
        content: the rendered template; set by the dispatcher before an adapter sees it.
        message_id: unique id (idempotency key for adapters).
    """

    customer_id: str
    channel: TouchChannel
    template_id: str
    variables: Mapping[str, Any] = field(default_factory=dict)
    campaign: str | None = None
    robot: str | None = None
    content: TouchContent | None = None
    message_id: str = field(default_factory=lambda: uuid.uuid4().hex)

    def __post_init__(self) -> None:
        if not self.customer_id:
            raise ValueError("TouchMessage.customer_id is empty")
        if not isinstance(self.channel, TouchChannel):
            object.__setattr__(self, "channel", TouchChannel(self.channel))

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready copy (the webhook adapter's body)."""
        return {
            "message_id": self.message_id,
            "customer_id": self.customer_id,
            "channel": self.channel.value,
            "template_id": self.template_id,
            "variables": {k: str(v) for k, v in self.variables.items()},
            "campaign": self.campaign,
            "robot": self.robot,
            "content": self.content.to_dict() if self.content else None,
        }


@dataclass(frozen=True)
class TouchResult:
    """The outcome of one touch."""

    message_id: str
    status: TouchStatus
    channel: TouchChannel
    adapter: str
    scheduled_at: datetime | None = None
    error: str | None = None
    detail: Mapping[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """Sent or kept for later: nothing for the caller to fix."""
        return self.status in (TouchStatus.SENT, TouchStatus.DEFERRED)


class TouchAdapter(Protocol):
    """Delivers rendered touches: an SMS gateway, a push service, a database outbox, a webhook.

    ``send`` gets a message whose ``content`` is set and never raises for a delivery problem:
    it returns a ``failed`` result with the reason.
    """

    name: str

    async def send(self, message: TouchMessage) -> TouchResult: ...
