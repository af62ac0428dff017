"""Fixtures for the server tests: a fast copy of the fixture bot with a 转人工 rule."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bots.training import train_bot

BOT = Path(__file__).resolve().parents[1] / "fixtures" / "bots" / "wealth_mini"
# the fixture bot with a sparse-only intent model (trains in seconds) and a 转人工 rule
FAST_CONFIG = """recipe: default.v1
language: zh
pipeline:
  - name: nlu.normalizer.v1
  - name: nlu.jieba_tokenizer.v1
  - name: nlu.rule_entities.v1
  - name: nlu.gazetteer.v1
  - name: nlu.intent_classifier.v1
    encoder: none
    epochs: 10
"""
HUMAN_AGENT_NLU = """- intent: human_agent
  examples: |
    - 转人工
    - 我要人工客服
    - 找人工
    - 人工服务
    - 帮我转人工客服
    - 我要找真人
    - 转接人工
    - 人工
"""
HUMAN_AGENT_RULE = """- rule: 转人工
  steps:
  - intent: human_agent
  - action: action_handoff
"""


@pytest.fixture(scope="session")
def ops_bot(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The fast fixture bot and its models folder, trained once per test session."""
    return trained_ops_bot(tmp_path_factory)


def trained_ops_bot(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The fast fixture bot and its models, built once per test session (train skips when fresh)."""
    base = tmp_path_factory.getbasetemp() / "ops_bot"
    bot = base / "wealth_mini"
    if not bot.exists():
        shutil.copytree(BOT, bot)
        (bot / "config.yml").write_text(FAST_CONFIG, encoding="utf-8")
        with (bot / "data" / "nlu.yml").open("a", encoding="utf-8") as nlu:
            nlu.write(HUMAN_AGENT_NLU)
        with (bot / "data" / "rules.yml").open("a", encoding="utf-8") as rules:
            rules.write(HUMAN_AGENT_RULE)
        domain = (bot / "domain.yml").read_text(encoding="utf-8")
        (bot / "domain.yml").write_text(
            domain.replace("intents:\n", "intents:\n  - human_agent\n", 1), "utf-8"
        )
    train_bot(bot, base / "models")
    return bot, base / "models"
