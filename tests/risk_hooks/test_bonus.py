"""Anti-bonus-hunting signals from message metadata."""

from __future__ import annotations

from risk_hooks.bonus import BonusHuntingConfig, BonusHuntingDetector
from risk_hooks.inbound import GuardConfig, InboundGuard
from risk_hooks.ratelimit import RateLimit


def _guard(clock, **bonus: object) -> InboundGuard:
    config = GuardConfig(sender_limit=RateLimit(1000, 6000), bonus=BonusHuntingConfig(**bonus))  # type: ignore[arg-type]
    return InboundGuard(config, clock=clock)


def test_bonus_many_accounts_on_one_device_warns(clock) -> None:
    result = _guard(clock).check("新人券怎么领", "u1", {"device_id": "d1", "accounts_per_device": 7})
    assert (result.decision, result.rule, result.category) == ("warn", "bonus_multi_account", "bonus_hunting")
    assert "7 accounts" in result.reason


def test_bonus_ordinary_metadata_allows(clock) -> None:
    result = _guard(clock).check("新人券怎么领", "u1", {"device_id": "d1", "accounts_per_device": 1})
    assert result.decision == "allow"


def test_bonus_coupon_only_warns(clock) -> None:
    assert _guard(clock).check("领券", "u1", {"coupon_only": True}).rule == "bonus_coupon_only"


def test_bonus_scripted_timing_from_arrivals(clock) -> None:
    guard = _guard(clock)
    decisions = []
    for _ in range(7):
        decisions.append(guard.check("领券", "bot-like", {}).decision)
        clock.advance(2.0)  # a metronome: exactly every two seconds
    assert decisions[:6] == ["allow"] * 6 and decisions[6] == "warn"
    assert "metronome" in guard.check("领券", "bot-like", {}).reason


def test_bonus_human_timing_is_not_flagged(clock) -> None:
    guard = _guard(clock)
    for gap in (3.1, 12.4, 5.0, 40.2, 7.7, 2.3, 18.0):
        assert guard.check("我想了解一下理财", "person", {}).decision == "allow"
        clock.advance(gap)


def test_bonus_client_measured_gaps_too_fast(clock) -> None:
    result = _guard(clock).check("领券", "u1", {"inter_message_ms": [200, 180, 210, 190, 205, 199]})
    assert result.rule == "bonus_scripted_timing" and "mean gap" in result.reason


def test_bonus_all_signals_together_block(clock) -> None:
    metadata = {"accounts_per_device": 12, "coupon_only": True, "inter_message_ms": [300] * 6}
    result = _guard(clock).check("领券", "u1", metadata)
    assert (result.decision, result.rule) == ("block", "bonus_combined")
    assert result.reply


def test_bonus_bad_metadata_values_are_ignored(clock) -> None:
    detector = BonusHuntingDetector()
    metadata = {
        "accounts_per_device": "many",
        "coupon_only": "yes",
        "inter_message_ms": ["x"],
        "sent_at": None,
    }
    assert detector.signals("u1", metadata, now=clock()) == []
