"""Structured logs: one JSON object a line, the request id on every record, PII masked.

``configure_logging`` installs the handler (``wealthbot serve`` and ``create_app`` call it);
``RequestContext`` is the ASGI middleware that takes or makes the ``X-Request-ID``, echoes it
in the response and writes one access-log record per request.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid
from collections.abc import Awaitable, Callable, MutableMapping
from contextvars import ContextVar
from datetime import UTC, datetime
from functools import lru_cache
from typing import IO, Any

from risk_hooks.pii import mask_pii

__all__ = [
    "JsonFormatter",
    "PiiMaskFilter",
    "RequestContext",
    "RequestIdFilter",
    "configure_logging",
    "mask_for_log",
    "request_id_var",
]

request_id_var: ContextVar[str | None] = ContextVar("wealthbot_request_id", default=None)

_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
# attributes every LogRecord has; anything else came from ``extra=`` and goes into the JSON
_STANDARD_ATTRS = frozenset(vars(logging.makeLogRecord({}))) | {
    "message",
    "asctime",
    "request_id",
    "color_message",  # uvicorn's ANSI-coloured copy of the message
}
_HANDLER_NAME = "wealthbot"
# every kind ``mask_pii`` finds needs CJK text (names, addresses), an "@" (e-mail) or eleven
# digits in a row, give or take single separators (phone, ID and bank card numbers)
_LONG_NUMBER = re.compile(r"(?:\d[ \-]?){11}")

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
ASGIApp = Callable[
    [Scope, Callable[[], Awaitable[Message]], Callable[[Message], Awaitable[None]]], Awaitable[None]
]


class RequestIdFilter(logging.Filter):
    """Puts the current request id (or ``None``) on every record as ``request_id``."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = request_id_var.get()
        return True


def mask_for_log(text: str) -> str:
    """``risk_hooks.pii.mask_pii``, skipped for ASCII text that cannot hold PII, cached when short.

    ``mask_pii`` costs ~0.1 ms a call; a log record has several fields, most of them repeats
    (paths, routes, sender ids of a conversation).
    """
    if text.isascii() and "@" not in text and not _LONG_NUMBER.search(text):
        return text
    return _mask_cached(text) if len(text) <= 512 else mask_pii(text)


@lru_cache(maxsize=4096)
def _mask_cached(text: str) -> str:
    return mask_pii(text)


class PiiMaskFilter(logging.Filter):
    """Masks personal data (``risk_hooks.pii``) in the message and string extras."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_for_log(message)
        if masked != message:
            record.msg, record.args = masked, None
        for key, value in vars(record).items():
            if key not in _STANDARD_ATTRS and isinstance(value, str):
                setattr(record, key, mask_for_log(value))
        return True


class JsonFormatter(logging.Formatter):
    """``{"ts", "level", "logger", "message", "request_id", ...extras, "exc"}`` on one line."""

    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD_ATTRS:
                out[key] = value
        if record.exc_info:
            out["exc"] = self.formatException(record.exc_info)
        return json.dumps(out, ensure_ascii=False, default=str)


def configure_logging(
    *, level: str = "INFO", json_format: bool = True, mask: bool = True, stream: IO[str] | None = None
) -> logging.Handler:
    """Send every log record (uvicorn's too) through one handler on the root logger.

    Calling it again replaces the handler it installed before, not the ones others added.

    Args:
        level: the root level (``INFO``, ``DEBUG``…).
        json_format: JSON lines; else readable text with the request id.
        mask: mask phone, ID card and bank card numbers (``risk_hooks.pii.mask_pii``).
        stream: where to write; default stderr.

    Returns:
        The installed handler.
    """
    root = logging.getLogger()
    for old in [h for h in root.handlers if h.get_name() == _HANDLER_NAME]:
        root.removeHandler(old)
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.set_name(_HANDLER_NAME)
    handler.addFilter(RequestIdFilter())
    if mask:
        handler.addFilter(PiiMaskFilter())
    text_format = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"
    handler.setFormatter(JsonFormatter() if json_format else logging.Formatter(text_format))
    root.addHandler(handler)
    root.setLevel(level.upper())
    for name in ("uvicorn", "uvicorn.error"):  # uvicorn's own handlers would print twice
        logging.getLogger(name).handlers.clear()
        logging.getLogger(name).propagate = True
    return handler


def _request_id(scope: Scope) -> str:
    for key, value in scope.get("headers") or []:
        if key == b"x-request-id":
            candidate = value.decode("latin-1")
            if _VALID_REQUEST_ID.match(candidate):
                return candidate
    return uuid.uuid4().hex


class RequestContext:
    """Request ids, access log and per-route timing for HTTP and WebSocket scopes.

    Args:
        app: the wrapped app.
        access_log: write one ``wealthbot.access`` record per HTTP request.
        on_response: called with (method, route, status, seconds) after each HTTP response.
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        access_log: bool = True,
        on_response: Callable[[str, str, int, float], None] | None = None,
    ) -> None:
        self.app = app
        self.access_log = access_log
        self.on_response = on_response
        self.logger = logging.getLogger("wealthbot.access")

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        request_id = _request_id(scope)
        token = request_id_var.set(request_id)
        header = (b"x-request-id", request_id.encode())
        status = [500]
        started = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            if message["type"] in ("http.response.start", "websocket.http.response.start"):
                status[0] = message["status"]
                message["headers"] = [*message.get("headers", []), header]
            elif message["type"] == "websocket.accept":
                status[0] = 101
                message["headers"] = [*message.get("headers", []), header]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            self._record(scope, status[0], time.perf_counter() - started)
            request_id_var.reset(token)

    def _record(self, scope: Scope, status: int, seconds: float) -> None:
        route = getattr(scope.get("route"), "path", None) or "unmatched"
        method = scope.get("method", "WS")
        if self.on_response is not None:
            self.on_response(method, route, status, seconds)
        if self.access_log:
            client = scope.get("client") or ("", 0)
            self.logger.info(
                "%s %s %s",
                method,
                scope["path"],
                status,
                extra={
                    "method": method,
                    "path": scope["path"],
                    "route": route,
                    "status": status,
                    "duration_ms": round(seconds * 1000, 2),
                    "client": client[0],
                },
            )
