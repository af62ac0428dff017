"""The service robot's redemption, order status and card change against the real demo backend.

Conversations run through the real ``MessageProcessor`` with the service robot's domain,
stories and rules, and its actions wired to a seeded SQLite backend; messages are intent
payloads so no NLU model is needed. The customer is logged in through message metadata.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from functools import cache
from pathlib import Path

import pytest

from bots.actions import bot_actions
from bots.actions.service import match_holding
from bots.agent import _slot_extractor, build_action_registry
from bots.services import PlatformServices
from dialogue.domain import Domain
from dialogue.events import BotUttered
from dialogue.nlg import NaturalLanguageGenerator
from dialogue.policies import PolicyEnsemble
from dialogue.policies.form_policy import FormPolicy
from dialogue.processor import MessageProcessor, UserMessage
from dialogue.stores import InMemoryLockStore, InMemoryTrackerStore
from dialogue.training import load_stories
from wealth_backend import SqlWealthBackend
from wealth_backend.seed import seed_demo

SERVICE = Path(__file__).resolve().parents[3] / "bots" / "service"
TODAY = dt.date(2026, 11, 25)


@cache
def _domain() -> Domain:
    return Domain.load(SERVICE / "domain.yml")


@cache
def _ensemble() -> PolicyEnsemble:
    ensemble = PolicyEnsemble.default(extra=[FormPolicy()])
    ensemble.train(load_stories([SERVICE / "data"]), _domain())
    return ensemble


@pytest.fixture
def backend(tmp_path: Path) -> SqlWealthBackend:
    backend = SqlWealthBackend(f"sqlite:///{tmp_path / 'wealth.db'}", today=lambda: TODAY)
    seed_demo(backend, count=40)
    return backend


class Customer:
    """A logged-in customer chatting with the service robot."""

    def __init__(self, backend: SqlWealthBackend, customer_id: str) -> None:
        services = PlatformServices(Path(backend.engine.url.database or ".").parent)
        services.__dict__["backend"] = backend  # the cached service, pointed at the test database
        domain = _domain()
        self.customer_id = customer_id
        self.processor = MessageProcessor(
            domain=domain,
            nlu=None,
            policies=_ensemble(),
            actions=build_action_registry(domain, bot_actions("service", services)),
            tracker_store=InMemoryTrackerStore(),
            lock_store=InMemoryLockStore(),
            nlg=NaturalLanguageGenerator(domain, deterministic=True),
            slot_extractor=_slot_extractor(None),
        )

    def say(self, intent: str, **entities: object) -> list[str]:
        text = f"/{intent}" + (json.dumps(entities, ensure_ascii=False) if entities else "")
        message = UserMessage(text, "s1", metadata={"customer_id": self.customer_id})
        return [r.text or "" for r in asyncio.run(self.processor.handle_message(message))]


def _open_ended_holding(backend: SqlWealthBackend) -> tuple[str, str]:
    for customer in backend.list_customers():
        for holding in backend.list_holdings(customer.customer_id):
            product = backend.catalogue.get(holding.product_code)
            if product is not None and product.term_days == 0 and product.fees.redemption:
                return customer.customer_id, product.name
    raise AssertionError("no open-ended holding with a redemption fee in the seed")


def test_redeem_previews_fee_and_arrival_then_places_one_order(backend: SqlWealthBackend) -> None:
    customer_id, name = _open_ended_holding(backend)
    customer = Customer(backend, customer_id)
    (confirm,) = customer.say("redeem", product=name, amount=1000)
    assert confirm.startswith(f"请确认：赎回{name}") and "赎回费" in confirm and "到账" in confirm
    (submitted,) = customer.say("affirm")
    assert submitted.startswith("赎回申请已提交，订单号R")
    orders = backend.list_orders(customer_id)
    assert len(orders) == 1 and orders[0].kind == "redeem" and orders[0].status == "accepted"
    (status,) = customer.say("order_status")
    assert orders[0].order_id in status and "已受理" in status


def test_redeem_of_a_product_not_held_lists_the_holdings(backend: SqlWealthBackend) -> None:
    customer_id, _ = _open_ended_holding(backend)
    customer = Customer(backend, customer_id)
    replies = customer.say("redeem", product="不存在的基金")
    assert replies[0].startswith("您没有持有“不存在的基金”")
    events = asyncio.run(customer.processor.tracker_store.retrieve("s1"))
    listed = next(e for e in events if isinstance(e, BotUttered) and e.text == replies[0])
    held = {backend.catalogue.get(h.product_code).name for h in backend.list_holdings(customer_id)}  # type: ignore[union-attr]
    assert {b["title"] for b in listed.data["buttons"]} == held
    assert replies[-1] == "请问您要赎回哪只产品？"


def test_redeem_over_the_holding_is_refused_and_asked_again(backend: SqlWealthBackend) -> None:
    customer_id, name = _open_ended_holding(backend)
    customer = Customer(backend, customer_id)
    replies = customer.say("redeem", product=name, amount=10**9)
    assert "超过持有份额" in replies[0]
    assert replies[-1] == "请问您要赎回多少金额？"
    assert backend.list_orders(customer_id) == []


def test_denied_redemption_places_no_order(backend: SqlWealthBackend) -> None:
    customer_id, name = _open_ended_holding(backend)
    customer = Customer(backend, customer_id)
    customer.say("redeem", product=name, amount=1000)
    assert customer.say("deny")[0].startswith("好的，已取消本次赎回")
    assert backend.list_orders(customer_id) == []


def test_change_bank_card_checks_the_reserved_phone(backend: SqlWealthBackend) -> None:
    customer = backend.list_customers(1)[0]
    chat = Customer(backend, customer.customer_id)
    chat.say("change_bank_card", bank_card="6222021234567890128")
    (refused,) = chat.say("inform", phone="13000000000") or [""]
    assert "不一致" in refused
    assert len(backend.list_bank_cards(customer.customer_id)) == 1
    chat.say("change_bank_card", bank_card="6222021234567890128")
    (done,) = chat.say("inform", phone=customer.phone)
    assert "新卡尾号0128" in done
    assert backend.list_bank_cards(customer.customer_id)[-1].last4 == "0128"


@pytest.mark.parametrize(
    ("said", "expected"),
    [("稳享A", "970001"), ("970001", "970001"), ("瑞丰稳享货币A", "970001"), ("货币A", "970001")],
    ids=["alias", "code", "name", "name-part"],
)
def test_match_holding_by_alias_code_and_name(backend: SqlWealthBackend, said: str, expected: str) -> None:
    from wealth_backend.models import Holding

    holdings = [
        Holding("C1", "970001", 10.0, 10.0, 10.0, TODAY),
        Holding("C1", "970101", 5.0, 5.0, 5.0, TODAY),
    ]
    assert [h.product_code for h in match_holding(said, holdings, backend.catalogue)] == [expected]


def test_redeem_of_a_product_in_its_closed_period_is_refused_at_once(backend: SqlWealthBackend) -> None:
    for customer in backend.list_customers():
        for holding in backend.list_holdings(customer.customer_id):
            product = backend.catalogue.get(holding.product_code)
            assert product is not None
            if product.term_days and (TODAY - holding.acquired_on).days < product.term_days:
                replies = Customer(backend, customer.customer_id).say(
                    "redeem", product=product.name, amount=1000
                )
                assert "封闭期" in replies[0] and replies[-1] == "请问您要赎回哪只产品？"
                assert backend.list_orders(customer.customer_id) == []
                return
    pytest.skip("no holding inside its closed period in this seed")
