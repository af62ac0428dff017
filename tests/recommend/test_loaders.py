from __future__ import annotations

import numpy as np
import pytest
import sqlalchemy as sa

from recommend.loaders import dataset_from_rows, load_csv, load_parquet, load_sql, save_csv
from recommend.schema import SchemaError


def _same(a, b) -> None:
    assert list(a.customers.customer_id) == list(b.customers.customer_id)
    assert np.array_equal(a.customers.risk_level, b.customers.risk_level)
    assert np.array_equal(a.events.kind, b.events.kind)
    assert np.array_equal(a.events.product, b.events.product)
    offset = (b.start_date - a.start_date).days
    assert np.array_equal(a.events.day, b.events.day + offset)
    assert np.array_equal(
        a.customers.valid_until_day[a.customers.risk_level == 0],
        b.customers.valid_until_day[b.customers.risk_level == 0],
    )


def test_load_csv_round_trips_a_simulated_population(dataset, products, tmp_path) -> None:
    save_csv(dataset, tmp_path)
    loaded = load_csv(tmp_path, products)
    _same(dataset, loaded)
    assert np.allclose(loaded.product_arrays.recent_return, dataset.product_arrays.recent_return)


def test_load_sql_reads_the_same_tables_from_sqlite(dataset, products, tmp_path) -> None:
    import csv

    save_csv(dataset, tmp_path)
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'logs.sqlite'}")
    with engine.begin() as conn:
        for name in ("customers", "events"):
            with (tmp_path / f"{name}.csv").open(encoding="utf-8") as handle:
                rows = list(csv.DictReader(handle))
            columns = ", ".join(f'"{c}" TEXT' for c in rows[0])
            conn.exec_driver_sql(f"CREATE TABLE {name} ({columns})")
            marks = ", ".join(f":{c}" for c in rows[0])
            conn.execute(sa.text(f"INSERT INTO {name} VALUES ({marks})"), rows)
    _same(dataset, load_sql(engine, products))


def test_dataset_from_rows_names_the_bad_row_and_field(products) -> None:
    customer = {
        "customer_id": "甲", "risk_level": "3", "assessment_valid_until": "2026-12-31", "age": "40",
        "aum": "100000", "pref_amount": "10000", "pref_term_days": "90", "pref_assets": "固收|现金",
        "expected_return": "0.03", "signup_date": "2025-01-01", "phone_reachable": "1", "app_reachable": "0",
    }  # fmt: skip
    event = {
        "date": "2026-01-02",
        "customer_id": "甲",
        "event": "purchase",
        "product_code": "P000",
        "amount": "100",
    }
    data = dataset_from_rows([customer], [event], products)
    assert data.customers.pref_assets[0] == 0b11 and data.events.kind[0] == 3
    with pytest.raises(SchemaError, match="row 1: unknown event 'buy'"):
        dataset_from_rows([customer], [event | {"event": "buy"}], products)
    with pytest.raises(SchemaError, match="unknown product_code 'X9'"):
        dataset_from_rows([customer], [event | {"product_code": "X9"}], products)
    with pytest.raises(SchemaError, match="aum='很多' is not a number"):
        dataset_from_rows([customer | {"aum": "很多"}], [event], products)
    with pytest.raises(SchemaError, match="missing column"):
        dataset_from_rows([{"customer_id": "甲"}], [event], products)


def test_load_csv_and_parquet_report_missing_files(tmp_path, products) -> None:
    with pytest.raises(SchemaError, match="customers.csv: no such file"):
        load_csv(tmp_path, products)
    with pytest.raises(SchemaError):
        load_parquet(tmp_path, products)  # no pyarrow, or no file: a clear error either way
