"""The voice gateway: a telephony platform drives phone calls over ``/voice/{bot}``.

One WebSocket connection carries one call, as JSON text frames (protocol for integrators:
``channels/VOICE_PROTOCOL.md``). The telephony side (FreeSWITCH/Asterisk with ASR and TTS)
sends ``call.started``, ``asr.partial``, ``asr.final``, ``dtmf``, ``silence``, ``say.done``
and ``call.ended``; the gateway answers ``say``, ``play``, ``say.cancel``, ``transfer``,
``hangup`` and ``error``. A bad frame gets an ``error`` frame and the call stays up.

``GET /voice/{bot}/calls/{call_id}`` returns a finished call's outcome (disposition,
intention grade, transcript) while the gateway's ``CallLog`` still holds it.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from fastapi import APIRouter, HTTPException, WebSocket
from starlette.websockets import WebSocketDisconnect, WebSocketState

from channels.rest import ConversationService
from channels.voice_call import VoiceCall
from channels.voice_config import CallLog, CallOutcome, VoiceConfig
from channels.voice_frames import FrameError, error_frame, parse_frame

__all__ = ["CallLog", "CallOutcome", "VoiceConfig", "build_voice_router"]

logger = logging.getLogger(__name__)

CLOSE_NORMAL = 1000
CLOSE_UNKNOWN_BOT = 4404


def build_voice_router(
    agents: Mapping[str, ConversationService],
    *,
    config: VoiceConfig | None = None,
    call_log: CallLog | None = None,
) -> APIRouter:
    """Routes of the voice gateway for every bot in ``agents``.

    Args:
        agents: the bots by name (``BotAgent``s: their ``nlu`` scores n-best hypotheses and
            their ``trigger`` runs the handoff to a human).
        config: the gateway's behaviour (silence, n-best, DTMF, barge-in); default
            ``VoiceConfig()``.
        call_log: where finished calls are recorded; default: a new in-memory log.

    Returns:
        An ``APIRouter`` with ``WS /voice/{bot}`` and ``GET /voice/{bot}/calls/{call_id}``.
    """
    settings = config or VoiceConfig()
    log = call_log if call_log is not None else CallLog()
    router = APIRouter()

    @router.websocket("/voice/{bot}")
    async def voice(websocket: WebSocket, bot: str) -> None:
        await websocket.accept()
        if bot not in agents:
            message = f"unknown bot {bot!r}; serving: {', '.join(agents)}"
            await websocket.send_json(error_frame("unknown_bot", message))
            await websocket.close(code=CLOSE_UNKNOWN_BOT)
            return
        call = VoiceCall(bot, agents[bot], settings, log)
        reason = "disconnected"
        try:
            reason = await _serve(websocket, call)
        except WebSocketDisconnect:
            pass
        finally:
            await call.close(reason)
        if websocket.client_state == WebSocketState.CONNECTED:
            try:
                await websocket.close(code=CLOSE_NORMAL)
            except (WebSocketDisconnect, RuntimeError):  # the other side went first
                pass

    @router.get("/voice/{bot}/calls/{call_id}", tags=["channels"])
    async def call_outcome(bot: str, call_id: str) -> dict[str, Any]:
        """A finished call's outcome (kept for the most recent calls)."""
        outcome = log.get(bot, call_id)
        if outcome is None:
            raise HTTPException(404, detail=f"no finished call {call_id!r} for bot {bot!r}")
        return outcome.to_dict()

    return router


async def _serve(websocket: WebSocket, call: VoiceCall) -> str:
    """Answer frames until ``call.ended`` (returns its reason) or the socket closes."""
    while True:
        message = await websocket.receive()
        if message["type"] == "websocket.disconnect":
            return "disconnected"
        raw = message.get("text")
        if raw is None:
            await websocket.send_json(error_frame("binary_frame", "frames are JSON text, not binary"))
            continue
        try:
            frame = parse_frame(raw)
        except FrameError as exc:
            await websocket.send_json(error_frame(exc.code, exc.message, exc.frame_type))
            continue
        try:
            replies = await call.handle(frame)
        except Exception:  # a failing bot must not drop the caller: say so, keep the line
            logger.exception("voice call %s: %s failed", call.call_id, frame.type)
            replies = [error_frame("internal", f"could not handle {frame.type}", frame.type)]
        for reply in replies:
            await websocket.send_json(reply)
        if frame.type == "call.ended" and call.closed:
            return str(frame.reason)
