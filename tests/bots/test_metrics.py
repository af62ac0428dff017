"""Prometheus metrics at /metrics after real conversations over a real uvicorn server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import prometheus_client
import pytest
from prometheus_client.parser import text_string_to_metric_families

from bots.agent import load_agent
from bots.server import create_app
from bots.settings import Settings

BOT = Path(__file__).resolve().parents[1] / "fixtures" / "bots" / "wealth_mini"


def serve(ops_bot, tmp_path_factory: pytest.TempPathFactory, live_server_factory, **overrides: object):  # noqa: ANN001, ANN201
    bot, models = ops_bot
    settings = Settings(models_dir=models, tracker_store_url="memory://", log_format="none", **overrides)
    agent = load_agent(bot, settings)
    app = create_app({agent.name: agent.nlu}, agents={agent.name: agent}, settings=settings)
    return live_server_factory(app)


@pytest.fixture
def url(ops_bot, tmp_path_factory: pytest.TempPathFactory, live_server_factory) -> Iterator[str]:  # noqa: ANN001
    with serve(ops_bot, tmp_path_factory, live_server_factory) as server:
        yield server.url


def say(url: str, sender: str, text: str) -> list[dict]:
    response = httpx.post(
        f"{url}/webhooks/rest/webhook", json={"sender": sender, "message": text}, timeout=30
    )
    assert response.status_code == 200, response.text
    return response.json()


def sample(text: str, name: str, **labels: str) -> float:
    """The sum of the samples called ``name`` whose labels include ``labels``."""
    total = 0.0
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            if s.name == name and labels.items() <= s.labels.items():
                total += s.value
    return total


def test_metrics_count_messages_latency_confidence_fallbacks_handoffs(url: str) -> None:
    say(url, "m1", "你好")
    say(url, "m1", "/nlu_fallback")  # what NLU answers for text it cannot place
    assert say(url, "m1", "转人工")[0]["text"] == "正在为您转接人工客服，请稍候。"
    response = httpx.get(f"{url}/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    text = response.text
    rest = {"bot": "wealth_mini", "channel": "rest"}
    assert sample(text, "wealthbot_messages_total", **rest) == 3
    assert sample(text, "wealthbot_turn_latency_seconds_count", **rest) == 3
    assert sample(text, "wealthbot_turn_latency_seconds_sum", **rest) > 0
    assert sample(text, "wealthbot_turn_errors_total", **rest) == 0
    assert sample(text, "wealthbot_turns_in_flight", bot="wealth_mini") == 0
    assert sample(text, "wealthbot_nlu_confidence_count", bot="wealth_mini") == 3
    assert 0 < sample(text, "wealthbot_nlu_confidence_sum", bot="wealth_mini") <= 3
    assert sample(text, "wealthbot_fallbacks_total", bot="wealth_mini") >= 1
    # asked for right after a clarify turn: the hand-off reason is low_confidence
    assert sample(text, "wealthbot_handoffs_total", bot="wealth_mini", reason="low_confidence") == 1
    webhook = {"method": "POST", "route": "/webhooks/rest/webhook", "status": "200"}
    assert sample(text, "wealthbot_http_requests_total", **webhook) == 3
    assert sample(text, "wealthbot_http_request_duration_seconds_count", method="POST") == 3


def test_metrics_label_routes_by_template_not_raw_path(url: str) -> None:
    assert httpx.get(f"{url}/conversations/13812345678/tracker").status_code == 200
    assert httpx.get(f"{url}/no/such/page").status_code == 404
    text = httpx.get(f"{url}/metrics").text
    assert "13812345678" not in text  # sender ids (here a phone number) never become labels
    tracker = {"method": "GET", "route": "/conversations/{sender_id}/tracker", "status": "200"}
    assert sample(text, "wealthbot_http_requests_total", **tracker) == 1
    assert sample(text, "wealthbot_http_requests_total", route="unmatched", status="404") == 1


def test_metrics_each_app_has_its_own_registry(ops_bot, tmp_path_factory: pytest.TempPathFactory) -> None:
    bot, models = ops_bot
    settings = Settings(models_dir=models, tracker_store_url="memory://", log_format="none")
    agent = load_agent(bot, settings)
    first = create_app({agent.name: agent.nlu}, agents={agent.name: agent}, settings=settings)
    second = create_app({agent.name: agent.nlu}, agents={agent.name: agent}, settings=settings)
    assert first.state.metrics.registry is not second.state.metrics.registry
    global_text = prometheus_client.generate_latest(prometheus_client.REGISTRY).decode()
    assert "wealthbot_" not in global_text


def test_metrics_can_be_off_or_protected(
    ops_bot, tmp_path_factory: pytest.TempPathFactory, live_server_factory
) -> None:  # noqa: ANN001
    with serve(ops_bot, tmp_path_factory, live_server_factory, metrics_enabled=False) as server:
        assert httpx.get(f"{server.url}/metrics").status_code == 404
        assert say(server.url, "off", "你好")  # turns still work unmetered
    key = "metrics-key-0123456789"
    with serve(
        ops_bot, tmp_path_factory, live_server_factory, protect_metrics=True, api_keys=[key]
    ) as server:
        assert httpx.get(f"{server.url}/metrics").status_code == 401
        assert httpx.get(f"{server.url}/metrics", headers={"X-API-Key": key}).status_code == 200
