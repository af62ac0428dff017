"""The HTTP server: Rasa-compatible ``POST /model/parse`` for every bot, plus health."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from channels.rest import ConversationService, build_rest_router
from nlu.pipeline import Pipeline

__all__ = ["ParseRequest", "create_app"]

_ERROR_NAMES = {400: "bad_request", 404: "not_found", 405: "method_not_allowed", 413: "request_too_large"}


class ParseRequest(BaseModel):
    """Body of ``/model/parse`` (Rasa's shape; ``bot`` is ours)."""

    text: str = Field(description="the user's message")
    message_id: str | None = None
    bot: str | None = Field(default=None, description="which robot; default: the first served")


def create_app(
    pipelines: Mapping[str, Pipeline],
    *,
    agents: Mapping[str, ConversationService] | None = None,
    max_request_bytes: int = 64_000,
) -> FastAPI:
    """Build the app serving trained bots, keyed by bot name.

    Args:
        pipelines: each bot's NLU (``/model/parse``).
        agents: each bot's dialogue (REST channel, trackers); none: NLU only.
        max_request_bytes: larger bodies get 413.
    """
    if not pipelines:
        raise ValueError("create_app needs at least one bot pipeline")
    app = FastAPI(title="wealthbot", version="0.2.0", description="中文财富管理对话机器人平台")
    default_bot = next(iter(pipelines))
    if agents:
        app.include_router(
            build_rest_router(agents, default_bot if default_bot in agents else next(iter(agents)))
        )

    app.add_middleware(BodySizeLimit, max_bytes=max_request_bytes)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        # one error shape for every 4xx: {"error", "message"}
        return JSONResponse(
            status_code=exc.status_code,
            content={"error": _ERROR_NAMES.get(exc.status_code, "error"), "message": str(exc.detail)},
        )

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = [{"loc": list(e.get("loc", ())), "message": str(e.get("msg", ""))} for e in exc.errors()]
        return JSONResponse(
            status_code=400,
            content={"error": "bad_request", "message": _summary(problems), "details": problems},
        )

    def run_parse(bot: str, body: ParseRequest) -> dict[str, Any]:
        if bot not in pipelines:
            raise HTTPException(404, detail=f"unknown bot {bot!r}; serving: {', '.join(pipelines)}")
        result = pipelines[bot].parse(body.text).to_dict()
        result["bot"] = bot
        if body.message_id is not None:
            result["message_id"] = body.message_id
        return result

    @app.get("/health")
    def health() -> dict[str, Any]:
        return {"status": "ok", "bots": list(pipelines)}

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

    return app


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
