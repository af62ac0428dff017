"""Fixtures for the touch tests: a settable clock, a SQLite store, a real webhook receiver."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from channels.touch import TouchStore

SHANGHAI = ZoneInfo("Asia/Shanghai")


def local(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment in November 2026, Shanghai time (2026-11-23 is a Monday)."""
    return datetime(2026, 11, day, hour, minute, tzinfo=SHANGHAI)


@dataclass
class Clock:
    """The dispatcher's "now", set by the test."""

    now: datetime

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> Clock:
    return Clock(local(23, 10))


@pytest.fixture
def store(tmp_path: Path) -> Iterator[TouchStore]:
    touch_store = TouchStore.sqlite(tmp_path / "touch.db")
    yield touch_store
    touch_store.close()


@dataclass
class Receiver:
    """What the webhook receiver got: (path, headers, JSON body) per request."""

    url: str
    requests: list[tuple[str, dict[str, str], Any]] = field(default_factory=list)


def receiver_app(requests: list[tuple[str, dict[str, str], Any]]) -> Starlette:
    async def hook(request: Request) -> JSONResponse:
        requests.append((request.url.path, dict(request.headers), await request.json()))
        if request.url.path == "/fail":
            return JSONResponse({"error": "短信网关繁忙"}, status_code=500)
        if request.url.path == "/slow":
            await asyncio.sleep(1.0)
        return JSONResponse({"accepted": True})

    return Starlette(routes=[Route("/{name}", hook, methods=["POST"])])


@pytest.fixture(scope="module")
def receiver(live_server_factory: Any) -> Iterator[Receiver]:
    """A real HTTP server on loopback answering 200 on /ok, 500 on /fail, late on /slow."""
    requests: list[tuple[str, dict[str, str], Any]] = []
    with live_server_factory(receiver_app(requests)) as server:
        yield Receiver(server.url, requests)
