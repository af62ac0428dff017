"""Turn hooks: the fixed points where the processor asks an outside guard about a turn.

The engine knows nothing of fraud or compliance rules; ``risk_hooks`` implements
``TurnHooks`` and a bot's agent passes it to the ``MessageProcessor``:

- ``inbound`` runs before NLU on every user message. It may let the message through,
  warn (through, with a recorded decision), block it with a safe reply, or hand the
  conversation to a human. It may also give the text to keep in the tracker (masked).
- ``outbound`` runs on every bot message before it is stored and sent. It may rewrite
  the message (add a risk notice, remove a promise) or block it (replaced by its
  ``replacement``).

Both return the events to record (``RiskDecision`` for the audit trail of the
conversation). A hook that raises fails open: the processor logs the error, records a
``RiskDecision`` with decision ``error`` and goes on, so a broken guard never silences
the bot. Offers fail closed inside the hooks' own suitability checks, not here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal, Protocol

from dialogue.events import BotUttered, Event

if TYPE_CHECKING:
    from dialogue.processor import UserMessage
    from dialogue.tracker import DialogueStateTracker

__all__ = ["InboundVerdict", "OutboundVerdict", "TurnHooks"]

InboundDecision = Literal["allow", "warn", "block", "handoff"]


@dataclass(frozen=True)
class InboundVerdict:
    """What to do with one user message.

    Attributes:
        decision: ``allow`` / ``warn`` go on to NLU; ``block`` answers ``reply`` and skips
            NLU and policies; ``handoff`` skips NLU and runs ``action_handoff``.
        reply: the safe reply for ``block`` (and an optional one before a handoff).
        stored_text: the text to keep in the tracker instead of the raw text (masked PII);
            ``None`` keeps the message as sent.
        events: events to record with the message (``RiskDecision`` …).
    """

    decision: InboundDecision = "allow"
    reply: str | None = None
    stored_text: str | None = None
    events: tuple[Event, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class OutboundVerdict:
    """What to send instead of one bot message: ``message`` (possibly rewritten) plus ``events``."""

    message: BotUttered
    events: tuple[Event, ...] = field(default_factory=tuple)


class TurnHooks(Protocol):
    """Called by the ``MessageProcessor``; see the module docstring."""

    async def inbound(self, message: UserMessage, tracker: DialogueStateTracker) -> InboundVerdict: ...

    async def outbound(self, message: BotUttered, tracker: DialogueStateTracker) -> OutboundVerdict: ...
