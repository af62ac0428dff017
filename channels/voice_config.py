"""Voice gateway settings and the record a call leaves behind.

``VoiceConfig`` holds every default of the gateway (silence, n-best, DTMF, barge-in,
transfer); a deployment overrides fields with ``dataclasses.replace``. ``CallOutcome`` is
what a finished call reports to the outbound campaign (disposition, intention grade,
transcript); ``CallLog`` keeps recent outcomes in memory and hands each to an optional sink
(a database writer, a queue).
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from types import MappingProxyType
from typing import Any

__all__ = ["TRANSFER", "CallLog", "CallOutcome", "VoiceConfig"]

logger = logging.getLogger(__name__)

TRANSFER = "transfer"
"""A DTMF mapping's value that hands the call to a human (``{"0": TRANSFER}``)."""

_DEFAULT_DTMF: Mapping[str, str] = MappingProxyType({"1": "/affirm", "2": "/deny", "0": TRANSFER})


@dataclass(frozen=True)
class VoiceConfig:
    """How the gateway behaves on a call.

    Attributes:
        start_payload: the user message that opens the conversation (the outbound bot's
            flows start on the ``call_started`` intent).
        low_confidence: an ``asr.final`` below this ASR confidence is checked against its
            n-best list with the bot's NLU.
        min_intent_confidence: no hypothesis whose intent is this sure: ask to repeat.
        max_repeat_requests: repeat requests in a row before the best guess goes to the bot.
        repeat_text: the repeat request.
        min_silence_ms: shorter ``silence`` frames are ignored.
        max_reprompts: re-prompts after silence before the polite goodbye.
        reprompt_text: said before the last question is asked again.
        silence_goodbye_text: said before hanging up a silent call.
        dtmf: digits -> a payload (``/affirm``), text, or ``TRANSFER``; unmapped digits go
            to the bot as text (an amount, a verification code).
        handoff_phrases: caller phrases that hand the call to a human at once.
        transfer_text: said before ``transfer`` when the bot said nothing.
        transfer_queue: the queue in ``transfer`` frames.
        closing_responses: responses after which the bot hangs up.
        no_barge_in_markers: prompts containing these cannot be interrupted (risk notices).
        sentence_pause_ms: SSML-lite pause between sentences.
        options_lead: words before button titles read as options.
    """

    start_payload: str = "/call_started"
    low_confidence: float = 0.6
    min_intent_confidence: float = 0.5
    max_repeat_requests: int = 2
    repeat_text: str = "不好意思，刚才没听清楚，您能再说一遍吗？"
    min_silence_ms: int = 3000
    max_reprompts: int = 2
    reprompt_text: str = "您好，您还在听吗？"
    silence_goodbye_text: str = "好像听不到您的声音，那先不打扰您了，稍后再联系您，再见。"
    dtmf: Mapping[str, str] = field(default_factory=lambda: _DEFAULT_DTMF)
    handoff_phrases: tuple[str, ...] = ("转人工", "人工客服", "人工服务", "找人工", "真人客服")
    transfer_text: str = "好的，正在为您转接人工客服，请稍候。"
    transfer_queue: str = "default"
    closing_responses: tuple[str, ...] = ("utter_goodbye",)
    no_barge_in_markers: tuple[str, ...] = ("理财有风险", "投资需谨慎", "风险提示")
    sentence_pause_ms: int = 300
    options_lead: str = "请说"

    def __post_init__(self) -> None:
        for name in ("low_confidence", "min_intent_confidence"):
            if not 0.0 <= getattr(self, name) <= 1.0:
                raise ValueError(f"VoiceConfig.{name} must be within [0, 1], got {getattr(self, name)}")
        for name in ("max_reprompts", "max_repeat_requests", "min_silence_ms", "sentence_pause_ms"):
            if getattr(self, name) < 0:
                raise ValueError(f"VoiceConfig.{name} must be >= 0, got {getattr(self, name)}")
        bad = [key for key in self.dtmf if not key or any(c not in "0123456789*#ABCD" for c in key)]
        if bad:
            raise ValueError(f"VoiceConfig.dtmf: keys must be DTMF digits (0-9 * # A-D), got {bad}")


@dataclass
class CallOutcome:
    """What one call came to, for the campaign and the call-centre reports.

    ``disposition`` is one of ``completed`` (the bot closed the call), ``transferred``,
    ``no_response`` (silence), ``caller_hangup`` (the line dropped before the bot closed)
    and ``disconnected`` (the gateway socket closed without ``call.ended``).
    """

    call_id: str
    bot: str
    caller: str = ""
    callee: str = ""
    campaign: str | None = None
    customer_id: str | None = None
    started_at: float = 0.0
    ended_at: float | None = None
    disposition: str = "in_progress"
    end_reason: str | None = None
    transfer_queue: str | None = None
    turns: int = 0
    barge_ins: int = 0
    reprompts: int = 0
    repeat_requests: int = 0
    intention_grade: str | None = None
    slots: dict[str, Any] = field(default_factory=dict)
    transcript: list[dict[str, str]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready copy."""
        return asdict(self)


class CallLog:
    """Recent call outcomes in memory (the newest ``capacity``), each also given to ``sink``.

    Args:
        capacity: how many outcomes to keep for look-up.
        sink: called with every finished outcome (store it, queue it); its errors are logged.
    """

    def __init__(self, capacity: int = 1000, sink: Callable[[CallOutcome], None] | None = None) -> None:
        self._outcomes: OrderedDict[tuple[str, str], CallOutcome] = OrderedDict()
        self._capacity = capacity
        self._sink = sink

    def record(self, outcome: CallOutcome) -> None:
        """Keep a finished call's outcome and pass it to the sink."""
        key = (outcome.bot, outcome.call_id)
        self._outcomes[key] = outcome
        self._outcomes.move_to_end(key)
        while len(self._outcomes) > self._capacity:
            self._outcomes.popitem(last=False)
        logger.info(
            "call %s (%s) ended: %s, %d turns",
            outcome.call_id,
            outcome.bot,
            outcome.disposition,
            outcome.turns,
        )
        if self._sink is not None:
            try:
                self._sink(outcome)
            except Exception:  # a broken sink must not break the gateway
                logger.exception("call outcome sink failed for %s", outcome.call_id)

    def get(self, bot: str, call_id: str) -> CallOutcome | None:
        """The outcome of a finished call, if still kept."""
        return self._outcomes.get((bot, call_id))
