"""Tests for dialogue/domain.py: loading, merging and validating Rasa 3 domain files."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from dialogue.domain import (
    BUILTIN_ACTIONS,
    DEFAULT_INTENTS,
    Domain,
    MappingCondition,
    MappingType,
    SlotType,
)
from dialogue.errors import DomainError
from nlu.errors import TrainingDataError

BOTS_DIR = Path(__file__).resolve().parents[2] / "bots"

FULL_DOMAIN = """\
version: "3.1"
intents:
  - greet
  - redeem:
      use_entities:
        - amount
        - product
  - inform
  - chitchat:
      use_entities: false
  - deny:
      ignore_entities:
        - account
entities:
  - amount
  - product
  - account:
      roles:
        - from
        - to
      groups:
        - g1
slots:
  amount:
    type: text
    mappings:
      - type: from_entity
        entity: amount
        intent: [redeem, inform]
  product:
    type: text
    influence_conversation: false
    mappings:
      - type: from_entity
        entity: product
        not_intent: chitchat
  from_account:
    type: text
    mappings:
      - type: from_entity
        entity: account
        role: from
        conditions:
          - active_loop: redeem_form
            requested_slot: from_account
  confirmed:
    type: bool
    initial_value: false
    mappings:
      - type: from_intent
        intent: greet
        value: true
      - type: from_trigger_intent
        intent: inform
        value: false
  risk_level:
    type: categorical
    values: [保守型, 稳健型, 进取型]
    initial_value: 稳健型
    mappings:
      - type: custom
        action: action_fetch_risk
  ratio:
    type: float
    min_value: 0
    max_value: 100
    mappings:
      - type: from_text
        conditions:
          - active_loop: redeem_form
  products:
    type: list
    initial_value: []
    mappings:
      - type: from_entity
        entity: product
  note:
    type: any
    mappings: []
responses:
  utter_greet:
    - text: "您好，{name}！"
    - text: "欢迎回来，请问有什么可以帮您？"
      channel: wechat
  utter_ask_amount:
    text: "请问赎回多少？"
  utter_confirm:
    - text: "确认赎回{amount}吗？"
      buttons:
        - title: 确认
          payload: /affirm
        - title: 取消
          payload: /deny
  utter_risk:
    - text: "您是保守型投资者。"
      condition:
        - type: slot
          name: risk_level
          value: 保守型
    - text: "请根据风险等级选择产品。"
  utter_card:
    - image: "https://example.com/card.png"
  utter_payload:
    - custom:
        type: card
        body: {"title": "{product}"}
actions:
  - action_fetch_risk
  - action_transfer:
      send_domain: true
  - utter_greet
forms:
  redeem_form:
    required_slots:
      - amount
      - from_account
    ignored_intents: chitchat
session_config:
  session_expiration_time: 30
  carry_over_slots_to_new_session: false
"""


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.from_yaml(FULL_DOMAIN, "domain.yml")


def test_domain_load_reads_file_path(tmp_path: Path) -> None:
    path = _write(tmp_path, "domain.yml", FULL_DOMAIN)
    loaded = Domain.load(path)
    assert loaded == Domain.load(str(path))
    assert loaded.location("slot", "amount").path == str(path)  # type: ignore[union-attr]


def test_domain_intents_keep_declared_order_then_defaults(domain: Domain) -> None:
    assert domain.intents[:5] == ["greet", "redeem", "inform", "chitchat", "deny"]
    assert set(DEFAULT_INTENTS) <= set(domain.intents)


def test_domain_used_entities_follow_intent_options(domain: Domain) -> None:
    assert domain.used_entities("redeem") == ["amount", "product"]
    assert domain.used_entities("chitchat") == []
    assert domain.used_entities("deny") == ["amount", "product"]
    assert domain.used_entities("greet") == ["amount", "product", "account"]


def test_domain_entities_have_roles_and_groups(domain: Domain) -> None:
    assert domain.entities == ["amount", "product", "account"]
    assert domain.entity_specs["account"].roles == ("from", "to")
    assert domain.entity_specs["account"].groups == ("g1",)


def test_domain_slots_are_typed(domain: Domain) -> None:
    slots = domain.slots
    assert slots["amount"].type is SlotType.TEXT and slots["amount"].influence_conversation
    assert slots["product"].influence_conversation is False
    assert slots["risk_level"].values == ["保守型", "稳健型", "进取型"]
    assert (slots["ratio"].min_value, slots["ratio"].max_value) == (0.0, 100.0)
    assert slots["note"].type is SlotType.ANY and slots["note"].influence_conversation is False
    assert slots["products"].type is SlotType.LIST


def test_domain_slot_mappings_keep_every_option(domain: Domain) -> None:
    amount = domain.slots["amount"].mappings[0]
    assert amount.type is MappingType.FROM_ENTITY and amount.intent == ("redeem", "inform")
    assert domain.slots["product"].mappings[0].not_intent == ("chitchat",)
    account = domain.slots["from_account"].mappings[0]
    assert account.role == "from"
    assert account.conditions == (MappingCondition("redeem_form", "from_account"),)
    confirmed = domain.slots["confirmed"].mappings
    assert [(m.type, m.value) for m in confirmed] == [
        (MappingType.FROM_INTENT, True),
        (MappingType.FROM_TRIGGER_INTENT, False),
    ]
    assert domain.slots["risk_level"].mappings[0].action == "action_fetch_risk"
    assert domain.slots["ratio"].mappings[0].conditions == (MappingCondition("redeem_form", None),)


def test_domain_slot_defaults_are_initial_values(domain: Domain) -> None:
    defaults = domain.slot_defaults()
    assert defaults["confirmed"] is False
    assert defaults["risk_level"] == "稳健型"
    assert defaults["amount"] is None
    assert defaults["requested_slot"] is None  # the domain has forms
    defaults["products"].append("x")
    assert domain.slot_defaults()["products"] == []  # a fresh copy each time


def test_domain_responses_parse_variations(domain: Domain) -> None:
    greet = domain.responses["utter_greet"]
    assert [v.channel for v in greet] == [None, "wechat"]
    assert domain.responses["utter_ask_amount"][0].text == "请问赎回多少？"  # one variation, not a list
    assert domain.responses["utter_confirm"][0].buttons == [
        {"title": "确认", "payload": "/affirm"},
        {"title": "取消", "payload": "/deny"},
    ]
    risk = domain.responses["utter_risk"]
    assert risk[0].condition == [{"type": "slot", "name": "risk_level", "value": "保守型"}]
    assert risk[1].condition == []
    assert domain.responses["utter_card"][0].image == "https://example.com/card.png"
    assert domain.responses["utter_payload"][0].custom == {"type": "card", "body": {"title": "{product}"}}


def test_domain_actions_forms_and_session(domain: Domain) -> None:
    assert domain.actions == ["action_fetch_risk", "action_transfer", "utter_greet"]
    assert domain.actions_sending_domain == frozenset({"action_transfer"})
    form = domain.forms["redeem_form"]
    assert form.required_slots == ["amount", "from_account"]
    assert form.ignored_intents == ["chitchat"]
    assert domain.session_config.session_expiration_time == 30
    assert domain.session_config.expiration_seconds == 1800
    assert domain.session_config.carry_over_slots_to_new_session is False


def test_domain_action_names_are_builtins_responses_actions_forms(domain: Domain) -> None:
    names = domain.action_names
    assert names[: len(BUILTIN_ACTIONS)] == list(BUILTIN_ACTIONS)
    assert names.count("utter_greet") == 1
    assert names[-1] == "redeem_form"
    assert {"action_fetch_risk", "action_transfer", "utter_payload"} <= set(names)
    assert len(BUILTIN_ACTIONS) == 14 and "action_extract_slots" in BUILTIN_ACTIONS


def test_domain_as_dict_has_rasa_keys_and_round_trips(domain: Domain) -> None:
    data = domain.as_dict()
    keys = {"config", "session_config", "intents", "entities", "slots", "responses", "actions", "forms"}
    assert keys <= set(data)
    assert data["forms"]["redeem_form"]["required_slots"] == ["amount", "from_account"]
    assert data["slots"]["risk_level"]["type"] == "categorical"
    assert {"redeem": {"use_entities": ["amount", "product"]}} in data["intents"]
    assert {"action_transfer": {"send_domain": True}} in data["actions"]
    assert Domain.from_dict(data) == domain


def test_domain_is_empty() -> None:
    assert Domain.empty().is_empty()
    assert Domain.from_yaml('version: "3.1"\n').is_empty()
    assert not Domain.from_yaml("intents:\n  - greet\n").is_empty()


def test_domain_yaml_12_booleans_keep_yes_and_no_as_text() -> None:
    loaded = Domain.from_yaml("slots:\n  answer:\n    type: categorical\n    values: [yes, no, on]\n")
    assert loaded.slots["answer"].values == ["yes", "no", "on"]


def test_domain_merges_a_folder_and_skips_data_files(tmp_path: Path) -> None:
    _write(tmp_path, "domain/intents.yml", "intents:\n  - greet\n  - redeem\nentities:\n  - amount\n")
    _write(
        tmp_path,
        "domain/slots/amount.yml",
        "intents:\n  - greet\nslots:\n  amount:\n    type: text\n    mappings:\n"
        "      - type: from_entity\n        entity: amount\n",
    )
    _write(tmp_path, "domain/responses.yaml", 'responses:\n  utter_greet:\n    - text: "您好"\n')
    _write(tmp_path, "domain/nlu.yml", "nlu:\n  - intent: greet\n    examples: |\n      - 你好\n")
    merged = Domain.load(tmp_path / "domain")
    assert merged.intents[:2] == ["greet", "redeem"]
    assert list(merged.responses) == ["utter_greet"]
    assert merged.slots["amount"].mappings[0].entity == "amount"  # entity declared in another file


def test_domain_load_accepts_a_list_of_files(tmp_path: Path) -> None:
    first = _write(tmp_path, "a.yml", "intents:\n  - greet\n")
    second = _write(tmp_path, "b.yml", "intents:\n  - goodbye\n")
    assert Domain.load([first, second]).intents[:2] == ["greet", "goodbye"]


def test_domain_conflicting_duplicate_across_files_names_both_places(tmp_path: Path) -> None:
    first = _write(tmp_path, "a.yml", "slots:\n  amount:\n    type: text\n")
    second = _write(tmp_path, "b.yml", "entities:\n  - amount\nslots:\n  amount:\n    type: float\n")
    with pytest.raises(DomainError) as info:
        Domain.load([first, second])
    assert info.value.code == "DOM040"
    assert info.value.path == str(second) and info.value.line == 4
    assert f"{first}:2" in str(info.value)


def test_domain_duplicate_key_in_one_file_is_an_error() -> None:
    text = 'responses:\n  utter_a:\n    - text: "一"\n  utter_a:\n    - text: "二"\n'
    with pytest.raises(DomainError) as info:
        Domain.from_yaml(text, "d.yml")
    assert (info.value.code, info.value.line) == ("DOM040", 4)


def _error(text: str) -> DomainError:
    with pytest.raises(DomainError) as info:
        Domain.from_yaml(text, "bad.yml")
    return info.value


SLOT_OF = "slots:\n  s:\n{body}"
ERROR_CASES = [
    ("slots:\n  s:\n    type: txt\n", "DOM010", 3),
    ("slots:\n  s:\n    mappings: []\n", "DOM010", 2),
    ("slots:\n  s:\n    type: unfeaturized\n", "DOM010", 3),
    ("slots:\n  s:\n    type: categorical\n", "DOM011", 2),
    ("slots:\n  s:\n    type: categorical\n    values: []\n", "DOM011", 4),
    ("slots:\n  s:\n    type: any\n    influence_conversation: true\n", "DOM012", 4),
    ("slots:\n  s:\n    type: bool\n    initial_value: 是\n", "DOM012", 4),
    ("slots:\n  s:\n    type: categorical\n    values: [a]\n    initial_value: b\n", "DOM012", 5),
    ("slots:\n  s:\n    type: float\n    min_value: 5\n    max_value: 1\n", "DOM012", 4),
    ("slots:\n  s:\n    type: text\n    auto_fill: false\n", "DOM012", 4),
    ("slots:\n  s:\n    type: text\n    mappings:\n      - type: from_llm\n", "DOM013", 5),
    ("slots:\n  s:\n    type: text\n    mappings:\n      - type: from_entity\n", "DOM013", 5),
    (
        "slots:\n  s:\n    type: text\n    mappings:\n      - type: from_intent\n        intent: a\n",
        "DOM013",
        5,
    ),
    (
        "slots:\n  s:\n    type: text\n    mappings:\n      - type: from_entity\n        entity: amount\n",
        "DOM014",
        5,
    ),
    (
        "entities: [account]\nslots:\n  s:\n    type: text\n    mappings:\n"
        "      - type: from_entity\n        entity: account\n        role: from\n",
        "DOM014",
        6,
    ),
    (
        "slots:\n  s:\n    type: text\n    mappings:\n      - type: from_text\n        intent: inform\n",
        "DOM015",
        5,
    ),
    (
        "slots:\n  s:\n    type: text\n    mappings:\n      - type: from_text\n"
        "        conditions:\n          - active_loop: missing_form\n",
        "DOM016",
        5,
    ),
    ("responses:\n  utter_a:\n    - channel: wechat\n", "DOM020", 3),
    ("responses:\n  utter_a: []\n", "DOM020", 2),
    ("responses:\n  utter_a:\n    - txt: 你好\n", "DOM021", 3),
    ("responses:\n  utter_a:\n    - text: 你好\n      buttons:\n        - payload: /x\n", "DOM021", 5),
    (
        "responses:\n  utter_a:\n    - text: 你好\n"
        "      condition:\n        - type: slot\n          name: missing\n",
        "DOM022",
        3,
    ),
    ("actions:\n  - utter_missing\n", "DOM023", 2),
    ("forms:\n  f:\n    required_slots:\n      - amount\n", "DOM030", 4),
    ("forms:\n  f:\n    required_slots:\n      amount:\n        - type: from_text\n", "DOM031", 3),
    ("intents:\n  - a:\n      use_entities: [missing]\n", "DOM041", 2),
    ("session_config:\n  session_expiration_time: -1\n", "DOM042", 2),
    ("intent:\n  - greet\n", "DOM003", 1),
    ("intents: greet\n", "DOM004", 1),
    ("intents:\n  - [a, b]\n", "DOM004", 2),
    ("intents:\n  - greet\n  bad: [\n", "DOM002", 3),
]
ERROR_IDS = [
    "unknown-slot-type",
    "slot-without-type",
    "rasa2-unfeaturized",
    "categorical-no-values",
    "categorical-empty-values",
    "any-slot-influences",
    "bool-initial-text",
    "categorical-initial-not-a-value",
    "float-min-over-max",
    "unknown-slot-key",
    "unknown-mapping-type",
    "from-entity-without-entity",
    "from-intent-without-value",
    "mapping-undeclared-entity",
    "mapping-undeclared-role",
    "mapping-undeclared-intent",
    "condition-unknown-loop",
    "response-without-content",
    "response-no-variations",
    "response-unknown-key",
    "button-without-title",
    "condition-undeclared-slot",
    "utter-action-without-response",
    "form-undeclared-slot",
    "form-rasa2-required-slots",
    "use-entities-undeclared",
    "negative-session-time",
    "unknown-section",
    "section-not-a-list",
    "intent-entry-not-a-name",
    "invalid-yaml",
]


@pytest.mark.parametrize(("text", "code", "line"), ERROR_CASES, ids=ERROR_IDS)
def test_domain_invalid_content_raises_located_error(text: str, code: str, line: int) -> None:
    error = _error(text)
    assert (error.code, error.line, error.path) == (code, line, "bad.yml")
    assert isinstance(error, TrainingDataError)
    assert str(error).startswith(f"bad.yml:{line}")


def test_domain_error_has_fix_hint() -> None:
    error = _error("slots:\n  s:\n    type: unfeaturized\n")
    assert "any" in error.hint


def test_domain_missing_path_raises(tmp_path: Path) -> None:
    with pytest.raises(DomainError) as info:
        Domain.load(tmp_path / "nope.yml")
    assert info.value.code == "DOM001"


def test_domain_non_utf8_file_raises(tmp_path: Path) -> None:
    path = tmp_path / "gbk.yml"
    path.write_bytes("intents:\n  - 问候\n".encode("gbk"))
    with pytest.raises(DomainError) as info:
        Domain.load(path)
    assert info.value.code == "DOM002"


BOT_DOMAINS = sorted(BOTS_DIR.glob("*/domain.yml"))


@pytest.mark.parametrize("path", BOT_DOMAINS, ids=[p.parent.name for p in BOT_DOMAINS])
def test_domain_loads_every_bot(path: Path) -> None:
    loaded = Domain.load(path)
    assert not loaded.is_empty()
    assert loaded.responses and loaded.intents
    for spec in loaded.slots.values():
        for mapping in spec.mappings:
            if mapping.type is MappingType.FROM_ENTITY:
                assert mapping.entity in loaded.entities
    assert Domain.from_dict(loaded.as_dict()) == loaded


def test_domain_bots_are_all_covered() -> None:
    names = {p.parent.name for p in BOT_DOMAINS}
    assert {"service", "advisory", "breakpoint", "outbound", "rasa_example"} <= names


def test_domain_load_of_a_bot_folder_skips_config_and_data() -> None:
    folder = BOTS_DIR / "rasa_example"
    assert Domain.load(folder) == Domain.load(folder / "domain.yml")


def test_domain_rasa_example_keeps_entity_roles() -> None:
    loaded = Domain.load(BOTS_DIR / "rasa_example" / "domain.yml")
    assert loaded.entity_specs["account"].roles == ("from", "to")
    assert loaded.actions == ["action_check_balance", "action_transfer_money"]
