"""The advisory robot's glossary (``action_explain_term``)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bots.actions.advisory_glossary import ASK_TERM, ActionExplainTerm, load_glossary
from bots.services import PlatformServices
from dialogue import sdk
from dialogue.events import UserUttered
from dialogue.tracker import DialogueStateTracker
from risk_hooks.outbound import OutboundFilter


def _explain(text: str, entities: list[dict[str, object]] | None = None) -> str:
    tracker = DialogueStateTracker("u1", {"finance_term": None})
    parse = {"text": text, "intent": {"name": "explain_term", "confidence": 1.0}, "entities": entities or []}
    tracker.update(UserUttered(text=text, parse_data=parse))
    dispatcher = sdk.CollectingDispatcher()
    asyncio.run(ActionExplainTerm().run(dispatcher, sdk.Tracker.from_dict(tracker.current_state()), {}))
    return str(dispatcher.messages[0]["text"])


def test_glossary_aliases_point_at_terms_and_levels_cover_r1_to_r5() -> None:
    glossary = load_glossary()
    assert len(glossary.terms) >= 30
    assert set(glossary.aliases.values()) <= set(glossary.terms)
    assert sorted(glossary.risk_levels) == [1, 2, 3, 4, 5]


def test_glossary_explanations_pass_the_outbound_filter_unchanged(tmp_path: Path) -> None:
    outbound = OutboundFilter(PlatformServices(tmp_path).product_names)
    glossary = load_glossary()
    texts = [glossary.explain(term) for term in [*glossary.terms, "R1", "R2", "R3", "R4", "R5"]]
    assert [t for t in texts if t is None or outbound.check(t).action != "allow"] == []


@pytest.mark.parametrize(
    ("text", "entities", "expected"),
    [
        ("什么是最大回撤", [{"entity": "finance_term", "value": "最大回撤"}], "最大回撤："),
        ("七日年化是啥意思", [], "七日年化："),
        ("夏普比律是啥", [{"entity": "finance_term", "value": "夏普比律"}], "夏普比率："),
        ("R3是什么意思", [{"entity": "risk_level", "value": "R3"}], "R3（中风险）"),
        ("etf是什么", [], "ETF："),
    ],
    ids=["entity", "in-text-longest", "alias-typo", "risk-level", "lowercase"],
)
def test_explain_term_finds_the_term(text: str, entities: list[dict[str, object]], expected: str) -> None:
    assert _explain(text, entities).startswith(expected)


def test_explain_term_unknown_or_missing_term() -> None:
    unknown = _explain("什么是蝴蝶期权", [{"entity": "finance_term", "value": "蝴蝶期权"}])
    assert "“蝴蝶期权”这个名词我还没有收录" in unknown
    assert _explain("解释个名词") == ASK_TERM
