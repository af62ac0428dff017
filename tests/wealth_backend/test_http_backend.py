"""``HttpWealthBackend`` against ``build_backend_router`` served by a real uvicorn server."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI

from wealth_backend import BackendError, HttpWealthBackend, SqlWealthBackend
from wealth_backend.http_backend import build_backend_router
from wealth_backend.seed import seed_demo

TODAY = dt.date(2026, 11, 25)


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory, live_server_factory) -> Iterator[tuple]:
    path: Path = tmp_path_factory.mktemp("core") / "core.db"
    local = SqlWealthBackend(f"sqlite:///{path}", today=lambda: TODAY)
    seed_demo(local, count=20)
    app = FastAPI()
    app.include_router(build_backend_router(local, prefix="/core"))
    with live_server_factory(app) as server:
        remote = HttpWealthBackend(server.url + "/core")
        yield local, remote
        remote.close()


def test_http_backend_reads_match_the_local_backend(pair: tuple) -> None:
    local, remote = pair
    assert remote.list_customers(5) == local.list_customers(5)
    customer_id = local.list_customers(1)[0].customer_id
    assert remote.get_customer(customer_id) == local.get_customer(customer_id)
    assert remote.get_profile(customer_id) == local.get_profile(customer_id)
    assert remote.list_holdings(customer_id) == local.list_holdings(customer_id)
    assert remote.list_bank_cards(customer_id) == local.list_bank_cards(customer_id)
    assert remote.list_transactions(customer_id) == local.list_transactions(customer_id)
    assert remote.get_customer("C0") is None and remote.get_profile("C0") is None


def test_http_backend_writes_are_idempotent_over_the_wire(pair: tuple) -> None:
    local, remote = pair
    record = remote.record_assessment("C10002", [2] * 10, "http-assess")
    assert remote.record_assessment("C10002", [2] * 10, "http-assess") == record
    assert local.get_customer("C10002").risk_level == record.level  # type: ignore[union-attr]
    card = remote.change_bank_card("C10002", "建设银行", "6222021234567890128", "http-card")
    assert remote.change_bank_card("C10002", "建设银行", "6222021234567890128", "http-card") == card


def test_http_backend_refusals_come_back_as_backend_errors(pair: tuple) -> None:
    _, remote = pair
    with pytest.raises(BackendError) as refused:
        remote.preview_redeem("C10001", "999999", shares=1)
    assert refused.value.code == "not_held" and "持有" in refused.value.message
    with pytest.raises(BackendError) as bad_card:
        remote.change_bank_card("C10001", "建设银行", "1234", "http-bad-card")
    assert bad_card.value.code == "bad_card"


def test_http_backend_files_documents_and_complaints_idempotently(pair: tuple) -> None:
    local, remote = pair
    filed = remote.request_document("C10004", "statement", "2026-10", "http-doc")
    assert remote.request_document("C10004", "statement", "2026-10", "http-doc") == filed
    complaint = remote.record_complaint("C10004", "客服电话打不通", "mild", "http-complaint")
    assert remote.list_service_requests("C10004") == local.list_service_requests("C10004")
    assert {r.ticket for r in local.list_service_requests("C10004")} == {filed.ticket, complaint.ticket}
    with pytest.raises(BackendError) as refused:
        remote.request_document("C10004", "certificate", "2099-01-01", "http-doc-future")
    assert refused.value.code == "bad_period" and "今天" in refused.value.message
