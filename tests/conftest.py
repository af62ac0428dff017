"""Fixtures shared by every test folder: a small Chinese bot in Rasa format, a live server."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn

from bots.settings import BOTS_DIR

SMALL_BOT = """version: "3.1"
nlu:
- intent: redeem
  examples: |
    - 我要赎回[五万](amount)
    - 把[基金](product_type)卖了
    - 赎回[两千块](amount)
    - 我想把钱取出来
    - 帮我赎回一下
    - 卖掉我的理财
    - 申请赎回[10w](amount)
    - 赎回到银行卡
- intent: greet
  examples: |
    - 你好
    - 您好啊
    - 早上好
    - 在吗
    - 哈喽
    - 有人吗
    - 下午好
    - 晚上好
- intent: nav
  examples: |
    - 净值多少
    - 今天净值是多少
    - 查一下[基金](product_type)净值
    - 最新净值
    - 单位净值呢
    - 累计净值多少了
    - 净值更新了吗
    - 帮我看看净值
"""


def write_small_bot(root: Path) -> Path:
    bot = root / "mini"
    (bot / "data").mkdir(parents=True)
    (bot / "data" / "nlu.yml").write_text(SMALL_BOT, encoding="utf-8")
    (bot / "domain.yml").write_text(
        "version: '3.1'\nintents: [redeem, greet, nav]\nentities: [amount, product_type]\n", encoding="utf-8"
    )
    (bot / "config.yml").write_text(
        (BOTS_DIR / "service" / "config.yml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    return bot


@pytest.fixture(scope="session")
def small_bot(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_small_bot(tmp_path_factory.mktemp("bots"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class LiveServer:
    """A real uvicorn server on loopback, in a background thread."""

    def __init__(self, app: object) -> None:
        self.app = app
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.ws_url = f"ws://127.0.0.1:{self.port}"
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("server did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture(scope="session")
def live_server_factory() -> Iterator[type[LiveServer]]:
    """``with live_server_factory(app) as server: httpx.get(server.url + ...)``."""
    yield LiveServer


@pytest.fixture(scope="session")
def bot_models(tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN201 - returns a factory
    """``bot_models("service")`` → a models folder with that shipped robot trained, once per session."""
    from bots.training import train_bot

    folder = tmp_path_factory.mktemp("shipped-models")

    def trained(*bots: str) -> Path:
        for bot in bots:
            train_bot(BOTS_DIR / bot, folder)  # skipped when already trained in this session
        return folder

    return trained
