"""Dialogue actions of the risk hooks (rasa-sdk style, in process).

``action_aml_screen`` screens the customer's transactions for AML / anti-fraud patterns and
records a ``RiskDecision`` (decision ``review``) per flag, plus an audit record when an
audit trail is given. It says nothing to the customer: a flag is for a human reviewer,
never an accusation.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any

from dialogue.sdk import Action, CollectingDispatcher, Tracker
from risk_hooks.aml import AmlConfig, ReviewFlag, Transaction, screen_transactions
from risk_hooks.audit import AuditRecord, AuditTrail, sha256_text

__all__ = ["ACTIONS", "ActionAmlScreen", "TransactionsProvider"]

logger = logging.getLogger(__name__)

TransactionsProvider = Callable[[str], list[Transaction]]


def _no_transactions(customer_id: str) -> list[Transaction]:
    logger.warning("action_aml_screen has no transactions provider; nothing screened for %s", customer_id)
    return []


class ActionAmlScreen(Action):
    """Screens the conversation's customer (slot ``customer_id``, else the sender id).

    Args:
        transactions_provider: customer id -> their transactions (the wealth backend's, wired
            by the bot; without one nothing is screened and a warning is logged).
        audit: where flags are recorded besides the tracker.
        config: the AML thresholds.
        bot: the bot name for audit records.
    """

    def __init__(
        self,
        *,
        transactions_provider: TransactionsProvider | None = None,
        audit: AuditTrail | None = None,
        config: AmlConfig | None = None,
        bot: str = "default",
    ) -> None:
        self.transactions_provider = transactions_provider or _no_transactions
        self.audit = audit
        self.config = config or AmlConfig()
        self.bot = bot

    def name(self) -> str:
        return "action_aml_screen"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Screen and record; returns ``risk_decision`` events, utters nothing."""
        customer_id = str(tracker.get_slot("customer_id") or tracker.sender_id)
        metadata = (tracker.latest_message or {}).get("metadata") or {}
        device_flags = [str(f) for f in metadata.get("device_risk") or [] if isinstance(f, str)]
        try:
            transactions = await asyncio.to_thread(self.transactions_provider, customer_id)
            flags = screen_transactions(
                customer_id, transactions, device_flags=device_flags, config=self.config
            )
        except Exception as exc:  # a failed screening is itself for a human to look at
            logger.exception("AML screening failed for %s", customer_id)
            return [_event("screening_error", f"{type(exc).__name__}: {exc}", "error")]
        for flag in flags:
            await asyncio.to_thread(self._audit, tracker.sender_id, customer_id, flag)
        return [_event(flag.rule, _reason(flag), "review") for flag in flags]

    def _audit(self, sender_id: str, customer_id: str, flag: ReviewFlag) -> None:
        if self.audit is None:
            return
        try:
            self.audit.append(
                AuditRecord(
                    self.bot,
                    sender_id,
                    "aml",
                    flag.rule,
                    "aml_rules",
                    sha256_text(f"{customer_id}|{'|'.join(flag.transaction_ids)}"),
                    "review",
                    _reason(flag),
                )
            )
        except Exception:
            logger.exception("audit of AML flag %s failed for %s", flag.rule, customer_id)


def _reason(flag: ReviewFlag) -> str:
    evidence = ",".join(flag.transaction_ids)
    return f"[{flag.severity}] {flag.summary}" + (f" (transactions: {evidence})" if evidence else "")


def _event(rule: str, reason: str, decision: str) -> dict[str, Any]:
    return {"event": "risk_decision", "hook": "aml", "decision": decision, "rule": rule, "reason": reason}


ACTIONS: list[type[Action]] = [ActionAmlScreen]
