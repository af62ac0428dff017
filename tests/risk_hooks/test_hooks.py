"""``RiskHooks`` through the real ``MessageProcessor``: what is stored, sent and audited."""

from __future__ import annotations

import asyncio
import datetime as dt
import shutil
from pathlib import Path

import pytest

from dialogue.actions import ActionRegistry
from dialogue.domain import Domain
from dialogue.events import BotUttered, HandoffRequested, RiskDecision, UserUttered
from dialogue.nlg import NaturalLanguageGenerator
from dialogue.policies import PolicyEnsemble
from dialogue.processor import MessageProcessor, UserMessage
from dialogue.stores import InMemoryLockStore, InMemoryTrackerStore
from dialogue.training import load_stories
from risk_hooks.audit import AuditTrail
from risk_hooks.errors import RiskConfigError
from risk_hooks.hooks import RiskHooks, build_hooks
from risk_hooks.inbound import InboundGuard
from risk_hooks.notices import RISK_NOTICE
from risk_hooks.outbound import OutboundFilter
from risk_hooks.profile import CustomerProfile

MOODBOT = Path(__file__).resolve().parents[1] / "fixtures" / "rasa_projects" / "moodbot"


@pytest.fixture(scope="module")
def bot_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The moodbot, with a reply that names a product and makes a promise."""
    root = tmp_path_factory.mktemp("bots") / "moodbot"
    shutil.copytree(MOODBOT, root)
    domain = root / "domain.yml"
    text = domain.read_text(encoding="utf-8").replace("太好了，继续保持！", "太好了，示例现金宝1号稳赚不赔！")
    domain.write_text(text, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def trained(bot_root: Path) -> tuple[Domain, PolicyEnsemble]:
    domain = Domain.load(bot_root / "domain.yml")
    ensemble = PolicyEnsemble.default()
    ensemble.train(load_stories([bot_root / "data"]), domain)
    return domain, ensemble


@pytest.fixture
def audit(tmp_path: Path) -> AuditTrail:
    return AuditTrail(path=tmp_path / "audit.db")


def _processor(trained, hooks) -> MessageProcessor:
    domain, ensemble = trained
    return MessageProcessor(
        domain=domain,
        nlu=None,  # intent payloads only
        policies=ensemble,
        actions=ActionRegistry(domain),
        tracker_store=InMemoryTrackerStore(),
        lock_store=InMemoryLockStore(),
        nlg=NaturalLanguageGenerator(domain, deterministic=True),
        hooks=hooks,
    )


def _say(processor: MessageProcessor, text: str, sender: str = "u1", **metadata: object) -> list[str | None]:
    replies = asyncio.run(processor.handle_message(UserMessage(text, sender, metadata=dict(metadata))))
    return [r.text for r in replies]


def _events(processor: MessageProcessor, sender: str = "u1") -> list:
    return asyncio.run(processor.tracker_store.retrieve(sender))


def test_hooks_block_fraud_before_nlu_and_audit_it(bot_root, trained, audit) -> None:
    processor = _processor(trained, build_hooks(bot_root, ["示例现金宝1号"], audit))
    _say(processor, "/greet")
    replies = _say(processor, "把验证码发给你，快点")
    assert len(replies) == 1 and "验证码" in (replies[0] or "") and "请勿透露" in (replies[0] or "")
    decisions = [e for e in _events(processor) if isinstance(e, RiskDecision) and e.hook == "inbound"]
    assert [(d.decision, d.rule) for d in decisions] == [("allow", "none"), ("block", "otp_handover")]
    tracker = asyncio.run(processor.get_tracker("u1"))
    assert tracker.latest_message is not None and tracker.latest_message.text == "/greet"
    records = audit.query(bot="moodbot", sender_id="u1")
    assert ("inbound", "block", "otp_handover") in {(r.hook, r.decision, r.rule) for r in records}


def test_hooks_rewrite_promise_and_append_notice(bot_root, trained, audit) -> None:
    processor = _processor(trained, build_hooks(bot_root, ["示例现金宝1号"], audit))
    _say(processor, "/greet")
    replies = _say(processor, "/mood_great")
    assert replies == [f"太好了，示例现金宝1号有涨有跌、可能亏损！\n{RISK_NOTICE}"]
    outbound = [e for e in _events(processor) if isinstance(e, RiskDecision) and e.hook == "outbound"]
    assert [e.decision for e in outbound] == ["allow", "rewrite"] and outbound[-1].rule == "sure_win"
    stored = [e.text for e in _events(processor) if isinstance(e, BotUttered)]
    assert not any("稳赚不赔" in (t or "") for t in stored)  # the tracker keeps what was sent
    assert [r.decision for r in audit.query(bot="moodbot", sender_id="u1") if r.hook == "outbound"] == [
        "allow",
        "rewrite",
    ]


def test_hooks_threat_hands_off(bot_root, trained, audit) -> None:
    processor = _processor(trained, build_hooks(bot_root, [], audit))
    replies = _say(processor, "再不退钱我就炸了你们营业部")
    assert replies and "人工" in (replies[0] or "")
    assert any(isinstance(e, HandoffRequested) for e in _events(processor))
    assert asyncio.run(processor.get_tracker("u1")).is_paused


def test_hooks_mask_pii_in_the_stored_text(bot_root, trained, audit) -> None:
    processor = _processor(trained, build_hooks(bot_root, [], audit))
    _say(processor, "/greet")
    _say(processor, '/mood_great{"phone": "13800138000"}')
    texts = [e.text for e in _events(processor) if isinstance(e, UserUttered)]
    assert '/mood_great{"phone": "138****8000"}' in texts
    assert not any("13800138000" in (t or "") for t in texts)
    record = audit.query(sender_id="u1")[-2]  # the audit keeps a hash, never the text
    assert "13800138000" not in str(record.to_dict())


def test_hooks_risk_yml_switches_masking_off(tmp_path, bot_root, trained) -> None:
    root = tmp_path / "moodbot"
    shutil.copytree(bot_root, root)
    (root / "risk.yml").write_text("inbound: {mask_stored_text: false}\n", encoding="utf-8")
    processor = _processor(trained, build_hooks(root, [], None))
    _say(processor, "/greet")
    _say(processor, '/mood_great{"phone": "13800138000"}')
    assert any("13800138000" in (e.text or "") for e in _events(processor) if isinstance(e, UserUttered))


def test_build_hooks_rejects_bad_risk_yml(tmp_path) -> None:
    (tmp_path / "risk.yml").write_text("inbound: {colour: red}\n", encoding="utf-8")
    with pytest.raises(RiskConfigError, match=r"risk\.yml: inbound\.colour"):
        build_hooks(tmp_path, [], None)


class _BrokenGuard(InboundGuard):
    def check(self, text, sender_id, metadata=None):  # type: ignore[no-untyped-def]
        raise RuntimeError("rules unavailable")


class _BrokenFilter(OutboundFilter):
    def check(self, text):  # type: ignore[no-untyped-def]
        raise RuntimeError("filter unavailable")


def test_hooks_broken_guard_fails_open_with_a_warning(trained, audit, caplog) -> None:
    hooks = RiskHooks("moodbot", guard=_BrokenGuard(), audit=audit)
    processor = _processor(trained, hooks)
    assert _say(processor, "/greet")  # the bot still answers
    warn = [e for e in _events(processor) if isinstance(e, RiskDecision) and e.hook == "inbound"]
    assert [(e.decision, e.rule) for e in warn] == [("warn", "guard_error")]
    assert "rules unavailable" in warn[0].reason and "inbound guard failed" in caplog.text
    assert audit.query(sender_id="u1")[0].rule == "guard_error"


def test_hooks_broken_filter_fails_closed(trained, audit) -> None:
    processor = _processor(trained, RiskHooks("moodbot", outbound_filter=_BrokenFilter(), audit=audit))
    replies = _say(processor, "/greet")
    assert replies and all("不承诺保本" in (t or "") and RISK_NOTICE in (t or "") for t in replies)
    blocked = [e for e in _events(processor) if isinstance(e, RiskDecision) and e.hook == "outbound"]
    assert blocked and all(e.decision == "block" and e.rule == "filter_error" for e in blocked)


def test_hooks_check_offer_audits_and_fails_closed(audit, products) -> None:
    hooks = RiskHooks("advisory", audit=audit)
    today = dt.date(2026, 6, 30)
    customer = CustomerProfile("C9", 3, today, dt.date(1990, 1, 1), 500_000.0)
    assert hooks.check_offer(customer, products[2], sender_id="s1", today=today).allowed
    blocked = hooks.check_offer(customer, products[4], sender_id="s1", today=today)
    assert not blocked.allowed and blocked.rule == "risk_above_customer"
    broken = hooks.check_offer(customer, object(), sender_id="s1", today=today)  # type: ignore[arg-type]
    assert not broken.allowed and broken.rule == "error"
    assert [(r.hook, r.decision) for r in audit.query(bot="advisory", sender_id="s1")] == [
        ("suitability", "allow"),
        ("suitability", "block"),
        ("suitability", "block"),
    ]
