"""The product catalogue: what every module that names, filters or offers a product reads.

Products load from ``knowledge/data/products.yml`` (fictional demo products) and their net
asset value history from ``knowledge/data/nav_history.csv`` (``code,date,nav``); a
deployment points ``load_catalogue`` at its own files in the same format.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

__all__ = [
    "DEFAULT_NAV_FILE",
    "DEFAULT_PRODUCTS_FILE",
    "PRODUCT_TYPES",
    "Catalogue",
    "CatalogueError",
    "Fees",
    "NavPoint",
    "Product",
    "load_catalogue",
    "risk_label",
]

DATA_DIR = Path(__file__).resolve().parent / "data"
DEFAULT_PRODUCTS_FILE = DATA_DIR / "products.yml"
DEFAULT_NAV_FILE = DATA_DIR / "nav_history.csv"

# the product types of the issue, in Chinese as customers and operators say them
PRODUCT_TYPES = ("货币", "债券", "混合", "股票", "指数基金", "银行理财", "保险")
ASSET_CLASSES = ("现金", "固收", "混合", "权益", "另类", "保障")


class CatalogueError(ValueError):
    """A product file is malformed; the message names the file and the product."""


def risk_label(level: int) -> str:
    """``3`` → ``"R3"``."""
    return f"R{level}"


@dataclass(frozen=True)
class Fees:
    """Rates as fractions (0.0015 = 0.15%); redemption by holding days: ``[(days_below, rate)]``."""

    subscription: float = 0.0
    redemption: tuple[tuple[int, float], ...] = ()
    management: float = 0.0
    custody: float = 0.0
    sales_service: float = 0.0

    def redemption_rate(self, held_days: int) -> float:
        """The redemption fee for shares held ``held_days`` days."""
        for days_below, rate in self.redemption:
            if held_days < days_below:
                return rate
        return 0.0


@dataclass(frozen=True)
class NavPoint:
    date: dt.date
    nav: float


@dataclass(frozen=True)
class Product:
    """One product. ``risk_level`` is 1–5 (R1–R5); ``term_days`` 0 means open-ended (daily liquidity)."""

    code: str
    name: str
    type: str
    risk_level: int
    asset_class: str
    company: str
    term_days: int = 0
    min_amount: float = 1.0
    aliases: tuple[str, ...] = ()
    manager: str | None = None
    fees: Fees = field(default_factory=Fees)
    benchmark: str | None = None  # 业绩比较基准, as the prospectus words it
    launch_date: dt.date | None = None
    status: str = "on_sale"  # on_sale / closed / suspended
    tags: tuple[str, ...] = ()
    description: str = ""
    fictional: bool = True
    nav_history: tuple[NavPoint, ...] = ()

    @property
    def risk(self) -> str:
        return risk_label(self.risk_level)

    @property
    def latest_nav(self) -> NavPoint | None:
        return self.nav_history[-1] if self.nav_history else None

    def past_return(self, days: int) -> float | None:
        """Return over the last ``days`` days of NAV history: a past figure, never a promise."""
        if len(self.nav_history) < 2:
            return None
        end = self.nav_history[-1]
        start_date = end.date - dt.timedelta(days=days)
        start = next((p for p in self.nav_history if p.date >= start_date), None)
        if start is None or start.date == end.date or start.nav <= 0:
            return None
        return end.nav / start.nav - 1.0


class Catalogue:
    """Products by code, in file order."""

    def __init__(self, products: list[Product]) -> None:
        self._by_code: dict[str, Product] = {}
        for product in products:
            if product.code in self._by_code:
                raise CatalogueError(f"duplicate product code {product.code!r}")
            self._by_code[product.code] = product

    def __iter__(self) -> Iterator[Product]:
        return iter(self._by_code.values())

    def __len__(self) -> int:
        return len(self._by_code)

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def get(self, code: str) -> Product | None:
        return self._by_code.get(code)

    def on_sale(self) -> list[Product]:
        return [p for p in self if p.status == "on_sale"]


def load_catalogue(products_file: str | Path | None = None, nav_file: str | Path | None = None) -> Catalogue:
    """Read the products and their NAV history (the shipped demo data by default).

    Raises:
        CatalogueError: a missing field, an unknown type or a risk level outside 1–5.
    """
    path = Path(products_file or DEFAULT_PRODUCTS_FILE)
    if not path.exists():
        raise CatalogueError(f"{path}: no such product file")
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    entries = raw.get("products") if isinstance(raw, dict) else None
    if not isinstance(entries, list):
        raise CatalogueError(f"{path}: expected a top-level 'products:' list")
    nav_path = Path(nav_file) if nav_file else (DEFAULT_NAV_FILE if products_file is None else None)
    history = _read_nav(nav_path) if nav_path and nav_path.exists() else {}
    return Catalogue([_product(path, entry, history) for entry in entries])


def _product(path: Path, entry: Any, history: dict[str, list[NavPoint]]) -> Product:
    if not isinstance(entry, dict):
        raise CatalogueError(f"{path}: every product must be a mapping, got {entry!r}")
    code = str(entry.get("code", ""))
    where = f"{path}: product {code or entry.get('name')!r}"
    for key in ("code", "name", "type", "risk_level", "asset_class", "company"):
        if entry.get(key) in (None, ""):
            raise CatalogueError(f"{where}: missing {key!r}")
    if entry["type"] not in PRODUCT_TYPES:
        raise CatalogueError(f"{where}: type {entry['type']!r} is not one of {', '.join(PRODUCT_TYPES)}")
    level_text = str(entry["risk_level"]).upper().lstrip("R")
    if not level_text.isdigit() or not 1 <= int(level_text) <= 5:
        raise CatalogueError(f"{where}: risk_level must be R1–R5, got {entry['risk_level']!r}")
    level = int(level_text)
    try:
        return _build(entry, code, level, history)
    except (TypeError, ValueError) as error:  # a number or date field that does not parse
        raise CatalogueError(f"{where}: {error}") from error


def _build(entry: dict[str, Any], code: str, level: int, history: dict[str, list[NavPoint]]) -> Product:
    fees = entry.get("fees") or {}
    return Product(
        code=code,
        name=str(entry["name"]),
        type=str(entry["type"]),
        risk_level=level,
        asset_class=str(entry["asset_class"]),
        company=str(entry["company"]),
        term_days=int(entry.get("term_days") or 0),
        min_amount=float(entry.get("min_amount") or 1.0),
        aliases=tuple(str(a) for a in entry.get("aliases") or ()),
        manager=entry.get("manager"),
        fees=Fees(
            subscription=float(fees.get("subscription") or 0.0),
            redemption=tuple((int(d), float(r)) for d, r in fees.get("redemption") or ()),
            management=float(fees.get("management") or 0.0),
            custody=float(fees.get("custody") or 0.0),
            sales_service=float(fees.get("sales_service") or 0.0),
        ),
        benchmark=entry.get("benchmark"),
        launch_date=_date(entry.get("launch_date")),
        status=str(entry.get("status") or "on_sale"),
        tags=tuple(str(t) for t in entry.get("tags") or ()),
        description=str(entry.get("description") or ""),
        fictional=bool(entry.get("fictional", True)),
        nav_history=tuple(history.get(code, ())),
    )


def _date(value: Any) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def _read_nav(path: Path) -> dict[str, list[NavPoint]]:
    history: dict[str, list[NavPoint]] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            history.setdefault(row["code"], []).append(
                NavPoint(dt.date.fromisoformat(row["date"]), float(row["nav"]))
            )
    for points in history.values():
        points.sort(key=lambda p: p.date)
    return history
