from __future__ import annotations

import asyncio
import datetime as dt

import pytest

from dialogue import sdk
from recommend.actions import ACTIONS, ActionChurnAssessment, ActionRecommendProducts, ActionRecordFeedback
from recommend.service import build_service
from recommend.simulate import SimConfig
from risk_hooks.notices import RISK_NOTICE


@pytest.fixture(scope="module")
def service(products):
    start = dt.date.today() - dt.timedelta(days=60)
    return build_service(products, SimConfig(n_customers=1500, n_days=60, seed=9, start_date=start))


def _run(action, slots: dict, text: str = "", intent: str | None = None) -> list[dict]:
    latest = {"text": text, "intent_ranking": [{"name": intent}] if intent else []}
    tracker = sdk.Tracker.from_dict(
        {"sender_id": "用户1", "slots": slots, "latest_message": latest, "events": []}
    )
    dispatcher = sdk.CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker, {}))
    assert events == []
    return dispatcher.messages


def test_actions_are_listed_and_constructible_without_arguments() -> None:
    names = {cls().name() for cls in ACTIONS}
    assert names == {"action_recommend_products", "action_record_feedback", "action_churn_assessment"}


def test_recommend_action_lists_suitable_products_with_notice(service) -> None:
    action = ActionRecommendProducts(recommender=service.recommender)
    valid = (dt.date.today() + dt.timedelta(days=200)).isoformat()
    slots = {
        "risk_level": "稳健型",
        "amount": "5万",
        "term": "半年",
        "goal": "养老",
        "risk_assessment_valid_until": valid,
    }
    [message] = _run(action, slots)
    assert RISK_NOTICE in message["text"] and "推荐理由：" in message["text"]
    products = message["custom"]["products"]
    assert 0 < len(products) <= 3 and message["custom"]["risk_notice"] == RISK_NOTICE
    assert all(int(p["risk_level"][1]) <= 3 for p in products)
    assert all(p["explanation"]["sources"] for p in products)
    assert [b["payload"] for b in message["buttons"]][0].startswith("/ask_product")


@pytest.mark.parametrize(
    "slots",
    [{}, {"risk_level": "C4", "risk_assessment_valid_until": "2020-01-01"}],
    ids=["unknown_level", "expired"],
)
def test_recommend_action_asks_to_assess_first_and_names_no_product(service, slots) -> None:
    [message] = _run(ActionRecommendProducts(recommender=service.recommender), slots)
    assert "测评" in message["text"] and message["custom"]["type"] == "assess_first"
    assert not any(code in message["text"] for code in service.dataset.product_arrays.codes)


def test_recommend_action_uses_the_profile_provider_for_a_customer_id(service) -> None:
    row = next(
        i for i in range(len(service.dataset.customers))
        if service.dataset.customers.risk_level[i] == 2 and service.dataset.customers.valid_until_day[i] > 90
    )  # fmt: skip
    customer_id = str(service.dataset.customers.customer_id[row])
    action = ActionRecommendProducts(recommender=service.recommender, profile_provider=service.profile)
    [message] = _run(action, {"customer_id": customer_id, "risk_level": "C5"})  # the provider wins over slots
    assert "C2" in message["text"]
    assert all(int(p["risk_level"][1]) <= 2 for p in message["custom"]["products"])


def test_record_feedback_action_suppresses_the_product(service) -> None:
    rec = service.recommender
    valid = (dt.date.today() + dt.timedelta(days=200)).isoformat()
    slots = {"risk_level": "C3", "risk_assessment_valid_until": valid, "customer_id": "访客9"}
    first = _run(ActionRecommendProducts(recommender=rec), slots)[0]["custom"]["products"][0]["code"]
    [reply] = _run(
        ActionRecordFeedback(recommender=rec), slots | {"product_code": first}, text="这个不感兴趣"
    )
    assert "不再为您推荐" in reply["text"] and reply["custom"]["interested"] is False
    again = _run(ActionRecommendProducts(recommender=rec, n=10), slots)[0]["custom"]["products"]
    assert first not in [p["code"] for p in again]
    [liked] = _run(
        ActionRecordFeedback(recommender=rec), slots | {"product_code": first}, intent="interested"
    )
    assert liked["custom"]["interested"] is True
    [unknown] = _run(ActionRecordFeedback(recommender=rec), slots | {"product_code": "不存在"})
    assert "没有找到产品" in unknown["text"]


def test_churn_assessment_action_reports_score_reasons_and_channel(service) -> None:
    snapshot = service.churn_snapshot
    scores = service.churn_model.score(snapshot.values)
    row = max((i for i in range(len(scores)) if snapshot.active[i]), key=lambda i: scores[i])
    customer_id = str(service.dataset.customers.customer_id[row])
    [message] = _run(ActionChurnAssessment(churn_provider=service.churn), {"customer_id": customer_id})
    assert f"客户{customer_id}流失风险：" in message["text"] and "主要原因" in message["text"]
    assert message["custom"]["reasons"] and message["custom"]["channel"]
    [missing] = _run(ActionChurnAssessment(churn_provider=service.churn), {"customer_id": "不存在"})
    assert "未找到" in missing["text"]
