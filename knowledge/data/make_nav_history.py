"""Regenerate ``nav_history.csv``: FICTIONAL net asset values for the demo products.

Run ``python knowledge/data/make_nav_history.py`` after editing ``products.yml``. The output
is deterministic (fixed seed, one random stream per product code), so regenerating without
changes to the products gives the same file byte for byte.

The model is a geometric random walk per trading day, with drift and volatility chosen by
product type and risk level (a money fund creeps up ~1.8% a year with almost no noise, an
R5 equity fund drifts ~6% a year with ~25% volatility). Money funds, cash-management wealth
products and the insurance accounts with an account value (万能险, 投连险) get a per-unit
accumulated value starting at 1.0; other insurance products (年金, 终身寿, 两全) have no
NAV. Trading days are weekdays minus the main mainland holidays listed below (approximate).

Size: the last 400 calendar days up to ``END`` are daily; older points (back to two years
before ``END`` or the launch date) are kept weekly, on the last trading day of each week,
which keeps the CSV well under 1 MB while 1-month/3-month/1-year returns stay exact.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import random
import zlib
from pathlib import Path

import yaml

__all__ = ["END", "SEED", "main", "nav_series", "trading_days"]

SEED = 20261120
END = dt.date(2026, 11, 20)
START = END - dt.timedelta(days=730)
DAILY_FROM = END - dt.timedelta(days=400)
HERE = Path(__file__).resolve().parent

# mainland market holidays (approximate; weekdays only matter)
_HOLIDAYS = {
    *(dt.date(2025, 1, d) for d in (1, 28, 29, 30, 31)),
    *(dt.date(2025, 2, d) for d in (3, 4)),
    dt.date(2025, 4, 4),
    *(dt.date(2025, 5, d) for d in (1, 2, 5)),
    dt.date(2025, 6, 2),
    *(dt.date(2025, 10, d) for d in (1, 2, 3, 6, 7, 8)),
    dt.date(2026, 1, 1),
    dt.date(2026, 1, 2),
    *(dt.date(2026, 2, d) for d in (16, 17, 18, 19, 20)),
    dt.date(2026, 4, 6),
    *(dt.date(2026, 5, d) for d in (1, 4, 5)),
    dt.date(2026, 6, 19),
    *(dt.date(2026, 10, d) for d in (1, 2, 5, 6, 7)),
}

# annual drift and volatility by risk level; cash-like products override below
_DRIFT = {1: 0.019, 2: 0.028, 3: 0.040, 4: 0.050, 5: 0.060}
_VOLATILITY = {1: 0.002, 2: 0.015, 3: 0.055, 4: 0.180, 5: 0.260}
_CASH_LIKE = {"现金"}
_NO_NAV_TAGS = {"年金", "终身寿险", "两全险", "分红险"}


def trading_days(start: dt.date, end: dt.date) -> list[dt.date]:
    """Weekdays from ``start`` to ``end`` inclusive, minus the listed holidays."""
    days, day = [], start
    while day <= end:
        if day.weekday() < 5 and day not in _HOLIDAYS:
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def _thin(days: list[dt.date]) -> list[dt.date]:
    """Daily points from ``DAILY_FROM``; before that the last trading day of each ISO week."""
    kept: list[dt.date] = []
    for i, day in enumerate(days):
        last_of_week = i + 1 == len(days) or days[i + 1].isocalendar()[:2] != day.isocalendar()[:2]
        if day >= DAILY_FROM or last_of_week:
            kept.append(day)
    return kept


def nav_series(entry: dict) -> list[tuple[dt.date, float]]:
    """The NAV points of one product entry of ``products.yml`` (empty when it has no NAV)."""
    if _NO_NAV_TAGS & set(entry.get("tags") or ()):
        return []
    code = str(entry["code"])
    level = int(str(entry["risk_level"]).lstrip("Rr"))
    launch = dt.date.fromisoformat(str(entry.get("launch_date") or START))
    rng = random.Random(SEED ^ zlib.crc32(code.encode()))
    cash = entry["asset_class"] in _CASH_LIKE
    drift = _DRIFT[level] + rng.uniform(-0.01, 0.01) * (0 if cash else level)
    volatility = 0.0002 if cash else _VOLATILITY[level] * rng.uniform(0.8, 1.2)
    # older products start the window at an accumulated NAV above 1
    years_before = max(0.0, (START - launch).days / 365.0)
    nav = 1.0 + years_before * (0.02 if cash else rng.uniform(0.02, 0.12))
    step_drift, step_vol = drift / 244, volatility / math.sqrt(244)
    points = []
    for day in trading_days(max(START, launch), END):
        shock = rng.gauss(0.0, 1.0) * step_vol
        nav *= math.exp(step_drift - step_vol**2 / 2 + (abs(shock) if cash else shock))
        points.append((day, nav))
    kept = set(_thin([day for day, _ in points]))
    return [(day, round(value, 4)) for day, value in points if day in kept]


def main(products_file: Path = HERE / "products.yml", out_file: Path = HERE / "nav_history.csv") -> int:
    """Write the NAV history of every product in ``products_file``; returns the row count."""
    entries = yaml.safe_load(products_file.read_text(encoding="utf-8"))["products"]
    rows = 0
    with out_file.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["code", "date", "nav"])
        for entry in entries:
            for day, value in nav_series(entry):
                writer.writerow([entry["code"], day.isoformat(), f"{value:.4f}"])
                rows += 1
    return rows


if __name__ == "__main__":
    print(f"wrote {main()} NAV points")
