"""Token-bucket rate limits per sender and per device, on an injected clock."""

from __future__ import annotations

import pytest

from risk_hooks.inbound import GuardConfig, InboundGuard
from risk_hooks.ratelimit import RateLimit, RateLimiter


def test_ratelimiter_allows_a_burst_then_refuses(clock) -> None:
    limiter = RateLimiter(RateLimit(capacity=3, per_minute=6), clock)
    assert [limiter.allow("a") for _ in range(4)] == [True, True, True, False]
    assert limiter.allow("b")  # buckets are per key


def test_ratelimiter_refills_with_time(clock) -> None:
    limiter = RateLimiter(RateLimit(capacity=2, per_minute=6), clock)  # one token per 10 s
    assert limiter.allow("a") and limiter.allow("a") and not limiter.allow("a")
    clock.advance(9.9)
    assert not limiter.allow("a")
    clock.advance(0.2)
    assert limiter.allow("a")
    clock.advance(3600)
    assert [limiter.allow("a") for _ in range(3)] == [True, True, False]  # never above capacity


def test_ratelimiter_forgets_least_recent_keys(clock) -> None:
    limiter = RateLimiter(RateLimit(capacity=1, per_minute=1), clock, max_keys=2)
    assert limiter.allow("a") and limiter.allow("b") and limiter.allow("c")
    assert limiter.allow("a")  # "a" was evicted, so it starts with a full bucket again


def test_ratelimit_rejects_nonsense() -> None:
    with pytest.raises(ValueError, match="capacity"):
        RateLimit(capacity=0, per_minute=1)


def test_guard_blocks_sender_over_limit(clock) -> None:
    guard = InboundGuard(GuardConfig(sender_limit=RateLimit(capacity=2, per_minute=60)), clock=clock)
    decisions = [guard.check("你好", "u1").decision for _ in range(3)]
    assert decisions == ["allow", "allow", "block"]
    limited = guard.check("你好", "u1")
    assert limited.rule == "rate_limit_sender" and limited.reply and "频繁" in limited.reply
    assert guard.check("你好", "u2").decision == "allow"
    clock.advance(1.0)
    assert guard.check("你好", "u1").decision == "allow"


def test_guard_blocks_device_over_limit_across_senders(clock) -> None:
    config = GuardConfig(device_limit=RateLimit(capacity=3, per_minute=1))
    guard = InboundGuard(config, clock=clock)
    results = [guard.check("你好", f"user{i}", {"device_id": "dev-1"}) for i in range(4)]
    assert [r.decision for r in results] == ["allow", "allow", "allow", "block"]
    assert results[-1].rule == "rate_limit_device"
    assert guard.check("你好", "user9", {"device_id": "dev-2"}).decision == "allow"
