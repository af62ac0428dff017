"""AML / anti-fraud review flags over a customer's transactions."""

from __future__ import annotations

import datetime as dt

import pytest

from risk_hooks.aml import AmlConfig, Transaction, screen_transactions

T0 = dt.datetime(2026, 3, 2, 10, 0)


def _tx(
    n: int, kind: str, amount: float, days: float = 0, counterparty: str | None = None, customer: str = "c1"
):
    return Transaction(f"t{n}", customer, T0 + dt.timedelta(days=days), kind, amount, counterparty)


def test_aml_ordinary_activity_raises_nothing() -> None:
    history = [
        _tx(1, "purchase", 10_000, 0),
        _tx(2, "purchase", 20_000, 10),
        _tx(3, "redemption", 5_000, 60),
        _tx(4, "transfer_out", 3_000, 61, "mum"),
        _tx(5, "transfer_out", 80_000, 90, "mum"),  # large, but to a known beneficiary
    ]
    assert screen_transactions("c1", history) == []


def test_aml_structuring_just_under_threshold() -> None:
    history = [_tx(i, "deposit", amount, i) for i, amount in enumerate([49_000, 48_500, 49_900, 47_000])]
    history.append(_tx(9, "deposit", 49_000, 30))  # outside the seven-day window
    flags = screen_transactions("c1", history)
    assert [f.rule for f in flags] == ["structuring"]
    assert flags[0].transaction_ids == ("t0", "t1", "t2", "t3") and flags[0].severity == "high"
    assert "拆分" in flags[0].summary


def test_aml_structuring_needs_enough_transactions() -> None:
    history = [_tx(1, "deposit", 49_000, 0), _tx(2, "deposit", 49_000, 1), _tx(3, "deposit", 30_000, 2)]
    assert screen_transactions("c1", history) == []


def test_aml_rapid_in_out() -> None:
    history = [
        _tx(1, "purchase", 100_000, 0),
        _tx(2, "redemption", 60_000, 1),
        _tx(3, "transfer_out", 30_000, 2, "x"),
    ]
    flags = [f for f in screen_transactions("c1", history) if f.rule == "rapid_in_out"]
    assert len(flags) == 1 and flags[0].transaction_ids == ("t1", "t2", "t3")
    slow = [_tx(1, "purchase", 100_000, 0), _tx(2, "redemption", 90_000, 10)]
    assert screen_transactions("c1", slow) == []


def test_aml_large_transfer_to_new_beneficiary() -> None:
    history = [_tx(1, "transfer_out", 1_000, 0, "known"), _tx(2, "transfer_out", 200_000, 5, "stranger")]
    flags = screen_transactions("c1", history)
    assert [(f.rule, f.transaction_ids) for f in flags] == [("new_beneficiary_large_transfer", ("t2",))]


def test_aml_device_flags_and_config() -> None:
    flags = screen_transactions("c1", [], device_flags=["emulator", "dark_mode"])
    assert [(f.rule, f.summary) for f in flags] == [("device_risk", "设备风险标记：emulator")]
    history = [_tx(1, "transfer_out", 20_000, 0, "new")]
    assert screen_transactions("c1", history, config=AmlConfig(large_transfer=10_000))


def test_aml_ignores_other_customers() -> None:
    history = [_tx(i, "deposit", 49_000, i, customer="c2") for i in range(4)]
    assert screen_transactions("c1", history) == []


@pytest.mark.parametrize(
    ("kind", "amount"),
    [("gift", 10.0), ("purchase", 0.0), ("purchase", -5.0)],
    ids=["bad_kind", "zero", "negative"],
)
def test_aml_transaction_rejects_bad_values(kind: str, amount: float) -> None:
    with pytest.raises(ValueError, match="t1"):
        _tx(1, kind, amount)
