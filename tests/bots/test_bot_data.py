"""Checks on the four robots' Rasa-format data and the Rasa example bot.

Every bot's ``data/`` must load with the NLU loader against the entities its
``domain.yml`` declares, intents must match the domain both ways, each bot must
have enough intents and examples, no utterance may be filed under two intents,
and no response may promise returns or name a product without a risk notice.
"""

from __future__ import annotations

from collections import defaultdict
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from nlu.training_data import TrainingData, load_training_data

BOTS_DIR = Path(__file__).resolve().parents[2] / "bots"

# bot -> (minimum number of intents, minimum examples per intent)
MINIMUMS: dict[str, tuple[int, int]] = {
    "service": (30, 25),
    "advisory": (20, 25),
    "breakpoint": (12, 20),
    "outbound": (12, 20),
    "rasa_example": (5, 10),
}
BOTS = sorted(MINIMUMS)

FORBIDDEN_PROMISES = ("保本", "稳赚", "零风险", "保收益", "保证收益", "年化保证", "无风险")
RISK_NOTICE_WORD = "风险"


@cache
def _domain(bot: str) -> dict[str, Any]:
    with (BOTS_DIR / bot / "domain.yml").open(encoding="utf-8") as handle:
        loaded = yaml.safe_load(handle)
    assert isinstance(loaded, dict), f"{bot}/domain.yml is not a mapping"
    return loaded


def _names(items: list[Any] | None) -> list[str]:
    """Intent/entity names from a domain list (plain names or one-key mappings)."""
    names: list[str] = []
    for item in items or []:
        names.append(next(iter(item)) if isinstance(item, dict) else str(item))
    return names


@cache
def _data(bot: str) -> TrainingData:
    entities = _names(_domain(bot).get("entities"))
    return load_training_data([BOTS_DIR / bot / "data"], known_entities=entities)


def _response_texts(bot: str) -> list[tuple[str, str]]:
    texts: list[tuple[str, str]] = []
    for name, variants in (_domain(bot).get("responses") or {}).items():
        for variant in variants:
            texts.append((name, str(variant.get("text", ""))))
    return texts


def _product_names(bot: str) -> set[str]:
    data = _data(bot)
    names = set(data.lookups.get("product", []))
    for example in data.examples:
        names.update(example.text[a.start : a.end] for a in example.entities if a.entity == "product")
    return names


@pytest.mark.parametrize("bot", BOTS)
def test_bot_config_declares_assistant_and_language(bot: str) -> None:
    with (BOTS_DIR / bot / "config.yml").open(encoding="utf-8") as handle:
        config = yaml.safe_load(handle)
    assert config["language"] == "zh"
    assert config["assistant_id"] == bot
    assert config["pipeline"], f"{bot}/config.yml has an empty pipeline"


# intents that only arrive as "/intent" payloads from a platform, never typed by customers
PAYLOAD_ONLY_INTENTS = {"outbound": {"call_started"}}


@pytest.mark.parametrize("bot", BOTS)
def test_bot_data_intents_match_domain(bot: str) -> None:
    data_intents = set(_data(bot).intents)
    domain_intents = set(_names(_domain(bot).get("intents")))
    assert data_intents - domain_intents == set(), "intents missing from domain.yml"
    payload_only = PAYLOAD_ONLY_INTENTS.get(bot, set())
    assert domain_intents - data_intents - payload_only == set(), "domain intents without examples"


@pytest.mark.parametrize("bot", BOTS)
def test_bot_data_annotated_entities_declared(bot: str) -> None:
    data = _data(bot)
    declared = set(_names(_domain(bot).get("entities")))
    assert set(data.entity_types) <= declared
    assert set(data.lookups) <= declared, "lookup tables must name declared entities"


@pytest.mark.parametrize("bot", BOTS)
def test_bot_data_has_minimum_intents_and_examples(bot: str) -> None:
    min_intents, min_examples = MINIMUMS[bot]
    counts = _data(bot).intent_counts()
    assert len(counts) >= min_intents
    too_few = {intent: n for intent, n in counts.items() if n < min_examples}
    assert too_few == {}, f"intents with fewer than {min_examples} examples"


@pytest.mark.parametrize("bot", BOTS)
def test_bot_data_no_example_under_two_intents(bot: str) -> None:
    owners: dict[str, set[str]] = defaultdict(set)
    for example in _data(bot).intent_examples:
        owners[example.text.strip().lower()].add(str(example.intent))
    clashes = {text: sorted(intents) for text, intents in owners.items() if len(intents) > 1}
    assert clashes == {}


@pytest.mark.parametrize("bot", BOTS)
def test_bot_data_no_duplicate_example_within_intent(bot: str) -> None:
    seen: set[tuple[str | None, str]] = set()
    duplicates: list[str] = []
    for example in _data(bot).intent_examples:
        key = (example.intent, example.text.strip().lower())
        if key in seen:
            duplicates.append(f"{example.intent}: {example.text}")
        seen.add(key)
    assert duplicates == []


@pytest.mark.parametrize("bot", BOTS)
def test_bot_responses_promise_no_returns(bot: str) -> None:
    offending = [
        (name, text) for name, text in _response_texts(bot) if any(w in text for w in FORBIDDEN_PROMISES)
    ]
    assert offending == []


@pytest.mark.parametrize("bot", BOTS)
def test_bot_responses_naming_products_carry_risk_notice(bot: str) -> None:
    products = _product_names(bot)
    missing = [
        name
        for name, text in _response_texts(bot)
        if ("{product}" in text or any(p in text for p in products)) and RISK_NOTICE_WORD not in text
    ]
    assert missing == []


@pytest.mark.parametrize("bot", BOTS)
def test_bot_responses_cover_greeting_goodbye_and_help(bot: str) -> None:
    responses = set((_domain(bot).get("responses") or {}).keys())
    assert {"utter_greet", "utter_goodbye"} <= responses
    if bot != "rasa_example":
        assert "utter_help" in responses


def test_rasa_example_uses_rasa_component_names_and_policies() -> None:
    with (BOTS_DIR / "rasa_example" / "config.yml").open(encoding="utf-8") as handle:
        config = yaml.safe_load(handle)
    names = [step["name"] for step in config["pipeline"]]
    assert "JiebaTokenizer" in names and "DIETClassifier" in names
    assert names.count("CountVectorsFeaturizer") == 2
    assert {p["name"] for p in config["policies"]} == {"MemoizationPolicy", "RulePolicy", "TEDPolicy"}


def test_rasa_example_data_has_synonym_regex_lookup_and_roles() -> None:
    data = _data("rasa_example")
    assert data.synonyms and data.regexes and data.lookups
    assert any(a.role for e in data.examples for a in e.entities), "no role annotation"
    assert any(a.value != e.text[a.start : a.end] for e in data.examples for a in e.entities), (
        "no [text](entity:value) annotation"
    )
