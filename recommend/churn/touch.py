"""The touch plan: which channel reaches a drifting customer, when, and how often at most.

Channel by value and reachability: a VIP (AUM ≥ ``vip_aum``) gets their human agent; a
customer still opening the app gets the in-app breakpoint robot; a reachable phone with
enough assets gets the outbound robot; otherwise SMS, and an H5 campaign when nothing else
reaches them. Frequency caps (per 7 and 30 days, a minimum gap) and quiet hours apply to
every channel; a touch that falls in quiet hours moves to the next allowed time.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

__all__ = ["Channel", "TouchPlan", "TouchPolicy", "choose_channel", "plan_touch"]


class Channel(StrEnum):
    """Touch channels; the value is what the consuming robot or adapter asks for."""

    VIP_AGENT = "vip_agent"
    BREAKPOINT_ROBOT = "breakpoint_robot"
    OUTBOUND_ROBOT = "outbound_robot"
    SMS = "sms"
    H5_CAMPAIGN = "h5_campaign"

    @property
    def label(self) -> str:
        """Chinese name for operators."""
        return _LABELS[self]


_LABELS = {
    Channel.VIP_AGENT: "专属客户经理",
    Channel.BREAKPOINT_ROBOT: "断点机器人",
    Channel.OUTBOUND_ROBOT: "外呼机器人",
    Channel.SMS: "短信",
    Channel.H5_CAMPAIGN: "H5活动",
}


@dataclass(frozen=True)
class TouchPolicy:
    """Thresholds, caps and quiet hours (local time, ``quiet_start`` ≤ h or h < ``quiet_end``)."""

    vip_aum: float = 1_000_000
    outbound_min_aum: float = 50_000
    app_recent_days: int = 14
    max_per_week: int = 2
    max_per_month: int = 4
    min_gap_hours: int = 48
    quiet_start: int = 21
    quiet_end: int = 9
    min_score: float = 0.3


@dataclass(frozen=True)
class TouchPlan:
    """Where and when to touch one customer."""

    channel: Channel
    scheduled_at: dt.datetime
    reason: str


def choose_channel(
    aum: float, phone_reachable: bool, app_reachable: bool, days_since_login: float, policy: TouchPolicy
) -> tuple[Channel, str]:
    """The channel and why (Chinese), by customer value and reachability."""
    if aum >= policy.vip_aum and phone_reachable:
        return Channel.VIP_AGENT, "高净值客户，由专属客户经理联系"
    if app_reachable and days_since_login <= policy.app_recent_days:
        return Channel.BREAKPOINT_ROBOT, "近期仍登录App，由断点机器人在App内触达"
    if phone_reachable and aum >= policy.outbound_min_aum:
        return Channel.OUTBOUND_ROBOT, "电话可达且资产达标，由外呼机器人回访"
    if phone_reachable:
        return Channel.SMS, "电话可达，发送短信关怀"
    return Channel.H5_CAMPAIGN, "其他渠道不可达，纳入H5活动投放"


def next_allowed_time(when: dt.datetime, policy: TouchPolicy) -> dt.datetime:
    """``when`` itself, or the end of the quiet hours it falls in."""
    hour = when.hour
    if policy.quiet_start <= hour:
        next_day = when.date() + dt.timedelta(days=1)
        return dt.datetime.combine(next_day, dt.time(policy.quiet_end), tzinfo=when.tzinfo)
    if hour < policy.quiet_end:
        return when.replace(hour=policy.quiet_end, minute=0, second=0, microsecond=0)
    return when


def plan_touch(
    *,
    aum: float,
    phone_reachable: bool,
    app_reachable: bool,
    days_since_login: float,
    previous: list[dt.datetime],
    now: dt.datetime,
    policy: TouchPolicy,
) -> TouchPlan | None:
    """The touch for one customer, or None when a frequency cap forbids one now.

    Args:
        aum: the customer's assets (yuan).
        phone_reachable: a callable phone number with consent.
        app_reachable: push/app messages allowed.
        days_since_login: days since the customer last opened the app.
        previous: when earlier touches were scheduled.
        now: the planning time.
        policy: caps, thresholds and quiet hours.
    """
    past = [t for t in previous if t <= now + dt.timedelta(days=30)]
    if sum(t > now - dt.timedelta(days=7) for t in past) >= policy.max_per_week:
        return None
    if sum(t > now - dt.timedelta(days=30) for t in past) >= policy.max_per_month:
        return None
    when = now
    if past:
        when = max(when, max(past) + dt.timedelta(hours=policy.min_gap_hours))
    channel, reason = choose_channel(aum, phone_reachable, app_reachable, days_since_login, policy)
    return TouchPlan(channel, next_allowed_time(when, policy), reason)
