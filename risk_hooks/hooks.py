"""``RiskHooks``: the risk guard the dialogue engine calls on every turn (``dialogue.hooks.TurnHooks``).

- ``inbound``: rate limits, fraud / abuse / threat / injection / privacy rules and
  bonus-hunting signals (``InboundGuard``); the tracker keeps the PII-masked text when
  ``inbound.mask_stored_text`` is on. A guard that raises fails open: the message goes on
  with a ``warn`` on record.
- ``outbound``: the compliance filter (``OutboundFilter``) on every bot message. A filter
  that raises fails closed: the message is replaced by the safe text.
- ``check_offer``: suitability before a product is offered or bought; fails closed.

Every decision goes to the audit trail (when one is given) and comes back as a
``RiskDecision`` event for the tracker.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import hashlib
import logging
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from dialogue.events import BotUttered, RiskDecision
from dialogue.hooks import InboundVerdict, OutboundVerdict
from risk_hooks.audit import AuditRecord, AuditTrail, sha256_text
from risk_hooks.config import RiskConfig, load_risk_config
from risk_hooks.inbound import GuardResult, InboundGuard
from risk_hooks.outbound import OutboundFilter, OutboundResult
from risk_hooks.pii import mask_pii
from risk_hooks.profile import CustomerProfile, ProductFacts
from risk_hooks.suitability import SuitabilityResult, check_suitability

if TYPE_CHECKING:
    from dialogue.processor import UserMessage
    from dialogue.tracker import DialogueStateTracker

__all__ = ["RiskHooks", "build_hooks"]

logger = logging.getLogger(__name__)


class RiskHooks:
    """Implements ``dialogue.hooks.TurnHooks`` for one bot.

    Args:
        bot: the bot's name (audit records and queries).
        config: the bot's risk settings.
        guard: the inbound guard (built from ``config`` by default).
        outbound_filter: the compliance filter (no product names by default).
        audit: where decisions are stored; None: only tracker events.
    """

    def __init__(
        self,
        bot: str,
        *,
        config: RiskConfig | None = None,
        guard: InboundGuard | None = None,
        outbound_filter: OutboundFilter | None = None,
        audit: AuditTrail | None = None,
    ) -> None:
        self.bot = bot
        self.config = config or RiskConfig()
        self.guard = guard or InboundGuard(self.config.inbound.guard_config())
        self.outbound_filter = outbound_filter or OutboundFilter(self.config.outbound.extra_product_names)
        self.audit = audit
        self._inbound_model = f"inbound_rules@{_file_digest(self.guard.config.rules_file)}"
        train_digest = "+".join(_file_digest(p) for p in self.guard.config.classifier_train_files)
        self._classifier_model = f"char_tfidf_logreg@{train_digest}"

    async def inbound(self, message: UserMessage, tracker: DialogueStateTracker) -> InboundVerdict:
        """Decide on a user message before NLU (fail open, see the module docstring)."""
        settings = self.config.inbound
        result = GuardResult(reason="inbound guard disabled") if not settings.enabled else None
        if result is None:
            try:
                result = self.guard.check(message.text, message.sender_id, message.metadata)
            except Exception as exc:  # a broken guard must not silence the bot
                logger.exception("inbound guard failed for %s/%s", self.bot, message.sender_id)
                result = GuardResult("warn", "guard_error", "error", f"{type(exc).__name__}: {exc}")
        stored = mask_pii(message.text) if settings.mask_stored_text else None
        event = RiskDecision(hook="inbound", decision=result.decision, reason=result.reason, rule=result.rule)
        model = self._classifier_model if result.rule.startswith("classifier_") else self._inbound_model
        await self._record(
            message.sender_id, "inbound", result.rule, model, message.text, result.decision, result.reason
        )
        reply = result.reply if result.decision in ("block", "handoff") else None
        return InboundVerdict(
            result.decision,  # type: ignore[arg-type]
            reply=reply,
            stored_text=stored if stored != message.text else None,
            events=(event,),
        )

    async def outbound(self, message: BotUttered, tracker: DialogueStateTracker) -> OutboundVerdict:
        """Filter a bot message (fail closed, see the module docstring)."""
        text = message.text or ""
        if not self.config.outbound.enabled or not text:
            return OutboundVerdict(message)
        try:
            result = self.outbound_filter.check(text)
        except Exception as exc:  # never send what could not be checked
            logger.exception("outbound filter failed for %s/%s", self.bot, tracker.sender_id)
            safe = self.outbound_filter.safe_text + "\n" + self.outbound_filter.notice
            result = OutboundResult(safe, "block")
            reason, rule = f"filter error, message replaced: {type(exc).__name__}: {exc}", "filter_error"
        else:
            reason, rule = result.reason, result.rule
        await self._record(tracker.sender_id, "outbound", rule, "outbound_rules", text, result.action, reason)
        event = RiskDecision(hook="outbound", decision=result.action, reason=reason, rule=rule)
        if result.action == "allow":
            return OutboundVerdict(message, (event,))
        # a blocked message loses its buttons too: they may lead on to the blocked offer
        data = {"compliance": "blocked"} if result.action == "block" else message.data
        return OutboundVerdict(dataclasses.replace(message, text=result.text, data=data), (event,))

    def check_offer(
        self,
        customer: CustomerProfile,
        product: ProductFacts,
        *,
        amount: float | None = None,
        sender_id: str = "",
        today: dt.date | None = None,
    ) -> SuitabilityResult:
        """Suitability of one offer or purchase, recorded in the audit trail; fails closed.

        Args:
            customer: the customer.
            product: the product offered.
            amount: the purchase amount, if any.
            sender_id: the conversation, for the audit record (the customer id by default).
            today: the day to judge on.
        """
        result = check_suitability(
            customer, product, amount=amount, today=today, policy=self.config.suitability
        )
        subject = f"{getattr(customer, 'customer_id', '?')}|{getattr(product, 'code', '?')}|{amount}"
        decision = "allow" if result.allowed else "block"
        try:
            self._append(
                sender_id or str(customer.customer_id),
                "suitability",
                result.rule,
                "suitability",
                subject,
                decision,
                result.reason or "suitable",
            )
        except Exception:  # the audit must not turn a block into an error, nor an error into an offer
            logger.exception("audit of a suitability decision failed")
            if result.allowed:
                return SuitabilityResult(False, "audit_error", "系统暂时无法记录本次适当性检查，请稍后再试。")
        return result

    async def _record(
        self, sender_id: str, hook: str, rule: str, model: str, text: str, decision: str, reason: str
    ) -> None:
        if self.audit is None:
            return
        try:
            await asyncio.to_thread(self._append, sender_id, hook, rule, model, text, decision, reason)
        except Exception:  # chat goes on; the tracker still has the RiskDecision event
            logger.exception("audit append failed for %s/%s", self.bot, sender_id)

    def _append(
        self, sender_id: str, hook: str, rule: str, model: str, text: str, decision: str, reason: str
    ) -> None:
        if self.audit is None:
            return
        record = AuditRecord(self.bot, sender_id, hook, rule, model, sha256_text(text), decision, reason)
        self.audit.append(record)


def build_hooks(bot_root: Path, product_names: Iterable[str], audit: AuditTrail | None) -> RiskHooks:
    """The hooks of the bot in ``bot_root``, configured by its optional ``risk.yml``.

    Args:
        bot_root: the bot folder (its name is the bot's name).
        product_names: names, aliases and codes of the products the bot may name (e.g. from
            ``knowledge.catalogue``; this package cannot import it).
        audit: the audit trail shared by the bots; None: tracker events only.

    Raises:
        RiskConfigError: ``risk.yml`` is malformed (names the file and the key).
    """
    bot_root = Path(bot_root)
    config = load_risk_config(bot_root)
    names = [*product_names, *config.outbound.extra_product_names]
    return RiskHooks(
        bot_root.name,
        config=config,
        guard=InboundGuard(config.inbound.guard_config()),
        outbound_filter=OutboundFilter(names),
        audit=audit,
    )


def _file_digest(path: Path) -> str:
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:12]
    except OSError:
        return "unknown"
