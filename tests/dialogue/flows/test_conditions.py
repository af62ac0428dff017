"""The flow condition language: parsing, evaluation, and its safety."""

from __future__ import annotations

from typing import Any

import pytest

from dialogue.flows.conditions import Condition, ConditionError


@pytest.mark.parametrize(
    ("source", "slots", "intent", "expected"),
    [
        ("slots.amount > 10000 and intent == 'affirm'", {"amount": 50000.0}, "affirm", True),
        ("slots.amount > 10000 and intent == 'affirm'", {"amount": 50000.0}, "deny", False),
        ("slots.amount > 10000", {"amount": "30000"}, None, True),
        ("slots.amount > 10000", {"amount": None}, None, False),
        ("slots.amount <= 10000", {}, None, False),
        ("slots.amount > 'abc'", {"amount": 1}, None, False),
        ("intent in ['affirm', 'interested']", {}, "interested", True),
        ("intent not in ['affirm', 'interested']", {}, "deny", True),
        ("not slots.interested", {"interested": False}, None, True),
        ("slots.interested == true", {"interested": True}, None, True),
        ("slots.risk_level is null", {}, None, True),
        ("slots.risk_level is not null", {"risk_level": "R3"}, None, True),
        ("(slots.a == 1 or slots.b == 2) and not slots.c", {"b": 2}, None, True),
        ("slots.risk_level in ['R4', 'R5']", {"risk_level": "R5"}, None, True),
        ('slots.product == "华夏成长"', {"product": "华夏成长"}, None, True),
        ("slots.term >= 3.5", {"term": 3.5}, None, True),
        ("'R' in slots.risk_level", {"risk_level": "R3"}, None, True),
        ("slots.x != 1", {"x": 2}, None, True),
    ],
    ids=[
        "large_affirm",
        "large_deny",
        "numeric_string",
        "none_compare",
        "missing_slot",
        "type_mismatch",
        "in_list",
        "not_in_list",
        "not_false",
        "bool_literal",
        "is_null",
        "is_not_null",
        "parentheses",
        "risk_in",
        "chinese_string",
        "float",
        "substring",
        "not_equal",
    ],
)
def test_condition_evaluates(source: str, slots: dict[str, Any], intent: str | None, expected: bool) -> None:
    assert Condition(source).evaluate(slots, intent) is expected


@pytest.mark.parametrize(
    ("source", "position"),
    [
        ("slots.amount >", 14),
        ("__import__('os')", 0),
        ("slots.a == 1 and", 16),
        ("amount > 1", 0),
        ("slots.a ; 1", 8),
        ("(slots.a == 1", 13),
        ("[1, 2", 5),
    ],
    ids=["dangling_operator", "no_calls", "dangling_and", "bare_name", "bad_char", "open_paren", "open_list"],
)
def test_condition_rejects_bad_syntax(source: str, position: int) -> None:
    with pytest.raises(ConditionError) as info:
        Condition(source)
    assert info.value.position == position


def test_condition_slot_names() -> None:
    condition = Condition("slots.a > 1 and (slots.b in [slots.c, 2] or intent == 'x')")
    assert condition.slot_names() == {"a", "b", "c"}


def test_condition_keeps_source() -> None:
    assert Condition("intent == 'affirm'").source == "intent == 'affirm'"
