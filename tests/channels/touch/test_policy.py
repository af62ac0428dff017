from __future__ import annotations

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest

from channels.touch import FrequencyCap, TouchChannel, TouchConfigError, TouchPolicy


def local(day: int, hour: int, minute: int = 0) -> datetime:
    """November 2026, Shanghai time (2026-11-23 is a Monday)."""
    return datetime(2026, 11, day, hour, minute, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.mark.parametrize(
    ("hour", "minute", "quiet"),
    [
        (20, 59, False),
        (21, 0, True),
        (23, 30, True),
        (3, 0, True),
        (7, 59, True),
        (8, 0, False),
        (12, 0, False),
    ],
)
def test_policy_quiet_hours_span_midnight(hour: int, minute: int, quiet: bool) -> None:
    assert TouchPolicy().is_quiet(local(24, hour, minute)) is quiet


def test_policy_quiet_hours_use_the_customers_time_zone() -> None:
    # 14:00 UTC is 22:00 in Shanghai
    assert TouchPolicy().is_quiet(datetime(2026, 11, 24, 14, 0, tzinfo=UTC))
    assert not TouchPolicy(timezone="Europe/London").is_quiet(datetime(2026, 11, 24, 14, 0, tzinfo=UTC))


@pytest.mark.parametrize(
    ("moment", "allowed"),
    [(local(24, 22, 30), local(25, 8)), (local(25, 3), local(25, 8)), (local(25, 9), local(25, 9))],
    ids=["evening", "small-hours", "daytime"],
)
def test_policy_next_allowed_is_the_end_of_quiet_hours(moment: datetime, allowed: datetime) -> None:
    assert TouchPolicy().next_allowed(moment) == allowed


def test_policy_daytime_quiet_window() -> None:
    lunch = TouchPolicy(quiet_start=time(12, 0), quiet_end=time(13, 30))
    assert lunch.is_quiet(local(24, 12, 15)) and not lunch.is_quiet(local(24, 22))
    assert lunch.next_allowed(local(24, 12, 15)) == local(24, 13, 30)


def test_policy_windows_are_local_day_and_iso_week() -> None:
    (day_start, day_end), (week_start, week_end) = TouchPolicy().windows(local(26, 15))  # a Thursday
    assert (day_start, day_end) == (local(26, 0), local(27, 0))
    assert (week_start, week_end) == (local(23, 0), local(30, 0))


def test_policy_from_mapping_overrides_defaults() -> None:
    policy = TouchPolicy.from_mapping(
        {"caps": {"sms": {"per_day": 2}}, "quiet_hours": {"start": "22:00", "end": "07:30"}}
    )
    assert policy.cap(TouchChannel.SMS) == FrequencyCap(per_day=2)
    assert policy.cap(TouchChannel.PUSH).per_week == 5  # default kept
    assert policy.quiet_start == time(22, 0) and policy.quiet_end == time(7, 30)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"caps": {"fax": {"per_day": 1}}}, "caps.fax"),
        ({"caps": {"sms": {"per_day": -1}}}, "caps.sms"),
        ({"caps": {"sms": {"per_month": 1}}}, "caps.sms"),
        ({"quiet_hours": {"start": "9pm"}}, "quiet_hours.start must be HH:MM"),
        ({"timezone": "Mars/Base"}, "unknown time zone"),
        ({"quiet": {}}, "unknown key"),
    ],
    ids=["bad-channel", "negative-cap", "bad-period", "bad-time", "bad-zone", "unknown-key"],
)
def test_policy_from_mapping_rejects_bad_settings(data: dict, message: str) -> None:
    with pytest.raises(TouchConfigError, match=message):
        TouchPolicy.from_mapping(data)


def test_policy_refuses_naive_times() -> None:
    with pytest.raises(TouchConfigError, match="time-zone aware"):
        TouchPolicy().is_quiet(datetime(2026, 11, 24, 12))
