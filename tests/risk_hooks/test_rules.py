"""Rule files: compiled once, every mistake reported with the file and the rule."""

from __future__ import annotations

import pytest

from risk_hooks.errors import RiskConfigError
from risk_hooks.inbound import DEFAULT_RULES_FILE
from risk_hooks.rules import load_rules


def _write(tmp_path, body: str):
    path = tmp_path / "rules.yml"
    path.write_text(
        "version: 1\nmacros: {X: '(?:甲|乙)'}\nreplies: {r: 好}\nrules:\n" + body, encoding="utf-8"
    )
    return path


def test_rules_shipped_file_loads_with_all_categories() -> None:
    rules = load_rules(DEFAULT_RULES_FILE)
    assert rules.categories >= {
        "fraud",
        "social_engineering",
        "abuse",
        "threats",
        "injection",
        "pii_extraction",
        "guarantee_extraction",
    }


def test_rules_any_all_unless_and_macros(tmp_path) -> None:
    path = _write(
        tmp_path,
        "- {id: r1, category: c, decision: warn, any: ['{X}丙'], all: [['丁', '戊']], unless: ['己']}\n",
    )
    rules = load_rules(path)
    assert [h.rule for h in rules.match("乙丙丁")] == ["r1"]
    assert rules.match("乙丙") == []  # the all group is missing
    assert rules.match("乙丙丁己") == []  # unless
    assert rules.match("乙丙丁", disabled=frozenset({"c"})) == []


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("- {id: a, any: ['(']}\n", "bad pattern"),
        ("- {id: a, any: ['x'], colour: red}\n", "unknown keys"),
        ("- {id: a, any: ['x']}\n- {id: a, any: ['y']}\n", "duplicate"),
        ("- {id: a, any: ['{NOPE}']}\n", "unknown macro"),
        ("- {id: a, any: ['x'], decision: maybe}\n", "decision"),
        ("- {id: a, any: ['x'], reply: missing}\n", "no reply named"),
        ("- {id: a}\n", "needs 'any' or 'all'"),
    ],
    ids=[
        "bad_regex",
        "unknown_key",
        "duplicate_id",
        "unknown_macro",
        "bad_decision",
        "bad_reply",
        "no_patterns",
    ],
)
def test_rules_errors_name_file_and_rule(tmp_path, body: str, message: str) -> None:
    with pytest.raises(RiskConfigError, match=message) as info:
        load_rules(_write(tmp_path, body))
    assert "rules.yml" in str(info.value)
