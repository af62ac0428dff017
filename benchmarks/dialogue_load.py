"""REST channel load test: throughput and latency of whole dialogue turns on loopback.

Usage:
    python benchmarks/dialogue_load.py [--bot tests/fixtures/bots/wealth_mini]
        [--conversations 100] [--messages 2000] [--store sqlite|memory]

Trains the bot, starts `wealthbot serve` as a separate process on 127.0.0.1, waits until
it is ready (reported), then runs a bounded load: ``--conversations`` concurrent
conversations send ``--messages`` messages in total (each turn waits for its reply).
Also times single turns with one client (NLU + policies + store append).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ["你好", "我要赎回", "稳健一号", "赎回多久到账", "五万", "谢谢", "再见"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def one_conversation(
    client: httpx.AsyncClient, url: str, sender: str, budget: list[int], out: list[float]
):
    turn = 0
    while budget[0] > 0:
        budget[0] -= 1
        started = time.perf_counter()
        # a conversation is the script once; then the same client starts a new one
        conversation = f"{sender}-{turn // len(SCRIPT)}"
        response = await client.post(
            url, json={"sender": conversation, "message": SCRIPT[turn % len(SCRIPT)]}
        )
        response.raise_for_status()
        out.append((time.perf_counter() - started) * 1000)
        turn += 1


async def load(base: str, conversations: int, messages: int) -> tuple[float, list[float]]:
    url = f"{base}/webhooks/rest/webhook"
    latencies: list[float] = []
    budget = [messages]
    limits = httpx.Limits(max_connections=conversations)
    async with httpx.AsyncClient(timeout=120, limits=limits) as client:
        started = time.perf_counter()
        await asyncio.gather(
            *[
                one_conversation(client, url, f"load-{i}-{time.time_ns()}", budget, latencies)
                for i in range(conversations)
            ]
        )
        elapsed = time.perf_counter() - started
    return elapsed, latencies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--bot", type=Path, default=ROOT / "tests" / "fixtures" / "bots" / "wealth_mini")
    parser.add_argument("--conversations", type=int, default=100)
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--store", choices=("sqlite", "memory"), default="sqlite")
    args = parser.parse_args()
    wealthbot = str(Path(sys.executable).with_name("wealthbot"))
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "WEALTHBOT_DATA_DIR": tmp}
        if args.store == "memory":
            env["WEALTHBOT_TRACKER_STORE_URL"] = "memory://"
        started = time.perf_counter()
        subprocess.run([wealthbot, "train", "--bot", str(args.bot), "--models", tmp], env=env, check=True)
        print(f"training {args.bot.name} (NLU + dialogue): {time.perf_counter() - started:.1f}s")
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        started = time.perf_counter()
        server = subprocess.Popen(
            [
                wealthbot,
                "serve",
                "--bot",
                str(args.bot),
                "--models",
                tmp,
                "--port",
                str(port),
                "--no-train-missing",
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            while True:
                try:
                    if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.05)
                if time.perf_counter() - started > 120:
                    raise SystemExit("server did not start")
            print(f"server ready after {time.perf_counter() - started:.2f}s")
            _, single = asyncio.run(load(base, 1, 200))
            p50, p99 = np.percentile(single, [50, 99])
            print(f"single client, 200 turns: p50={p50:.1f} ms  p99={p99:.1f} ms")
            elapsed, latencies = asyncio.run(load(base, args.conversations, args.messages))
            p50, p99 = np.percentile(latencies, [50, 99])
            print(
                f"{args.conversations} concurrent conversations, {args.messages} messages, "
                f"store={args.store}: "
                f"{args.messages / elapsed:.0f} messages/s  p50={p50:.0f} ms  p99={p99:.0f} ms"
            )
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
