"""Dialogue actions: product recommendations, recommendation feedback, churn assessment.

Each action works with no arguments (the shipped :func:`recommend.service.default_service`,
built lazily on first run and cached) and takes injected services for tests and
deployments: ``recommender``, ``profile_provider`` (customer id → profile), ``churn_provider``.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Callable
from typing import Any

from dialogue.sdk import Action, CollectingDispatcher, DomainDict, Tracker
from recommend.churn import ChurnAssessment
from recommend.churn.touch import Channel
from recommend.engine import RecommendationResult, Recommender, Request
from recommend.slots import parse_amount, parse_date, parse_risk_level, parse_term_days
from risk_hooks.notices import RISK_NOTICE
from risk_hooks.profile import CustomerProfile

__all__ = [
    "ACTIONS",
    "ActionChurnAssessment",
    "ActionRecommendProducts",
    "ActionRecordFeedback",
    "profile_from_slots",
]

logger = logging.getLogger(__name__)
ProfileProvider = Callable[[str], CustomerProfile | None]
ChurnProvider = Callable[[str], ChurnAssessment | None]
_NEGATIVE = ("不感兴趣", "没兴趣", "不喜欢", "不要", "别推")


def profile_from_slots(tracker: Tracker) -> CustomerProfile:
    """A profile from the slots ``risk_level`` and ``risk_assessment_valid_until``.

    A risk level without an assessment date is what the customer said ("我是稳健型"), not an
    assessment: it counts as none, so the customer is asked to assess first.
    """
    valid_until = parse_date(tracker.get_slot("risk_assessment_valid_until"))
    return CustomerProfile(
        customer_id=str(tracker.get_slot("customer_id") or tracker.sender_id),
        risk_level=parse_risk_level(tracker.get_slot("risk_level")) if valid_until else None,
        assessment_valid_until=valid_until,
    )


class _Base(Action):
    def __init__(
        self,
        *,
        recommender: Recommender | None = None,
        profile_provider: ProfileProvider | None = None,
        today: Callable[[], dt.date] | None = None,
    ) -> None:
        self._recommender = recommender
        self.profile_provider = profile_provider
        self.today = today or dt.date.today

    @property
    def recommender(self) -> Recommender:
        """The injected recommender, or the shipped one (built on first use)."""
        if self._recommender is None:
            from recommend.service import default_service

            self._recommender = default_service().recommender
        return self._recommender

    def profile(self, tracker: Tracker) -> CustomerProfile:
        customer_id = tracker.get_slot("customer_id")
        if customer_id and self.profile_provider is not None:
            found = self.profile_provider(str(customer_id))
            if found is not None:
                return found
        return profile_from_slots(tracker)


class ActionRecommendProducts(_Base):
    """Up to ``n`` suitable products with explanations and the risk notice, or "assess first"."""

    def __init__(self, *, n: int = 3, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.n = n

    def name(self) -> str:
        """The action's name in the domain."""
        return "action_recommend_products"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict]:
        """Recommend from the slots ``risk_level``, ``amount``, ``term``, ``goal``, ``customer_id``."""
        profile = self.profile(tracker)
        request = Request(
            amount=parse_amount(tracker.get_slot("amount")),
            term_days=parse_term_days(tracker.get_slot("term")),
            goal=str(tracker.get_slot("goal")) if tracker.get_slot("goal") else None,
            n=self.n,
        )
        result = self.recommender.recommend(profile, request, self.today())
        if result.status == "assess_first":
            dispatcher.utter_message(
                text=f"{result.reason}完成后我再根据您的风险承受能力为您挑选合适的产品。",
                buttons=[{"title": "去做风险测评", "payload": "/start_risk_assessment"}],
                json_message={"type": "assess_first", "reason": result.reason},
            )
            return []
        if not result.items:
            dispatcher.utter_message(text=f"{result.reason or '暂时没有合适的产品。'}\n{RISK_NOTICE}")
            return []
        payload = _payload(result)
        # the audit trail: who was offered what, and why (no personal data beyond the id)
        logger.info(
            "recommendation %s",
            json.dumps({"customer_id": profile.customer_id, **payload}, ensure_ascii=False),
        )
        dispatcher.utter_message(
            text=_recommendation_text(profile, result),
            buttons=[
                {
                    "title": f"了解{item.product.name}",
                    "payload": f'/ask_product{{"product_code":"{item.product.code}"}}',
                }
                for item in result.items
            ],
            json_message=payload,
        )
        return []


def _recommendation_text(profile: CustomerProfile, result: RecommendationResult) -> str:
    lines = [f"根据您的风险承受能力C{profile.risk_level}和投资需求，为您挑选了以下产品："]
    for i, item in enumerate(result.items, 1):
        p = item.product
        term = "开放式" if p.term_days == 0 else f"期限{p.term_days}天"
        lines.append(f"{i}. {p.name}（{p.code}，{p.risk}，{p.type}，{term}，{p.min_amount:g}元起购）")
        lines.append(f"   {item.explanation.text()}")
    lines.append(RISK_NOTICE)
    return "\n".join(lines)


def _payload(result: RecommendationResult) -> dict[str, Any]:
    return {
        "type": "product_recommendations",
        "risk_notice": RISK_NOTICE,
        "products": [
            {
                "code": item.product.code,
                "name": item.product.name,
                "risk_level": item.product.risk,
                "score": round(item.score, 6),
                "explanation": item.explanation.to_dict(),
            }
            for item in result.items
        ],
    }


class ActionRecordFeedback(_Base):
    """Records "不感兴趣" / "感兴趣" for the product in slot ``product_code``."""

    def name(self) -> str:
        """The action's name in the domain."""
        return "action_record_feedback"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict]:
        """Negative when slot ``feedback``, the intent or the text says so (不感兴趣), else positive."""
        code = tracker.get_slot("product_code")
        if not code:
            dispatcher.utter_message(text="请问您指的是哪款产品呢？")
            return []
        said = " ".join(
            str(x or "")
            for x in (
                tracker.get_slot("feedback"),
                tracker.latest_message.get("text"),
                tracker.get_intent_of_latest_message(),
            )
        )
        interested = not (any(word in said for word in _NEGATIVE) or "not_interested" in said)
        profile = self.profile(tracker)
        if not self.recommender.feedback(profile, str(code), interested=interested, today=self.today()):
            dispatcher.utter_message(text=f"没有找到产品{code}，请确认产品代码。")
            return []
        days = self.recommender.feedback_store.config.product_days
        text = (
            "好的，已记录您对该产品的关注，后续会优先为您推荐相关产品。"
            if interested
            else f"好的，{days}天内不再为您推荐该产品，同类产品也会少推一些。"
        )
        dispatcher.utter_message(
            text=text, json_message={"type": "feedback", "product_code": code, "interested": interested}
        )
        return []


class ActionChurnAssessment(Action):
    """Churn score, reasons, win-back likelihood and channel for slot ``customer_id`` (staff bots)."""

    def __init__(self, *, churn_provider: ChurnProvider | None = None) -> None:
        self.churn_provider = churn_provider

    def name(self) -> str:
        """The action's name in the domain."""
        return "action_churn_assessment"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict]:
        """Reply with the assessment (text + custom payload) or say the customer is unknown."""
        customer_id = tracker.get_slot("customer_id")
        if not customer_id:
            dispatcher.utter_message(text="请提供要评估的客户编号。")
            return []
        if self.churn_provider is None:
            from recommend.service import default_service

            self.churn_provider = default_service().churn
        found = self.churn_provider(str(customer_id))
        if found is None:
            dispatcher.utter_message(text=f"未找到客户{customer_id}的流失评估（客户不存在或已流失）。")
            return []
        reasons = "；".join(found.reasons) or "无明显风险信号"
        text = (
            f"客户{customer_id}流失风险：{found.level}（{found.score:.0%}）。"
            f"主要原因：{reasons}。挽回可能性约{found.win_back:.0%}。"
        )
        if found.channel:
            text += f"建议触达渠道：{Channel(found.channel).label}（{found.channel_reason}）。"
        dispatcher.utter_message(
            text=text,
            json_message={
                "type": "churn_assessment", "customer_id": customer_id, "score": found.score,
                "level": found.level, "reasons": found.reasons, "win_back": found.win_back,
                "channel": found.channel,
            },
        )  # fmt: skip
        return []


ACTIONS = [ActionRecommendProducts, ActionRecordFeedback, ActionChurnAssessment]
