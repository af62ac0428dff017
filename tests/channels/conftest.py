"""Fixtures for the channel tests: the small wealth bot, trained once, served by real uvicorn."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from bots.agent import BotAgent, load_agent
from bots.server import create_app
from bots.settings import Settings
from bots.training import train_bot
from dialogue.sdk import Action, CollectingDispatcher, DomainDict, EventType, Tracker

WEALTH_MINI = Path(__file__).resolve().parents[1] / "fixtures" / "bots" / "wealth_mini"
# bot text that must reach the screen as text, never as markup
HOSTILE_TEXT = '您的余额是 <img src=x onerror="window.__xss=1"> 元'
PIXEL = (
    "data:image/svg+xml;utf8,<svg xmlns='http://www.w3.org/2000/svg' width='120' height='40'>"
    "<rect width='120' height='40' fill='%23b8292f'/></svg>"
)
# sparse features only (no sentence encoder), no held-out calibration: gibberish still falls
# back (below 0.8), and the form's answers stay well above it
FAST_CONFIG = """recipe: default.v1
language: zh
assistant_id: wealth_mini
pipeline:
  - name: nlu.normalizer.v1
  - name: nlu.jieba_tokenizer.v1
  - name: nlu.rule_entities.v1
  - name: nlu.gazetteer.v1
  - name: nlu.synonym_mapper.v1
  - name: nlu.intent_classifier.v1
    encoder: none
    holdout_fraction: 0.0
    fallback_threshold: 0.8
"""
PRODUCT_CARD = {
    "type": "product_card",
    "title": "稳健一号",
    "code": "WJ0001",
    "risk_level": 2,
    "fields": [{"label": "近一年收益率", "value": "3.12%"}, {"label": "起购金额", "value": "1元"}],
}


class RichBalance(Action):
    """``action_check_balance``: text with markup in it, a button, an image and a product card."""

    def name(self) -> str:
        return "action_check_balance"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        dispatcher.utter_message(text=HOSTILE_TEXT, buttons=[{"title": "谢谢", "payload": "/thank"}])
        dispatcher.utter_message(image=PIXEL)
        dispatcher.utter_message(json_message=PRODUCT_CARD)
        return []


@pytest.fixture(scope="session")
def chat_bot(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """wealth_mini with a sparse-only intent classifier: trains in seconds, same dialogue."""
    root = tmp_path_factory.mktemp("chat_bots") / WEALTH_MINI.name
    shutil.copytree(WEALTH_MINI, root)
    (root / "config.yml").write_text(FAST_CONFIG, encoding="utf-8")
    return root


@pytest.fixture(scope="session")
def chat_models(chat_bot: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("chat_models")
    train_bot(chat_bot, folder)
    return folder


@pytest.fixture(scope="session")
def chat_settings(chat_models: Path, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return Settings(
        models_dir=chat_models,
        data_dir=tmp_path_factory.mktemp("chat_data"),
        tracker_store_url="memory://",
        log_format="none",
        access_log=False,
    )


def chat_agent(bot: Path, settings: Settings) -> BotAgent:
    """The wealth_mini bot with its rich balance action."""
    return load_agent(bot, settings, python_actions=[RichBalance()])


@pytest.fixture(scope="session")
def chat_agent_factory(chat_bot: Path, chat_settings: Settings) -> Callable[[], BotAgent]:
    """Makes a fresh wealth_mini agent (its own in-memory tracker store)."""
    return lambda: chat_agent(chat_bot, chat_settings)


@pytest.fixture(scope="session")
def hostile_text() -> str:
    return HOSTILE_TEXT


@pytest.fixture(scope="module")
def chat_server(chat_bot: Path, chat_settings: Settings, live_server_factory: Any) -> Iterator[Any]:
    """The whole app (REST, WebSocket, widget, demo page) serving wealth_mini."""
    agent = chat_agent(chat_bot, chat_settings)
    app = create_app({agent.name: agent.nlu}, agents={agent.name: agent}, settings=chat_settings)
    with live_server_factory(app) as server:
        yield server
