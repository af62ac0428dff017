"""False-positive check: the robots' own NLU examples are ordinary customer messages.

Every example in ``bots/*/data/nlu.yml`` must pass the inbound rules, and a sample of them
must not be blocked by the guard as shipped (the classifier included). The classifier over
all ~3,000 examples takes minutes on a busy machine; run it by hand with
``python -c "from tests.risk_hooks.test_nlu_examples import report; report()"``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from risk_hooks.inbound import GuardConfig, InboundGuard
from risk_hooks.ratelimit import RateLimit

BOTS = Path(__file__).resolve().parents[2] / "bots"
_ENTITY = re.compile(r"\[([^\]]*)\]\([^)]*\)|\[([^\]]*)\]\{[^}]*\}")
WIDE = RateLimit(capacity=1_000_000, per_minute=1_000_000)
# Examples the guard stops on purpose (intent, text): a demand for a guarantee as the
# condition of a purchase is what guarantee_extraction is for; the guard's reply says the
# same as the bot's ask_guaranteed_return answer. Insults in a complaint are recorded as
# abuse (a warn: the chat goes on, the complaint is handled).
EXPECTED = {
    ("ask_guaranteed_return", "你保证能赚钱我就买"): "block",
    ("complain_harassment", "你们有病吧老打"): "warn",
    ("complain", "骗子公司，把钱还给我"): "warn",
}


def nlu_examples() -> list[tuple[str, str, str]]:
    """(bot, intent, text) for every example, entity markup removed."""
    examples = []
    for path in sorted(BOTS.glob("*/data/nlu.yml")):
        content = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for item in content.get("nlu") or []:
            for line in str(item.get("examples") or "").splitlines():
                line = line.strip()
                if line.startswith("- ") and item.get("intent"):
                    text = _ENTITY.sub(lambda m: m.group(1) or m.group(2) or "", line[2:]).strip()
                    examples.append((path.parent.parent.name, str(item["intent"]), text))
    return examples


def _guard(classifier: bool) -> InboundGuard:
    return InboundGuard(GuardConfig(sender_limit=WIDE, device_limit=WIDE, classifier=classifier))


def _unexpected(
    guard: InboundGuard, examples: list[tuple[str, str, str]], allowed: tuple[str, ...]
) -> list[str]:
    wrong = []
    for i, (bot, intent, text) in enumerate(examples):
        result = guard.check(text, f"nlu-{i}")
        expected = EXPECTED.get((intent, text))
        if result.decision != expected and result.decision not in allowed:
            wrong.append(f"{bot}/{intent}: {text!r} -> {result.decision} ({result.reason})")
    return wrong


def test_bots_have_nlu_examples() -> None:
    if not any(BOTS.glob("*/data/nlu.yml")):
        pytest.skip("no robot NLU data in this checkout")
    assert len(nlu_examples()) > 500


def test_rules_allow_every_nlu_example() -> None:
    assert _unexpected(_guard(False), nlu_examples(), ("allow",)) == []


def test_guard_blocks_no_nlu_example_in_a_sample() -> None:
    sample = nlu_examples()[::25]
    assert _unexpected(_guard(True), sample, ("allow", "warn")) == []


def report() -> None:  # pragma: no cover - a manual check, minutes long
    """Print every NLU example the full guard does not allow."""
    examples = nlu_examples()
    wrong = _unexpected(_guard(True), examples, ("allow",))
    print("\n".join(wrong))
    print(f"{len(wrong)} of {len(examples)} examples not allowed")
