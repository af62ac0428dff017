"""The HTTP server: Rasa-compatible ``POST /model/parse`` for every bot, the channels, health
and metrics, secured and observed.

Middlewares, outermost first: ``RequestContext`` (request ids, access log, HTTP metrics),
CORS, ``OriginGuard`` (WebSocket origins), ``ApiAuth`` (API keys / JWT on server-to-server
paths), ``BodySizeLimit``, ``RateLimit`` (per sender). Agents are served wrapped: a
``TurnGate`` counts in-flight turns (503 for new ones while the server drains) around a
``MeteredAgent`` (Prometheus). ``GracefulServer`` drains before uvicorn closes connections.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from typing import Any

import uvicorn
from fastapi import APIRouter, FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from bots.logging_config import RequestContext, configure_logging
from bots.metrics import BotMetrics, MeteredAgent, instrument_agent
from bots.settings import Settings
from channels.rest import ConversationService, build_rest_router
from channels.security import ApiAuth, AuthConfig, OriginGuard, RateLimit, TokenBucketLimiter
from channels.voice import CallLog, build_voice_router
from channels.websocket import build_websocket_router
from channels.websocket_sessions import SessionHub
from channels.widget_site import mount_widget
from dialogue.processor import BotMessage, UserMessage
from nlu.pipeline import Pipeline

__all__ = [
    "GatedAgent",
    "GracefulServer",
    "ParseRequest",
    "TurnGate",
    "build_server",
    "create_app",
    "serve_app",
]

logger = logging.getLogger(__name__)

_ERROR_NAMES = {
    400: "bad_request",
    401: "unauthorized",
    404: "not_found",
    405: "method_not_allowed",
    413: "request_too_large",
    429: "rate_limited",
    503: "unavailable",
}
_WARM_UP_TEXT = "你好"
_PROBE_SENDER = "__readiness_probe__"
_PROBE_TIMEOUT_S = 2.0


class ParseRequest(BaseModel):
    """Body of ``/model/parse`` (Rasa's shape; ``bot`` is ours)."""

    text: str = Field(description="the user's message")
    message_id: str | None = None
    bot: str | None = Field(default=None, description="which robot; default: the first served")


class TurnGate:
    """Counts turns in flight; once draining, new turns are refused with 503."""

    def __init__(self) -> None:
        self.in_flight = 0
        self.draining = False

    def enter(self) -> None:
        """Start a turn, or raise 503 while the server shuts down."""
        if self.draining:
            raise HTTPException(
                503, detail="server is shutting down; retry shortly", headers={"Retry-After": "5"}
            )
        self.in_flight += 1

    def leave(self) -> None:
        self.in_flight -= 1

    async def drain(self, grace_s: float) -> int:
        """Refuse new turns and wait up to ``grace_s`` for running ones; returns how many are left."""
        self.draining = True
        deadline = time.monotonic() + grace_s
        while self.in_flight and time.monotonic() < deadline:
            await asyncio.sleep(0.02)
        return self.in_flight


class GatedAgent:
    """A ``ConversationService`` whose turns (messages and triggers) pass a ``TurnGate``.

    Every other attribute is the wrapped agent's.
    """

    def __init__(self, inner: Any, gate: TurnGate) -> None:
        self.inner = inner
        self.gate = gate

    async def handle_message(self, message: UserMessage) -> list[BotMessage]:
        self.gate.enter()
        try:
            replies: list[BotMessage] = await self.inner.handle_message(message)
        finally:
            self.gate.leave()
        return replies

    async def trigger(self, sender_id: str, action_name: str) -> list[BotMessage]:
        self.gate.enter()
        try:
            replies: list[BotMessage] = await self.inner.trigger(sender_id, action_name)
        finally:
            self.gate.leave()
        return replies

    async def get_tracker(self, sender_id: str) -> Any:
        return await self.inner.get_tracker(sender_id)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


def create_app(
    pipelines: Mapping[str, Pipeline],
    *,
    agents: Mapping[str, ConversationService] | None = None,
    settings: Settings | None = None,
    max_request_bytes: int | None = None,
    close_agents: bool = True,
    routers: Sequence[APIRouter] = (),
) -> FastAPI:
    """Build the app serving trained bots, keyed by bot name.

    Args:
        pipelines: each bot's NLU (``/model/parse``).
        agents: each bot's dialogue (REST channel, trackers); none: NLU only.
        settings: security, logging, limits and metrics; default: ``Settings()`` (environment).
        max_request_bytes: larger bodies get 413; default: ``settings.max_request_bytes``.
        close_agents: close the agents' stores when the app shuts down.
        routers: more routes to serve (the risk audit trail, a demo core system…).
    """
    if not pipelines:
        raise ValueError("create_app needs at least one bot pipeline")
    settings = settings or Settings()
    if settings.log_format != "none":
        configure_logging(
            level=settings.log_level, json_format=settings.log_format == "json", mask=settings.log_mask_pii
        )
    metrics = BotMetrics() if settings.metrics_enabled else None
    gate = TurnGate()
    raw_agents = dict(agents or {})
    agents = _serve_agents(raw_agents, metrics, gate)
    lifespan = _lifespan(pipelines, raw_agents, settings, close_agents)
    app = FastAPI(
        title="wealthbot", version="0.2.0", description="中文财富管理对话机器人平台", lifespan=lifespan
    )
    app.state.settings, app.state.turn_gate, app.state.metrics = settings, gate, metrics
    app.state.warm_bots = set()
    default_bot = next(iter(pipelines))
    if agents:
        chat_bot = default_bot if default_bot in agents else next(iter(agents))
        app.include_router(build_rest_router(agents, chat_bot))
        app.state.chat_hub = SessionHub()  # push to widget sessions from code
        app.include_router(build_websocket_router(agents, chat_bot, hub=app.state.chat_hub))
        app.state.call_log = CallLog()  # finished phone calls (voice gateway)
        app.include_router(build_voice_router(agents, call_log=app.state.call_log))
    for router in routers:
        app.include_router(router)
    if agents:
        mount_widget(app, list(agents))  # last: the demo page answers "/"

    _add_error_handlers(app)
    _add_nlu_routes(app, pipelines, default_bot)
    _add_ops_routes(app, list(pipelines), raw_agents)
    _add_middlewares(app, settings, max_request_bytes or settings.max_request_bytes)
    return app


def _serve_agents(
    agents: Mapping[str, ConversationService], metrics: BotMetrics | None, gate: TurnGate
) -> dict[str, ConversationService]:
    served: dict[str, ConversationService] = {}
    for name, agent in agents.items():
        inner: Any = agent
        if metrics is not None:
            instrument_agent(agent, name, metrics)
            inner = MeteredAgent(agent, name, metrics)
        served[name] = GatedAgent(inner, gate)
    return served


def _lifespan(
    pipelines: Mapping[str, Pipeline], agents: Mapping[str, Any], settings: Settings, close_agents: bool
) -> Any:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        _log_startup(settings)
        warm_up = asyncio.create_task(_warm_up(pipelines, app.state.warm_bots))
        try:
            yield
        finally:
            warm_up.cancel()
            left = await app.state.turn_gate.drain(settings.shutdown_grace_s)
            if left:
                logger.error(
                    "shutting down with %d turn(s) still running after %.1f s",
                    left,
                    settings.shutdown_grace_s,
                )
            if close_agents:
                for name, agent in agents.items():
                    try:
                        if hasattr(agent, "close"):
                            await agent.close()
                    except Exception:  # one failing store must not keep the others open
                        logger.exception("closing the stores of bot %s failed", name)

    return lifespan


async def _warm_up(pipelines: Mapping[str, Pipeline], warm: set[str]) -> None:
    """Parse once with every bot so lazily loaded models are in memory before traffic counts."""
    for name, pipeline in pipelines.items():
        try:
            await asyncio.to_thread(pipeline.parse, _WARM_UP_TEXT)
        except Exception:
            logger.exception("warm-up of bot %s failed", name)
            continue
        warm.add(name)
    logger.info("bots warmed up: %s", ", ".join(sorted(warm)) or "none")


def _log_startup(settings: Settings) -> None:
    auth = _auth_config(settings)
    if auth.enabled:
        logger.info(
            "auth on (%d API key(s), JWT %s) for %s",
            len(auth.api_keys),
            "on" if auth.jwt_secret else "off",
            ", ".join(auth.protected),
        )
    else:
        logger.warning(
            "auth off: neither WEALTHBOT_API_KEYS nor WEALTHBOT_JWT_SECRET is set, so server-to-server "
            "endpoints (%s) are open; fine embedded behind a gateway, not on a public network",
            ", ".join(auth.protected),
        )
    if auth.jwt_secret and len(auth.jwt_secret.encode()) < 32:
        logger.warning("WEALTHBOT_JWT_SECRET is shorter than 32 bytes; HS256 wants at least 32")
    rate = f"{settings.rate_limit_per_second}/s burst {settings.rate_limit_burst}"
    logger.info(
        "CORS origins: %s; WebSocket origins: %s; rate limit: %s",
        ", ".join(settings.cors_origins) or "none",
        ", ".join(settings.ws_allowed_origins) or "same origin + localhost",
        rate if settings.rate_limit_per_second > 0 else "off",
    )


def _auth_config(settings: Settings) -> AuthConfig:
    protected = tuple(settings.protected_paths) + (("/metrics",) if settings.protect_metrics else ())
    return AuthConfig(
        api_keys=frozenset(settings.api_keys),
        jwt_secret=settings.jwt_secret,
        jwt_audience=settings.jwt_audience,
        protected=protected,
    )


def _add_middlewares(app: FastAPI, settings: Settings, max_request_bytes: int) -> None:
    # added innermost first: Starlette wraps each new middleware around the ones before
    if settings.rate_limit_per_second > 0:
        limiter = TokenBucketLimiter(settings.rate_limit_per_second, settings.rate_limit_burst)
        app.state.rate_limiter = limiter  # for channels that limit per message (WebSocket)
        app.add_middleware(RateLimit, limiter=limiter, paths=settings.rate_limited_paths)
    app.add_middleware(BodySizeLimit, max_bytes=max_request_bytes)
    app.add_middleware(ApiAuth, config=_auth_config(settings))
    app.add_middleware(OriginGuard, allowed_origins=settings.ws_allowed_origins)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST", "OPTIONS"],
            allow_headers=["Authorization", "Content-Type", "X-API-Key", "X-Request-ID"],
            expose_headers=["X-Request-ID", "Retry-After"],
            max_age=600,
        )
    metrics = app.state.metrics
    app.add_middleware(
        RequestContext,
        access_log=settings.access_log,
        on_response=metrics.observe_http if metrics is not None else None,
    )


def _add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        # one error shape for every 4xx/5xx: {"error", "message"}
        return JSONResponse(
            status_code=exc.status_code,
            content={"error": _ERROR_NAMES.get(exc.status_code, "error"), "message": str(exc.detail)},
            headers=getattr(exc, "headers", None),
        )

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = [{"loc": list(e.get("loc", ())), "message": str(e.get("msg", ""))} for e in exc.errors()]
        return JSONResponse(
            status_code=400,
            content={"error": "bad_request", "message": _summary(problems), "details": problems},
        )


def _add_nlu_routes(app: FastAPI, pipelines: Mapping[str, Pipeline], default_bot: str) -> None:
    def run_parse(bot: str, body: ParseRequest) -> dict[str, Any]:
        if bot not in pipelines:
            raise HTTPException(404, detail=f"unknown bot {bot!r}; serving: {', '.join(pipelines)}")
        result = pipelines[bot].parse(body.text).to_dict()
        result["bot"] = bot
        if body.message_id is not None:
            result["message_id"] = body.message_id
        return result

    @app.get("/bots")
    def list_bots() -> dict[str, Any]:
        return {"bots": list(pipelines), "default": default_bot}

    @app.post("/model/parse")
    def parse(body: ParseRequest) -> dict[str, Any]:
        """Parse a message with ``body.bot`` (default: the first bot)."""
        return run_parse(body.bot or default_bot, body)

    @app.post("/bots/{bot}/model/parse")
    def parse_for_bot(bot: str, body: ParseRequest) -> dict[str, Any]:
        """Parse a message with the named bot."""
        return run_parse(bot, body)


def _add_ops_routes(app: FastAPI, bots: list[str], agents: Mapping[str, Any]) -> None:
    @app.get("/health", tags=["ops"])
    async def health() -> dict[str, Any]:
        return {"status": "ok", "bots": bots}

    @app.get("/health/live", tags=["ops"])
    async def live() -> dict[str, Any]:
        """Liveness: the process answers."""
        return {"status": "ok"}

    @app.get("/health/ready", tags=["ops"])
    async def ready() -> JSONResponse:
        """Readiness: models warmed up, tracker stores answer, not shutting down; else 503."""
        checks = await _readiness_checks(app, bots, agents)
        problems = [f"{name}: {state}" for name, state in checks.items() if state != "ok"]
        if not problems:
            return JSONResponse({"status": "ready", "checks": checks})
        body = {"status": "not_ready", "error": "not_ready", "message": "; ".join(problems), "checks": checks}
        return JSONResponse(body, status_code=503)

    if app.state.metrics is not None:

        @app.get("/metrics", tags=["ops"], include_in_schema=False)
        async def metrics() -> Response:
            """Prometheus exposition text."""
            body, content_type = app.state.metrics.render()
            return Response(body, media_type=content_type)


async def _readiness_checks(app: FastAPI, bots: list[str], agents: Mapping[str, Any]) -> dict[str, str]:
    checks = {"shutdown": "draining" if app.state.turn_gate.draining else "ok"}
    for bot in bots:
        checks[f"model:{bot}"] = "ok" if bot in app.state.warm_bots else "warming up"
    for bot, agent in agents.items():
        try:
            await asyncio.wait_for(agent.get_tracker(_PROBE_SENDER), _PROBE_TIMEOUT_S)
            checks[f"store:{bot}"] = "ok"
        except Exception as exc:  # any failure means: do not send traffic here
            checks[f"store:{bot}"] = f"error: {type(exc).__name__}: {exc}"[:200]
    return checks


class GracefulServer(uvicorn.Server):
    """uvicorn, but on shutdown it first drains turns (new ones get 503) for up to ``grace_s``.

    uvicorn alone stops listening first, so a request arriving during the drain would be
    refused at the socket instead of answered.
    """

    def __init__(self, config: uvicorn.Config, gate: TurnGate, grace_s: float) -> None:
        super().__init__(config)
        self.gate = gate
        self.grace_s = grace_s

    async def shutdown(self, sockets: Any = None) -> None:
        logger.info("draining %d turn(s) in flight (grace %.1f s)", self.gate.in_flight, self.grace_s)
        left = await self.gate.drain(self.grace_s)
        if left:
            logger.error("grace period over with %d turn(s) still running", left)
        await super().shutdown(sockets=sockets)


def build_server(
    app: FastAPI, settings: Settings, *, host: str | None = None, port: int | None = None
) -> GracefulServer:
    """A ``GracefulServer`` for ``app`` (from ``create_app``) with the settings' limits and grace."""
    config = uvicorn.Config(
        app,
        host=host or settings.host,
        port=port or settings.port,
        log_config=None,  # ``configure_logging`` owns the handlers
        access_log=False,  # ``RequestContext`` logs every request with its id
        ws_max_size=settings.max_ws_message_bytes,
        ws_per_message_deflate=False,  # compressing small chat frames costs more than it saves
        timeout_graceful_shutdown=max(1, math.ceil(settings.shutdown_grace_s)),
    )
    return GracefulServer(config, app.state.turn_gate, settings.shutdown_grace_s)


def serve_app(app: FastAPI, settings: Settings, *, host: str | None = None, port: int | None = None) -> None:
    """Run ``app`` until SIGINT/SIGTERM, then drain running turns before closing connections."""
    build_server(app, settings, host=host, port=port).run()


class BodySizeLimit:
    """Answers 413 to bodies over ``max_bytes``, declared or streamed (chunked).

    A plain ASGI middleware: Starlette's ``BaseHTTPMiddleware`` costs milliseconds a request.
    """

    def __init__(self, app: Any, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > self.max_bytes:
            await self._reject(scope, receive, send)
            return
        if declared:
            await self.app(scope, receive, send)
            return
        # a streamed body: read it (at most max_bytes) before the app sees it
        messages, size = [], 0
        while True:
            message = await receive()
            messages.append(message)
            size += len(message.get("body", b""))
            if size > self.max_bytes:
                await self._reject(scope, receive, send)
                return
            if message["type"] != "http.request" or not message.get("more_body"):
                break

        async def replay() -> dict[str, Any]:
            return messages.pop(0) if messages else await receive()  # type: ignore[no-any-return]

        await self.app(scope, replay, send)

    async def _reject(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        body = {"error": "request_too_large", "message": f"body over {self.max_bytes} bytes"}
        await JSONResponse(status_code=413, content=body)(scope, receive, send)


def _summary(problems: list[dict[str, Any]]) -> str:
    if not problems:
        return "invalid request"
    first = problems[0]
    where = ".".join(str(p) for p in first["loc"] if p != "body") or "body"
    return f"{where}: {first['message']}"
