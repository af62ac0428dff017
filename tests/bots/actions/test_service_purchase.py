"""The service robot's purchase hand-over (suitability first, payment only in the app) and fee answers.

Actions run against a seeded SQLite demo backend; their replies also go through the outbound
compliance filter, which must let them pass unchanged.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from bots.actions.service_purchase import (
    PURCHASE_URL,
    ActionAnswerFee,
    ActionPurchaseHandover,
    ValidatePurchaseForm,
    match_products,
)
from dialogue.sdk import CollectingDispatcher, Tracker
from knowledge.catalogue import load_catalogue
from risk_hooks.audit import AuditTrail
from risk_hooks.notices import RISK_NOTICE
from risk_hooks.outbound import OutboundFilter
from wealth_backend import SqlWealthBackend
from wealth_backend.seed import seed_demo

TODAY = dt.date(2026, 11, 25)
CATALOGUE = load_catalogue()


@pytest.fixture(scope="module")
def backend(tmp_path_factory: pytest.TempPathFactory) -> SqlWealthBackend:
    path = tmp_path_factory.mktemp("purchase") / "wealth.db"
    backend = SqlWealthBackend(f"sqlite:///{path}", today=lambda: TODAY)
    seed_demo(backend, count=40)
    return backend


def _tracker(slots: dict[str, Any], text: str = "", **latest: Any) -> Tracker:
    loop = latest.pop("active_loop", {})
    message = {"text": text, "intent": {"name": latest.pop("intent", "purchase")}, **latest}
    return Tracker("s1", slots, message, [], False, None, loop, None)


def _run(action: Any, tracker: Tracker) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker, {}))
    return dispatcher.messages, events


def _compliant(text: str) -> None:
    names = [n for p in CATALOGUE for n in (p.name, p.code, *p.aliases)]
    result = OutboundFilter(names).check(text)
    assert result.action == "allow", (result.reason, text)


def _customer(backend: SqlWealthBackend, test: Any) -> str:
    """The first seeded customer for whom ``test(customer, profile)`` holds."""
    for customer in backend.list_customers():
        profile = backend.get_profile(customer.customer_id)
        if profile is not None and test(customer, profile):
            return customer.customer_id
    raise AssertionError("no such customer in the seed")


def _handover(backend: SqlWealthBackend, tmp_path: Path) -> ActionPurchaseHandover:
    return ActionPurchaseHandover(
        backend, CATALOGUE, audit=AuditTrail(path=tmp_path / "audit.db"), today=lambda: TODAY
    )


def test_purchase_of_a_suitable_product_hands_over_to_the_app(
    backend: SqlWealthBackend, tmp_path: Path
) -> None:
    customer_id = _customer(
        backend,
        lambda c, p: c.risk_level == 4 and p.age(TODAY) < 60 and c.assessment_valid_until > TODAY,
    )
    action = _handover(backend, tmp_path)
    slots = {"customer_id": customer_id, "product_code": "972001", "product": "瑞丰成长混合A"}
    (message,), events = _run(action, _tracker(slots))
    assert "瑞丰成长混合A（972001）" in message["text"] and "R4" in message["text"]
    assert RISK_NOTICE in message["text"] and "不会收取任何款项" in message["text"]
    assert message["buttons"] == [{"title": "去App申购", "payload": f"{PURCHASE_URL}?code=972001"}]
    assert message["custom"]["type"] == "purchase_handover"
    assert {e["name"] for e in events} == {"product", "product_code", "amount"}
    _compliant(message["text"])
    records = action.audit.query()  # type: ignore[union-attr]
    assert [(r.hook, r.decision) for r in records] == [("suitability", "allow")]


@pytest.mark.parametrize(
    ("who", "code", "rule_words"),
    [
        (lambda c, p: c.risk_level is None, "972001", "还没有完成风险测评"),
        (
            lambda c, p: c.assessment_valid_until is not None and c.assessment_valid_until < TODAY,
            "970001",
            "过期",
        ),
        (
            lambda c, p: c.risk_level == 1 and c.assessment_valid_until > TODAY,
            "972001",
            "高于您的风险承受能力",
        ),
        (
            lambda c, p: (
                (c.risk_level or 0) >= 4
                and c.assessment_valid_until > TODAY
                and (p.age(TODAY) or 0) >= 70
                and not c.is_professional
            ),
            "972001",
            "岁及以上投资者",
        ),
    ],
    ids=["no-assessment", "expired", "risk-above", "elderly"],
)
def test_purchase_blocked_by_suitability_never_offers_the_product(
    backend: SqlWealthBackend, tmp_path: Path, who: Any, code: str, rule_words: str
) -> None:
    customer_id = _customer(backend, who)
    action = _handover(backend, tmp_path)
    product = CATALOGUE.get(code)
    assert product is not None
    (message,), _ = _run(action, _tracker({"customer_id": customer_id, "product_code": code}))
    assert message["text"].startswith(f"抱歉，暂时不能为您办理{product.name}的申购")
    assert rule_words in message["text"] and RISK_NOTICE in message["text"]
    assert not any(PURCHASE_URL in b["payload"] for b in message["buttons"])
    if "岁" not in rule_words:
        assert "风险测评" in message["text"]
    _compliant(message["text"])
    assert action.audit.query()[-1].decision == "block"  # type: ignore[union-attr]


def test_purchase_amount_goes_into_the_link_and_below_minimum_is_refused(
    backend: SqlWealthBackend, tmp_path: Path
) -> None:
    customer_id = _customer(backend, lambda c, p: c.risk_level == 3 and c.assessment_valid_until > TODAY)
    action = _handover(backend, tmp_path)
    slots = {"customer_id": customer_id, "product_code": "LC23A365", "amount": 20000.0}
    (message,), _ = _run(action, _tracker(slots))
    assert message["buttons"][0]["payload"] == f"{PURCHASE_URL}?code=LC23A365&amount=20000"
    (low,), _ = _run(action, _tracker(slots | {"amount": 500.0}))
    assert "起购金额" in low["text"] and not low["buttons"]


@pytest.mark.parametrize(
    ("slots", "expected"),
    [
        ({"product_code": "972001"}, "utter_purchase_guide"),  # nobody logged in: guidance only
        ({"customer_id": "C10001", "product_code": "973401"}, "封闭期"),  # closed product
        ({"customer_id": "C10001", "product_code": "974801"}, "暂停申购"),  # suspended product
    ],
    ids=["anonymous", "closed", "suspended"],
)
def test_purchase_without_customer_or_on_a_product_not_on_sale(
    backend: SqlWealthBackend, tmp_path: Path, slots: dict[str, Any], expected: str
) -> None:
    (message,), _ = _run(_handover(backend, tmp_path), _tracker(slots))
    assert expected in (message.get("text") or message.get("response") or "")
    assert not message.get("buttons")


@pytest.mark.parametrize(
    ("said", "codes"),
    [
        ("瑞丰成长混合A", ["972001"]),
        ("我想买点瑞丰成长", ["972001"]),
        ("972001", ["972001"]),
        ("科技创新", ["973001"]),
        ("沪深300", ["974001", "974002"]),
        ("随便什么", []),
    ],
    ids=["name", "alias-in-sentence", "code", "alias", "ambiguous", "unknown"],
)
def test_match_products_by_name_alias_and_code(said: str, codes: list[str]) -> None:
    assert sorted(p.code for p in match_products(said, CATALOGUE)) == codes


def test_validate_purchase_form_keeps_the_catalogue_name_and_the_amount(backend: SqlWealthBackend) -> None:
    validator = ValidatePurchaseForm(backend, CATALOGUE)
    tracker = _tracker({}, entities=[{"entity": "amount", "value": 5000.0}])
    dispatcher = CollectingDispatcher()
    accepted = validator.validate_product("瑞丰成长", dispatcher, tracker, {})
    assert accepted == {"product": "瑞丰成长混合A", "product_code": "972001", "amount": 5000.0}
    refused = validator.validate_product("沪深300", dispatcher, tracker, {})
    assert refused == {"product": None}
    assert {b["title"] for b in dispatcher.messages[0]["buttons"]} == {"瑞丰沪深300指数A", "瑞丰沪深300指数C"}


@pytest.mark.parametrize(
    ("intent", "text", "entities", "slots", "expected"),
    [
        (
            "redemption_fee",
            "瑞丰成长混合A的赎回费是多少",
            [{"entity": "product", "value": "瑞丰成长混合A"}],
            {},
            "持有不满7天1.50%",
        ),
        (
            "purchase_fee",
            "泰和可转债申购费多少",
            [{"entity": "product", "value": "泰和可转债"}],
            {},
            "申购费率0.60%",
        ),
        ("redemption_fee", "赎回费多少", [], {"product": "泰和可转债"}, "泰和可转债赎回费"),
        ("redemption_fee", "赎回费多少", [], {}, "utter_redemption_fee"),
        ("redemption_fee", "它的赎回费是多少", [], {"product": "瑞丰成长混合A"}, "瑞丰成长混合A赎回费"),
        ("purchase_fee", "申购费怎么算", [], {}, "utter_purchase_fee"),
    ],
    ids=[
        "redemption-named",
        "purchase-named",
        "in-redeem-form",
        "redemption-generic",
        "refers-back",
        "purchase-generic",
    ],
)
def test_fee_answers_from_the_catalogue_when_a_product_is_known(
    intent: str, text: str, entities: list[dict[str, Any]], slots: dict[str, Any], expected: str
) -> None:
    loop = {"name": "redeem_form"} if slots and "它" not in text else {}
    tracker = _tracker(slots, text, intent=intent, entities=entities, active_loop=loop)
    (message,), _ = _run(ActionAnswerFee(), tracker)
    said = message.get("text") or message.get("response") or ""
    assert expected in said
    if message.get("text"):
        assert RISK_NOTICE in said
        _compliant(said)


def test_purchase_is_not_handed_over_when_the_suitability_audit_fails(
    backend: SqlWealthBackend, tmp_path: Path
) -> None:
    class BrokenAudit:
        def append(self, record: Any) -> None:
            raise OSError("disk full")

    action = ActionPurchaseHandover(backend, CATALOGUE, audit=BrokenAudit(), today=lambda: TODAY)  # type: ignore[arg-type]
    (message,), _ = _run(action, _tracker({"customer_id": "C10001", "product_code": "970001"}))
    assert "暂时无法记录" in message["text"] and not message["buttons"]
