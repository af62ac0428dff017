"""Anti-money-laundering and anti-fraud signals over a customer's transactions.

Each signal becomes a ``ReviewFlag`` for a human reviewer: never an automated decision, and
never an accusation to the customer.

- ``structuring``: at least ``structuring_min_count`` transactions within
  ``structuring_window_days`` each just under ``structuring_threshold`` (within
  ``structuring_margin`` of it): splitting an amount to stay below a reporting line;
- ``rapid_in_out``: a purchase (or deposit) followed within ``rapid_days`` by redemptions or
  transfers out of at least ``rapid_share`` of it;
- ``new_beneficiary_large_transfer``: a transfer out of at least ``large_transfer`` to a
  counterparty never seen before that transfer;
- ``device_risk``: risk flags the channel reports for the customer's device (emulator,
  rooted, recent SIM swap …).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

__all__ = ["AmlConfig", "ReviewFlag", "Transaction", "screen_transactions"]

INFLOWS = frozenset({"purchase", "deposit", "transfer_in"})
OUTFLOWS = frozenset({"redemption", "withdrawal", "transfer_out"})
TRANSACTION_KINDS = INFLOWS | OUTFLOWS


@dataclass(frozen=True)
class Transaction:
    """One movement of money.

    Attributes:
        id: the transaction's id in the source system.
        customer_id: whose.
        at: when.
        kind: purchase / redemption / deposit / withdrawal / transfer_in / transfer_out.
        amount: yuan, positive.
        counterparty: the other account or beneficiary (transfers).
        product_code: the product (purchases, redemptions).
    """

    id: str
    customer_id: str
    at: dt.datetime
    kind: str
    amount: float
    counterparty: str | None = None
    product_code: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in TRANSACTION_KINDS:
            raise ValueError(
                f"transaction {self.id}: kind {self.kind!r} is not one of {sorted(TRANSACTION_KINDS)}"
            )
        if not self.amount > 0:
            raise ValueError(f"transaction {self.id}: amount must be positive, got {self.amount!r}")


@dataclass(frozen=True)
class AmlConfig:
    """Thresholds of the signals (``aml:`` in a bot's ``risk.yml``)."""

    structuring_threshold: float = 50_000.0
    structuring_margin: float = 0.1
    structuring_min_count: int = 3
    structuring_window_days: int = 7
    rapid_days: int = 3
    rapid_share: float = 0.8
    large_transfer: float = 50_000.0
    device_flags: tuple[str, ...] = (
        "emulator",
        "rooted",
        "jailbroken",
        "sim_swap_recent",
        "proxy",
        "remote_control",
    )


@dataclass(frozen=True)
class ReviewFlag:
    """A pattern for a human to review.

    Attributes:
        customer_id: whose transactions.
        rule: which signal.
        severity: ``low`` / ``medium`` / ``high`` (how soon to look).
        summary: for the reviewer, in Chinese.
        transaction_ids: the evidence.
    """

    customer_id: str
    rule: str
    severity: str
    summary: str
    transaction_ids: tuple[str, ...] = ()


def screen_transactions(
    customer_id: str,
    transactions: Iterable[Transaction],
    *,
    device_flags: Iterable[str] = (),
    config: AmlConfig | None = None,
) -> list[ReviewFlag]:
    """All review flags for one customer (empty for ordinary activity).

    Args:
        customer_id: the customer screened; other customers' transactions are ignored.
        transactions: their transactions, in any order.
        device_flags: risk flags reported for their device.
        config: the thresholds.
    """
    config = config or AmlConfig()
    history = sorted((t for t in transactions if t.customer_id == customer_id), key=lambda t: t.at)
    flags = [*_structuring(customer_id, history, config), *_rapid_in_out(customer_id, history, config)]
    flags.extend(_new_beneficiary(customer_id, history, config))
    risky = sorted({f for f in device_flags if f in config.device_flags})
    if risky:
        flags.append(ReviewFlag(customer_id, "device_risk", "medium", f"设备风险标记：{'、'.join(risky)}"))
    return flags


def _structuring(customer_id: str, history: Sequence[Transaction], config: AmlConfig) -> list[ReviewFlag]:
    low = config.structuring_threshold * (1 - config.structuring_margin)
    near = [t for t in history if low <= t.amount < config.structuring_threshold]
    window = dt.timedelta(days=config.structuring_window_days)
    best: list[Transaction] = []
    for i, first in enumerate(near):
        group = [t for t in near[i:] if t.at - first.at <= window]
        if len(group) > len(best):
            best = group
    if len(best) < config.structuring_min_count:
        return []
    summary = (
        f"{config.structuring_window_days}天内{len(best)}笔交易金额均略低于"
        f"{config.structuring_threshold:,.0f}元，疑似拆分交易"
    )
    return [ReviewFlag(customer_id, "structuring", "high", summary, tuple(t.id for t in best))]


def _rapid_in_out(customer_id: str, history: Sequence[Transaction], config: AmlConfig) -> list[ReviewFlag]:
    flags = []
    window = dt.timedelta(days=config.rapid_days)
    for inflow in (t for t in history if t.kind in ("purchase", "deposit")):
        outs = [t for t in history if t.kind in OUTFLOWS and inflow.at <= t.at <= inflow.at + window]
        total = sum(t.amount for t in outs)
        if outs and total >= config.rapid_share * inflow.amount:
            summary = f"资金{inflow.amount:,.0f}元转入后{config.rapid_days}天内转出{total:,.0f}元，快进快出"
            ids = (inflow.id, *(t.id for t in outs))
            flags.append(ReviewFlag(customer_id, "rapid_in_out", "medium", summary, ids))
    return flags


def _new_beneficiary(customer_id: str, history: Sequence[Transaction], config: AmlConfig) -> list[ReviewFlag]:
    flags = []
    seen: set[str] = set()
    for t in history:
        if t.counterparty is None:
            continue
        if t.kind == "transfer_out" and t.amount >= config.large_transfer and t.counterparty not in seen:
            summary = f"向首次出现的收款方转出大额资金{t.amount:,.0f}元"
            flags.append(ReviewFlag(customer_id, "new_beneficiary_large_transfer", "high", summary, (t.id,)))
        seen.add(t.counterparty)
    return flags
