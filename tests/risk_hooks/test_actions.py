"""``action_aml_screen``: flags recorded for review, nothing alarming said to the customer."""

from __future__ import annotations

import asyncio
import datetime as dt

from dialogue.sdk import CollectingDispatcher, Tracker
from risk_hooks.actions import ACTIONS, ActionAmlScreen
from risk_hooks.aml import Transaction
from risk_hooks.audit import AuditTrail

T0 = dt.datetime(2026, 3, 2, 10, 0)


def _tracker(slots: dict, metadata: dict | None = None) -> Tracker:
    return Tracker.from_dict(
        {"sender_id": "web-42", "slots": slots, "latest_message": {"text": "hi", "metadata": metadata or {}}}
    )


def _structuring(customer_id: str) -> list[Transaction]:
    return [Transaction(f"t{i}", customer_id, T0 + dt.timedelta(days=i), "deposit", 49_500) for i in range(3)]


def test_actions_list_is_constructible_without_arguments() -> None:
    assert [cls().name() for cls in ACTIONS] == ["action_aml_screen"]


def test_action_aml_screen_records_flags_and_says_nothing(tmp_path) -> None:
    asked: list[str] = []

    def provider(customer_id: str) -> list[Transaction]:
        asked.append(customer_id)
        return _structuring(customer_id)

    audit = AuditTrail(path=tmp_path / "audit.db")
    action = ActionAmlScreen(transactions_provider=provider, audit=audit, bot="service")
    dispatcher = CollectingDispatcher()
    events = asyncio.run(
        action.run(dispatcher, _tracker({"customer_id": "C001"}, {"device_risk": ["rooted"]}), {})
    )
    assert asked == ["C001"] and dispatcher.messages == []
    assert {(e["event"], e["hook"], e["decision"], e["rule"]) for e in events} == {
        ("risk_decision", "aml", "review", "structuring"),
        ("risk_decision", "aml", "review", "device_risk"),
    }
    records = audit.query(bot="service", sender_id="web-42")
    assert sorted(r.rule for r in records) == ["device_risk", "structuring"]
    assert all(r.hook == "aml" and r.decision == "review" for r in records)


def test_action_aml_screen_falls_back_to_sender_id() -> None:
    asked: list[str] = []
    action = ActionAmlScreen(transactions_provider=lambda c: asked.append(c) or [])
    assert asyncio.run(action.run(CollectingDispatcher(), _tracker({}), {})) == []
    assert asked == ["web-42"]


def test_action_aml_screen_provider_failure_is_recorded_quietly() -> None:
    def broken(customer_id: str) -> list[Transaction]:
        raise ConnectionError("backend down")

    dispatcher = CollectingDispatcher()
    events = asyncio.run(ActionAmlScreen(transactions_provider=broken).run(dispatcher, _tracker({}), {}))
    assert dispatcher.messages == []
    assert [(e["decision"], e["rule"]) for e in events] == [("error", "screening_error")]
