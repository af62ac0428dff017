from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from bots.server import create_app
from bots.training import load_bot_model, train_bot


@pytest.fixture(scope="module")
def server_url(
    small_bot: Path, tmp_path_factory: pytest.TempPathFactory, live_server_factory
) -> Iterator[str]:
    models = tmp_path_factory.mktemp("models")
    train_bot(small_bot, models)
    app = create_app({"mini": load_bot_model(models, "mini")}, max_request_bytes=10_000)
    with live_server_factory(app) as server:
        yield server.url


def test_server_parse_returns_rasa_shape(server_url: str) -> None:
    response = httpx.post(f"{server_url}/model/parse", json={"text": "我要赎回五万块", "message_id": "m1"})
    assert response.status_code == 200
    body = response.json()
    assert body["text"] == "我要赎回五万块"
    assert body["intent"]["name"] == "redeem"
    assert 0 < body["intent"]["confidence"] <= 1
    assert body["message_id"] == "m1"
    assert {"entities", "intent_ranking", "corrections", "emotion", "normalized_text"} <= set(body)
    amount = [e for e in body["entities"] if e["entity"] == "amount"]
    assert amount and amount[0]["value"] == 50000
    assert body["text"][amount[0]["start"] : amount[0]["end"]].startswith("五万")


def test_server_parse_for_named_bot_and_unknown_bot(server_url: str) -> None:
    ok = httpx.post(f"{server_url}/bots/mini/model/parse", json={"text": "你好"})
    assert ok.status_code == 200 and ok.json()["intent"]["name"] == "greet"
    missing = httpx.post(f"{server_url}/bots/nobot/model/parse", json={"text": "你好"})
    assert missing.status_code == 404
    assert missing.json()["error"] == "not_found"
    assert "nobot" in missing.json()["message"]


@pytest.mark.parametrize(
    ("content", "headers"),
    [
        (b"{not json", {"content-type": "application/json"}),
        (b'{"text": "\xff\xfe"}', {"content-type": "application/json"}),
        (b'{"message": "no text field"}', {"content-type": "application/json"}),
        (b'{"text": 123}', {"content-type": "application/json"}),
    ],
    ids=["invalid-json", "invalid-utf8", "missing-text", "text-not-string"],
)
def test_server_bad_request_is_400_with_message(server_url: str, content: bytes, headers: dict) -> None:
    response = httpx.post(f"{server_url}/model/parse", content=content, headers=headers)
    assert response.status_code == 400
    assert response.json()["message"]


def test_server_oversized_body_is_413(server_url: str) -> None:
    response = httpx.post(f"{server_url}/model/parse", json={"text": "赎" * 20_000})
    assert response.status_code == 413


@pytest.mark.parametrize(
    "text",
    ["", "   ", "😀😀😀", "赎回fund ABC 基金 😡!!", "\x00\x07控制\u200b字符", "ｆｕｌｌ　ｗｉｄｔｈ　１０万"],
    ids=["empty", "spaces", "emoji", "mixed", "control-chars", "full-width"],
)
def test_server_odd_text_still_parses(server_url: str, text: str) -> None:
    response = httpx.post(f"{server_url}/model/parse", json={"text": text})
    assert response.status_code == 200
    body = response.json()
    assert body["text"] == text
    for entity in body["entities"]:
        assert 0 <= entity["start"] <= entity["end"] <= len(text)


def test_server_health_and_openapi(server_url: str) -> None:
    assert httpx.get(f"{server_url}/health").json() == {"status": "ok", "bots": ["mini"]}
    assert "/model/parse" in httpx.get(f"{server_url}/openapi.json").json()["paths"]


def test_server_chunked_oversized_body_is_413(server_url: str) -> None:
    def chunks():  # noqa: ANN202 - a streamed body has no content-length header
        for _ in range(10):
            yield ('{"text": "' + "赎" * 1000).encode() if _ == 0 else ("赎" * 1000).encode()

    response = httpx.post(
        f"{server_url}/model/parse", content=chunks(), headers={"content-type": "application/json"}
    )
    assert response.status_code == 413
    assert response.json()["error"] == "request_too_large"
