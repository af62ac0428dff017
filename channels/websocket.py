"""WebSocket chat channel ``/ws/{bot}`` (the web widget's transport) and server push.

Every frame is a JSON object with a ``type``; Rasa's socket.io event names are used where
one exists, so existing front ends map over directly.

Client to server:

- ``session_request`` ``{session_id?, last_seq?}``: start a session, or resume one (the
  session id is the tracker's sender id) and get the bot messages after ``last_seq``.
- ``user_uttered`` ``{message_id, text}`` (``message`` is accepted for ``text``; optional
  ``metadata``): a customer message. ``message_id`` is the client's id: a re-sent id is
  acknowledged again but never starts a second turn.
- ``ack`` ``{seq}`` (optional): the client has shown bot messages up to ``seq``.
- ``ping`` / ``pong`` ``{ts?}``: heartbeat; the server answers ``ping`` with ``pong``.

Server to client:

- ``session_confirm`` ``{session_id, resumed, seq, seq_reset, handoff}``, then the missed
  ``bot_uttered`` frames (``replay: true``).
- ``ack`` ``{message_id, duplicate}`` for every ``user_uttered``.
- ``typing`` ``{on, in_reply_to}`` around each turn.
- ``bot_uttered`` ``{id, seq, in_reply_to, ts, text?, buttons?, quick_replies?, image?,
  attachment?, custom?, handoff?}``: ``seq`` grows by one per session; ``custom`` with
  ``type: product_card`` always carries ``risk_notice``; ``handoff: true`` marks the message
  that handed the conversation to a human (转人工).
- ``handoff`` ``{active}`` when the conversation passes to or back from a human.
- ``ping`` every ``heartbeat_s``; a client silent for ``idle_timeout_s`` is closed (4408).
- ``error`` ``{code, message}`` (Chinese / English) for bad frames; the socket stays open.
  ``rate_limited`` errors name the ``message_id`` and ``retry_after`` (seconds): re-send then.

Close codes: 4404 unknown bot, 4408 idle timeout. Server push:
``POST /bots/{bot}/conversations/{sender_id}/trigger`` ``{"name": "action_..."}`` runs an
action (``agent.trigger``) and pushes its messages to the live sockets of that session, or
keeps them for its next connect.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import re
import time
from collections.abc import Mapping
from typing import Any

from fastapi import APIRouter, HTTPException, WebSocket
from pydantic import BaseModel, Field
from starlette.websockets import WebSocketState

from channels.rest import MAX_MESSAGE_CHARS, ConversationService
from channels.websocket_sessions import ChatSession, SessionHub, bot_frame, dumps
from dialogue.actions.builtins import HANDOFF_TEXT
from dialogue.processor import APOLOGY, UserMessage

__all__ = ["TriggerRequest", "build_websocket_router"]

logger = logging.getLogger(__name__)

CLOSE_UNKNOWN_BOT = 4404
CLOSE_IDLE = 4408
MAX_FRAME_CHARS = 16_000
MAX_METADATA_CHARS = 2_000
_ID = re.compile(r"^[A-Za-z0-9_\-.:]{1,128}$")
_ERRORS = {
    "bad_json": "消息不是合法的 JSON / the frame is not valid JSON",
    "bad_frame": "消息格式不正确 / malformed frame",
    "unknown_type": "不支持的消息类型 / unknown frame type",
    "no_session": "请先发送 session_request 建立会话 / send session_request first",
    "too_large": "消息过长 / the frame is too large",
    "rate_limited": "发送太频繁，请稍后再试 / too many messages, retry later",
}


class TriggerRequest(BaseModel):
    """Body of the trigger endpoint (Rasa's ``/conversations/{id}/execute`` shape)."""

    name: str = Field(pattern=r"^[A-Za-z0-9_\-.]{1,128}$", description="the action to run")


class FrameError(ValueError):
    """A client frame the channel cannot use; becomes an ``error`` frame."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(detail or code)
        self.code = code
        self.detail = detail


def error_frame(code: str, detail: str = "", **extra: Any) -> dict[str, Any]:
    """An ``error`` frame: a stable code and a Chinese / English message (plus ``extra`` keys)."""
    message = _ERRORS.get(code, _ERRORS["bad_frame"])
    return {"type": "error", "code": code, "message": f"{message}: {detail}" if detail else message, **extra}


class Connection:
    """One client socket: serialized sends, and what it has said lately."""

    def __init__(self, websocket: WebSocket) -> None:
        self.websocket = websocket
        self.lock = asyncio.Lock()
        self.session: ChatSession | None = None
        self.open = True
        self.heard_at = time.monotonic()  # when the client last sent a frame

    async def send(self, frame: dict[str, Any]) -> bool:
        """Send a frame; False once the socket is gone."""
        async with self.lock:
            return await self.send_unlocked(frame)

    async def send_unlocked(self, frame: dict[str, Any]) -> bool:
        """Send while holding ``lock`` (to keep a run of frames together)."""
        if not self.open:
            return False
        try:
            await self.websocket.send_text(dumps(frame))
        except Exception:  # the peer went away mid-send: the session keeps the frame
            self.open = False
            return False
        return True


def _parse(raw: str) -> dict[str, Any]:
    if len(raw) > MAX_FRAME_CHARS:
        raise FrameError("too_large", f"{len(raw)} > {MAX_FRAME_CHARS}")
    try:
        frame = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise FrameError("bad_json", str(exc)) from exc
    if not isinstance(frame, dict) or not isinstance(frame.get("type"), str):
        raise FrameError("bad_frame", "a JSON object with a string 'type' is expected")
    return frame


def _optional_id(frame: dict[str, Any], key: str) -> str | None:
    value = frame.get(key)
    if value is None or value == "":
        return None
    if not isinstance(value, str) or not _ID.match(value):
        raise FrameError("bad_frame", f"'{key}' must be 1-128 letters, digits or _-.:")
    return value


def _last_seq(frame: dict[str, Any]) -> int:
    value = frame.get("last_seq", 0)
    if value is None:
        return 0
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise FrameError("bad_frame", "'last_seq' must be a non-negative integer")
    return value


def _user_message(frame: dict[str, Any], session_id: str) -> UserMessage:
    message_id = _optional_id(frame, "message_id")
    if message_id is None:
        raise FrameError("bad_frame", "'message_id' is required")
    text = frame.get("text", frame.get("message"))
    if not isinstance(text, str) or not text.strip():
        raise FrameError("bad_frame", "'text' must be a non-empty string")
    if len(text) > MAX_MESSAGE_CHARS:
        raise FrameError("too_large", f"text over {MAX_MESSAGE_CHARS} characters")
    metadata = frame.get("metadata") or {}
    if not isinstance(metadata, dict) or len(dumps(metadata)) > MAX_METADATA_CHARS:
        raise FrameError("bad_frame", f"'metadata' must be an object under {MAX_METADATA_CHARS} characters")
    return UserMessage(text, session_id, "websocket", metadata, message_id)


def _handoff_openings(agent: ConversationService) -> tuple[str, ...]:
    """How the bot's hand-off messages begin: the built-in text and the domain's responses."""
    responses = getattr(getattr(agent, "domain", None), "responses", None) or {}
    texts = [HANDOFF_TEXT]
    for name in ("utter_handoff", "utter_human_handoff"):
        texts += [str(v.text) for v in responses.get(name, ()) if getattr(v, "text", None)]
    return tuple(dict.fromkeys(t.split("{", 1)[0] for t in texts if t.split("{", 1)[0].strip()))


async def _paused(agent: ConversationService, sender_id: str) -> bool:
    """Whether a human agent has the conversation (the bot handed off)."""
    try:
        tracker = await agent.get_tracker(sender_id)
    except Exception:
        logger.exception("tracker of %s unavailable", sender_id)
        return False
    return bool(getattr(tracker, "is_paused", False))


class ChatChannel:
    """The protocol, bound to the bots and the session hub."""

    def __init__(
        self, agents: Mapping[str, ConversationService], hub: SessionHub, heartbeat_s: float, idle_s: float
    ) -> None:
        self.agents = agents
        self.hub = hub
        self.heartbeat_s = heartbeat_s
        self.idle_s = idle_s
        self.handoff_openings = {name: _handoff_openings(agent) for name, agent in agents.items()}
        # turns outlive their socket (a reconnect gets their messages): hold them here
        self.turns: set[asyncio.Task[None]] = set()

    async def _handed_off(self, session: ChatSession, replies: list[Any]) -> bool:
        """Whether a human has the conversation after this turn.

        The tracker says so, but loading it costs as much as the turn: it is only asked when
        a reply reads like a hand-off, or while a human has the conversation (to see it back).
        """
        openings = self.handoff_openings[session.bot]
        texts = [
            str(getattr(r, "text", None) or (r.get("text") if isinstance(r, dict) else "") or "")
            for r in replies
        ]
        if session.handoff or any(t.startswith(openings) for t in texts if t):
            return await _paused(self.agents[session.bot], session.session_id)
        return False

    async def serve(self, websocket: WebSocket, bot: str) -> None:
        """Run one client connection until it closes."""
        await websocket.accept()
        if bot not in self.agents:
            await websocket.close(code=CLOSE_UNKNOWN_BOT, reason=f"unknown bot {bot}"[:120])
            return
        connection = Connection(websocket)
        heartbeat = asyncio.create_task(self._heartbeat(connection))
        try:
            await self._receive_loop(connection, bot)
        finally:
            connection.open = False
            heartbeat.cancel()
            if connection.session is not None:
                connection.session.outlets.discard(connection)
            # turns in flight finish: their messages wait in the session for a reconnect

    async def _receive_loop(self, connection: Connection, bot: str) -> None:
        websocket = connection.websocket
        while True:
            message = await websocket.receive()  # idle clients are closed by the heartbeat task
            if message["type"] == "websocket.disconnect" or not connection.open:
                return
            connection.heard_at = time.monotonic()
            raw = message.get("text")
            if raw is None:
                raw = (message.get("bytes") or b"").decode("utf-8", errors="replace")
            try:
                await self._on_frame(connection, bot, _parse(raw))
            except FrameError as exc:
                await connection.send(error_frame(exc.code, exc.detail))

    async def _on_frame(self, connection: Connection, bot: str, frame: dict[str, Any]) -> None:
        kind = frame["type"]
        if kind == "ping":
            await connection.send({"type": "pong", "ts": frame.get("ts")})
        elif kind in ("pong", "ack"):
            return  # liveness only: any frame resets the idle timer
        elif kind == "session_request":
            await self._open_session(connection, bot, frame)
        elif kind == "user_uttered":
            if connection.session is None:
                raise FrameError("no_session")
            await self._on_user(connection, connection.session, frame)
        else:
            raise FrameError("unknown_type", kind[:40])

    async def _open_session(self, connection: Connection, bot: str, frame: dict[str, Any]) -> None:
        session_id, last_seq = _optional_id(frame, "session_id"), _last_seq(frame)
        if connection.session is not None:
            connection.session.outlets.discard(connection)
        session, resumed = self.hub.open(bot, session_id, last_seq)
        reset = last_seq > session.seq  # the server forgot the session and pushed anew since
        async with connection.lock:
            # attach and replay under the send lock: frames recorded meanwhile follow in order
            connection.session = session
            session.outlets.add(connection)
            confirm = {
                "type": "session_confirm",
                "session_id": session.session_id,
                "resumed": resumed,
                "seq": session.seq,
                "seq_reset": reset,
                "handoff": session.handoff,
            }
            if await connection.send_unlocked(confirm):
                for missed in session.after(0 if reset else last_seq):
                    await connection.send_unlocked(missed)

    async def _on_user(self, connection: Connection, session: ChatSession, frame: dict[str, Any]) -> None:
        message = _user_message(frame, session.session_id)
        message_id = str(message.message_id)
        if message_id in session.seen:  # a re-send: acknowledged again, never run twice
            await connection.send({"type": "ack", "message_id": message_id, "duplicate": True})
            return
        # the server's per-sender buckets (``app.state.rate_limiter``), when it has them
        limiter = getattr(getattr(connection.websocket.app, "state", None), "rate_limiter", None)
        wait = limiter.take(session.session_id) if limiter is not None else 0.0
        if wait > 0:
            await connection.send(
                error_frame("rate_limited", message_id=message_id, retry_after=round(wait, 2))
            )
            return
        session.remember(message_id)
        await connection.send({"type": "ack", "message_id": message_id, "duplicate": False})
        task = asyncio.create_task(self._turn(session, message))
        self.turns.add(task)
        task.add_done_callback(self.turns.discard)

    async def _turn(self, session: ChatSession, message: UserMessage) -> None:
        """Run one turn; its frames go to whichever sockets the session has by then."""
        agent = self.agents[session.bot]
        async with session.turn_lock:
            await session.broadcast({"type": "typing", "on": True, "in_reply_to": message.message_id})
            try:
                replies = list(await agent.handle_message(message))
                paused = await self._handed_off(session, replies)
            except Exception:  # the conversation must survive a failing turn
                logger.exception("websocket turn failed for %s", session.session_id)
                replies, paused = [{"text": APOLOGY}], session.handoff
            frames = [bot_frame(reply) for reply in replies]
            if paused and not session.handoff and frames:
                frames[-1]["handoff"] = True
            for frame in frames:
                await session.broadcast(session.record(frame, message.message_id))
            if paused != session.handoff:
                session.handoff = paused
                await session.broadcast({"type": "handoff", "active": paused})
            await session.broadcast({"type": "typing", "on": False, "in_reply_to": message.message_id})

    async def _heartbeat(self, connection: Connection) -> None:
        """Ping every ``heartbeat_s``; close a client silent for ``idle_s`` (4408).

        One timer per socket instead of a timeout on every receive: cheaper per frame.
        """
        tick = min(self.heartbeat_s, self.idle_s / 4)
        next_ping = time.monotonic() + self.heartbeat_s
        while connection.open:
            await asyncio.sleep(tick)
            now = time.monotonic()
            if now - connection.heard_at > self.idle_s:
                connection.open = False
                if connection.websocket.application_state == WebSocketState.CONNECTED:
                    with contextlib.suppress(Exception):
                        await connection.websocket.close(code=CLOSE_IDLE, reason="idle timeout")
                return
            if now >= next_ping:
                next_ping = now + self.heartbeat_s
                if not await connection.send({"type": "ping", "ts": round(now, 3)}):
                    return

    async def trigger(self, bot: str, sender_id: str, action: str) -> dict[str, Any]:
        """Run an action for a conversation and push its messages (the robot speaks first)."""
        agent = self.agents.get(bot)
        if agent is None:
            raise HTTPException(404, detail=f"unknown bot {bot!r}; serving: {', '.join(self.agents)}")
        if not _ID.match(sender_id):
            raise HTTPException(400, detail="sender_id must be 1-128 letters, digits or _-.:")
        actions = getattr(getattr(agent, "processor", None), "actions", None)
        if actions is not None and action not in actions:
            raise HTTPException(400, detail=f"unknown action {action!r} for bot {bot!r}")
        replies = await agent.trigger(sender_id, action)  # type: ignore[attr-defined]
        delivered = await self.hub.push(bot, sender_id, list(replies))
        return {
            "sender_id": sender_id,
            "messages": [bot_frame(reply) for reply in replies],
            "delivered": delivered,
            "queued": bool(replies) and delivered == 0,
        }


def build_websocket_router(
    agents: Mapping[str, ConversationService],
    default_bot: str,
    *,
    hub: SessionHub | None = None,
    heartbeat_s: float = 20.0,
    idle_timeout_s: float = 60.0,
) -> APIRouter:
    """Routes of the WebSocket channel: ``/ws/{bot}``, ``/ws`` (default bot) and the trigger.

    Args:
        agents: each bot's dialogue, keyed by bot name.
        default_bot: the bot ``/ws`` talks to.
        hub: the session store (a fresh in-memory one by default; pass one to push from code).
        heartbeat_s: seconds between the server's ``ping`` frames.
        idle_timeout_s: a socket that sends nothing for this long is closed (code 4408).
    """
    channel = ChatChannel(agents, hub or SessionHub(), heartbeat_s, idle_timeout_s)
    router = APIRouter()

    @router.websocket("/ws/{bot}")
    async def chat(websocket: WebSocket, bot: str) -> None:
        await channel.serve(websocket, bot)

    @router.websocket("/ws")
    async def default_chat(websocket: WebSocket) -> None:
        await channel.serve(websocket, default_bot)

    @router.post("/bots/{bot}/conversations/{sender_id}/trigger", tags=["channels"])
    async def trigger(bot: str, sender_id: str, body: TriggerRequest) -> dict[str, Any]:
        """Run an action for a conversation and push its messages to the customer's widget."""
        return await channel.trigger(bot, sender_id, body.name)

    return router
