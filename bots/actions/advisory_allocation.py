"""Asset allocation advice (资产配置): a percentage split over asset classes, never above the
customer's assessed risk level.

The rules are one small table and three adjustments, in this order:

1. ``BASE_SPLITS``: risk level (C1–C5) × horizon band (under 1 year, 1–3 years, over 3 years)
   → percentages of cash, bonds, mixed funds and equity. An asset class is only ever given to
   a customer whose level reaches the class's own risk level (``CLASS_RISK``), so the table
   never goes above the customer's risk level.
2. The level actually used can only go down: customers aged 65 or more (the suitability
   policy's ``elderly_age``) stay below its blocked level; an education fund that is needed
   soon, or retirement money of someone who is retired, is capped lower
   (``GOAL_LEVEL_CAPS``).
3. An emergency fund is cash whatever the risk level: it must be there the day it is needed.

No assessment, or an expired one, gives no personal advice: the customer is asked to assess
first and sees a generic conservative illustration (``ILLUSTRATION_LEVEL``), labelled as such.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from bots.actions.advisory import LEVEL_NAMES, ProfileProvider, customer_profile
from dialogue.sdk import Action, CollectingDispatcher, Tracker
from dialogue.sdk.types import DomainDict
from recommend.slots import parse_amount, parse_term_days
from risk_hooks.notices import RISK_NOTICE
from risk_hooks.profile import CustomerProfile
from risk_hooks.suitability import SuitabilityPolicy

__all__ = [
    "BASE_SPLITS",
    "CLASS_RISK",
    "ILLUSTRATION_LEVEL",
    "ActionAssetAllocation",
    "Allocation",
    "AssetClass",
    "Goal",
    "Horizon",
    "allocate",
    "horizon_for_days",
]


class AssetClass(StrEnum):
    CASH = "cash"
    BOND = "bond"
    MIXED = "mixed"
    EQUITY = "equity"


class Horizon(StrEnum):
    SHORT = "short"  # under 1 year, or money that may be needed any time
    MEDIUM = "medium"  # 1–3 years
    LONG = "long"  # over 3 years


class Goal(StrEnum):
    GENERAL = "general"
    EDUCATION = "education"
    RETIREMENT = "retirement"
    EMERGENCY = "emergency"


CLASS_LABELS = {
    AssetClass.CASH: "现金及货币类（活期、货币基金、现金管理类理财）",
    AssetClass.BOND: "债券及固收类（纯债基金、固收类理财）",
    AssetClass.MIXED: "混合类（偏债或平衡型混合基金）",
    AssetClass.EQUITY: "权益类（股票基金、指数基金）",
}
# the lowest product risk level of each class: a customer below it gets none of the class
CLASS_RISK = {AssetClass.CASH: 1, AssetClass.BOND: 2, AssetClass.MIXED: 3, AssetClass.EQUITY: 4}
HORIZON_LABELS = {Horizon.SHORT: "1年以内", Horizon.MEDIUM: "1到3年", Horizon.LONG: "3年以上"}

# percentages of (cash, bond, mixed, equity), each row sums to 100
BASE_SPLITS: dict[int, dict[Horizon, tuple[int, int, int, int]]] = {
    1: {Horizon.SHORT: (100, 0, 0, 0), Horizon.MEDIUM: (100, 0, 0, 0), Horizon.LONG: (100, 0, 0, 0)},
    2: {Horizon.SHORT: (50, 50, 0, 0), Horizon.MEDIUM: (30, 70, 0, 0), Horizon.LONG: (20, 80, 0, 0)},
    3: {Horizon.SHORT: (30, 60, 10, 0), Horizon.MEDIUM: (15, 60, 25, 0), Horizon.LONG: (10, 50, 40, 0)},
    4: {Horizon.SHORT: (25, 55, 10, 10), Horizon.MEDIUM: (10, 50, 20, 20), Horizon.LONG: (10, 35, 25, 30)},
    5: {Horizon.SHORT: (20, 50, 15, 15), Horizon.MEDIUM: (10, 40, 20, 30), Horizon.LONG: (5, 25, 25, 45)},
}
# the highest level a goal's money is invested at, per horizon (money needed soon takes less risk)
GOAL_LEVEL_CAPS: dict[Goal, dict[Horizon, int]] = {
    Goal.EDUCATION: {Horizon.SHORT: 2, Horizon.MEDIUM: 3, Horizon.LONG: 4},
    Goal.RETIREMENT: {Horizon.SHORT: 2, Horizon.MEDIUM: 3, Horizon.LONG: 5},
}
# horizon when the customer did not say: education 1–3 years, retirement long, emergency short
DEFAULT_HORIZONS = {
    Goal.GENERAL: Horizon.MEDIUM,
    Goal.EDUCATION: Horizon.MEDIUM,
    Goal.RETIREMENT: Horizon.LONG,
    Goal.EMERGENCY: Horizon.SHORT,
}
RETIRED_AGE = 60  # from this age retirement money is being spent: a short horizon
ILLUSTRATION_LEVEL = 2  # the generic example for customers without a valid assessment
GOAL_BY_INTENT = {
    "education_goal": Goal.EDUCATION,
    "retirement_planning": Goal.RETIREMENT,
    "emergency_fund": Goal.EMERGENCY,
}
_LIQUIDITY_WORDS = ("随时", "急用", "随取", "马上要用", "随时要用", "流动性")
_RETIREMENT_WORDS = ("养老", "退休")
_EDUCATION_WORDS = ("教育金", "学费", "上学", "留学", "上大学")


@dataclass(frozen=True)
class Allocation:
    """A split in percent per asset class, the level it was made for and why."""

    level: int  # the risk level the split was made at (never above the customer's)
    horizon: Horizon
    goal: Goal
    split: dict[AssetClass, int]
    reasons: tuple[str, ...]


def horizon_for_days(days: int | None, default: Horizon) -> Horizon:
    """The horizon band of a term in days (0: money needed any time), ``default`` when unknown."""
    if days is None:
        return default
    if days < 365:
        return Horizon.SHORT
    return Horizon.MEDIUM if days <= 3 * 365 else Horizon.LONG


def allocate(
    level: int,
    *,
    goal: Goal = Goal.GENERAL,
    horizon: Horizon | None = None,
    age: int | None = None,
    professional: bool = False,
    policy: SuitabilityPolicy | None = None,
) -> Allocation:
    """The split for a customer of risk ``level`` (1–5).

    Args:
        level: the assessed risk level (C1–C5).
        goal: what the money is for.
        horizon: how long it stays invested (the goal's default when None).
        age: the customer's age, for the elderly cap and retirement money already in use.
        professional: a professional investor, exempt from the elderly cap (as in suitability).
        policy: the suitability limits (elderly age and blocked level); the defaults if None.

    Returns:
        The allocation; its ``level`` is at most ``level``.
    """
    policy = policy or SuitabilityPolicy()
    level = max(1, min(5, int(level)))
    reasons: list[str] = []
    if goal is Goal.RETIREMENT and age is not None and age >= RETIRED_AGE:
        horizon = Horizon.SHORT
        reasons.append("您已到退休年龄，养老钱随时可能要用，以稳为主")
    horizon = horizon or DEFAULT_HORIZONS[goal]
    used = level
    if goal is Goal.EMERGENCY:
        reasons.append("应急资金要随用随取，只放现金及货币类，一般预留3到6个月的生活开支")
        return Allocation(level, Horizon.SHORT, goal, _split((100, 0, 0, 0)), tuple(reasons))
    if goal in GOAL_LEVEL_CAPS and GOAL_LEVEL_CAPS[goal][horizon] < used:
        used = GOAL_LEVEL_CAPS[goal][horizon]
        reasons.append(_GOAL_REASONS[goal])
    elderly_cap = policy.elderly_blocked_from_level - 1
    if not professional and age is not None and age >= policy.elderly_age and used > elderly_cap:
        used = elderly_cap
        reasons.append(
            f"为保护{policy.elderly_age}岁及以上投资者，不配置R{policy.elderly_blocked_from_level}及以上的权益类产品"
        )
    reasons.append(_horizon_reason(horizon, used))
    split = _split(BASE_SPLITS[used][horizon])
    return Allocation(used, horizon, goal, split, tuple(reasons))


_GOAL_REASONS = {
    Goal.EDUCATION: "教育金用款时间确定，离用款越近，权益比例越低",
    Goal.RETIREMENT: "养老钱离使用时间越近，越要控制波动",
}


def _horizon_reason(horizon: Horizon, level: int) -> str:
    """Why the horizon shapes the split, in words that fit what the level allows."""
    if level == 1:
        return "保守型只配置R1级的现金及货币类资产；想配置其他资产，需要重新测评且结果更高"
    if horizon is Horizon.SHORT:
        return "期限在1年以内，以流动性好、波动小的资产为主"
    if horizon is Horizon.MEDIUM:
        return "期限1到3年，以债券及固收类打底" + ("，少量配置波动较大的混合或权益类" if level >= 3 else "")
    if level >= 3:
        return "期限3年以上，有时间平滑波动，可以适当提高混合和权益类的比例"
    return "期限3年以上，可以多配一些债券及固收类，少留现金"


def _split(row: tuple[int, int, int, int]) -> dict[AssetClass, int]:
    return dict(zip(AssetClass, row, strict=True))


def allocation_lines(allocation: Allocation, amount: float | None = None) -> list[str]:
    """The split as bullet lines, largest share first, empty classes left out; with ``amount``
    (yuan) each line also says how much that is."""
    shares = sorted(((p, c) for c, p in allocation.split.items() if p > 0), key=lambda pc: -pc[0])
    return [f"· {CLASS_LABELS[c]}：{p}%{_yuan(amount * p / 100) if amount else ''}" for p, c in shares]


def _yuan(value: float) -> str:
    return f"（约{value / 10_000:g}万元）" if value >= 10_000 else f"（约{value:,.0f}元）"


class ActionAssetAllocation(Action):
    """``action_asset_allocation``: a split for the logged-in customer's risk level, horizon and goal.

    The goal comes from the intent (``education_goal``, ``retirement_planning``,
    ``emergency_fund``; ``asset_allocation`` is a general split, unless the message names a
    goal), the horizon from the ``term`` slot (money needed any time: short), the level and
    age from the backend profile (``profile_provider``), else from an assessment done in this
    conversation (slots ``risk_level`` + ``risk_assessment_valid_until``).
    """

    def __init__(
        self,
        profile_provider: ProfileProvider | None = None,
        today: Callable[[], dt.date] = dt.date.today,
        policy: SuitabilityPolicy | None = None,
    ) -> None:
        self.profile_provider = profile_provider
        self.today = today
        self.policy = policy or SuitabilityPolicy()

    def name(self) -> str:
        return "action_asset_allocation"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list:
        today = self.today()
        goal = _goal(tracker)
        profile = customer_profile(tracker, self.profile_provider)
        text = str(tracker.latest_message.get("text") or "")
        days = parse_term_days(tracker.get_slot("term"))
        if any(word in text for word in _LIQUIDITY_WORDS):
            days = 0
        horizon = horizon_for_days(days, DEFAULT_HORIZONS[goal]) if days is not None else None
        valid = profile.risk_level is not None and (
            profile.assessment_valid_until is None or profile.assessment_valid_until >= today
        )
        if goal is Goal.EMERGENCY:
            allocation = self._allocate(profile, profile.risk_level or 1, goal, None, today)
            dispatcher.utter_message(
                text=_emergency_text(allocation), json_message=_payload(allocation, False)
            )
            return []
        if not valid:
            allocation = self._allocate(profile, ILLUSTRATION_LEVEL, goal, horizon, today)
            dispatcher.utter_message(
                text=_illustration_text(profile, allocation, today),
                buttons=[{"title": "去做风险测评", "payload": "/start_risk_assessment"}],
                json_message=_payload(allocation, True),
            )
            return []
        allocation = self._allocate(profile, profile.risk_level or 1, goal, horizon, today)
        dispatcher.utter_message(
            text=_advice_text(
                int(profile.risk_level or 1), allocation, parse_amount(tracker.get_slot("amount"))
            ),
            json_message=_payload(allocation, False),
        )
        return []

    def _allocate(
        self, profile: CustomerProfile, level: int, goal: Goal, horizon: Horizon | None, today: dt.date
    ) -> Allocation:
        age, professional = profile.age(today), profile.is_professional
        return allocate(
            level, goal=goal, horizon=horizon, age=age, professional=professional, policy=self.policy
        )


def _goal(tracker: Tracker) -> Goal:
    intent = tracker.get_intent_of_latest_message()
    if intent in GOAL_BY_INTENT:
        return GOAL_BY_INTENT[str(intent)]
    text = str(tracker.latest_message.get("text") or "")
    if any(word in text for word in _RETIREMENT_WORDS):
        return Goal.RETIREMENT
    if any(word in text for word in _EDUCATION_WORDS):
        return Goal.EDUCATION
    return Goal.GENERAL


_GOAL_TITLES = {
    Goal.GENERAL: "资产配置",
    Goal.EDUCATION: "教育金",
    Goal.RETIREMENT: "养老",
    Goal.EMERGENCY: "应急资金",
}
_CLOSING = (
    "以上是大类资产的比例，不是具体产品；各类资产都会波动，实际收益可能为负，过往业绩不代表未来表现。"
    "需要具体产品时可以说“推荐产品”，我只会推荐不高于您风险等级的产品。"
)


def _advice_text(level: int, allocation: Allocation, amount: float | None = None) -> str:
    title = _GOAL_TITLES[allocation.goal]
    head = (
        f"按您的风险测评结果C{level}（{LEVEL_NAMES[level]}）和{HORIZON_LABELS[allocation.horizon]}的期限，"
        f"{title}可以参考这样的比例："
    )
    return "\n".join(
        [
            head,
            *allocation_lines(allocation, amount),
            "这样配的原因：" + "；".join(allocation.reasons) + "。",
            _CLOSING,
            RISK_NOTICE,
        ]
    )


def _illustration_text(profile: CustomerProfile, allocation: Allocation, today: dt.date) -> str:
    if profile.risk_level is not None and profile.assessment_valid_until is not None:
        status = f"您的风险测评已于{profile.assessment_valid_until:%Y年%m月%d日}过期"
    else:
        status = "您还没有有效的风险测评结果"
    head = (
        f"{status}，我暂时不能给您个性化的配置建议，建议先做风险测评（约3分钟）。"
        f"下面只是一个按{LEVEL_NAMES[allocation.level]}假设、{HORIZON_LABELS[allocation.horizon]}期限的通用保守示例，"
        "不针对您的情况："
    )
    return "\n".join([head, *allocation_lines(allocation), _CLOSING, RISK_NOTICE])


def _emergency_text(allocation: Allocation) -> str:
    return "\n".join(
        [
            "应急资金建议这样安排：",
            *allocation_lines(allocation),
            "原因：" + "；".join(allocation.reasons) + "。其余的钱再按您的风险等级和期限做配置。",
            RISK_NOTICE,
        ]
    )


def _payload(allocation: Allocation, illustration: bool) -> dict[str, Any]:
    return {
        "type": "asset_allocation",
        "illustration": illustration,
        "level": allocation.level,
        "horizon": allocation.horizon.value,
        "goal": allocation.goal.value,
        "split": {c.value: p for c, p in allocation.split.items()},
        "risk_notice": RISK_NOTICE,
    }
