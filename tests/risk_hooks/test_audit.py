"""The audit trail: append-only and queryable, on a real SQLite file."""

from __future__ import annotations

import sqlite3

import pytest

from risk_hooks.audit import AuditRecord, AuditTrail, sha256_text
from risk_hooks.errors import AuditError


def _record(
    bot: str = "service", sender: str = "u1", decision: str = "allow", text: str = "你好"
) -> AuditRecord:
    return AuditRecord(
        bot, sender, "inbound", "none", "inbound_rules@test", sha256_text(text), decision, "why"
    )


def test_audit_appends_and_queries_in_order(tmp_path) -> None:
    trail = AuditTrail(path=tmp_path / "audit.db", clock=lambda: 1234.5)
    first = trail.append(_record(decision="allow"))
    trail.append(_record(sender="u2"))
    trail.append(_record(bot="advisory"))
    third = trail.append(_record(decision="block"))
    assert first.id is not None and first.created_at == 1234.5
    mine = trail.query(bot="service", sender_id="u1")
    assert [r.decision for r in mine] == ["allow", "block"] and mine[-1] == third
    assert len(trail.query()) == 4
    assert [r.bot for r in trail.query(sender_id="u1")] == ["service", "advisory", "service"]
    assert [r.id for r in trail.query(limit=2)] == [3, 4]
    assert mine[0].input_sha256 == sha256_text("你好") and len(mine[0].input_sha256) == 64


def test_audit_survives_reopening(tmp_path) -> None:
    AuditTrail(path=tmp_path / "audit.db").append(_record())
    assert len(AuditTrail(f"sqlite:///{tmp_path / 'audit.db'}").query(bot="service")) == 1


def test_audit_has_no_update_or_delete_api(tmp_path) -> None:
    trail = AuditTrail(path=tmp_path / "audit.db")
    public = {name for name in dir(trail) if not name.startswith("_")}
    assert public == {"append", "query", "close", "clock"}


def test_audit_database_refuses_update_and_delete(tmp_path) -> None:
    path = tmp_path / "audit.db"
    trail = AuditTrail(path=path)
    trail.append(_record())
    trail.close()
    with sqlite3.connect(path) as connection:
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            connection.execute("UPDATE risk_audit SET decision = 'allow'")
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            connection.execute("DELETE FROM risk_audit")
    assert len(AuditTrail(path=path).query()) == 1


def test_audit_bad_url_is_a_clear_error() -> None:
    with pytest.raises(AuditError, match="malformed"):
        AuditTrail("not a url ::")


def test_audit_in_memory_url(tmp_path) -> None:
    trail = AuditTrail("sqlite://")
    trail.append(_record())
    assert trail.query()[0].to_dict()["bot"] == "service"
