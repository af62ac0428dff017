"""Loading flows.yml: the model, the structural checks with file:line, the domain checks."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dialogue.domain import Domain
from dialogue.errors import StoryError
from dialogue.flows import END, FlowError, StepKind, load_flows, parse_flows, validate_flows

README = Path(__file__).parents[3] / "dialogue" / "flows" / "README.md"

REDEEM_FLOWS = """\
flows:
  redeem_flow:
    description: 赎回：大额需确认
    trigger:
      intents: [redeem]
    steps:
      - collect: amount
      - id: check_amount
        next:
          - if: "slots.amount > 10000"
            then: large
          - else: submit
      - id: large
        action: utter_large_amount_notice
      - id: submit
        action: action_submit_redemption
      - END
"""


def test_parse_flows_builds_steps_with_defaults() -> None:
    flows = parse_flows(REDEEM_FLOWS, "flows.yml")
    flow = flows.get("redeem_flow")
    assert flow is not None and flow.trigger_intents == ("redeem",)
    assert [s.id for s in flow.steps] == ["0_collect_amount", "check_amount", "large", "submit"]
    collect, branch, large, submit = flow.steps
    assert (collect.kind, collect.ask_response, collect.reset_after_flow_ends) == (
        StepKind.COLLECT,
        "utter_ask_amount",
        True,
    )
    assert branch.kind is StepKind.BRANCH and branch.line == 8
    assert flow.next_step_id(branch, {"amount": 50000}, None) == "large"
    assert flow.next_step_id(branch, {"amount": 500}, None) == "submit"
    assert flow.next_step_id(large, {}, None) == "submit"  # no next: the following step
    assert flow.next_step_id(submit, {}, None) == END  # "- END" after it
    assert (flow.path, flow.line) == ("flows.yml", 3)


def test_parse_flows_round_trips_through_as_yaml() -> None:
    import yaml

    flows = parse_flows(REDEEM_FLOWS)
    again = parse_flows(yaml.safe_dump(flows.as_yaml(), allow_unicode=True))
    assert [s.id for s in again.get("redeem_flow").steps] == [s.id for s in flows.get("redeem_flow").steps]
    assert again.as_yaml() == flows.as_yaml()


def test_unreachable_step_reported_with_line() -> None:
    text = """\
flows:
  survey:
    steps:
      - id: ask
        collect: satisfied
        next: END
      - id: orphan
        action: utter_thanks
"""
    with pytest.raises(FlowError) as info:
        parse_flows(text, "bots/outbound/data/flows.yml")
    error = info.value
    assert (error.code, error.path, error.line) == ("FLW007", "bots/outbound/data/flows.yml", 7)
    assert "orphan" in str(error) and str(error).startswith("bots/outbound/data/flows.yml:7:")


def test_step_after_link_is_unreachable() -> None:
    text = """\
flows:
  a:
    steps:
      - link: b
      - action: utter_never
  b:
    steps:
      - action: utter_b
"""
    with pytest.raises(FlowError, match="FLW007") as info:
        parse_flows(text)
    assert info.value.line == 5


@pytest.mark.parametrize(
    ("steps", "code", "line"),
    [
        ("      - id: a\n        action: x\n        next: nowhere\n", "FLW006", 6),
        (
            "      - id: a\n        action: x\n        next:\n          - if: \"intent == 'affirm'\"\n"
            "            then: b\n          - else: missing\n      - id: b\n        action: y\n",
            "FLW006",
            9,
        ),
        ("      - link: unknown_flow\n", "FLW009", 4),
        ("      - action: x\n        collect: y\n", "FLW004", 4),
        ("      - id: a\n", "FLW004", 4),
        ("      - action: x\n        colect: y\n", "FLW004", 4),
        ("      - id: a\n        action: x\n      - id: a\n        action: y\n", "FLW005", 6),
        (
            '      - action: x\n        next:\n          - if: "slots.a >"\n            then: END\n',
            "FLW010",
            6,
        ),
        (
            "      - action: x\n        next:\n          - else: END\n          - if: 'intent'\n"
            "            then: END\n",
            "FLW004",
            6,
        ),
        ("      - link: f\n        next: END\n", "FLW004", 5),
    ],
    ids=[
        "unknown_next",
        "unknown_else",
        "unknown_link",
        "two_kinds",
        "no_kind",
        "unknown_key",
        "duplicate_id",
        "bad_condition",
        "else_not_last",
        "link_with_next",
    ],
)
def test_parse_flows_errors_have_code_and_line(steps: str, code: str, line: int) -> None:
    text = "flows:\n  f:\n    steps:\n" + steps
    with pytest.raises(FlowError) as info:
        parse_flows(text, "flows.yml")
    assert (info.value.code, info.value.line) == (code, line), str(info.value)


def test_invalid_yaml_reports_line() -> None:
    with pytest.raises(FlowError) as info:
        parse_flows("flows:\n  f:\n    steps: [\n", "flows.yml")
    assert info.value.code == "FLW001" and info.value.line is not None


def test_flow_error_is_story_error() -> None:
    assert FlowError is StoryError


def test_load_flows_merges_folder_and_rejects_duplicates(tmp_path: Path) -> None:
    (tmp_path / "nlu.yml").write_text("nlu:\n- intent: greet\n  examples: |\n    - 你好\n", encoding="utf-8")
    (tmp_path / "a.yml").write_text("flows:\n  a:\n    steps:\n      - link: b\n", encoding="utf-8")
    (tmp_path / "b.yml").write_text("flows:\n  b:\n    steps:\n      - action: utter_b\n", encoding="utf-8")
    flows = load_flows(tmp_path)
    assert sorted(flow.id for flow in flows) == ["a", "b"]
    (tmp_path / "c.yml").write_text("flows:\n  b:\n    steps:\n      - action: utter_c\n", encoding="utf-8")
    with pytest.raises(FlowError, match="FLW005"):
        load_flows(tmp_path)


DOMAIN = Domain.from_yaml(
    """
intents: [redeem, affirm]
entities: [amount]
slots:
  amount:
    type: float
    mappings:
      - type: from_entity
        entity: amount
responses:
  utter_ask_amount:
    - text: 请问赎回多少？
  utter_large_amount_notice:
    - text: 大额赎回需要您再次确认。
actions: [action_submit_redemption]
""",
    "domain.yml",
)


def test_validate_flows_accepts_declared_names() -> None:
    validate_flows(parse_flows(REDEEM_FLOWS), DOMAIN)


@pytest.mark.parametrize(
    ("old", "new", "code"),
    [
        ("collect: amount", "collect: amout", "FLW008"),
        ("slots.amount > 10000", "slots.sum > 10000", "FLW008"),
        ("intents: [redeem]", "intents: [withdraw]", "FLW011"),
        ("action: utter_large_amount_notice", "action: utter_missing", "FLW012"),
    ],
    ids=["collect_undeclared_slot", "condition_undeclared_slot", "unknown_trigger", "unknown_action"],
)
def test_validate_flows_rejects_undeclared_names(old: str, new: str, code: str) -> None:
    flows = parse_flows(REDEEM_FLOWS.replace(old, new), "flows.yml")
    with pytest.raises(FlowError, match=code) as info:
        validate_flows(flows, DOMAIN)
    assert info.value.line is not None


def test_collect_of_undeclared_slot_has_its_line(tmp_path: Path) -> None:
    path = tmp_path / "flows.yml"
    path.write_text(REDEEM_FLOWS.replace("collect: amount", "collect: amout"), encoding="utf-8")
    with pytest.raises(FlowError) as info:
        load_flows(path, DOMAIN)
    assert (info.value.code, info.value.path, info.value.line) == ("FLW008", str(path), 7)


def test_readme_example_parses() -> None:
    block = re.search(r"```yaml\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    assert block is not None
    flows = parse_flows(block.group(1), str(README))
    assert sorted(flow.id for flow in flows) == ["activation_call", "callback"]
