"""Load (and save) interaction logs in the :mod:`recommend.schema` layout: CSV, Parquet, SQL.

A folder holds ``customers.csv`` and ``events.csv`` (and optionally ``product_returns.csv``),
or the same names with ``.parquet`` (needs ``pyarrow``); a database holds tables of the same
names and columns, read through SQLAlchemy. Products always come from the catalogue.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import numpy as np

from knowledge.catalogue import Product
from recommend.schema import (
    CUSTOMER_COLUMNS,
    EVENT_COLUMNS,
    MISSING_DAY,
    Customers,
    Dataset,
    EventKind,
    Events,
    ProductArrays,
    SchemaError,
    assets_to_mask,
    mask_to_assets,
)

__all__ = ["dataset_from_rows", "load_csv", "load_parquet", "load_sql", "save_csv"]


def load_csv(folder: str | Path, products: list[Product]) -> Dataset:
    """Read ``customers.csv``, ``events.csv`` (and ``product_returns.csv`` if present).

    Raises:
        SchemaError: a missing file or column, or a bad value (file, row and field named).
    """
    folder = Path(folder)
    tables = {}
    for name in ("customers", "events", "product_returns"):
        path = folder / f"{name}.csv"
        if not path.exists():
            if name == "product_returns":
                continue
            raise SchemaError(f"{path}: no such file")
        with path.open(encoding="utf-8", newline="") as handle:
            tables[name] = (str(path), list(csv.DictReader(handle)))
    return _from_tables(tables, products)


def load_parquet(folder: str | Path, products: list[Product]) -> Dataset:
    """Read ``customers.parquet`` and ``events.parquet`` (needs the optional ``pyarrow``).

    Raises:
        SchemaError: pyarrow is missing, or the data does not follow the schema.
    """
    try:
        import pyarrow.parquet as pq
    except ImportError as exc:
        raise SchemaError("reading Parquet needs pyarrow (pip install pyarrow); CSV needs nothing") from exc
    folder = Path(folder)
    tables = {}
    for name in ("customers", "events", "product_returns"):
        path = folder / f"{name}.parquet"
        if path.exists():
            tables[name] = (str(path), pq.read_table(path).to_pylist())
        elif name != "product_returns":
            raise SchemaError(f"{path}: no such file")
    return _from_tables(tables, products)


def load_sql(engine_or_url: Any, products: list[Product], prefix: str = "") -> Dataset:
    """Read the tables ``{prefix}customers``, ``{prefix}events`` (and ``{prefix}product_returns``).

    Args:
        engine_or_url: a SQLAlchemy engine or database URL.
        products: the catalogue's products.
        prefix: table name prefix.

    Raises:
        SchemaError: a missing table or column.
    """
    import sqlalchemy as sa

    engine = sa.create_engine(engine_or_url) if isinstance(engine_or_url, str) else engine_or_url
    names = sa.inspect(engine).get_table_names()
    tables = {}
    with engine.connect() as conn:
        for name in ("customers", "events", "product_returns"):
            table = f"{prefix}{name}"
            if table not in names:
                if name == "product_returns":
                    continue
                raise SchemaError(f"database has no table {table!r}")
            rows = conn.execute(sa.text(f'SELECT * FROM "{table}"')).mappings().all()
            tables[name] = (table, [dict(r) for r in rows])
    return _from_tables(tables, products)


def _from_tables(tables: dict[str, tuple[str, list[Mapping[str, Any]]]], products: list[Product]) -> Dataset:
    returns = tables.get("product_returns")
    return dataset_from_rows(
        tables["customers"][1],
        tables["events"][1],
        products,
        return_rows=returns[1] if returns else None,
        sources=(tables["customers"][0], tables["events"][0]),
    )


def dataset_from_rows(
    customer_rows: Iterable[Mapping[str, Any]],
    event_rows: Iterable[Mapping[str, Any]],
    products: list[Product],
    *,
    start_date: dt.date | None = None,
    return_rows: Iterable[Mapping[str, Any]] | None = None,
    sources: tuple[str, str] = ("customers", "events"),
) -> Dataset:
    """Build a dataset from row dicts in the schema (what every loader ends in).

    Args:
        customer_rows: one mapping per customer with :data:`CUSTOMER_COLUMNS`.
        event_rows: one mapping per event with :data:`EVENT_COLUMNS`.
        products: the catalogue's products.
        start_date: day 0 (default: the first event's date).
        return_rows: ``product_code`` / ``recent_return`` rows.
        sources: names used in error messages.

    Raises:
        SchemaError: a missing column, an unknown customer/product/event or a bad value.
    """
    customer_rows, event_rows = list(customer_rows), list(event_rows)
    _require(customer_rows, CUSTOMER_COLUMNS, sources[0])
    _require(event_rows, EVENT_COLUMNS, sources[1])
    dates = [_date(r["date"], sources[1], i, "date") for i, r in enumerate(event_rows)]
    start = start_date or (min(dates) if dates else dt.date.today())
    n_days = (max(dates) - start).days + 1 if dates else 1
    customers = _customers(customer_rows, start, sources[0])
    index = customers.index_of()
    by_code = {p.code: i for i, p in enumerate(products)}
    events = _events(event_rows, dates, start, index, by_code, sources[1])
    returns = None
    if return_rows is not None:
        returns = np.zeros(len(products))
        for row in return_rows:
            if str(row["product_code"]) in by_code:
                returns[by_code[str(row["product_code"])]] = float(row["recent_return"])
    arrays = ProductArrays.build(products, start, returns)
    return Dataset(start, max(n_days, 1), customers, products, events, arrays)


def _require(rows: list[Mapping[str, Any]], columns: tuple[str, ...], source: str) -> None:
    if rows:
        missing = [c for c in columns if c not in rows[0]]
        if missing:
            raise SchemaError(f"{source}: missing column(s) {missing}; expected {list(columns)}")


def _date(value: Any, source: str, row: int, column: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        raise SchemaError(f"{source}: row {row + 1}: {column}={value!r} is not an ISO date") from None


def _customers(rows: list[Mapping[str, Any]], start: dt.date, source: str) -> Customers:
    def day_or_missing(i: int, value: Any, column: str) -> int:
        if value in (None, ""):
            return MISSING_DAY
        return (_date(value, source, i, column) - start).days

    def num(i: int, row: Mapping[str, Any], column: str, default: float = 0.0) -> float:
        value = row[column]
        if value in (None, ""):
            return default
        try:
            return float(value)
        except (TypeError, ValueError):
            raise SchemaError(f"{source}: row {i + 1}: {column}={value!r} is not a number") from None

    levels = [int(num(i, r, "risk_level")) for i, r in enumerate(rows)]
    bad = next((i for i, lv in enumerate(levels) if not 0 <= lv <= 5), None)
    if bad is not None:
        raise SchemaError(f"{source}: row {bad + 1}: risk_level must be 1–5 or empty")
    return Customers(
        customer_id=np.array([str(r["customer_id"]) for r in rows], dtype=object),
        risk_level=np.array(levels, dtype=np.int8),
        valid_until_day=np.array(
            [
                day_or_missing(i, r["assessment_valid_until"], "assessment_valid_until")
                for i, r in enumerate(rows)
            ],
            dtype=np.int32,
        ),
        age=np.array([int(num(i, r, "age", 40)) for i, r in enumerate(rows)], dtype=np.int16),
        aum=np.array([num(i, r, "aum") for i, r in enumerate(rows)]),
        pref_amount=np.array([num(i, r, "pref_amount") for i, r in enumerate(rows)]),
        pref_term_days=np.array(
            [int(num(i, r, "pref_term_days")) for i, r in enumerate(rows)], dtype=np.int32
        ),
        pref_assets=np.array(
            [assets_to_mask(str(r["pref_assets"] or "").split("|")) for r in rows], dtype=np.uint8
        ),
        expected_return=np.array([num(i, r, "expected_return") for i, r in enumerate(rows)]),
        signup_day=np.array(
            [day_or_missing(i, r["signup_date"], "signup_date") for i, r in enumerate(rows)], dtype=np.int32
        ),
        phone_reachable=np.array([bool(int(num(i, r, "phone_reachable"))) for i, r in enumerate(rows)]),
        app_reachable=np.array([bool(int(num(i, r, "app_reachable"))) for i, r in enumerate(rows)]),
    )


def _events(rows, dates, start, index, by_code, source: str) -> Events:
    n = len(rows)
    day = np.array([(d - start).days for d in dates], dtype=np.int32)
    cust, prod = np.empty(n, dtype=np.int32), np.full(n, -1, dtype=np.int32)
    kind, amount = np.empty(n, dtype=np.int8), np.zeros(n, dtype=np.float32)
    for i, row in enumerate(rows):
        where = f"{source}: row {i + 1}"
        if str(row["customer_id"]) not in index:
            raise SchemaError(f"{where}: unknown customer_id {row['customer_id']!r}")
        cust[i] = index[str(row["customer_id"])]
        try:
            kind[i] = EventKind.parse(str(row["event"]))
        except SchemaError as exc:
            raise SchemaError(f"{where}: {exc}") from None
        code = row["product_code"]
        if code not in (None, ""):
            if str(code) not in by_code:
                raise SchemaError(f"{where}: unknown product_code {code!r}")
            prod[i] = by_code[str(code)]
        amount[i] = float(row["amount"] or 0.0)
    order = np.argsort(day, kind="stable")
    return Events(day[order], cust[order], prod[order], kind[order], amount[order])


def save_csv(dataset: Dataset, folder: str | Path) -> None:
    """Write ``customers.csv``, ``events.csv`` and ``product_returns.csv`` (the loaders' input)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    c = dataset.customers

    def date_or_empty(day: int) -> str:
        return "" if day == MISSING_DAY else dataset.date_of(day).isoformat()

    with (folder / "customers.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(CUSTOMER_COLUMNS)
        for i in range(len(c)):
            writer.writerow(
                [
                    c.customer_id[i], int(c.risk_level[i]) or "", date_or_empty(int(c.valid_until_day[i])),
                    int(c.age[i]), float(c.aum[i]), float(c.pref_amount[i]), int(c.pref_term_days[i]),
                    "|".join(mask_to_assets(int(c.pref_assets[i]))), float(c.expected_return[i]),
                    date_or_empty(int(c.signup_day[i])), int(c.phone_reachable[i]), int(c.app_reachable[i]),
                ]
            )  # fmt: skip
    e, codes = dataset.events, dataset.product_arrays.codes
    with (folder / "events.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(EVENT_COLUMNS)
        for d, cu, p, k, a in zip(e.day, e.customer, e.product, e.kind, e.amount, strict=True):
            code = codes[p] if p >= 0 else ""
            writer.writerow(
                [
                    dataset.date_of(int(d)).isoformat(),
                    c.customer_id[cu],
                    EventKind(k).name.lower(),
                    code,
                    float(a),
                ]
            )
    with (folder / "product_returns.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["product_code", "recent_return"])
        for code, r in zip(codes, dataset.product_arrays.recent_return, strict=True):
            writer.writerow([code, float(r)])
