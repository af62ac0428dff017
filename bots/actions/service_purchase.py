"""The service robot's purchase hand-over and fee answers.

The robot never takes payment in chat: ``action_purchase_handover`` checks suitability
(``risk_hooks.check_suitability`` on the customer's profile from the backend) and, when the
product suits the customer, sends the product's key facts, the risk notice and a button that
opens the app's own purchase page. A product that does not suit the customer is never
offered: the reply says why and points to the risk assessment.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from bots.actions.service import _BackendAction, _plain, _read_amount
from dialogue.sdk import Action, CollectingDispatcher, FormValidationAction, SlotSet, Tracker
from dialogue.sdk.types import DomainDict
from knowledge.catalogue import Catalogue, Product
from knowledge.kbqa.engine import ProductQA
from risk_hooks.audit import AuditRecord, AuditTrail, sha256_text
from risk_hooks.notices import RISK_NOTICE
from risk_hooks.suitability import SuitabilityPolicy, SuitabilityResult, check_suitability
from wealth_backend.interface import WealthBackend

__all__ = [
    "PURCHASE_URL",
    "ActionAnswerFee",
    "ActionPurchaseHandover",
    "ValidatePurchaseForm",
    "match_products",
]

logger = logging.getLogger(__name__)

# the app's purchase page; the app takes the payment, never the chat
PURCHASE_URL = "wealthapp://purchase"
ASSESSMENT_URL = "wealthapp://risk-assessment"
_RISK_WORDS = {1: "低风险", 2: "中低风险", 3: "中风险", 4: "中高风险", 5: "高风险"}
_STATUS_REFUSALS = {"closed": "目前处于封闭期，暂不开放申购", "suspended": "目前暂停申购"}
# refusals the customer can lift by (re)doing the risk assessment
_ASSESSMENT_RULES = ("assessment_missing", "assessment_expired", "risk_above_customer")
_FEE_RESPONSES = {"redemption_fee": "utter_redemption_fee", "purchase_fee": "utter_purchase_fee"}
_FORMS_WITH_PRODUCT = ("redeem_form", "purchase_form")
# "它的赎回费呢": the product talked about last (the ``product`` slot)
_REFERS_BACK = ("它", "这只", "那只", "这个产品", "该产品", "这款", "这个基金")


def match_products(text: str, catalogue: Catalogue) -> list[Product]:
    """The products ``text`` names by code, name or alias; the longest name wins a tie."""
    said = _plain(text)
    scored: list[tuple[int, Product]] = []
    partial: list[Product] = []
    for product in catalogue:
        names = [_plain(n) for n in (product.code, product.name, *product.aliases)]
        if said in names:
            return [product]
        hits = [len(n) for n in names if len(n) >= 2 and n in said]
        if hits:
            scored.append((max(hits), product))
        elif len(said) >= 2 and any(said in n for n in names):
            partial.append(product)
    if scored:
        best = max(length for length, _ in scored)
        return [product for length, product in scored if length == best]
    return partial


def _buttons(products: list[Product]) -> list[dict[str, str]]:
    return [{"title": p.name, "payload": p.name} for p in products[:5]]


class ValidatePurchaseForm(_BackendAction, FormValidationAction):
    """``validate_purchase_form``: the product must be in the catalogue (name, alias or code)."""

    def name(self) -> str:
        return "validate_purchase_form"

    def validate_product(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        found = match_products(str(value), self.catalogue)
        if len(found) != 1:
            lead = "有几只名称相近的产品" if found else f"没有找到“{value}”这只产品"
            dispatcher.utter_message(
                text=f"{lead}，请告诉我产品全称、简称或6位代码：",
                buttons=_buttons(found),
            )
            return {"product": None}
        amounts = list(tracker.get_latest_entity_values("amount"))
        return {
            "product": found[0].name,
            "product_code": found[0].code,
            "amount": amounts[-1] if amounts else None,
        }


class ActionPurchaseHandover(_BackendAction, Action):
    """``action_purchase_handover``: suitability, then the product's facts and the app's purchase page.

    Args:
        backend: the core system (the customer's profile).
        catalogue: the products (the shipped one by default).
        policy: the suitability limits (the bot's ``risk.yml``).
        audit: where each suitability decision is recorded (None: the log only).
        today: the clock.
    """

    def __init__(
        self,
        backend: WealthBackend | None = None,
        catalogue: Catalogue | None = None,
        *,
        policy: SuitabilityPolicy | None = None,
        audit: AuditTrail | None = None,
        today: Callable[[], dt.date] = dt.date.today,
    ) -> None:
        super().__init__(backend, catalogue)
        self.policy = policy or SuitabilityPolicy()
        self.audit = audit
        self.today = today

    def name(self) -> str:
        return "action_purchase_handover"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list:
        reset = [SlotSet(s, None) for s in ("product", "product_code", "amount")]
        product = self.catalogue.get(str(tracker.get_slot("product_code") or ""))
        customer_id = self.customer(tracker)
        if product is None or customer_id is None:
            dispatcher.utter_message(response="utter_purchase_guide")
            return reset
        if product.status in _STATUS_REFUSALS:
            text = f"{product.name}{_STATUS_REFUSALS[product.status]}，可以了解其他在售产品。\n{RISK_NOTICE}"
            dispatcher.utter_message(text=text)
            return reset
        assert self.backend is not None
        profile = self.backend.get_profile(customer_id)
        amount = _yuan(tracker.get_slot("amount"))
        if profile is None:
            dispatcher.utter_message(response="utter_purchase_guide")
            return reset
        result = check_suitability(profile, product, amount=amount, today=self.today(), policy=self.policy)
        result = self._audit(tracker.sender_id, customer_id, product, amount, result)
        if not result.allowed:
            dispatcher.utter_message(**_refusal(product, result))
            return reset
        dispatcher.utter_message(**_handover(product, profile.risk_level, amount))
        return reset

    def _audit(
        self,
        sender_id: str,
        customer_id: str,
        product: Product,
        amount: float | None,
        result: SuitabilityResult,
    ) -> SuitabilityResult:
        """Record the decision; an offer whose audit record failed is not made (fails closed)."""
        decision = "allow" if result.allowed else "block"
        logger.info("purchase suitability %s %s %s: %s", customer_id, product.code, decision, result.rule)
        if self.audit is None:
            return result
        subject = f"{customer_id}|{product.code}|{amount}"
        record = AuditRecord(
            "service",
            sender_id,
            "suitability",
            result.rule,
            "suitability",
            sha256_text(subject),
            decision,
            result.reason or "suitable",
        )
        try:
            self.audit.append(record)
        except Exception:  # as RiskHooks.check_offer: no unrecorded offer, a block stays a block
            logger.exception("audit of a purchase suitability decision failed")
            if result.allowed:
                return SuitabilityResult(False, "audit_error", "系统暂时无法记录本次适当性检查，请稍后再试。")
        return result


def _yuan(value: Any) -> float | None:
    amount = _read_amount(value) if value is not None else None
    return amount if isinstance(amount, float) else None


def _facts(product: Product) -> str:
    term = "开放式（无固定期限）" if product.term_days == 0 else f"期限{product.term_days}天"
    return (
        f"{product.name}（{product.code}）：{product.type}类产品，风险等级{product.risk}"
        f"（{_RISK_WORDS.get(product.risk_level, '')}），{term}，"
        f"{product.min_amount:,.0f}元起购，申购费率{product.fees.subscription:.2%}。"
    )


def _handover(product: Product, level: int | None, amount: float | None) -> dict[str, Any]:
    query = {"code": product.code} | ({"amount": f"{amount:.0f}"} if amount else {})
    url = f"{PURCHASE_URL}?{urlencode(query)}"
    amount_text = f"您说的{amount:,.0f}元会带入申购页面，" if amount else ""
    text = (
        f"{_facts(product)}\n经核对，该产品风险等级与您的风险承受能力C{level}相匹配。"
        f"请点击下方按钮进入App申购页面，{amount_text}阅读产品说明书和风险揭示书后，在App内确认金额并完成支付；"
        f"对话中不会收取任何款项。\n{RISK_NOTICE}"
    )
    payload = {"type": "purchase_handover", "product_code": product.code, "url": url}
    return {"text": text, "buttons": [{"title": "去App申购", "payload": url}], "json_message": payload}


def _refusal(product: Product, result: SuitabilityResult) -> dict[str, Any]:
    text = f"抱歉，暂时不能为您办理{product.name}的申购。{result.reason}"
    buttons: list[dict[str, str]] = []
    if result.rule in _ASSESSMENT_RULES:
        text += (
            "如您的情况有变化，可以在App“我的-风险测评”或投顾机器人中重新完成风险测评，测评更新后再来办理。"
        )
        buttons = [{"title": "去做风险测评", "payload": ASSESSMENT_URL}]
    elif result.rule == "elderly_high_risk":
        text += "您可以咨询投顾机器人，了解风险等级更适合您的产品。"
    text += "\n" + RISK_NOTICE
    payload = {"type": "purchase_blocked", "product_code": product.code, "rule": result.rule}
    return {"text": text, "buttons": buttons, "json_message": payload}


class ActionAnswerFee(Action):
    """``action_answer_fee``: a product's subscription or redemption fee from the catalogue.

    The product is the one the message names, else the one of the redemption or purchase
    being filled in, or the one talked about last when the message refers back ("它的赎回费");
    without a product the generic fee template answers.

    Args:
        qa: the product question answerer (the shipped catalogue, built on first use, when None).
    """

    def __init__(self, qa: ProductQA | None = None) -> None:
        self._qa = qa

    def name(self) -> str:
        return "action_answer_fee"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list:
        intent = str((tracker.latest_message.get("intent") or {}).get("name") or "")
        named = [*tracker.get_latest_entity_values("product"), *tracker.get_latest_entity_values("fund_code")]
        text = str(tracker.latest_message.get("text") or "")
        hint = named[-1] if named else None
        refers_back = any(word in text for word in _REFERS_BACK)
        if hint is None and (tracker.active_loop_name in _FORMS_WITH_PRODUCT or refers_back):
            hint = tracker.get_slot("product")
        if hint is None:
            dispatcher.utter_message(response=_FEE_RESPONSES.get(intent, "utter_purchase_fee"))
            return []
        if self._qa is None:
            self._qa = ProductQA()
        answer = self._qa.answer(text, product_hint=str(hint))
        dispatcher.utter_message(text=answer.text)
        return []
