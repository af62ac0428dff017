"""API keys / JWT, CORS, WebSocket origins and per-sender rate limits on a real uvicorn server."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import jwt
import pytest
from fastapi import WebSocket
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect

from bots.agent import load_agent
from bots.server import create_app
from bots.settings import Settings
from channels.security import TokenBucketLimiter, origin_allowed, path_matches

BOT = Path(__file__).resolve().parents[1] / "fixtures" / "bots" / "wealth_mini"
API_KEY = "k-good-0123456789"
JWT_SECRET = "jwt-secret-for-tests-only-0123456789"
CORS_ORIGIN = "https://bank.example"


@pytest.fixture(scope="module")
def url(
    ops_bot: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory, live_server_factory
) -> Iterator[str]:  # noqa: ANN001
    bot, models = ops_bot
    settings = Settings(
        models_dir=models,
        tracker_store_url="memory://",
        api_keys=[API_KEY],
        jwt_secret=JWT_SECRET,
        cors_origins=[CORS_ORIGIN],
        rate_limit_per_second=0.01,  # one token per 100 s: the burst is all a sender gets here
        rate_limit_burst=3,
        log_format="none",
    )
    agent = load_agent(bot, settings)
    app = create_app({agent.name: agent.nlu}, agents={agent.name: agent}, settings=settings)

    @app.websocket("/ws-test")  # a public WebSocket route (the chat channel mounts its own)
    async def echo(websocket: WebSocket) -> None:
        await websocket.accept()
        await websocket.send_text(await websocket.receive_text())
        await websocket.close()

    @app.websocket("/push/ws-test")  # under a protected prefix
    async def protected_echo(websocket: WebSocket) -> None:
        await echo(websocket)

    with live_server_factory(app) as server:
        yield server.url


def token(exp_in_s: float, secret: str = JWT_SECRET, **claims: object) -> str:
    return jwt.encode({"sub": "crm", "exp": int(time.time() + exp_in_s), **claims}, secret, algorithm="HS256")


TRACKER = "/conversations/u1/tracker"
PROTECTED = [
    ("GET", TRACKER, None),
    ("GET", "/bots/wealth_mini/conversations/u1/tracker", None),
    ("POST", "/model/parse", {"text": "你好"}),
    ("POST", "/bots/wealth_mini/model/parse", {"text": "你好"}),
]


@pytest.mark.parametrize(
    ("method", "path", "body"), PROTECTED, ids=["tracker", "bot-tracker", "parse", "bot-parse"]
)
@pytest.mark.parametrize(
    "headers",
    [{}, {"X-API-Key": "wrong"}, {"Authorization": "Bearer wrong"}, {"Authorization": f"Basic {API_KEY}"}],
    ids=["none", "wrong-key", "wrong-bearer", "basic-scheme"],
)
def test_auth_rejects_missing_or_wrong_credentials(
    url: str, method: str, path: str, body: object, headers: dict
) -> None:
    response = httpx.request(method, url + path, json=body, headers=headers)
    assert response.status_code == 401
    assert response.json()["error"] == "unauthorized"
    assert response.json()["message"]
    assert response.headers["www-authenticate"] == "Bearer"


@pytest.mark.parametrize(
    ("method", "path", "body"), PROTECTED, ids=["tracker", "bot-tracker", "parse", "bot-parse"]
)
@pytest.mark.parametrize(
    "headers",
    [{"X-API-Key": API_KEY}, {"Authorization": f"Bearer {API_KEY}"}],
    ids=["x-api-key", "bearer-key"],
)
def test_auth_accepts_api_key(url: str, method: str, path: str, body: object, headers: dict) -> None:
    assert httpx.request(method, url + path, json=body, headers=headers).status_code == 200


def test_auth_accepts_valid_jwt(url: str) -> None:
    response = httpx.get(url + TRACKER, headers={"Authorization": f"Bearer {token(60)}"})
    assert response.status_code == 200
    assert response.json()["sender_id"] == "u1"


@pytest.mark.parametrize(
    ("bearer", "reason"),
    [
        (lambda: token(-60), "expired"),
        (lambda: token(60, secret="another-secret-0123456789abcdef-0123"), "invalid token"),
        (lambda: jwt.encode({"sub": "crm"}, JWT_SECRET, algorithm="HS256"), "exp"),
        (lambda: token(60)[:-3] + "abc", "invalid token"),
    ],
    ids=["expired", "wrong-secret", "no-exp", "tampered"],
)
def test_auth_rejects_bad_jwt(url: str, bearer, reason: str) -> None:  # noqa: ANN001
    response = httpx.get(url + TRACKER, headers={"Authorization": f"Bearer {bearer()}"})
    assert response.status_code == 401
    assert reason in response.json()["message"]


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/health", None),
        ("GET", "/health/live", None),
        ("GET", "/bots", None),
        ("GET", "/metrics", None),
        ("POST", "/webhooks/rest/webhook", {"sender": "public-1", "message": "你好"}),
        ("POST", "/bots/wealth_mini/webhooks/rest/webhook", {"sender": "public-2", "message": "你好"}),
    ],
    ids=["health", "live", "bots", "metrics", "webhook", "bot-webhook"],
)
def test_auth_leaves_public_paths_open(url: str, method: str, path: str, body: object) -> None:
    assert httpx.request(method, url + path, json=body).status_code == 200


def test_cors_preflight_allows_configured_origin_only(url: str) -> None:
    preflight = {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"}
    allowed = httpx.options(f"{url}/webhooks/rest/webhook", headers={"Origin": CORS_ORIGIN, **preflight})
    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == CORS_ORIGIN
    assert "POST" in allowed.headers["access-control-allow-methods"]
    # a preflight to a protected path needs no key (browsers never send one)
    protected = httpx.options(
        url + TRACKER, headers={"Origin": CORS_ORIGIN, "Access-Control-Request-Method": "GET"}
    )
    assert protected.status_code == 200
    other = httpx.options(
        f"{url}/webhooks/rest/webhook", headers={"Origin": "https://evil.example", **preflight}
    )
    assert other.status_code == 400
    assert "access-control-allow-origin" not in other.headers


def test_cors_headers_on_simple_request_and_on_401(url: str) -> None:
    ok = httpx.get(f"{url}/health", headers={"Origin": CORS_ORIGIN})
    assert ok.headers["access-control-allow-origin"] == CORS_ORIGIN
    denied = httpx.get(url + TRACKER, headers={"Origin": CORS_ORIGIN})
    assert denied.status_code == 401
    assert denied.headers["access-control-allow-origin"] == CORS_ORIGIN


def ws_url(url: str, path: str) -> str:
    return url.replace("http://", "ws://") + path


@pytest.mark.parametrize(
    "origin",
    [None, "http://localhost:3000", "http://127.0.0.1:8080", "same"],
    ids=["no-origin", "localhost", "loopback", "same-origin"],
)
def test_websocket_origin_allowed(url: str, origin: str | None) -> None:
    origin = url if origin == "same" else origin
    with connect(ws_url(url, "/ws-test"), origin=origin, open_timeout=10) as socket:  # type: ignore[arg-type]
        socket.send("你好")
        assert socket.recv(timeout=10) == "你好"


@pytest.mark.parametrize(
    "origin",
    ["https://evil.example", "http://localhost.evil.example", CORS_ORIGIN],
    ids=["evil", "lookalike", "cors"],
)
def test_websocket_origin_rejected_with_403(url: str, origin: str) -> None:
    # CORS origins are for HTTP; WebSocket origins have their own list (default: same + localhost)
    with pytest.raises(InvalidStatus) as caught:
        connect(ws_url(url, "/ws-test"), origin=origin, open_timeout=10)  # type: ignore[arg-type]
    assert caught.value.response.status_code == 403
    assert b"forbidden" in caught.value.response.body


def test_websocket_protected_path_needs_credentials(url: str) -> None:
    with pytest.raises(InvalidStatus) as caught:
        connect(ws_url(url, "/push/ws-test"), open_timeout=10)
    assert caught.value.response.status_code == 401
    with connect(ws_url(url, f"/push/ws-test?api_key={API_KEY}"), open_timeout=10) as socket:
        socket.send("ping")
        assert socket.recv(timeout=10) == "ping"
    headers = {"Authorization": f"Bearer {token(60)}"}
    with connect(ws_url(url, "/push/ws-test"), additional_headers=headers, open_timeout=10) as socket:
        socket.send("ping")
        assert socket.recv(timeout=10) == "ping"


def test_rate_limit_answers_429_after_the_burst(url: str) -> None:
    webhook = f"{url}/webhooks/rest/webhook"
    statuses = [
        httpx.post(webhook, json={"sender": "chatty", "message": "你好"}, timeout=30) for _ in range(4)
    ]
    assert [r.status_code for r in statuses] == [200, 200, 200, 429]
    limited = statuses[-1]
    assert limited.json()["error"] == "rate_limited"
    assert int(limited.headers["retry-after"]) >= 1
    # another sender has its own bucket, on the per-bot path too
    other = httpx.post(
        f"{url}/bots/wealth_mini/webhooks/rest/webhook", json={"sender": "quiet", "message": "你好"}
    )
    assert other.status_code == 200
    # the limited sender's messages never reached the bot
    events = httpx.get(url + "/conversations/chatty/tracker", headers={"X-API-Key": API_KEY}).json()["events"]
    assert sum(e["event"] == "user" for e in events) == 3


def test_body_size_limit_still_applies(url: str) -> None:
    response = httpx.post(f"{url}/webhooks/rest/webhook", json={"sender": "big", "message": "赎" * 30_000})
    assert response.status_code == 413
    assert response.json()["error"] == "request_too_large"


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/conversations/u1/tracker", True),
        ("/bots/service/conversations/u1/trigger", True),
        ("/bots/service/webhooks/rest/webhook", False),
        ("/conversationsX", False),
        ("/bots", False),
        ("/model/parse", True),
    ],
    ids=["tracker", "bot-trigger", "webhook", "prefix-not-segment", "bots-list", "parse"],
)
def test_path_matches_whole_segments(path: str, expected: bool) -> None:
    patterns = ["/conversations", "/bots/*/conversations", "/model/parse"]
    assert path_matches(path, patterns) is expected


def test_origin_allowed_rules() -> None:
    assert origin_allowed("https://a.example", "a.example", [])  # same origin
    assert origin_allowed("http://localhost:5173", "bank.example", [])
    assert not origin_allowed("http://localhost:5173", "bank.example", ["https://bank.example"])
    assert origin_allowed("https://x.example", "bank.example", ["*"])
    assert origin_allowed("https://bank.example/", "other", ["https://bank.example"])


def test_token_bucket_refills_at_its_rate() -> None:
    now = [0.0]
    limiter = TokenBucketLimiter(rate=2.0, burst=2, clock=lambda: now[0])
    assert [limiter.take("a"), limiter.take("a")] == [0.0, 0.0]
    assert limiter.take("a") == pytest.approx(0.5)
    now[0] = 0.5
    assert limiter.take("a") == 0.0
    assert limiter.take("b") == 0.0  # keys are independent


def test_token_bucket_memory_is_bounded() -> None:
    now = [0.0]
    limiter = TokenBucketLimiter(rate=1.0, burst=1, max_keys=10, clock=lambda: now[0])
    for i in range(100):
        now[0] += 0.001
        limiter.take(f"sender-{i}")
    assert len(limiter._buckets) <= 10
