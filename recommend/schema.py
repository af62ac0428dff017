"""The interaction-log schema shared by the simulator, the loaders, the recommender and churn.

Three tables, the same whether simulated or loaded from CSV/Parquet/SQL:

``customers``
    ``customer_id`` (str), ``risk_level`` (1–5 = C1–C5, empty: never assessed),
    ``assessment_valid_until`` (ISO date, empty: none), ``age`` (int), ``aum`` (yuan at the
    first day), ``pref_amount`` (yuan the customer usually invests), ``pref_term_days``
    (0 = open-ended), ``pref_assets`` (asset classes joined by ``|``, e.g. ``固收|现金``),
    ``expected_return`` (annual fraction the customer expects), ``signup_date`` (ISO date),
    ``phone_reachable`` / ``app_reachable`` (0/1).
``products``
    the catalogue (``knowledge.catalogue``); an optional side table ``product_returns``
    (``product_code``, ``recent_return``: annualised recent return as a fraction).
``events``
    ``date`` (ISO date), ``customer_id``, ``event`` (one of :class:`EventKind`'s names),
    ``product_code`` (empty for login/complaint/churn), ``amount`` (yuan; 0 when none).

In memory the tables are numpy columns; days are integers counted from ``start_date``.
"""

from __future__ import annotations

import datetime as dt
import zlib
from dataclasses import dataclass, field
from enum import IntEnum

import numpy as np

from knowledge.catalogue import ASSET_CLASSES, PRODUCT_TYPES, Product
from risk_hooks.profile import CustomerProfile

__all__ = [
    "ASSET_CLASSES",
    "CUSTOMER_COLUMNS",
    "EVENT_COLUMNS",
    "MISSING_DAY",
    "PRODUCT_TYPES",
    "Customers",
    "Dataset",
    "EventKind",
    "Events",
    "ProductArrays",
    "SchemaError",
    "assets_to_mask",
    "mask_to_assets",
]

MISSING_DAY = -(10**6)  # "no date" in day-number columns
CUSTOMER_COLUMNS = (
    "customer_id",
    "risk_level",
    "assessment_valid_until",
    "age",
    "aum",
    "pref_amount",
    "pref_term_days",
    "pref_assets",
    "expected_return",
    "signup_date",
    "phone_reachable",
    "app_reachable",
)
EVENT_COLUMNS = ("date", "customer_id", "event", "product_code", "amount")


class SchemaError(ValueError):
    """Input data does not follow the schema; the message names the file, row and field."""


class EventKind(IntEnum):
    """What happened. ``view``: a product was shown (an impression); ``click``: its page was opened."""

    LOGIN = 0
    VIEW = 1
    CLICK = 2
    PURCHASE = 3
    REDEEM = 4
    COMPLAINT = 5
    CHURN = 6

    @classmethod
    def parse(cls, name: str) -> EventKind:
        """``"purchase"`` → ``EventKind.PURCHASE``.

        Raises:
            SchemaError: an unknown event name.
        """
        try:
            return cls[name.strip().upper()]
        except KeyError:
            raise SchemaError(
                f"unknown event {name!r}; expected one of {[k.name.lower() for k in cls]}"
            ) from None


@dataclass
class Customers:
    """Customer columns, one row per customer (index = position)."""

    customer_id: np.ndarray  # object (str)
    risk_level: np.ndarray  # int8, 0 = never assessed
    valid_until_day: np.ndarray  # int32, MISSING_DAY = no assessment date
    age: np.ndarray  # int16
    aum: np.ndarray  # float64
    pref_amount: np.ndarray  # float64
    pref_term_days: np.ndarray  # int32
    pref_assets: np.ndarray  # uint8 bit mask over ASSET_CLASSES
    expected_return: np.ndarray  # float64
    signup_day: np.ndarray  # int32
    phone_reachable: np.ndarray  # bool
    app_reachable: np.ndarray  # bool

    def __len__(self) -> int:
        return len(self.customer_id)

    def index_of(self) -> dict[str, int]:
        """customer_id → row."""
        return {str(c): i for i, c in enumerate(self.customer_id)}


@dataclass
class Events:
    """Event columns sorted by day."""

    day: np.ndarray  # int32
    customer: np.ndarray  # int32 row in Customers
    product: np.ndarray  # int32 row in the product list, -1 = none
    kind: np.ndarray  # int8 EventKind
    amount: np.ndarray  # float32

    def __len__(self) -> int:
        return len(self.day)

    def select(self, mask: np.ndarray) -> Events:
        """The rows where ``mask`` is true."""
        return Events(
            self.day[mask], self.customer[mask], self.product[mask], self.kind[mask], self.amount[mask]
        )

    def between(self, first_day: int, end_day: int) -> Events:
        """Events with ``first_day <= day < end_day`` (days are sorted, so this is a slice)."""
        lo, hi = np.searchsorted(self.day, [first_day, end_day])
        return Events(
            self.day[lo:hi], self.customer[lo:hi], self.product[lo:hi], self.kind[lo:hi], self.amount[lo:hi]
        )


@dataclass
class ProductArrays:
    """Per-product numpy columns derived from a product list, for vectorised scoring."""

    codes: list[str]
    risk: np.ndarray
    asset: np.ndarray  # index into ASSET_CLASSES (unknown → len)
    type: np.ndarray  # index into PRODUCT_TYPES
    term_days: np.ndarray
    min_amount: np.ndarray
    launch_day: np.ndarray  # day number of the launch date, MISSING_DAY when unknown
    on_sale: np.ndarray
    recent_return: np.ndarray
    code_hash: np.ndarray  # crc32 of the code: hashes the same across catalogues

    @classmethod
    def build(
        cls, products: list[Product], start_date: dt.date, recent_return: np.ndarray | None = None
    ) -> ProductArrays:
        """Columns for ``products``; ``recent_return`` defaults to each product's NAV history."""

        def asset_index(name: str) -> int:
            return ASSET_CLASSES.index(name) if name in ASSET_CLASSES else len(ASSET_CLASSES)

        if recent_return is None:
            recent_return = np.array([_annual_return(p) for p in products], dtype=np.float64)
        return cls(
            codes=[p.code for p in products],
            risk=np.array([p.risk_level for p in products], dtype=np.int8),
            asset=np.array([asset_index(p.asset_class) for p in products], dtype=np.int16),
            type=np.array([PRODUCT_TYPES.index(p.type) if p.type in PRODUCT_TYPES else 0 for p in products]),
            term_days=np.array([p.term_days for p in products], dtype=np.int32),
            min_amount=np.array([p.min_amount for p in products], dtype=np.float64),
            launch_day=np.array(
                [(p.launch_date - start_date).days if p.launch_date else MISSING_DAY for p in products],
                dtype=np.int32,
            ),
            on_sale=np.array([p.status == "on_sale" for p in products], dtype=bool),
            recent_return=np.asarray(recent_return, dtype=np.float64),
            code_hash=np.array([zlib.crc32(p.code.encode("utf-8")) for p in products], dtype=np.int64),
        )


def _annual_return(product: Product) -> float:
    past = product.past_return(90)
    return 0.0 if past is None else past * 365 / 90


@dataclass
class Dataset:
    """Customers, products and events of one population; ``truth`` holds simulator-only latents."""

    start_date: dt.date
    n_days: int
    customers: Customers
    products: list[Product]
    events: Events
    product_arrays: ProductArrays
    truth: dict[str, np.ndarray] = field(default_factory=dict)

    def date_of(self, day: int) -> dt.date:
        """Calendar date of day number ``day``."""
        return self.start_date + dt.timedelta(days=int(day))

    def profile(self, row: int, holdings: dict[str, float] | None = None) -> CustomerProfile:
        """The suitability view of customer ``row``."""
        c = self.customers
        level = int(c.risk_level[row])
        valid = int(c.valid_until_day[row])
        today = self.start_date + dt.timedelta(days=self.n_days)
        birth_year = today.year - int(c.age[row])
        return CustomerProfile(
            customer_id=str(c.customer_id[row]),
            risk_level=level or None,
            assessment_valid_until=None if valid == MISSING_DAY else self.date_of(valid),
            birth_date=dt.date(birth_year, 1, 1),
            total_assets=float(c.aum[row]),
            holdings=dict(holdings or {}),
        )


def assets_to_mask(names: list[str] | tuple[str, ...]) -> int:
    """``["固收", "现金"]`` → bit mask over ASSET_CLASSES (unknown names are ignored)."""
    mask = 0
    for name in names:
        if name in ASSET_CLASSES:
            mask |= 1 << ASSET_CLASSES.index(name)
    return mask


def mask_to_assets(mask: int) -> list[str]:
    """Inverse of :func:`assets_to_mask`."""
    return [name for i, name in enumerate(ASSET_CLASSES) if mask >> i & 1]
