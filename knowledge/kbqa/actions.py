"""``action_product_query``: answer the latest user message about products from the catalogue."""

from __future__ import annotations

import asyncio
import re
from typing import Any

from dialogue.sdk import Action, CollectingDispatcher, DomainDict, EventType, SlotSet, Tracker
from knowledge.kbqa.engine import AnswerKind, ProductQA

__all__ = ["ACTIONS", "PRODUCT_CODE_SLOT", "ActionProductQuery"]

PRODUCT_CODE_SLOT = "product_code"


class ActionProductQuery(Action):
    """Answers product questions (attribute, comparison, filter) with the KBQA engine.

    Uses a ``product`` entity of the latest message, or the ``product`` slot, when the
    message itself names no product ("它的费率呢"). Sets ``product_code`` when exactly one
    product was answered about and the domain has that slot.

    Args:
        qa: the question answerer; the shipped demo catalogue, loaded on first run, when None.
        product_slot: the slot (and entity) holding a product name or code.
        risk_slot: the slot holding the customer's risk level (1–5 or "C3"); filter lists
            never show products above it.
    """

    def __init__(
        self,
        qa: ProductQA | None = None,
        *,
        product_slot: str = "product",
        risk_slot: str = "customer_risk_level",
    ) -> None:
        self._qa = qa
        self.product_slot = product_slot
        self.risk_slot = risk_slot

    def name(self) -> str:
        """The action name used in domains and stories."""
        return "action_product_query"

    def qa(self) -> ProductQA:
        """The question answerer, built from the shipped catalogue on first use."""
        if self._qa is None:
            self._qa = ProductQA()
        return self._qa

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Answer the latest user message; return a ``product_code`` SlotSet when one product was named."""
        qa = self._qa or await asyncio.to_thread(self.qa)
        text = str((tracker.latest_message or {}).get("text") or "")
        hint = _first(tracker.get_latest_entity_values(self.product_slot)) or tracker.get_slot(
            self.product_slot
        )
        answer = qa.answer(
            text,
            product_hint=str(hint) if hint else None,
            customer_risk_level=_risk_level(tracker.get_slot(self.risk_slot)),
        )
        dispatcher.utter_message(text=answer.text)
        slots = (domain or {}).get("slots") or {}
        if answer.kind is AnswerKind.ANSWER and len(answer.products) == 1 and PRODUCT_CODE_SLOT in slots:
            return [SlotSet(PRODUCT_CODE_SLOT, answer.products[0])]
        return []


def _first(values: Any) -> Any:
    return next(iter(values), None) if values is not None else None


def _risk_level(value: Any) -> int | None:
    """``3``, ``"3"``, ``"C3"`` or ``"R3"`` → 3; anything else → None."""
    match = re.fullmatch(r"[CcRr]?([1-5])", str(value).strip()) if value is not None else None
    return int(match.group(1)) if match else None


ACTIONS = [ActionProductQuery]
