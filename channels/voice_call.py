"""One phone call on the voice gateway: telephony frames in, prompts and call control out.

``VoiceCall.handle`` takes one checked frame (``channels.voice_frames``) and returns the
frames to send back, in order. The conversation itself is the bot's (``sender_id`` = the
call id); this object adds what only a phone call has: prompts that may be interrupted
(barge-in), silence, unsure speech recognition (n-best), keypad digits, and ending the call
by hanging up or transferring it to a human.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from channels.voice_config import TRANSFER, CallLog, CallOutcome, VoiceConfig
from channels.voice_frames import (
    AsrFinal,
    AsrPartial,
    CallEnded,
    CallStarted,
    Dtmf,
    SayDone,
    Silence,
    error_frame,
)
from channels.voice_speech import plain_text, spoken_text, to_ssml
from dialogue.events import ActionExecuted, BotUttered, Event, HandoffRequested
from dialogue.flows import FLOW_STACK_SLOT
from dialogue.processor import UserMessage

__all__ = ["INPUT_CHANNEL", "VoiceCall"]

logger = logging.getLogger(__name__)

INPUT_CHANNEL = "voice"
_NLU_FALLBACK = "nlu_fallback"
# after these the bot is asking again, not closing, even if the call script was dropped
_NOT_CLOSING = frozenset(
    {
        "action_default_ask_rephrase",
        "action_default_fallback",
        "action_two_stage_fallback",
        "action_clarify",
        "utter_default",
    }
)
# slots that are the engine's bookkeeping, not the call's outcome
_INTERNAL_SLOTS = frozenset({FLOW_STACK_SLOT, "requested_slot", "session_started_metadata"})

Frame = CallStarted | AsrPartial | AsrFinal | Dtmf | Silence | CallEnded | SayDone


@dataclass
class _Prompt:
    prompt_id: str
    barge_in: bool


@dataclass(frozen=True)
class _Turn:
    """What one bot turn left: its replies and the tracker's new events."""

    replies: list[Any]
    events: list[Event]
    paused: bool
    flow_ended: bool


class VoiceCall:
    """The state of one call; not shared between connections.

    Args:
        bot: the bot's name (for the call record).
        agent: the bot (``channels.rest.ConversationService``; its ``nlu`` scores n-best
            hypotheses and its ``trigger`` runs the handoff, when it has them).
        config: the gateway's behaviour.
        log: where the outcome goes when the call ends.
        clock: seconds since the epoch (tests pass their own).
    """

    def __init__(
        self,
        bot: str,
        agent: Any,
        config: VoiceConfig,
        log: CallLog,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.bot = bot
        self.agent = agent
        self.config = config
        self.log = log
        self.clock = clock
        self.outcome: CallOutcome | None = None
        self.finished = False  # hangup or transfer sent: the line is closing
        self.closed = False  # outcome recorded
        self._metadata: dict[str, Any] = {}
        self._playing: list[_Prompt] = []  # sent and not known to be done; the first is playing
        self._last_question: tuple[str, bool] | None = None
        self._silences = 0
        self._repeats = 0
        self._prompts = 0

    @property
    def call_id(self) -> str:
        return self.outcome.call_id if self.outcome else ""

    async def handle(self, frame: Frame) -> list[dict[str, Any]]:
        """Frames to send in answer to ``frame``, in order."""
        if isinstance(frame, CallStarted):
            return await self._start(frame)
        if self.outcome is None:
            return [error_frame("no_call", "send call.started first", frame.type)]
        if isinstance(frame, CallEnded):
            await self.close(frame.reason)
            return []
        if isinstance(frame, SayDone):
            self._playing = [p for p in self._playing if p.prompt_id != frame.prompt_id]
            return []
        if self.finished:
            return []  # speech racing our hangup/transfer: the line is closing
        if isinstance(frame, AsrPartial):
            return self._barge_in(frame)
        if isinstance(frame, Silence):
            return self._silence(frame)
        self._playing.clear()  # the caller answered: every prompt has ended
        self._silences = 0
        if isinstance(frame, Dtmf):
            return await self._dtmf(frame)
        return await self._final(frame)

    async def close(self, reason: str) -> CallOutcome | None:
        """End the call: fill in the outcome from the conversation and record it once."""
        if self.outcome is None or self.closed:
            return self.outcome
        self.closed = True
        outcome = self.outcome
        outcome.ended_at = self.clock()
        outcome.end_reason = reason
        if outcome.disposition == "in_progress":
            outcome.disposition = "disconnected" if reason == "disconnected" else "caller_hangup"
        try:
            tracker = await self.agent.get_tracker(outcome.call_id)
            outcome.slots = {
                k: v for k, v in tracker.slots.items() if v is not None and k not in _INTERNAL_SLOTS
            }
        except Exception:  # the record is still worth keeping without the slots
            logger.exception("could not read the tracker of call %s", outcome.call_id)
        grade = outcome.slots.get("intention_grade")
        outcome.intention_grade = str(grade) if grade is not None else None
        self.log.record(outcome)
        return outcome

    # ---- frames ----

    async def _start(self, frame: CallStarted) -> list[dict[str, Any]]:
        if self.outcome is not None:
            return [error_frame("call_already_started", f"call {self.call_id} already started", frame.type)]
        self.outcome = CallOutcome(
            call_id=frame.call_id,
            bot=self.bot,
            caller=frame.caller,
            callee=frame.callee,
            campaign=frame.campaign,
            customer_id=frame.customer_id,
            started_at=self.clock(),
        )
        fields = {"call_id": frame.call_id, "caller": frame.caller, "callee": frame.callee}
        fields.update(campaign=frame.campaign, customer_id=frame.customer_id)
        self._metadata = {k: v for k, v in fields.items() if v}
        return self._respond(await self._run(self.config.start_payload, {"event": "call.started"}))

    def _barge_in(self, frame: AsrPartial) -> list[dict[str, Any]]:
        if not frame.text.strip() or not self._playing or not self._playing[0].barge_in:
            return []
        playing, queued = self._playing[0], self._playing[1:]
        self._playing.clear()
        assert self.outcome is not None
        self.outcome.barge_ins += 1
        dropped = [p.prompt_id for p in queued]
        return [
            {"type": "say.cancel", "prompt_id": playing.prompt_id, "dropped": dropped, "reason": "barge_in"}
        ]

    def _silence(self, frame: Silence) -> list[dict[str, Any]]:
        if frame.ms < self.config.min_silence_ms:
            return []
        assert self.outcome is not None
        self._playing.clear()
        self._silences += 1
        if self._silences > self.config.max_reprompts:
            return self._end(
                [self._say(self.config.silence_goodbye_text, False)], "no_response", "no_response"
            )
        self.outcome.reprompts += 1
        question, barge_in = self._last_question or ("", True)
        return [self._say(self.config.reprompt_text + question, barge_in)]

    async def _dtmf(self, frame: Dtmf) -> list[dict[str, Any]]:
        mapped = self.config.dtmf.get(frame.digits)
        self._heard(f"[DTMF {frame.digits}]")
        if mapped == TRANSFER:
            return await self._handoff()
        return self._respond(await self._run(mapped or frame.digits, {"dtmf": frame.digits}))

    async def _final(self, frame: AsrFinal) -> list[dict[str, Any]]:
        text = await self._choose(frame)
        if text is None:
            assert self.outcome is not None
            self._heard(f"[unclear] {frame.text}")
            self._repeats += 1
            self.outcome.repeat_requests += 1
            return [self._say(self.config.repeat_text, True)]
        self._repeats = 0
        self._heard(text)
        if any(phrase in text for phrase in self.config.handoff_phrases):
            return await self._handoff()
        extra = {"asr_confidence": frame.confidence} if frame.confidence is not None else {}
        if text != frame.text:
            extra["asr_text"] = frame.text
        return self._respond(await self._run(text, extra))

    # ---- understanding ----

    async def _choose(self, frame: AsrFinal) -> str | None:
        """The text to use: the top hypothesis, or the n-best one the bot understands best."""
        top = frame.text.strip()
        if frame.confidence is None or frame.confidence >= self.config.low_confidence:
            return top or None
        candidates: dict[str, float] = {}
        for text, confidence in [
            (top, frame.confidence),
            *((n.text.strip(), n.confidence) for n in frame.nbest),
        ]:
            if text and confidence > candidates.get(text, -1.0):
                candidates[text] = confidence
        for text in candidates:
            if any(phrase in text for phrase in self.config.handoff_phrases):
                return text
        nlu = getattr(self.agent, "nlu", None)
        if nlu is None or not candidates:
            return top or None
        scored = [
            (await asyncio.to_thread(_intent_confidence, nlu, t), asr, t) for t, asr in candidates.items()
        ]
        intent_confidence, _, best = max(scored)
        if intent_confidence >= self.config.min_intent_confidence:
            return best
        # asked enough: the bot's own fallback (clarify, then a human) takes over
        return (top or best) if self._repeats >= self.config.max_repeat_requests else None

    # ---- the bot's turn ----

    async def _run(self, text: str, extra: dict[str, Any]) -> _Turn:
        before = await self.agent.get_tracker(self.call_id)
        start, stack_before = len(before.events), before.slots.get(FLOW_STACK_SLOT)
        message = UserMessage(
            text=text,
            sender_id=self.call_id,
            input_channel=INPUT_CHANNEL,
            metadata={**self._metadata, **extra},
        )
        replies = await self.agent.handle_message(message)
        return await self._turn(replies, start, bool(stack_before))

    async def _turn(self, replies: list[Any], start: int, had_flow: bool) -> _Turn:
        if self.outcome is not None:
            self.outcome.turns += 1
        after = await self.agent.get_tracker(self.call_id)
        flow_ended = had_flow and not after.slots.get(FLOW_STACK_SLOT)
        return _Turn(list(replies), list(after.events[start:]), bool(after.is_paused), flow_ended)

    async def _handoff(self) -> list[dict[str, Any]]:
        """The caller asked for a human: the bot's handoff action, then ``transfer``."""
        trigger = getattr(self.agent, "trigger", None)
        if trigger is None:
            return self._respond(_Turn([], [], True, False))
        before = await self.agent.get_tracker(self.call_id)
        replies = await trigger(self.call_id, "action_handoff")
        turn = await self._turn(replies, len(before.events), False)
        return self._respond(_Turn(turn.replies, turn.events, True, False))

    def _respond(self, turn: _Turn) -> list[dict[str, Any]]:
        marker = _transfer_marker(turn.replies)
        handoff = (
            marker is not None or turn.paused or any(isinstance(e, HandoffRequested) for e in turn.events)
        )
        closing = not handoff and self._closes(turn)
        frames: list[dict[str, Any]] = []
        for reply in turn.replies:
            frames.extend(self._speak(reply, final=handoff or closing))
        if handoff:
            if not any(f["type"] == "say" for f in frames):
                frames.append(self._say(self.config.transfer_text, False))
            return [*frames, self._transfer(marker or {}, _handoff_summary(turn.events))]
        if closing:
            return self._end(frames, "completed", "completed")
        said = [f for f in frames if f["type"] == "say"]
        if said:
            self._last_question = (said[-1]["text"], bool(said[-1]["barge_in"]))
        return frames

    def _closes(self, turn: _Turn) -> bool:
        """The bot said a closing response, or finished the call script without asking again."""
        names = {e.data.get("template_name") for e in turn.events if isinstance(e, BotUttered)}
        if names & set(self.config.closing_responses):
            return True
        actions = {e.action_name for e in turn.events if isinstance(e, ActionExecuted)}
        return turn.flow_ended and not actions & _NOT_CLOSING

    def _end(self, frames: list[dict[str, Any]], disposition: str, reason: str) -> list[dict[str, Any]]:
        """The prompts, then ``hangup``."""
        assert self.outcome is not None
        self.finished = True
        self.outcome.disposition = disposition
        return [*frames, {"type": "hangup", "reason": reason}]

    def _transfer(self, marker: dict[str, Any], summary: dict[str, Any] | None) -> dict[str, Any]:
        """The ``transfer`` frame: queue and agent from the bot's marker, else the default queue."""
        assert self.outcome is not None
        self.finished = True
        self.outcome.disposition = "transferred"
        queue = str(marker.get("queue") or self.config.transfer_queue)
        self.outcome.transfer_queue = queue
        frame: dict[str, Any] = {"type": "transfer", "queue": queue, "reason": "handoff"}
        if marker.get("agent"):
            frame["agent"] = str(marker["agent"])
        if summary:
            frame["summary"] = summary
        return frame

    # ---- prompts ----

    def _speak(self, reply: Any, final: bool) -> list[dict[str, Any]]:
        custom = getattr(reply, "custom", None) or {}
        custom = custom if isinstance(custom, dict) else {}
        text = spoken_text(
            getattr(reply, "text", None), getattr(reply, "buttons", None), self.config.options_lead
        )
        forced = custom.get("barge_in")
        barge_in = (
            forced
            if isinstance(forced, bool) and not final
            else not final and not any(m in text for m in self.config.no_barge_in_markers)
        )
        frames: list[dict[str, Any]] = []
        recording = custom.get("recording_id")
        if isinstance(recording, str) and recording:
            frames.append(self._prompt({"type": "play", "recording_id": recording}, barge_in))
        if text:
            frames.append(self._say(text, barge_in))
        return frames

    def _say(self, text: str, barge_in: bool) -> dict[str, Any]:
        spoken = plain_text(text)
        if self.outcome is not None:
            self.outcome.transcript.append({"speaker": "bot", "text": spoken})
        frame = {"type": "say", "text": spoken, "ssml": to_ssml(text, self.config.sentence_pause_ms)}
        return self._prompt(frame, barge_in)

    def _prompt(self, frame: dict[str, Any], barge_in: bool) -> dict[str, Any]:
        self._prompts += 1
        prompt_id = f"{self.call_id}-{self._prompts}"
        self._playing.append(_Prompt(prompt_id, barge_in))
        return {**frame, "barge_in": barge_in, "prompt_id": prompt_id}

    def _heard(self, text: str) -> None:
        if self.outcome is not None:
            self.outcome.transcript.append({"speaker": "caller", "text": text})


def _intent_confidence(nlu: Any, text: str) -> float:
    """How sure the bot's NLU is of ``text``'s intent (0 for out of scope)."""
    result = nlu.parse(text)
    data = result.to_dict() if hasattr(result, "to_dict") else dict(result)
    intent = data.get("intent") or {}
    if not intent.get("name") or intent.get("name") == _NLU_FALLBACK:
        return 0.0
    return float(intent.get("confidence") or 0.0)


def _transfer_marker(replies: list[Any]) -> dict[str, Any] | None:
    """A bot reply's ``custom: {"transfer": {"queue": ..., "agent": ...}}`` (or ``{"handoff": true}``)."""
    for reply in replies:
        custom = getattr(reply, "custom", None)
        if not isinstance(custom, dict):
            continue
        target = custom.get("transfer")
        if isinstance(target, dict):
            return target
        if target or custom.get("handoff"):
            return {}
    return None


def _handoff_summary(events: list[Event]) -> dict[str, Any] | None:
    for event in reversed(events):
        if isinstance(event, HandoffRequested):
            return dict(event.summary)
    return None
