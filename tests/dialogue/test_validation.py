"""Training checks: undeclared names, contradictions and impossible steps, with file:line."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from dialogue.domain import Domain
from dialogue.training import load_stories, load_stories_text
from dialogue.validation import Finding, Severity, validate

ROOT = Path(__file__).parents[2]
TOY = Path(__file__).parent / "policies" / "toy_bot"


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(TOY / "domain.yml")


def findings_for(domain: Domain, text: str, path: str = "data/stories.yml") -> list[Finding]:
    return validate(domain, load_stories_text(text, path))


def codes(findings: list[Finding]) -> list[tuple[str, int | None]]:
    return [(f.code, f.line) for f in findings]


def test_validation_clean_toy_bot_has_no_findings(domain: Domain) -> None:
    assert validate(domain, load_stories(TOY)) == []


def test_validation_catches_undeclared_names_with_lines(domain: Domain) -> None:
    text = """stories:
- story: 未声明
  steps:
  - intent: greeet
    entities:
    - fund_code: "000001"
  - slot_was_set:
    - risk_level: R3
  - action: utter_greeet
  - action: action_buy_gold
  - active_loop: buy_form
"""
    found = findings_for(domain, text)
    assert codes(found) == [
        ("STY101", 4),
        ("STY104", 4),
        ("STY103", 7),
        ("STY102", 9),
        ("STY102", 10),
        ("STY105", 11),
    ]
    assert all(f.severity is Severity.ERROR for f in found)
    assert "did you mean 'greet'" in found[0].hint
    assert str(found[0]).startswith("data/stories.yml:4: error [STY101] intent 'greeet'")
    assert "responses" in found[3].hint and "actions" in found[4].hint


def test_validation_catches_story_rule_contradiction(domain: Domain, tmp_path: Path) -> None:
    (tmp_path / "rules.yml").write_text(
        "rules:\n- rule: 问候\n  steps:\n  - intent: greet\n  - action: utter_greet\n", encoding="utf-8"
    )
    (tmp_path / "stories.yml").write_text(
        "stories:\n- story: 问候后追问\n  steps:\n  - intent: greet\n  - action: utter_greet\n"
        "  - action: utter_ask_amount\n",
        encoding="utf-8",
    )
    found = validate(domain, load_stories(tmp_path))
    assert codes(found) == [("STY110", 6)]
    finding = found[0]
    assert finding.path == str(tmp_path / "stories.yml")
    assert f"{tmp_path / 'rules.yml'}:5" in finding.message  # the rule's step that decides
    assert "'utter_ask_amount'" in finding.message and "'action_listen'" in finding.message
    assert "wait_for_user_input: false" in finding.hint


def test_validation_rule_with_wait_false_does_not_contradict(domain: Domain) -> None:
    text = """rules:
- rule: 问候
  wait_for_user_input: false
  steps:
  - intent: greet
  - action: utter_greet
stories:
- story: 问候后追问
  steps:
  - intent: greet
  - action: utter_greet
  - action: utter_ask_amount
"""
    assert findings_for(domain, text) == []


def test_validation_catches_contradicting_rules(domain: Domain) -> None:
    text = """rules:
- rule: 甲
  condition:
  - slot_was_set:
    - vip: true
  steps:
  - intent: greet
  - action: utter_greet_vip
- rule: 乙
  condition:
  - slot_was_set:
    - vip: true
  steps:
  - intent: greet
  - action: utter_greet
"""
    found = findings_for(domain, text, "data/rules.yml")
    assert codes(found) == [("STY111", 15)]
    assert "data/rules.yml:8" in found[0].message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "stories:\n- story: a\n  steps:\n  - intent: greet\n  - action: action_listen\n"
            "  - action: utter_greet\n",
            [("STY120", 6)],
        ),
        (
            "stories:\n- story: a\n  steps:\n  - intent: greet\n  - intent: nav\n  - action: utter_nav\n",
            [("STY121", 5)],
        ),
        (
            "rules:\n- rule: a\n  steps:\n  - intent: greet\n  - action: utter_greet\n  - checkpoint: x\n",
            [("STY122", 6)],
        ),
        ("rules:\n- rule: a\n  steps:\n  - intent: greet\n", [("STY125", 2)]),
    ],
    ids=["action-after-listen", "two-user-turns", "checkpoint-in-rule", "rule-predicts-nothing"],
)
def test_validation_catches_impossible_steps(
    domain: Domain, text: str, expected: list[tuple[str, int]]
) -> None:
    assert codes(findings_for(domain, text)) == expected


def test_validation_warns_on_dangling_checkpoints_and_diverging_stories(domain: Domain) -> None:
    text = """stories:
- story: a
  steps:
  - checkpoint: nowhere
  - intent: greet
  - action: utter_greet
- story: b
  steps:
  - intent: nav
  - action: utter_nav
  - checkpoint: dead_end
- story: c
  steps:
  - intent: nav
  - action: utter_thank
"""
    found = findings_for(domain, text)
    assert codes(found) == [("STY123", 4), ("STY124", 11), ("STY112", 15)]
    assert all(f.severity is Severity.WARNING for f in found)


def test_validation_runs_fast_on_bot_data() -> None:
    domain = Domain.load(ROOT / "bots" / "rasa_example" / "domain.yml")
    stories = load_stories(ROOT / "bots" / "rasa_example" / "data")
    started = time.perf_counter()
    assert [f for f in validate(domain, stories) if f.severity is Severity.ERROR] == []
    assert time.perf_counter() - started < 2.0
