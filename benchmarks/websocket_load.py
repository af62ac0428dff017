"""WebSocket chat load test: many open sockets, a fixed message rate, whole-turn latency.

Usage:
    python benchmarks/websocket_load.py [--bot tests/fixtures/bots/wealth_mini]
        [--connections 1000] [--rate 200] [--duration 30] [--store memory|sqlite] [--sparse-only]
        [--deflate] [--risk-hooks]

Trains the bot, serves it in a separate process (uvicorn, the app of ``bots.server``), opens
``--connections`` sockets on loopback (each one a widget session), then sends ``--rate``
messages a second in total for ``--duration`` seconds, spread round-robin over the sockets
(open loop: a slow server does not slow the sender down). A turn's latency runs from sending
``user_uttered`` to the server's ``typing`` off for it (every bot message of the turn is in).
The baseline, in the same run: one socket sending turns one after another (no load).
``--sparse-only`` trains the bot with a sparse-only intent classifier (no sentence encoder).
The server runs with permessage-deflate off (uvicorn's default is on; ``--deflate``): frames
are small JSON, and compressing each costs more CPU than the bytes it saves on a LAN.
``--risk-hooks`` puts the bot behind the risk hooks the robots run with (inbound guard with
its classifier, PII masking, outbound compliance filter, audit trail in SQLite), as
``wealthbot serve`` does.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from websockets.asyncio.client import ClientConnection, connect

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ["你好", "我要赎回", "稳健一号", "赎回多久到账", "五万", "谢谢", "再见"]
SPARSE_PIPELINE = """recipe: default.v1
language: zh
pipeline:
  - name: nlu.normalizer.v1
  - name: nlu.jieba_tokenizer.v1
  - name: nlu.rule_entities.v1
  - name: nlu.gazetteer.v1
  - name: nlu.synonym_mapper.v1
  - name: nlu.intent_classifier.v1
    encoder: none
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def raise_fd_limit() -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Socket:
    """One client session: sends turns, records when each ends."""

    def __init__(self, ws: ClientConnection, name: str, latencies: list[float], errors: list[str]) -> None:
        self.ws = ws
        self.name = name
        self.turn = 0
        self.sent: dict[str, float] = {}
        self.latencies = latencies
        self.errors = errors
        self.reader: asyncio.Task[None] | None = None

    async def start(self) -> None:
        await self.ws.send(json.dumps({"type": "session_request"}))
        while json.loads(await self.ws.recv())["type"] != "session_confirm":
            pass
        self.reader = asyncio.create_task(self.read())

    async def send_next(self) -> None:
        message_id = f"{self.name}-{self.turn}"
        text = SCRIPT[self.turn % len(SCRIPT)]
        self.turn += 1
        self.sent[message_id] = time.perf_counter()
        frame = {"type": "user_uttered", "message_id": message_id, "text": text}
        await self.ws.send(json.dumps(frame, ensure_ascii=False))

    async def read(self) -> None:
        try:
            async for raw in self.ws:
                frame = json.loads(raw)
                kind = frame["type"]
                if kind == "typing" and not frame["on"]:
                    started = self.sent.pop(frame["in_reply_to"], None)
                    if started is not None:
                        self.latencies.append((time.perf_counter() - started) * 1000)
                elif kind == "ping":
                    await self.ws.send(json.dumps({"type": "pong", "ts": frame.get("ts")}))
                elif kind == "error":
                    self.errors.append(f"error frame {frame.get('code')}")
        except Exception as exc:  # a dropped socket is a counted error, not a crash
            self.errors.append(f"{type(exc).__name__}: {exc}"[:120])


async def open_sockets(url: str, count: int, latencies: list[float], errors: list[str]) -> list[Socket]:
    sockets: list[Socket] = []
    for first in range(0, count, 100):
        batch = range(first, min(count, first + 100))

        async def one(i: int) -> Socket | None:
            try:
                # like a browser: no protocol-level pings from the client (the JSON heartbeat answers)
                ws = await connect(url, open_timeout=30, max_queue=None, ping_interval=None)
                client = Socket(ws, f"c{i}", latencies, errors)
                await client.start()
                return client
            except Exception as exc:
                errors.append(f"connect: {type(exc).__name__}: {exc}"[:120])
                return None

        sockets += [s for s in await asyncio.gather(*(one(i) for i in batch)) if s is not None]
    return sockets


async def run_load(url: str, connections: int, rate: float, duration: float) -> dict[str, object]:
    latencies: list[float] = []
    errors: list[str] = []
    started = time.perf_counter()
    sockets = await open_sockets(url, connections, latencies, errors)
    opened_s = time.perf_counter() - started
    if not sockets:
        raise SystemExit(f"no connection opened: {errors[:3]}")
    total = int(rate * duration)
    began = time.perf_counter()
    for n in range(total):
        delay = began + n / rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        try:
            await sockets[n % len(sockets)].send_next()
        except Exception as exc:
            errors.append(f"send: {type(exc).__name__}"[:120])
    send_s = time.perf_counter() - began
    deadline = time.perf_counter() + 30
    while len(latencies) + len(errors) < total and time.perf_counter() < deadline:
        await asyncio.sleep(0.05)
    # counted now: turns finishing while the sockets close would be past the deadline
    unanswered = sum(len(s.sent) for s in sockets)
    latencies, errors = list(latencies), list(errors)
    for client in sockets:
        await client.ws.close()
        if client.reader is not None:
            client.reader.cancel()
    return {
        "opened": len(sockets),
        "opened_s": opened_s,
        "sent": total,
        "send_s": send_s,
        "latencies": latencies,
        "errors": errors,
        "unanswered": unanswered,
    }


async def baseline(url: str, turns: int) -> list[float]:
    latencies: list[float] = []
    errors: list[str] = []
    for first in range(0, turns, len(SCRIPT)):  # a new session per pass of the script
        async with connect(url) as ws:
            client = Socket(ws, f"base{first}", latencies, errors)
            await client.start()
            for _ in range(min(len(SCRIPT), turns - first)):
                await client.send_next()
                while client.sent:
                    await asyncio.sleep(0.0005)
            if client.reader is not None:
                client.reader.cancel()
    return latencies


def percentiles(values: list[float]) -> str:
    if not values:
        return "no turns completed"
    p50, p95, p99 = np.percentile(values, [50, 95, 99])
    return f"p50={p50:.1f} ms  p95={p95:.1f} ms  p99={p99:.1f} ms  max={max(values):.1f} ms"


def prepare_bot(bot: Path, sparse_only: bool, tmp: Path) -> Path:
    if not sparse_only:
        return bot
    copy = tmp / "bots" / bot.name
    shutil.copytree(bot, copy)
    (copy / "config.yml").write_text(SPARSE_PIPELINE, encoding="utf-8")
    return copy


def serve(bot: Path, port: int, deflate: bool, risk_hooks: bool) -> None:
    """The server process: one bot over HTTP and WebSocket (settings from WEALTHBOT_* variables)."""
    import uvicorn

    from bots.agent import load_agent
    from bots.server import create_app
    from bots.services import PlatformServices
    from bots.settings import Settings
    from risk_hooks.hooks import build_hooks

    raise_fd_limit()
    settings = Settings()
    hooks = None
    if risk_hooks:
        services = PlatformServices(settings.data_dir)
        hooks = build_hooks(bot, services.product_names, services.audit)
    agent = load_agent(bot, settings, hooks=hooks)
    app = create_app({agent.name: agent.nlu}, agents={agent.name: agent}, settings=settings)
    uvicorn.run(
        app, host="127.0.0.1", port=port, log_level="warning", backlog=4096, ws_per_message_deflate=deflate
    )


def start_server(
    bot: Path, models: Path, store: str, tmp: Path, deflate: bool, risk_hooks: bool
) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
        "WEALTHBOT_MODELS_DIR": str(models),
        "WEALTHBOT_DATA_DIR": str(tmp),
        "WEALTHBOT_LOG_LEVEL": "WARNING",
        "WEALTHBOT_ACCESS_LOG": "false",
        "WEALTHBOT_RATE_LIMIT_PER_SECOND": "0",
    }
    if store == "memory":
        env["WEALTHBOT_TRACKER_STORE_URL"] = "memory://"
    command = [sys.executable, __file__, "--serve", str(bot), "--port", str(port)]
    command += ["--deflate"] if deflate else []
    command += ["--risk-hooks"] if risk_hooks else []
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return server, f"ws://127.0.0.1:{port}/ws/{bot.name}"


async def wait_ready(url: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.perf_counter() + 120
    while time.perf_counter() < deadline:
        if server.poll() is not None:
            raise SystemExit(
                f"server exited: {server.stderr.read().decode()[-2000:] if server.stderr else ''}"
            )
        try:
            async with connect(url, open_timeout=2):
                return
        except OSError:
            await asyncio.sleep(0.1)
    raise SystemExit("server did not start")


def report(
    args: argparse.Namespace, base: list[float], result: dict[str, object], cpu: tuple[float, float]
) -> None:
    latencies = result["latencies"]
    errors = result["errors"]
    assert isinstance(latencies, list) and isinstance(errors, list)
    elapsed, server_cpu, client_cpu = cpu
    print(f"baseline, 1 socket, {len(base)} sequential turns: {percentiles(base)}")
    print(
        f"{result['opened']}/{args.connections} sockets open in {result['opened_s']:.1f}s; "
        f"{result['sent']} messages at {args.rate:g}/s for {result['send_s']:.1f}s "
        f"(store={args.store}, deflate={'on' if args.deflate else 'off'}, "
        f"risk hooks={'on' if args.risk_hooks else 'off'})"
    )
    print(f"under load: {len(latencies)} turns completed  {percentiles(latencies)}")
    print(f"errors: {len(errors)}  unanswered: {result['unanswered']}  {sorted(set(map(str, errors)))[:5]}")
    if latencies:
        per_turn = server_cpu / len(latencies) * 1000
        print(
            f"server CPU per turn (sockets opened included): {per_turn:.2f} ms, so one free core "
            f"serves about {1000 / per_turn:.0f} turns/s; load generator CPU: {client_cpu:.1f}s"
        )
    print(
        f"server CPU {server_cpu / elapsed * 100:.0f}% of one core during the load; "
        f"CPUs: {os.cpu_count()} (usable {len(os.sched_getaffinity(0))}); "
        f"load average before/after: {args.load_before} / {os.getloadavg()[0]:.2f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--bot", type=Path, default=ROOT / "tests" / "fixtures" / "bots" / "wealth_mini")
    parser.add_argument("--connections", type=int, default=1000)
    parser.add_argument("--rate", type=float, default=200.0, help="messages a second, all sockets together")
    parser.add_argument("--duration", type=float, default=30.0, help="seconds of sending (bounded: <= 300)")
    parser.add_argument("--store", choices=("memory", "sqlite"), default="memory")
    parser.add_argument("--sparse-only", action="store_true", help="no sentence encoder in the intent model")
    parser.add_argument("--deflate", action="store_true", help="permessage-deflate on (uvicorn's default)")
    parser.add_argument("--risk-hooks", action="store_true", help="serve behind the robots' risk hooks")
    parser.add_argument("--serve", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve, args.port, args.deflate, args.risk_hooks)
        return
    args.duration = min(args.duration, 300.0)
    raise_fd_limit()
    from bots.training import train_bot

    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        bot = prepare_bot(args.bot.resolve(), args.sparse_only, tmp)
        started = time.perf_counter()
        train_bot(bot, tmp / "models")
        print(
            f"bot {bot.name} ({'sparse-only' if args.sparse_only else 'its config.yml'}): trained in "
            f"{time.perf_counter() - started:.1f}s"
        )
        server, url = start_server(bot, tmp / "models", args.store, tmp, args.deflate, args.risk_hooks)
        try:
            asyncio.run(wait_ready(url, server))
            base = asyncio.run(baseline(url, 200))
            args.load_before = f"{os.getloadavg()[0]:.2f}"
            cpu_before, clock, own = cpu_seconds(server.pid), time.perf_counter(), time.process_time()
            result = asyncio.run(run_load(url, args.connections, args.rate, args.duration))
            cpu = (
                time.perf_counter() - clock,
                cpu_seconds(server.pid) - cpu_before,
                time.process_time() - own,
            )
            report(args, base, result, cpu)
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
