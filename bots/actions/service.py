"""The service robot's own actions: redemption, bank-card change and order status on the backend.

Each action needs the customer's identity (slot ``customer_id``, filled from the logged-in
channel's metadata). Without it, or without a backend, the robot keeps to general guidance
and never pretends a transaction was made.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Callable
from typing import Any

from dialogue.sdk import Action, CollectingDispatcher, FormValidationAction, SlotSet, Tracker
from dialogue.sdk.types import DomainDict
from knowledge.catalogue import Catalogue, load_catalogue
from nlu.normalize import find_quantities
from wealth_backend.interface import BackendError, WealthBackend
from wealth_backend.models import Holding, Order

__all__ = [
    "ActionOrderStatus",
    "ActionSubmitChangeBankCard",
    "ActionSubmitRedeem",
    "ALL_SHARES",
    "ValidateRedeemForm",
    "match_holding",
    "request_id_since",
]

ALL_SHARES = "全部"
_ALL_WORDS = ("全部", "所有", "全都", "都赎", "全赎", "清仓")
_HALF_WORDS = ("一半", "半仓")
_STATUS_NAMES = {
    "accepted": "已受理",
    "confirmed": "已确认",
    "paid_out": "已到账",
    "cancelled": "已撤销",
    "failed": "失败",
}
_KIND_NAMES = {"redeem": "赎回", "purchase": "申购"}


def _plain(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().upper()


def match_holding(text: str, holdings: list[Holding], catalogue: Catalogue) -> list[Holding]:
    """The holdings ``text`` names: by code, full name, alias, or a distinctive part of the name."""
    said = _plain(text)
    exact, partial = [], []
    for holding in holdings:
        product = catalogue.get(holding.product_code)
        names = [holding.product_code] + ([product.name, *product.aliases] if product else [])
        names = [_plain(n) for n in names]
        if said in names or any(len(n) >= 2 and n in said for n in names):
            exact.append(holding)
        elif len(said) >= 2 and any(said in n for n in names):
            partial.append(holding)
    return exact or partial


def _name(catalogue: Catalogue, code: str) -> str:
    product = catalogue.get(code)
    return product.name if product else code


def _holding_buttons(holdings: list[Holding], catalogue: Catalogue) -> list[dict[str, str]]:
    return [
        {"title": _name(catalogue, h.product_code), "payload": _name(catalogue, h.product_code)}
        for h in holdings
    ]


class _BackendAction:
    """Shared plumbing: the backend, the catalogue, and the customer of the conversation."""

    def __init__(self, backend: WealthBackend | None = None, catalogue: Catalogue | None = None) -> None:
        self.backend = backend
        self._catalogue = catalogue

    @property
    def catalogue(self) -> Catalogue:
        if self._catalogue is None:
            self._catalogue = load_catalogue()
        return self._catalogue

    def customer(self, tracker: Tracker) -> str | None:
        customer_id = tracker.get_slot("customer_id")
        return str(customer_id) if customer_id and self.backend is not None else None


class ValidateRedeemForm(_BackendAction, FormValidationAction):
    """``validate_redeem_form``: the product must be held; the amount becomes a fee and arrival preview."""

    def name(self) -> str:
        return "validate_redeem_form"

    def validate_product(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        customer_id = self.customer(tracker)
        if customer_id is None:
            return {"product": value}
        assert self.backend is not None
        holdings = self.backend.list_holdings(customer_id)
        if not holdings:
            dispatcher.utter_message(text="您目前没有可赎回的持仓。")
            return {"product": None}
        found = match_holding(str(value), holdings, self.catalogue)
        if len(found) != 1:
            lead = "您持有多只相近的产品" if found else f"您没有持有“{value}”"
            dispatcher.utter_message(
                text=f"{lead}，请选择要赎回的产品：",
                buttons=_holding_buttons(found or holdings, self.catalogue),
            )
            return {"product": None}
        code = found[0].product_code
        try:  # a product in its closed period cannot be redeemed: say so now, not after the amount
            self.backend.preview_redeem(customer_id, code, shares=found[0].shares)
        except BackendError as exc:
            if exc.code == "closed_period":
                dispatcher.utter_message(text=exc.message)
                return {"product": None}
        accepted = {"product": _name(self.catalogue, code), "product_code": code}
        amount = _read_amount(tracker.get_slot("amount"))
        if amount is not None:  # the amount came before the product: preview now
            try:
                accepted["redeem_preview"] = self.preview_text(customer_id, code, amount)
            except BackendError as exc:
                dispatcher.utter_message(text=exc.message)
                accepted["amount"] = None
        return accepted

    def validate_amount(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        amount = _read_amount(value)
        if amount is None:
            dispatcher.utter_message(text="没听清赎回金额，可以说“赎回一万元”或“全部赎回”。")
            return {"amount": None}
        customer_id, code = self.customer(tracker), tracker.get_slot("product_code")
        if customer_id is None or not code:
            return {"amount": value}  # nothing to preview: keep the customer's own words for the confirmation
        try:
            preview = self.preview_text(customer_id, code, amount)
        except BackendError as exc:
            dispatcher.utter_message(text=exc.message)
            return {"amount": None}
        return {"amount": amount, "redeem_preview": preview}

    def validate_redeem_confirmed(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        # "不对，是三万" is a deny that carries a new amount: a correction, so confirm again
        corrected = any(list(tracker.get_latest_entity_values(e)) for e in ("amount", "product"))
        return {"redeem_confirmed": None if corrected else value}

    def preview_text(self, customer_id: str, code: str, amount: float | str) -> str:
        """What the redemption would pay and when, for the confirmation question.

        Raises:
            BackendError: not held, over the holding, or in the closed period.
        """
        assert self.backend is not None
        shares = _shares_for(self.backend, customer_id, code, amount)
        preview = self.backend.preview_redeem(
            customer_id, code, shares=shares, amount=None if shares else float(amount)
        )
        return (
            f"赎回{_name(self.catalogue, code)}{preview.shares:,.2f}份，"
            f"按最新净值约{preview.gross_amount:,.2f}元，"
            f"赎回费{preview.fee:,.2f}元（费率{preview.fee_rate:.2%}），预计到账{preview.net_amount:,.2f}元，"
            f"预计{preview.expected_arrival:%m月%d日}到账（节假日顺延）。"
        )


def _shares_for(backend: WealthBackend, customer_id: str, code: str, amount: Any) -> float | None:
    """Shares for "全部" / "一半"; None when the amount is in yuan."""
    if amount not in (ALL_SHARES, "一半"):
        return None
    held = next((h for h in backend.list_holdings(customer_id) if h.product_code == code), None)
    if held is None:
        raise BackendError("not_held", "您没有持有这只产品。")
    return held.shares if amount == ALL_SHARES else round(held.shares / 2, 2)


def _read_amount(value: Any) -> float | str | None:
    """A yuan amount, or ``全部`` / ``一半`` for shares."""
    if isinstance(value, int | float):
        return float(value) if value > 0 else None
    text = _plain(str(value or ""))
    if any(word in text for word in _ALL_WORDS):
        return ALL_SHARES
    if any(word in text for word in _HALF_WORDS):
        return "一半"
    amounts = [
        q.value for q in find_quantities(text.lower()) if q.kind in ("amount", "number") and q.value > 0
    ]
    return float(amounts[-1]) if amounts else None


class ActionSubmitRedeem(_BackendAction, Action):
    """``action_submit_redeem``: place the confirmed redemption once (idempotent per form run)."""

    def name(self) -> str:
        return "action_submit_redeem"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list:
        reset = [
            SlotSet(s, None)
            for s in ("product", "product_code", "amount", "redeem_preview", "redeem_confirmed")
        ]
        customer_id, code = self.customer(tracker), tracker.get_slot("product_code")
        if customer_id is None or not code:
            dispatcher.utter_message(response="utter_redeem_submitted")
            return reset
        assert self.backend is not None
        amount = tracker.get_slot("amount")
        try:
            shares = _shares_for(self.backend, customer_id, code, amount)
            order = self.backend.redeem(
                customer_id,
                code,
                _request_id(tracker, "redeem", code, amount),
                shares=shares,
                amount=None if shares else float(amount),
            )
        except BackendError as exc:
            dispatcher.utter_message(text=f"赎回没有提交成功：{exc.message}")
            return reset
        dispatcher.utter_message(
            text=(
                f"赎回申请已提交，订单号{order.order_id}：{_name(self.catalogue, code)}"
                f"{order.shares:,.2f}份，预计到账{order.amount:,.2f}元，"
                f"预计{order.expected_arrival:%m月%d日}到账，可以说“查订单”查看进度。"
            )
        )
        return reset


def _request_id(tracker: Tracker, kind: str, *parts: Any) -> str:
    """The same confirmed form run gives the same id, so a retried action never acts twice."""
    return request_id_since(tracker, kind, lambda e: e.get("event") == "active_loop" and e.get("name"), parts)


def request_id_since(tracker: Tracker, kind: str, anchor: Callable[[dict], Any], parts: tuple) -> str:
    """An idempotency key for a backend write: the conversation, the kind, the time of the latest
    event that ``anchor`` accepts (the form's start, the user's message…) and ``parts``."""
    at = next((e.get("timestamp") for e in reversed(tracker.events) if anchor(e)), None)
    digest = hashlib.sha256(f"{tracker.sender_id}:{kind}:{at}:{parts}".encode()).hexdigest()[:20]
    return f"{kind}-{digest}"


class ActionOrderStatus(_BackendAction, Action):
    """``action_order_status``: the customer's latest orders with their status and arrival date."""

    def name(self) -> str:
        return "action_order_status"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list:
        customer_id = self.customer(tracker)
        if customer_id is None:
            dispatcher.utter_message(response="utter_order_status")
            return []
        assert self.backend is not None
        orders = self.backend.list_orders(customer_id, limit=3)
        if not orders:
            dispatcher.utter_message(text="您最近没有交易订单。")
            return []
        lines = [_order_line(order, self.catalogue) for order in orders]
        dispatcher.utter_message(text="您最近的订单：\n" + "\n".join(lines))
        return []


def _order_line(order: Order, catalogue: Catalogue) -> str:
    arrival = f"，预计{order.expected_arrival:%m月%d日}到账" if order.expected_arrival else ""
    kind = _KIND_NAMES.get(order.kind, order.kind)
    status = _STATUS_NAMES.get(order.status, order.status)
    return (
        f"{order.created_at:%m月%d日} {kind}{_name(catalogue, order.product_code)} "
        f"{order.amount:,.2f}元，{status}{arrival}（订单号{order.order_id}）"
    )


class ActionSubmitChangeBankCard(_BackendAction, Action):
    """``action_submit_change_bank_card``: identity check (reserved phone on file), then the change."""

    def name(self) -> str:
        return "action_submit_change_bank_card"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list:
        reset = [SlotSet("new_bank_card", None), SlotSet("phone", None)]
        customer_id = self.customer(tracker)
        if customer_id is None:
            dispatcher.utter_message(response="utter_change_bank_card_submitted")
            return reset
        assert self.backend is not None
        customer = self.backend.get_customer(customer_id)
        phone = "".join(ch for ch in str(tracker.get_slot("phone") or "") if ch.isdigit())
        if customer is None or phone != customer.phone:
            dispatcher.utter_message(
                text="预留手机号与您账户登记的不一致，为保障资金安全，换卡需要人工核实身份，可以说“转人工”。"
            )
            return reset
        card_number = str(tracker.get_slot("new_bank_card") or "")
        try:
            card = self.backend.change_bank_card(
                customer_id, "新绑定银行卡", card_number, _request_id(tracker, "card", card_number)
            )
        except BackendError as exc:
            dispatcher.utter_message(text=exc.message)
            return reset
        dispatcher.utter_message(text=f"换卡申请已受理，新卡尾号{card.last4}，之后的赎回款将转入这张卡。")
        return reset
