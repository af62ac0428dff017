"""Wire format of the voice gateway: the telephony side's frames, checked, and ours, built.

Every frame is one JSON object with a ``type``. Frames from the telephony side
(FreeSWITCH/Asterisk with ASR and TTS) are validated here into typed models; a frame that
is not JSON, has an unknown ``type`` or a bad field raises ``FrameError`` with a stable
code, which the gateway answers with an ``error`` frame while the call stays up. The
protocol is written down for integrators in ``channels/VOICE_PROTOCOL.md``.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

__all__ = [
    "MAX_FRAME_CHARS",
    "AsrFinal",
    "AsrPartial",
    "CallEnded",
    "CallStarted",
    "Dtmf",
    "FrameError",
    "InboundFrame",
    "NBestItem",
    "SayDone",
    "Silence",
    "error_frame",
    "parse_frame",
]

MAX_FRAME_CHARS = 64_000
_TEXT = 2000


class _Frame(BaseModel):
    # telephony platforms add their own fields (timestamps, channel uuids): ignored, not refused
    model_config = ConfigDict(extra="ignore", frozen=True)


class CallStarted(_Frame):
    """The callee picked up: starts the conversation (sender id = ``call_id``)."""

    type: Literal["call.started"]
    call_id: str = Field(min_length=1, max_length=128, pattern=r"^[A-Za-z0-9_.:\-]+$")
    caller: str = Field(default="", max_length=64)
    callee: str = Field(default="", max_length=64)
    campaign: str | None = Field(default=None, max_length=128)
    customer_id: str | None = Field(default=None, max_length=128)


class AsrPartial(_Frame):
    """An interim recognition result while the caller is still speaking."""

    type: Literal["asr.partial"]
    text: str = Field(max_length=_TEXT)


class NBestItem(_Frame):
    """One recognition hypothesis."""

    text: str = Field(max_length=_TEXT)
    confidence: float = Field(ge=0.0, le=1.0)


class AsrFinal(_Frame):
    """The recognized utterance: one user turn."""

    type: Literal["asr.final"]
    text: str = Field(max_length=_TEXT)
    confidence: float | None = Field(default=None, ge=0.0, le=1.0)
    nbest: list[NBestItem] = Field(default_factory=list, max_length=10)


class Dtmf(_Frame):
    """Keys the caller pressed."""

    type: Literal["dtmf"]
    digits: str = Field(pattern=r"^[0-9*#A-D]{1,32}$")


class Silence(_Frame):
    """The caller said nothing for ``ms`` milliseconds after the prompts ended."""

    type: Literal["silence"]
    ms: int = Field(ge=0, le=3_600_000)


class CallEnded(_Frame):
    """The line is down (caller hung up, after our ``hangup``/``transfer``, network)."""

    type: Literal["call.ended"]
    reason: str = Field(default="caller_hangup", max_length=64)


class SayDone(_Frame):
    """Optional: a ``say``/``play`` prompt finished playing."""

    type: Literal["say.done"]
    prompt_id: str = Field(min_length=1, max_length=128)


InboundFrame = Annotated[
    CallStarted | AsrPartial | AsrFinal | Dtmf | Silence | CallEnded | SayDone,
    Field(discriminator="type"),
]
_INBOUND: TypeAdapter[Any] = TypeAdapter(InboundFrame)
_KNOWN_TYPES = ("call.started", "asr.partial", "asr.final", "dtmf", "silence", "call.ended", "say.done")


class FrameError(ValueError):
    """A frame the gateway cannot use; ``code`` is stable (``bad_json``, ``bad_frame``...)."""

    def __init__(self, code: str, message: str, frame_type: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.frame_type = frame_type


def parse_frame(raw: str) -> CallStarted | AsrPartial | AsrFinal | Dtmf | Silence | CallEnded | SayDone:
    """Check one text frame from the telephony side.

    Args:
        raw: the WebSocket text message.

    Returns:
        The typed frame.

    Raises:
        FrameError: ``frame_too_large``, ``bad_json``, ``not_an_object``, ``unknown_type``
            or ``bad_frame`` (a field is missing or invalid; the message names it).
    """
    if len(raw) > MAX_FRAME_CHARS:
        raise FrameError("frame_too_large", f"frame over {MAX_FRAME_CHARS} characters")
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise FrameError("bad_json", f"not JSON: {exc.msg} at column {exc.colno}") from exc
    if not isinstance(data, dict):
        raise FrameError("not_an_object", "a frame is a JSON object with a 'type'")
    frame_type = data.get("type")
    if frame_type not in _KNOWN_TYPES:
        known = ", ".join(_KNOWN_TYPES)
        raise FrameError("unknown_type", f"unknown frame type {frame_type!r}; expected one of {known}")
    try:
        return _INBOUND.validate_python(data)  # type: ignore[no-any-return]
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"][1:]) or "frame"
        raise FrameError("bad_frame", f"{frame_type}: {where}: {first['msg']}", str(frame_type)) from exc


def error_frame(code: str, message: str, frame_type: str | None = None) -> dict[str, Any]:
    """Our answer to a frame we cannot use; the call stays up."""
    frame: dict[str, Any] = {"type": "error", "code": code, "message": message}
    if frame_type:
        frame["frame_type"] = frame_type
    return frame
