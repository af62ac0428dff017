"""The backend over HTTP: ``HttpWealthBackend`` (client) and ``build_backend_router`` (its server).

A bank connects the robots to its core system by serving these routes (or a gateway in
front of its core that does); ``build_backend_router`` serves them from any
``WealthBackend``, which is how the demo and the tests run both ends. Refusals come back
as 409 ``{"error": code, "message": Chinese text}`` and are raised again as
``BackendError`` on the client, so actions handle a remote core like the local one.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import httpx
from fastapi import APIRouter, HTTPException
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from risk_hooks.profile import CustomerProfile
from wealth_backend.codec import from_json, to_json
from wealth_backend.interface import BackendError, WealthBackend
from wealth_backend.models import (
    BankCard,
    Customer,
    Holding,
    Order,
    RedeemPreview,
    RiskAssessment,
    ServiceRequest,
    Transaction,
)

__all__ = ["HttpWealthBackend", "build_backend_router"]


class HttpWealthBackend:
    """``WealthBackend`` calling a core system's REST API at ``base_url``."""

    def __init__(self, base_url: str, api_key: str | None = None, timeout: float = 5.0) -> None:
        headers = {"X-API-Key": api_key} if api_key else {}
        self.client = httpx.Client(base_url=base_url.rstrip("/"), headers=headers, timeout=timeout)

    def close(self) -> None:
        self.client.close()

    def get_customer(self, customer_id: str) -> Customer | None:
        data = self._get(f"/customers/{customer_id}", missing_ok=True)
        return None if data is None else from_json(Customer, data)

    def get_profile(self, customer_id: str, today: dt.date | None = None) -> CustomerProfile | None:
        data = self._get(f"/customers/{customer_id}/profile", missing_ok=True)
        return None if data is None else from_json(CustomerProfile, data)

    def list_customers(self, limit: int | None = None) -> list[Customer]:
        params = {"limit": limit} if limit else {}
        return [from_json(Customer, c) for c in self._get("/customers", params=params)]

    def list_holdings(self, customer_id: str) -> list[Holding]:
        return [from_json(Holding, h) for h in self._get(f"/customers/{customer_id}/holdings")]

    def list_orders(self, customer_id: str, limit: int = 20) -> list[Order]:
        return [
            from_json(Order, o)
            for o in self._get(f"/customers/{customer_id}/orders", params={"limit": limit})
        ]

    def get_order(self, customer_id: str, order_id: str) -> Order | None:
        data = self._get(f"/customers/{customer_id}/orders/{order_id}", missing_ok=True)
        return None if data is None else from_json(Order, data)

    def list_transactions(self, customer_id: str, since: dt.datetime | None = None) -> list[Transaction]:
        params = {"since": since.isoformat()} if since else {}
        return [
            from_json(Transaction, t)
            for t in self._get(f"/customers/{customer_id}/transactions", params=params)
        ]

    def list_bank_cards(self, customer_id: str) -> list[BankCard]:
        return [from_json(BankCard, c) for c in self._get(f"/customers/{customer_id}/bank-cards")]

    def record_assessment(
        self, customer_id: str, answers: list[int], request_id: str, today: dt.date | None = None
    ) -> RiskAssessment:
        body = {"answers": answers, "request_id": request_id}
        return from_json(RiskAssessment, self._post(f"/customers/{customer_id}/assessments", body))

    def preview_redeem(
        self, customer_id: str, product_code: str, *, shares: float | None = None, amount: float | None = None
    ) -> RedeemPreview:
        body = {"product_code": product_code, "shares": shares, "amount": amount}
        return from_json(RedeemPreview, self._post(f"/customers/{customer_id}/redemptions/preview", body))

    def redeem(
        self,
        customer_id: str,
        product_code: str,
        request_id: str,
        *,
        shares: float | None = None,
        amount: float | None = None,
    ) -> Order:
        body = {"product_code": product_code, "request_id": request_id, "shares": shares, "amount": amount}
        return from_json(Order, self._post(f"/customers/{customer_id}/redemptions", body))

    def change_bank_card(self, customer_id: str, bank: str, card_number: str, request_id: str) -> BankCard:
        body = {"bank": bank, "card_number": card_number, "request_id": request_id}
        return from_json(BankCard, self._post(f"/customers/{customer_id}/bank-cards", body))

    def request_document(self, customer_id: str, kind: str, period: str, request_id: str) -> ServiceRequest:
        body = {"kind": kind, "period": period, "request_id": request_id}
        return from_json(ServiceRequest, self._post(f"/customers/{customer_id}/documents", body))

    def record_complaint(self, customer_id: str, text: str, severity: str, request_id: str) -> ServiceRequest:
        body = {"text": text, "severity": severity, "request_id": request_id}
        return from_json(ServiceRequest, self._post(f"/customers/{customer_id}/complaints", body))

    def list_service_requests(self, customer_id: str) -> list[ServiceRequest]:
        return [from_json(ServiceRequest, r) for r in self._get(f"/customers/{customer_id}/service-requests")]

    def _get(self, path: str, params: dict[str, Any] | None = None, missing_ok: bool = False) -> Any:
        response = self.client.get(path, params=params)
        if missing_ok and response.status_code == 404:
            return None
        return _checked(response)

    def _post(self, path: str, body: dict[str, Any]) -> Any:
        return _checked(self.client.post(path, json=body))


def _checked(response: httpx.Response) -> Any:
    if response.status_code in (404, 409, 422):
        data = (
            response.json() if response.headers.get("content-type", "").startswith("application/json") else {}
        )
        raise BackendError(str(data.get("error", "backend_error")), str(data.get("message", response.text)))
    response.raise_for_status()
    return response.json()


class _Assessment(BaseModel):
    answers: list[int]
    request_id: str


class _Redeem(BaseModel):
    product_code: str
    request_id: str | None = None
    shares: float | None = None
    amount: float | None = None


class _Card(BaseModel):
    bank: str
    card_number: str
    request_id: str


class _Document(BaseModel):
    kind: str
    period: str
    request_id: str


class _Complaint(BaseModel):
    text: str
    severity: str
    request_id: str


def build_backend_router(backend: WealthBackend, prefix: str = "") -> APIRouter:
    """The REST routes ``HttpWealthBackend`` calls, served from ``backend``."""
    router = APIRouter(prefix=prefix, tags=["wealth backend"])

    def found(record: Any, what: str) -> dict[str, Any]:
        if record is None:
            raise HTTPException(404, detail=f"no {what}")
        return to_json(record)

    def refused(exc: BackendError) -> JSONResponse:
        return JSONResponse(status_code=409, content={"error": exc.code, "message": exc.message})

    @router.get("/customers")
    def customers(limit: int | None = None) -> list[dict[str, Any]]:
        return [to_json(c) for c in backend.list_customers(limit)]

    @router.get("/customers/{customer_id}")
    def customer(customer_id: str) -> dict[str, Any]:
        return found(backend.get_customer(customer_id), "customer")

    @router.get("/customers/{customer_id}/profile")
    def profile(customer_id: str) -> dict[str, Any]:
        return found(backend.get_profile(customer_id), "customer")

    @router.get("/customers/{customer_id}/holdings")
    def customer_holdings(customer_id: str) -> list[dict[str, Any]]:
        return [to_json(h) for h in backend.list_holdings(customer_id)]

    @router.get("/customers/{customer_id}/orders")
    def customer_orders(customer_id: str, limit: int = 20) -> list[dict[str, Any]]:
        return [to_json(o) for o in backend.list_orders(customer_id, limit)]

    @router.get("/customers/{customer_id}/orders/{order_id}")
    def customer_order(customer_id: str, order_id: str) -> dict[str, Any]:
        return found(backend.get_order(customer_id, order_id), "order")

    @router.get("/customers/{customer_id}/transactions")
    def customer_transactions(customer_id: str, since: dt.datetime | None = None) -> list[dict[str, Any]]:
        return [to_json(t) for t in backend.list_transactions(customer_id, since)]

    @router.get("/customers/{customer_id}/bank-cards")
    def customer_cards(customer_id: str) -> list[dict[str, Any]]:
        return [to_json(c) for c in backend.list_bank_cards(customer_id)]

    @router.post("/customers/{customer_id}/assessments", response_model=None)
    def assess(customer_id: str, body: _Assessment) -> dict[str, Any] | JSONResponse:
        try:
            return to_json(backend.record_assessment(customer_id, body.answers, body.request_id))
        except BackendError as exc:
            return refused(exc)

    @router.post("/customers/{customer_id}/redemptions/preview", response_model=None)
    def preview(customer_id: str, body: _Redeem) -> dict[str, Any] | JSONResponse:
        try:
            return to_json(
                backend.preview_redeem(customer_id, body.product_code, shares=body.shares, amount=body.amount)
            )
        except BackendError as exc:
            return refused(exc)

    @router.post("/customers/{customer_id}/redemptions", response_model=None)
    def redeem(customer_id: str, body: _Redeem) -> dict[str, Any] | JSONResponse:
        if not body.request_id:
            raise HTTPException(400, detail="request_id is required for a redemption")
        try:
            order = backend.redeem(
                customer_id, body.product_code, body.request_id, shares=body.shares, amount=body.amount
            )
        except BackendError as exc:
            return refused(exc)
        return to_json(order)

    @router.post("/customers/{customer_id}/bank-cards", response_model=None)
    def change_card(customer_id: str, body: _Card) -> dict[str, Any] | JSONResponse:
        try:
            return to_json(
                backend.change_bank_card(customer_id, body.bank, body.card_number, body.request_id)
            )
        except BackendError as exc:
            return refused(exc)

    @router.get("/customers/{customer_id}/service-requests")
    def customer_requests(customer_id: str) -> list[dict[str, Any]]:
        return [to_json(r) for r in backend.list_service_requests(customer_id)]

    @router.post("/customers/{customer_id}/documents", response_model=None)
    def request_document(customer_id: str, body: _Document) -> dict[str, Any] | JSONResponse:
        try:
            return to_json(backend.request_document(customer_id, body.kind, body.period, body.request_id))
        except BackendError as exc:
            return refused(exc)

    @router.post("/customers/{customer_id}/complaints", response_model=None)
    def complain(customer_id: str, body: _Complaint) -> dict[str, Any] | JSONResponse:
        try:
            return to_json(backend.record_complaint(customer_id, body.text, body.severity, body.request_id))
        except BackendError as exc:
            return refused(exc)

    return router
