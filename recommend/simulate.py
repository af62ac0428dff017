"""A seeded customer-behaviour simulator: customers, latent interest, daily events and churn.

No real data exists, so the recommender and the churn model train and are evaluated on a
simulated population whose logs follow :mod:`recommend.schema` exactly; real logs in the
same schema load through :mod:`recommend.loaders` and replace it unchanged.

How a population is drawn (all from one ``numpy.random.default_rng(seed)``):

* **Customers.** Risk level C1–C5 (weights 15/30/30/17/8 %); ``missing_rate`` have never
  been assessed (level 0), ``expired_rate`` hold an assessment that expired before day 0 and
  ``expiring_rate`` one that expires during the window. Age 22–80, AUM log-normal (higher
  for older customers), preferred amount, preferred term (0/90/180/365 days), 1–2 preferred
  asset classes (cautious levels prefer 现金/固收, bold ones 权益/混合), the annual return they
  expect (grows with the level) and reachability by phone / app push. ``new_rate`` sign up
  during the window (cold start); everyone else signed up before day 0.
* **Latent interest.** A taste vector ``z`` (8 factors) per customer and ``v`` per product,
  a per-customer interest over asset classes, a product quality ``q`` and a product's recent
  annual return ``r`` (by asset class). Affinity(c, p) = z·v + log interest(asset) + q/2 −
  term mismatch − risk distance.
* **Days.** A customer logs in with a personal daily probability (≈ 0.1). Each login shows
  4 products (2 from the platform's popularity feed, 2 the customer searched for, drawn
  from their affinity): ``view`` events. A view is clicked with sigmoid(affinity − 2.5);
  a click converts with sigmoid(affinity − 3.0) **only when suitable** (risk level ≤ the
  customer's, assessment valid that day, preferred amount ≥ the minimum), so the logs never
  hold an unsuitable sale. Term products are redeemed at maturity; open-ended holdings
  are redeemed at a small daily rate. Complaints arrive at a rate driven by dissatisfaction.
* **Churn.** Dissatisfaction grows with the gap between expected and obtained return and
  a random temper; churn propensity = sigmoid(−2.4 + 1.6·dissatisfaction + …). A churner
  starts drifting on an onset day: logins decay (half-life ≈ 7 days), redemptions and
  complaints multiply, and 14–50 days later they redeem everything (``churn`` event) and
  never return.
* **Scale.** 100,000 customers × 1,000 products × 60 days runs in well under a minute;
  :func:`synthesize_products` draws extra products from the catalogue's distribution.

Days before 0 hold the holdings customers brought into the window (``purchase`` events).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

import numpy as np

from knowledge.catalogue import Product
from recommend.schema import (
    ASSET_CLASSES,
    MISSING_DAY,
    Customers,
    Dataset,
    EventKind,
    Events,
    ProductArrays,
)

__all__ = ["SimConfig", "simulate", "synthesize_products"]

_K = 8
_NEVER = 10**7
# typical annual return by asset class (现金 固收 混合 权益 另类 保障 other)
_ASSET_RETURN = np.array([0.018, 0.032, 0.05, 0.07, 0.04, 0.025, 0.03])
_ASSET_TASTE = {  # asset-class interest weights for a customer at each risk level
    1: (5, 4, 0.5, 0.2, 0.2, 1.5),
    2: (3, 5, 1.5, 0.5, 0.5, 1.5),
    3: (1.5, 4, 3, 2, 1, 1),
    4: (1, 2, 3, 4, 1.5, 0.5),
    5: (0.5, 1, 3, 5, 2, 0.5),
}


@dataclass(frozen=True)
class SimConfig:
    """Population size and rates; every default is what the tests and benchmarks assume."""

    n_customers: int = 2000
    n_days: int = 60
    seed: int = 7
    start_date: dt.date = dt.date(2026, 1, 1)
    missing_rate: float = 0.06
    expired_rate: float = 0.08
    expiring_rate: float = 0.04
    new_rate: float = 0.08
    login_rate: float = 0.1
    views_per_login: int = 4


def synthesize_products(base: list[Product], n: int, seed: int = 0) -> list[Product]:
    """``n`` products drawn from ``base``'s distribution (``base`` first, then copies with jitter).

    Args:
        base: the catalogue's products (at least one).
        n: how many products to return in all.
        seed: random seed.

    Returns:
        ``base`` followed by ``n - len(base)`` synthetic products ``SYN00001``….
    """
    if not base:
        raise ValueError("synthesize_products needs at least one base product")
    rng = np.random.default_rng(seed)
    out = list(base[:n])
    for i in range(len(out), n):
        template = base[int(rng.integers(len(base)))]
        term = template.term_days
        if term:
            term = int(max(7, round(term * rng.choice([0.5, 1.0, 1.0, 2.0]))))
        launch = dt.date(2025, 1, 1) + dt.timedelta(days=int(rng.integers(0, 420)))
        out.append(
            dataclasses.replace(
                template,
                code=f"SYN{i:05d}",
                name=f"{template.name}（{i}期）",
                term_days=term,
                launch_date=launch,
                aliases=(),
                nav_history=(),
            )
        )
    return out


def simulate(products: list[Product], config: SimConfig | None = None) -> Dataset:
    """Draw a population and its event log.

    Args:
        products: the products customers can see and buy (the catalogue, maybe synthesized).
        config: sizes, rates and seed.

    Returns:
        A :class:`Dataset`; ``truth`` holds the latents (``churn_day``, ``onset``,
        ``dissatisfaction``, ``taste``, ``product_factors``, ``quality``).
    """
    config = config or SimConfig()
    if not products:
        raise ValueError("simulate needs at least one product")
    rng = np.random.default_rng(config.seed)
    arrays = ProductArrays.build(products, config.start_date)
    latents = _product_latents(rng, arrays)
    arrays.recent_return = latents["return"]
    customers, hidden = _draw_customers(rng, config, arrays)
    log = _EventLog()
    holdings = _initial_holdings(rng, customers, hidden, arrays, latents, log)
    _run_days(rng, config, customers, hidden, arrays, latents, holdings, log)
    truth = {**hidden, "quality": latents["quality"], "product_factors": latents["factors"]}
    return Dataset(config.start_date, config.n_days, customers, products, log.build(), arrays, truth)


def _product_latents(rng: np.random.Generator, arrays: ProductArrays) -> dict[str, np.ndarray]:
    n = len(arrays.codes)
    base = _ASSET_RETURN[np.minimum(arrays.asset, len(_ASSET_RETURN) - 1)]
    spread = 0.004 + 0.01 * arrays.risk
    return {
        "factors": rng.normal(0, 1 / np.sqrt(_K), (n, _K)).astype(np.float32),
        "quality": rng.normal(0, 1, n),
        "return": base + rng.normal(0, 1, n) * spread,
    }


def _draw_customers(
    rng: np.random.Generator, config: SimConfig, arrays: ProductArrays
) -> tuple[Customers, dict[str, np.ndarray]]:
    n, days = config.n_customers, config.n_days
    level = rng.choice([1, 2, 3, 4, 5], size=n, p=[0.15, 0.30, 0.30, 0.17, 0.08]).astype(np.int8)
    roll = rng.random(n)
    valid = days + rng.integers(30, 720, n)
    cut1, cut2 = config.missing_rate, config.missing_rate + config.expired_rate
    valid = np.where(roll < cut2, -rng.integers(1, 400, n), valid)
    valid = np.where((roll >= cut2) & (roll < cut2 + config.expiring_rate), rng.integers(0, days, n), valid)
    valid = np.where(roll < cut1, MISSING_DAY, valid).astype(np.int32)
    shown_level = np.where(roll < cut1, 0, level).astype(np.int8)
    age = rng.integers(22, 81, n).astype(np.int16)
    aum = np.round(np.exp(rng.normal(10.5 + 0.02 * (age - 22), 1.2, n)), 2)
    taste = np.stack([rng.dirichlet(_ASSET_TASTE[int(lv)]) for lv in level])
    top = np.argsort(-taste, axis=1)
    pref_mask = (1 << top[:, 0]) | np.where(rng.random(n) < 0.5, 1 << top[:, 1], 0)
    expected = 0.015 + 0.01 * level + rng.gamma(2.0, 0.006, n)
    temper = rng.normal(0, 1, n)
    dissat = temper + 40 * (expected - (0.02 + 0.01 * level))
    propensity = 1 / (1 + np.exp(-(-2.4 + 1.0 * dissat - 0.01 * (age - 40))))
    churner = rng.random(n) < propensity
    onset = np.where(churner, rng.integers(-20, days, n), _NEVER)
    churn_day = np.where(churner, onset + rng.integers(14, 51, n), _NEVER)
    signup = np.where(rng.random(n) < config.new_rate, rng.integers(0, days, n), -rng.integers(30, 2000, n))
    customers = Customers(
        customer_id=np.array([f"C{i:06d}" for i in range(n)], dtype=object),
        risk_level=shown_level,
        valid_until_day=valid,
        age=age,
        aum=aum,
        pref_amount=np.round(np.clip(aum * rng.uniform(0.05, 0.3, n), 1000, None), -2),
        pref_term_days=rng.choice([0, 90, 180, 365], size=n, p=[0.4, 0.2, 0.2, 0.2]).astype(np.int32),
        pref_assets=pref_mask.astype(np.uint8),
        expected_return=np.round(expected, 4),
        signup_day=signup.astype(np.int32),
        phone_reachable=rng.random(n) < 0.85,
        app_reachable=rng.random(n) < 0.7,
    )
    hidden = {
        "level": level,
        "taste": taste,
        "z": rng.normal(0, 1, (n, _K)).astype(np.float32),
        "login_rate": np.clip(rng.beta(2, 18, n) * config.login_rate / 0.1, 0.005, 0.6),
        "dissatisfaction": dissat,
        "onset": onset,
        "churn_day": churn_day,
    }
    return customers, hidden


def _affinity(
    rows: np.ndarray,
    customers: Customers,
    hidden: dict[str, np.ndarray],
    arrays: ProductArrays,
    latents: dict,
) -> np.ndarray:
    """Affinity of customers ``rows`` to every product (len(rows) × n_products)."""
    aff = hidden["z"][rows] @ latents["factors"].T
    taste = np.log(hidden["taste"][rows] * len(ASSET_CLASSES) + 1e-3)
    asset = np.minimum(arrays.asset, len(ASSET_CLASSES) - 1)
    aff += taste[:, asset]
    aff += 0.5 * latents["quality"][None, :]
    pref_term = customers.pref_term_days[rows][:, None]
    aff -= 0.4 * np.abs(np.log((arrays.term_days[None, :] + 30) / (pref_term + 30)))
    aff -= 0.3 * np.abs(arrays.risk[None, :] - hidden["level"][rows][:, None])
    return aff


class _EventLog:
    def __init__(self) -> None:
        self.parts: list[tuple[np.ndarray, ...]] = []
        self.singles: list[tuple[int, int, int, int, float]] = []

    def add_one(self, day: int, cust: int, prod: int, kind: int, amount: float = 0.0) -> None:
        self.singles.append((day, cust, prod, kind, amount))

    def add(
        self, day: np.ndarray | int, cust: np.ndarray, prod: np.ndarray | int, kind: int, amount=0.0
    ) -> None:
        n = len(cust)
        if n == 0:
            return
        self.parts.append(
            (
                np.broadcast_to(np.asarray(day, dtype=np.int32), n),
                np.asarray(cust, dtype=np.int32),
                np.broadcast_to(np.asarray(prod, dtype=np.int32), n),
                np.full(n, kind, dtype=np.int8),
                np.broadcast_to(np.asarray(amount, dtype=np.float32), n),
            )
        )

    def build(self) -> Events:
        if self.singles:
            day, cust, prod, kind, amount = (np.array(col) for col in zip(*self.singles, strict=True))
            self.parts.append((day.astype(np.int32), cust, prod, kind, amount))
        dtypes = (np.int32, np.int32, np.int32, np.int8, np.float32)
        cols = [
            np.concatenate([np.asarray(p[i], dtype=dtypes[i]) for p in self.parts])
            if self.parts
            else np.zeros(0, dtype=dtypes[i])
            for i in range(5)
        ]
        order = np.argsort(cols[0], kind="stable")
        return Events(*(np.asarray(c)[order] for c in cols))


class _Book:
    """Open lots per customer row (``[product, amount, day]``) and their maturity days."""

    def __init__(self) -> None:
        self.held: dict[int, list[list]] = {}
        self.due: dict[int, list[tuple[int, list]]] = {}


def _initial_holdings(rng, customers, hidden, arrays, latents, log) -> _Book:
    """Holdings brought into the window, bought on days −180…−1 (suitable at the time)."""
    holdings = _Book()
    n = len(customers)
    existing = np.flatnonzero((customers.signup_day < 0) & (customers.risk_level > 0))
    count = np.minimum(rng.poisson(1.5, n), 4)
    for start in range(0, len(existing), 5000):
        rows = existing[start : start + 5000]
        aff = _affinity(rows, customers, hidden, arrays, latents)
        aff = np.where(arrays.risk[None, :] <= hidden["level"][rows][:, None], aff, -np.inf)
        noisy = aff + rng.gumbel(size=aff.shape)
        top = np.argpartition(-noisy, 4, axis=1)[:, :4] if noisy.shape[1] > 4 else np.argsort(-noisy, axis=1)
        for row, picks in zip(rows, top, strict=True):
            for prod in picks[: count[row]]:
                day = -int(rng.integers(1, 181))
                amount = float(max(arrays.min_amount[prod], customers.pref_amount[row]))
                _buy(holdings, log, arrays, row, int(prod), day, amount)
    return holdings


def _buy(holdings, log, arrays, row: int, prod: int, day: int, amount: float) -> None:
    lot = [prod, amount, day]
    holdings.held.setdefault(row, []).append(lot)
    term = int(arrays.term_days[prod])
    if term:
        holdings.due.setdefault(day + term, []).append((row, lot))
    log.add_one(day, row, prod, EventKind.PURCHASE, amount)


def _run_days(rng, config, customers, hidden, arrays, latents, holdings, log) -> None:
    n = len(customers)
    onset, churn_day = hidden["onset"], hidden["churn_day"]
    dissat = hidden["dissatisfaction"]
    for t in range(config.n_days):
        alive = (customers.signup_day <= t) & (churn_day > t)
        drifting = alive & (onset <= t)
        decay = np.where(drifting, 0.5 ** (np.clip(t - onset, 0, 400) / 7), 1.0)
        login = np.flatnonzero(alive & (rng.random(n) < hidden["login_rate"] * decay))
        log.add(t, login, -1, EventKind.LOGIN)
        _sessions(rng, config, t, login, customers, hidden, arrays, latents, holdings, log)
        p_complain = 0.0004 * (1 + np.clip(dissat, 0, None)) * np.where(drifting, 6, 1)
        log.add(t, np.flatnonzero(alive & (rng.random(n) < p_complain)), -1, EventKind.COMPLAINT)
        p_redeem = np.where(drifting, 0.06, 0.003)
        redeemers = np.flatnonzero(alive & (rng.random(n) < p_redeem))
        for row in redeemers:
            _redeem(rng, holdings, log, arrays, int(row), t, everything=False)
        _mature(holdings, log, arrays, t)
        for row in np.flatnonzero(churn_day == t):
            _redeem(rng, holdings, log, arrays, int(row), t, everything=True)
            log.add_one(t, int(row), -1, EventKind.CHURN)


def _sessions(rng, config, t, rows, customers, hidden, arrays, latents, holdings, log) -> None:
    if rows.size == 0:
        return
    n_products = len(arrays.codes)
    aff = _affinity(rows, customers, hidden, arrays, latents)
    sale = arrays.on_sale & ((arrays.launch_day == MISSING_DAY) | (arrays.launch_day <= t))
    weights = np.exp(latents["quality"]) * sale
    half = config.views_per_login // 2
    feed = rng.choice(n_products, size=(rows.size, config.views_per_login - half), p=weights / weights.sum())
    searched = np.argpartition(-(np.where(sale, aff, -np.inf) + rng.gumbel(size=aff.shape)), half, axis=1)
    shown = np.concatenate([feed, searched[:, :half]], axis=1)
    cust = np.repeat(rows, shown.shape[1])
    prod = shown.ravel()
    a = aff[np.repeat(np.arange(rows.size), shown.shape[1]), prod]
    log.add(t, cust, prod, EventKind.VIEW)
    click = rng.random(a.size) < 1 / (1 + np.exp(-(a - 2.5)))
    log.add(t, cust[click], prod[click], EventKind.CLICK)
    suitable = (
        (arrays.risk[prod] <= customers.risk_level[cust])
        & (customers.valid_until_day[cust] >= t)
        & (customers.pref_amount[cust] >= arrays.min_amount[prod])
    )
    buy = click & suitable & (rng.random(a.size) < 1 / (1 + np.exp(-(a - 3.0))))
    for row, p in zip(cust[buy], prod[buy], strict=True):
        amount = float(round(customers.pref_amount[row] * rng.uniform(0.5, 1.5), -2))
        _buy(holdings, log, arrays, int(row), int(p), t, max(amount, float(arrays.min_amount[p])))


def _redeem(rng, holdings, log, arrays, row: int, t: int, everything: bool) -> None:
    held = holdings.held.get(row)
    if not held:
        return
    picks = list(range(len(held))) if everything else [int(rng.integers(len(held)))]
    for i in sorted(picks, reverse=True):
        prod, amount, _ = held.pop(i)
        log.add_one(t, row, int(prod), EventKind.REDEEM, amount)


def _mature(holdings, log, arrays, t: int) -> None:
    """Term products due today go back to the customer (unless already redeemed)."""
    for row, lot in holdings.due.pop(t, []):
        held = holdings.held.get(row, [])
        for i, other in enumerate(held):
            if other is lot:
                held.pop(i)
                log.add_one(t, row, int(lot[0]), EventKind.REDEEM, lot[1])
                break
