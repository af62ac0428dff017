"""Who may call the server: API keys / JWT, WebSocket origins, per-sender rate limits.

Three plain ASGI middlewares (Starlette's ``BaseHTTPMiddleware`` costs milliseconds a request
and does not see WebSocket scopes):

- ``ApiAuth``: server-to-server paths need ``X-API-Key: <key>`` or ``Authorization: Bearer
  <key or HS256 JWT>``; 401 ``{"error": "unauthorized", "message"}`` otherwise.
- ``OriginGuard``: a WebSocket handshake from a browser page on another origin gets 403.
- ``RateLimit``: a token bucket per sender id (the REST webhook's ``sender``) or client IP;
  429 ``{"error": "rate_limited", "message"}`` with ``Retry-After``.

Path patterns match whole segments from the start; ``*`` stands for one segment:
``/bots/*/conversations`` covers ``/bots/service/conversations/u1/tracker``.
"""

from __future__ import annotations

import hmac
import json
import math
import time
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

import jwt

__all__ = [
    "ApiAuth",
    "AuthConfig",
    "OriginGuard",
    "RateLimit",
    "TokenBucketLimiter",
    "origin_allowed",
    "path_matches",
]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

_LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1", "[::1]"})


def path_matches(path: str, patterns: Iterable[str]) -> bool:
    """Whether ``path`` starts with one of ``patterns`` segment by segment (``*``: any one)."""
    parts = [p for p in path.split("/") if p]
    for pattern in patterns:
        wanted = [p for p in pattern.split("/") if p]
        if len(parts) >= len(wanted) and all(w in ("*", p) for w, p in zip(wanted, parts, strict=False)):
            return True
    return False


async def send_error(
    send: Send, status: int, error: str, message: str, headers: Iterable[tuple[str, str]] = ()
) -> None:
    """Answer an HTTP request with the uniform ``{"error", "message"}`` body."""
    body = json.dumps({"error": error, "message": message}, ensure_ascii=False).encode()
    raw = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    raw += [(k.lower().encode(), v.encode()) for k, v in headers]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body})


async def deny_websocket(scope: Scope, send: Send, status: int, error: str, message: str) -> None:
    """Refuse a WebSocket handshake: an HTTP error response where the server supports it, else 403."""
    if "websocket.http.response" in (scope.get("extensions") or {}):
        body = json.dumps({"error": error, "message": message}, ensure_ascii=False).encode()
        headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
        await send({"type": "websocket.http.response.start", "status": status, "headers": headers})
        await send({"type": "websocket.http.response.body", "body": body})
        return
    await send({"type": "websocket.close", "code": 1008, "reason": message[:120]})


def _headers(scope: Scope) -> dict[bytes, bytes]:
    return dict(scope.get("headers") or [])


@dataclass(frozen=True)
class AuthConfig:
    """Credentials accepted on ``protected`` paths; no keys and no secret: auth off."""

    api_keys: frozenset[str] = frozenset()
    jwt_secret: str | None = None
    jwt_audience: str | None = None
    protected: tuple[str, ...] = ()

    @property
    def enabled(self) -> bool:
        return bool(self.api_keys or self.jwt_secret)

    def check(self, credential: str | None) -> str | None:
        """``None`` when ``credential`` (an API key or a JWT) is good, else why not."""
        if not credential:
            return "missing credentials: send X-API-Key or Authorization: Bearer <key or JWT>"
        encoded = credential.encode()
        if any(hmac.compare_digest(encoded, key.encode()) for key in self.api_keys):
            return None
        if self.jwt_secret and credential.count(".") == 2:
            return self._check_jwt(credential)
        return "invalid API key"

    def _check_jwt(self, token: str) -> str | None:
        try:
            jwt.decode(
                token,
                self.jwt_secret,
                algorithms=["HS256"],
                audience=self.jwt_audience,
                options={"require": ["exp"], "verify_aud": self.jwt_audience is not None},
            )
        except jwt.ExpiredSignatureError:
            return "token expired"
        except jwt.InvalidTokenError as exc:
            return f"invalid token: {exc}"
        return None


def _credential(scope: Scope) -> str | None:
    headers = _headers(scope)
    key = headers.get(b"x-api-key")
    if key:
        return key.decode("latin-1").strip()
    scheme, _, token = headers.get(b"authorization", b"").decode("latin-1").partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    if scope["type"] == "websocket":  # browsers cannot set headers on a WebSocket handshake
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        for name in ("api_key", "access_token"):
            if query.get(name):
                return query[name][0]
    return None


class ApiAuth:
    """401 for HTTP requests and WebSocket handshakes on protected paths without good credentials."""

    def __init__(self, app: ASGIApp, config: AuthConfig) -> None:
        self.app = app
        self.config = config

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] not in ("http", "websocket")
            or not self.config.enabled
            or scope.get("method") == "OPTIONS"  # CORS preflights carry no credentials
            or not path_matches(scope["path"], self.config.protected)
        ):
            await self.app(scope, receive, send)
            return
        problem = self.config.check(_credential(scope))
        if problem is None:
            await self.app(scope, receive, send)
        elif scope["type"] == "http":
            await send_error(send, 401, "unauthorized", problem, [("WWW-Authenticate", "Bearer")])
        else:
            await deny_websocket(scope, send, 401, "unauthorized", problem)


def origin_allowed(origin: str, host: str | None, allowed: Iterable[str]) -> bool:
    """Whether a WebSocket handshake from ``origin`` may open.

    Args:
        origin: the handshake's ``Origin`` header.
        host: its ``Host`` header (same origin is always allowed).
        allowed: configured origins (``"*"``: any); empty: same origin and localhost only.
    """
    allowed = list(allowed)
    if "*" in allowed or origin.rstrip("/") in {a.rstrip("/") for a in allowed}:
        return True
    parts = urlsplit(origin)
    if host and parts.netloc.lower() == host.lower():
        return True
    return not allowed and (parts.hostname or "") in _LOCAL_HOSTS


class OriginGuard:
    """403 for WebSocket handshakes whose ``Origin`` is not allowed (no Origin: not a browser)."""

    def __init__(self, app: ASGIApp, allowed_origins: Iterable[str] = ()) -> None:
        self.app = app
        self.allowed = tuple(allowed_origins)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket":
            headers = _headers(scope)
            origin = headers.get(b"origin", b"").decode("latin-1")
            host = headers.get(b"host", b"").decode("latin-1") or None
            if origin and not origin_allowed(origin, host, self.allowed):
                await deny_websocket(scope, send, 403, "forbidden", f"origin {origin} is not allowed")
                return
        await self.app(scope, receive, send)


@dataclass
class TokenBucketLimiter:
    """In-process token buckets: ``rate`` tokens a second, at most ``burst`` saved up.

    Memory stays bounded: past ``max_keys`` buckets, those refilled to full are dropped.
    """

    rate: float
    burst: int
    max_keys: int = 100_000
    clock: Callable[[], float] = time.monotonic
    _buckets: dict[str, tuple[float, float]] = field(default_factory=dict)

    def take(self, key: str) -> float:
        """Spend one token of ``key``; returns 0 if allowed, else seconds until one is back."""
        now = self.clock()
        tokens, last = self._buckets.get(key, (float(self.burst), now))
        tokens = min(float(self.burst), tokens + (now - last) * self.rate)
        if tokens < 1:
            self._buckets[key] = (tokens, now)
            return (1 - tokens) / self.rate
        if key not in self._buckets and len(self._buckets) >= self.max_keys:
            self._evict(now)
        self._buckets[key] = (tokens - 1, now)
        return 0.0

    def _evict(self, now: float) -> None:
        full = [k for k, (t, last) in self._buckets.items() if t + (now - last) * self.rate >= self.burst]
        for key in full or list(self._buckets)[: self.max_keys // 10]:
            del self._buckets[key]


class RateLimit:
    """429 with ``Retry-After`` once a sender (or client IP) spends its burst.

    Args:
        app: the wrapped app.
        limiter: the buckets; shared with channels that limit per message (WebSocket).
        paths: limited path patterns; on them, a JSON body's ``sender`` is the key.
    """

    def __init__(self, app: ASGIApp, limiter: TokenBucketLimiter, paths: Iterable[str]) -> None:
        self.app = app
        self.limiter = limiter
        self.paths = tuple(paths)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] != "POST"
            or not path_matches(scope["path"], self.paths)
        ):
            await self.app(scope, receive, send)
            return
        messages = await _read_body(receive)
        body = b"".join(m.get("body", b"") for m in messages)
        wait = self.limiter.take(_sender_key(scope, body))
        if wait > 0:
            retry = str(max(1, math.ceil(wait)))
            message = f"too many messages; retry in {retry} s"
            await send_error(send, 429, "rate_limited", message, [("Retry-After", retry)])
            return

        async def replay() -> Message:
            return messages.pop(0) if messages else await receive()

        await self.app(scope, replay, send)


async def _read_body(receive: Receive) -> list[Message]:
    # the body is already bounded by BodySizeLimit, which sits outside this middleware
    messages = []
    while True:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request" or not message.get("more_body"):
            return messages


def _sender_key(scope: Scope, body: bytes) -> str:
    try:
        sender = json.loads(body).get("sender") if body else None
    except (ValueError, AttributeError):
        sender = None
    if isinstance(sender, str) and sender:
        return f"sender:{sender}"
    client = scope.get("client") or ("unknown", 0)
    return f"ip:{client[0]}"
