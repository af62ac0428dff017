"""RemoteAction against the REAL rasa-sdk action server (``python -m rasa_sdk``) on loopback.

rasa-sdk pins versions that clash with this project (pydantic among others), so it lives in
its own virtual environment, built once into ``.cache/rasa-sdk-venv-<hash>/`` (gitignored) and
reused. CI may build it in a separate step and point ``WEALTHBOT_RASA_SDK_PYTHON`` at its
interpreter. The tests skip only when rasa-sdk cannot be installed (no network).
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import socket
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from dialogue import sdk
from dialogue.actions import ActionRejectedError, ActionServerError, RemoteAction
from dialogue.events import BotUttered, SlotSet

RASA_SDK_REQUIREMENT = "rasa-sdk>=3.8,<4"
PYTHON_ENV_VAR = "WEALTHBOT_RASA_SDK_PYTHON"
REPO_ROOT = Path(__file__).resolve().parents[3]
CACHE_DIR = (
    REPO_ROOT / ".cache" / f"rasa-sdk-venv-{hashlib.sha256(RASA_SDK_REQUIREMENT.encode()).hexdigest()[:8]}"
)
COMPLETE_MARKER = ".complete"
STARTUP_SECONDS = 30.0

ACTIONS_MODULE = """
from rasa_sdk import Action
from rasa_sdk.events import SlotSet
from rasa_sdk.interfaces import ActionExecutionRejection


class ActionCheckBalance(Action):
    def name(self):
        return "action_check_balance"

    def run(self, dispatcher, tracker, domain):
        product = next(tracker.get_latest_entity_values("product_name"), None)
        dispatcher.utter_message(text=f"{tracker.sender_id}您好，您持有的{product}可赎回五万元。")
        dispatcher.utter_message(response="utter_greet")
        return [SlotSet("amount", 50000.0), SlotSet("product_name", product)]


class ActionRejectOutsideHours(Action):
    def name(self):
        return "action_reject_outside_hours"

    async def run(self, dispatcher, tracker, domain):
        raise ActionExecutionRejection(self.name(), "当前为非交易时间")
"""


def _has_rasa_sdk(python: Path) -> bool:
    if not python.exists():
        return False
    probe = subprocess.run([str(python), "-c", "import rasa_sdk"], capture_output=True, timeout=60)
    return probe.returncode == 0


def _build_venv() -> Path:
    """Create the cached venv with rasa-sdk; skip the tests if pip cannot install it."""
    python = CACHE_DIR / "bin" / "python"
    if (CACHE_DIR / COMPLETE_MARKER).exists() and _has_rasa_sdk(python):
        return python
    subprocess.run([sys.executable, "-m", "venv", "--clear", "--without-pip", str(CACHE_DIR)], check=True)
    install = subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--disable-pip-version-check",
         "-q", RASA_SDK_REQUIREMENT],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    if install.returncode != 0:
        tail = "\n".join(install.stderr.strip().splitlines()[-5:])
        pytest.skip(f"rasa-sdk could not be installed (no network or no index?): {tail}")
    (CACHE_DIR / COMPLETE_MARKER).write_text(RASA_SDK_REQUIREMENT + "\n", encoding="utf-8")
    return python


@pytest.fixture(scope="module")
def rasa_sdk_python() -> Path:
    override = os.environ.get(PYTHON_ENV_VAR)
    if override:
        assert _has_rasa_sdk(Path(override)), f"{PYTHON_ENV_VAR}={override} cannot import rasa_sdk"
        return Path(override)
    return _build_venv()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_healthy(process: subprocess.Popen[bytes], url: str, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"rasa-sdk server exited with {process.returncode}:\n{log.read_text()[-2000:]}")
        try:
            if httpx.get(url, timeout=1.0).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    pytest.fail(f"rasa-sdk server not healthy after {STARTUP_SECONDS} s:\n{log.read_text()[-2000:]}")


@pytest.fixture(scope="module")
def action_server(rasa_sdk_python: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("rasa_sdk_actions")
    (folder / "wealthbot_test_actions.py").write_text(textwrap.dedent(ACTIONS_MODULE), encoding="utf-8")
    port = _free_port()
    log = folder / "server.log"
    env = {**os.environ, "SANIC_HOST": "127.0.0.1", "PYTHONPATH": str(folder)}
    command = [
        str(rasa_sdk_python),
        "-m",
        "rasa_sdk",
        "--actions",
        "wealthbot_test_actions",
        "--port",
        str(port),
    ]
    with log.open("wb") as output:
        process = subprocess.Popen(command, cwd=folder, env=env, stdout=output, stderr=subprocess.STDOUT)
    try:
        _wait_healthy(process, f"http://127.0.0.1:{port}/health", log)
        yield f"http://127.0.0.1:{port}/webhook"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def test_rasa_sdk_server_action_sets_slot_and_utters_chinese(
    action_server, domain, nlg, make_tracker, make_user
) -> None:
    message = make_user("赎回稳健理财", "redeem", entities=[{"entity": "product_name", "value": "稳健理财"}])
    tracker = make_tracker(message, sender_id="张先生")
    events = asyncio.run(RemoteAction("action_check_balance", action_server).run(tracker, domain, nlg))
    assert [type(e) for e in events] == [BotUttered, BotUttered, SlotSet, SlotSet]
    assert events[0].text == "张先生您好，您持有的稳健理财可赎回五万元。"
    assert events[1].text == "您好，请问有什么可以帮您？"  # response named by the action, rendered here
    assert [(e.key, e.value) for e in events[2:]] == [("amount", 50000.0), ("product_name", "稳健理财")]
    tracker.update_many(events)
    assert tracker.get_slot("amount") == 50000.0


def test_rasa_sdk_server_rejection_raises_rejected_error(action_server, domain, nlg, make_tracker) -> None:
    action = RemoteAction("action_reject_outside_hours", action_server)
    with pytest.raises(ActionRejectedError, match="当前为非交易时间"):
        asyncio.run(action.run(make_tracker(), domain, nlg))


def test_rasa_sdk_server_unknown_action_is_404(action_server, domain, nlg, make_tracker) -> None:
    with pytest.raises(ActionServerError) as caught:
        asyncio.run(RemoteAction("action_not_there", action_server).run(make_tracker(), domain, nlg))
    assert caught.value.code == "ACT013"


def test_sdk_event_helpers_match_rasa_sdk_events(rasa_sdk_python: Path) -> None:
    calls = {
        "SlotSet": ["amount", 50000],
        "FollowupAction": ["utter_greet"],
        "ActiveLoop": ["redeem_form"],
        "ActionExecuted": ["action_check_balance", "RulePolicy", 1.0],
        "ActionExecutionRejected": ["redeem_form"],
        "BotUttered": ["您好", {"buttons": []}],
        "UserUttered": ["你好", {"intent": {"name": "greet"}}],
        "LoopInterrupted": [True],
        "ReminderCancelled": ["reminder_1", "redeem"],
        **{name: [] for name in ("Restarted", "SessionStarted", "AllSlotsReset", "UserUtteranceReverted",
                                  "ActionReverted", "ConversationPaused", "ConversationResumed")},
    }  # fmt: skip
    script = (
        "import json, sys, rasa_sdk.events as ev\n"
        "calls = json.loads(sys.argv[1])\n"
        "print(json.dumps({n: getattr(ev, n)(*a) for n, a in calls.items()}, ensure_ascii=False))\n"
    )
    result = subprocess.run(
        [str(rasa_sdk_python), "-c", script, json.dumps(calls)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    theirs = json.loads(result.stdout)
    ours = {name: getattr(sdk, name)(*args) for name, args in calls.items()}
    assert ours == theirs
