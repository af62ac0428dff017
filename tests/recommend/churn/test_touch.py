from __future__ import annotations

import datetime as dt

import pytest

from recommend.churn import Channel, TouchPolicy, choose_channel, plan_touch

POLICY = TouchPolicy()
NOON = dt.datetime(2026, 3, 2, 12, 0)


@pytest.mark.parametrize(
    ("aum", "phone", "app", "since", "channel"),
    [
        (2_000_000, True, True, 3, Channel.VIP_AGENT),
        (100_000, True, True, 3, Channel.BREAKPOINT_ROBOT),
        (100_000, True, True, 40, Channel.OUTBOUND_ROBOT),
        (10_000, True, False, 40, Channel.SMS),
        (10_000, False, False, 40, Channel.H5_CAMPAIGN),
    ],
    ids=["vip", "in_app", "outbound", "sms", "h5"],
)
def test_choose_channel_by_value_and_reachability(aum, phone, app, since, channel) -> None:
    chosen, why = choose_channel(aum, phone, app, since, POLICY)
    assert chosen == channel and why


def _plan(previous, now=NOON):
    return plan_touch(
        aum=100_000, phone_reachable=True, app_reachable=False, days_since_login=30,
        previous=previous, now=now, policy=POLICY,
    )  # fmt: skip


def test_plan_touch_moves_quiet_hours_to_the_morning() -> None:
    late = _plan([], dt.datetime(2026, 3, 2, 22, 30))
    early = _plan([], dt.datetime(2026, 3, 2, 6, 0))
    assert late.scheduled_at == dt.datetime(2026, 3, 3, 9, 0)
    assert early.scheduled_at == dt.datetime(2026, 3, 2, 9, 0)
    assert _plan([]).scheduled_at == NOON


def test_plan_touch_honours_frequency_caps_and_gap() -> None:
    assert _plan([NOON - dt.timedelta(days=1), NOON - dt.timedelta(days=3)]) is None  # 2 this week
    month = [NOON - dt.timedelta(days=d) for d in (8, 12, 18, 25)]
    assert _plan(month) is None  # 4 this month
    plan = _plan([NOON - dt.timedelta(hours=40)])
    assert plan.scheduled_at == NOON + dt.timedelta(hours=8)  # 48 h after the last touch (20:00)
    plan = _plan([NOON - dt.timedelta(hours=10)])
    assert plan.scheduled_at == dt.datetime(2026, 3, 4, 9, 0)  # 48 h later is 02:00: after quiet hours
