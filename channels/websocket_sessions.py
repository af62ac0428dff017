"""Chat sessions of the WebSocket channel: sequence numbers, replay, de-duplication, push.

A session is one conversation (its id is the tracker's sender id). It outlives its sockets:
bot messages get a per-session sequence number and stay in a bounded outbox, so a client
that reconnects with the last sequence it saw gets exactly the messages it missed, and
message ids it re-sends are recognised instead of starting a second turn.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
import uuid
from collections import OrderedDict, deque
from typing import Any, Protocol

from risk_hooks.notices import RISK_NOTICE

__all__ = ["ChatSession", "Outlet", "SessionHub", "bot_frame"]

logger = logging.getLogger(__name__)

OUTBOX_SIZE = 100  # bot messages kept per session for replay
SEEN_IDS = 500  # client message ids remembered per session for de-duplication
MAX_SESSIONS = 10_000  # sessions kept in memory; the least recently used idle ones go first
PRODUCT_CARD = "product_card"


class Outlet(Protocol):
    """Where a session's frames go: one client socket."""

    async def send(self, frame: dict[str, Any]) -> bool: ...


def bot_frame(reply: Any) -> dict[str, Any]:
    """A ``bot_uttered`` frame (no sequence yet) for one of the bot's replies.

    Besides the REST channel's keys (``text``, ``buttons``, ``image``, ``custom``) the frame
    carries Rasa socket.io's shapes (``quick_replies``, ``attachment``) for existing front
    ends, and a product card always carries the risk notice.

    Args:
        reply: a ``dialogue.processor.BotMessage`` (anything with ``to_dict()``) or a dict.
    """
    data = dict(reply.to_dict() if hasattr(reply, "to_dict") else reply)
    data.pop("recipient_id", None)
    frame: dict[str, Any] = {"type": "bot_uttered"}
    if data.get("text"):
        frame["text"] = str(data["text"])
    buttons = [b for b in data.get("buttons") or [] if isinstance(b, dict) and b.get("title")]
    if buttons:
        frame["buttons"] = [
            {"title": str(b["title"]), "payload": str(b.get("payload", b["title"]))} for b in buttons
        ]
        frame["quick_replies"] = [{"content_type": "text", **b} for b in frame["buttons"]]
    if data.get("image"):
        frame["image"] = str(data["image"])
        frame["attachment"] = {"type": "image", "payload": {"src": frame["image"]}}
    custom = data.get("custom")
    if isinstance(custom, dict) and custom:
        if custom.get("type") == PRODUCT_CARD and not custom.get("risk_notice"):
            custom = {**custom, "risk_notice": RISK_NOTICE}  # a named product never goes without it
        frame["custom"] = custom
    return frame


class ChatSession:
    """One conversation's channel state (not its dialogue state: that is the tracker)."""

    def __init__(self, bot: str, session_id: str, first_seq: int = 0) -> None:
        self.bot = bot
        self.session_id = session_id
        self.seq = first_seq
        self.handoff = False
        self.outbox: deque[dict[str, Any]] = deque(maxlen=OUTBOX_SIZE)
        self.seen: OrderedDict[str, None] = OrderedDict()
        self.outlets: set[Outlet] = set()
        self.turn_lock = asyncio.Lock()
        self.touched = time.monotonic()

    def remember(self, message_id: str) -> bool:
        """Note a client message id; False when it was seen before (a re-send)."""
        self.touched = time.monotonic()
        if message_id in self.seen:
            return False
        self.seen[message_id] = None
        while len(self.seen) > SEEN_IDS:
            self.seen.popitem(last=False)
        return True

    def record(self, frame: dict[str, Any], in_reply_to: str | None = None) -> dict[str, Any]:
        """Give a bot frame its server id and sequence number and keep it for replay."""
        self.seq += 1
        sequenced = {
            **frame,
            "id": f"b-{uuid.uuid4().hex[:16]}",
            "seq": self.seq,
            "in_reply_to": in_reply_to,
            "ts": round(time.time(), 3),
        }
        self.outbox.append(sequenced)
        return sequenced

    def after(self, last_seq: int) -> list[dict[str, Any]]:
        """The kept bot frames newer than ``last_seq``, marked as replayed."""
        return [{**frame, "replay": True} for frame in self.outbox if frame["seq"] > last_seq]

    async def broadcast(self, frame: dict[str, Any]) -> int:
        """Send a frame to every live socket of the session; returns how many took it."""
        delivered = 0
        for outlet in list(self.outlets):
            if await outlet.send(frame):
                delivered += 1
            else:
                self.outlets.discard(outlet)
        return delivered


class SessionHub:
    """Every live and recently seen chat session of the server, keyed by bot and session id.

    Args:
        max_sessions: how many sessions to keep; beyond it the least recently used sessions
            without a live socket are forgotten (their conversations stay in the tracker store).
    """

    def __init__(self, max_sessions: int = MAX_SESSIONS) -> None:
        self.max_sessions = max_sessions
        self._sessions: OrderedDict[tuple[str, str], ChatSession] = OrderedDict()

    def __len__(self) -> int:
        return len(self._sessions)

    def get(self, bot: str, session_id: str) -> ChatSession | None:
        """The session, if the hub knows it."""
        return self._sessions.get((bot, session_id))

    def open(self, bot: str, session_id: str | None, last_seq: int = 0) -> tuple[ChatSession, bool]:
        """Resume a known session or start one; returns it and whether it was resumed.

        A session the hub no longer knows (server restarted, evicted) keeps the client's id,
        so the conversation continues from the tracker store, and numbers new messages after
        the client's ``last_seq`` so the client does not take them for ones it has seen.
        """
        key = (bot, session_id or uuid.uuid4().hex)
        session = self._sessions.get(key)
        if session is not None:
            self._sessions.move_to_end(key)
            session.touched = time.monotonic()
            return session, True
        session = ChatSession(bot, key[1], first_seq=max(0, last_seq) if session_id else 0)
        self._sessions[key] = session
        self._evict()
        return session, False

    async def push(
        self, bot: str, session_id: str, replies: list[Any], in_reply_to: str | None = None
    ) -> int:
        """Send bot messages to a session: to its live sockets, else kept for its next connect.

        Args:
            bot: the bot name.
            session_id: the conversation (tracker sender id).
            replies: ``BotMessage`` objects or dicts in the REST channel's shape.
            in_reply_to: the client message id they answer, if any.

        Returns:
            How many live sockets received them (0: queued only).
        """
        session, _ = self.open(bot, session_id)
        delivered = 0
        for reply in replies:
            delivered = await session.broadcast(session.record(bot_frame(reply), in_reply_to))
        return delivered

    def _evict(self) -> None:
        overflow = len(self._sessions) - self.max_sessions
        if overflow <= 0:
            return
        idle = [key for key, s in self._sessions.items() if not s.outlets and not s.turn_lock.locked()]
        for key in idle[:overflow]:
            del self._sessions[key]


def dumps(frame: dict[str, Any]) -> str:
    """A frame as compact JSON text (Chinese kept readable)."""
    return json.dumps(frame, ensure_ascii=False, separators=(",", ":"))
