"""The audit router: risk decisions of one conversation over HTTP."""

from __future__ import annotations

import httpx
from fastapi import FastAPI
from fastapi.testclient import TestClient

from bots.risk_api import build_audit_router
from risk_hooks.audit import AuditRecord, AuditTrail, sha256_text


def _trail(tmp_path) -> AuditTrail:
    trail = AuditTrail(path=tmp_path / "audit.db", clock=lambda: 1700000000.0)
    for bot, sender, decision in [
        ("service", "u1", "allow"),
        ("service", "u1", "block"),
        ("service", "u2", "allow"),
        ("advisory", "u1", "warn"),
    ]:
        trail.append(AuditRecord(bot, sender, "inbound", "r", "m", sha256_text("x"), decision, "why"))
    return trail


def _app(trail: AuditTrail) -> FastAPI:
    app = FastAPI()
    app.include_router(build_audit_router(trail))
    return app


def test_risk_api_lists_one_conversation(tmp_path) -> None:
    client = TestClient(_app(_trail(tmp_path)))
    response = client.get("/bots/service/conversations/u1/audit")
    assert response.status_code == 200
    body = response.json()
    assert [r["decision"] for r in body] == ["allow", "block"]
    assert set(body[0]) >= {
        "bot",
        "sender_id",
        "created_at",
        "hook",
        "rule",
        "model",
        "input_sha256",
        "decision",
    }
    assert body[0]["created_at"] == 1700000000.0


def test_risk_api_limit_and_unknown_conversation(tmp_path) -> None:
    client = TestClient(_app(_trail(tmp_path)))
    assert [r["decision"] for r in client.get("/bots/service/conversations/u1/audit?limit=1").json()] == [
        "block"
    ]
    assert client.get("/bots/service/conversations/nobody/audit").json() == []
    assert client.get("/bots/service/conversations/u1/audit?limit=0").status_code == 422


def test_risk_api_over_a_real_server(tmp_path, live_server_factory) -> None:
    with live_server_factory(_app(_trail(tmp_path))) as server:
        response = httpx.get(f"{server.url}/bots/advisory/conversations/u1/audit", timeout=10)
    assert response.status_code == 200 and [r["decision"] for r in response.json()] == ["warn"]
