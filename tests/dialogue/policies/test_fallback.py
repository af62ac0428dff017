"""FallbackPolicy: unclear messages get a clarifying question, a second one a human."""

from __future__ import annotations

from pathlib import Path

import pytest

from dialogue.domain import Domain
from dialogue.events import ActionExecuted, ActionExecutionRejected, ActiveLoop, Event, UserUttered
from dialogue.policies.fallback import FallbackPolicy
from dialogue.tracker import DialogueStateTracker

TOY = Path(__file__).parent / "toy_bot"


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(TOY / "domain.yml")


def user(intent: str, confidence: float, *ranking: tuple[str, float]) -> UserUttered:
    parse = {
        "intent": {"name": intent, "confidence": confidence},
        "entities": [],
        "intent_ranking": [{"name": n, "confidence": c} for n, c in ranking],
    }
    return UserUttered("……", parse_data=parse)


def conversation(domain: Domain, *items: str | Event) -> DialogueStateTracker:
    tracker = DialogueStateTracker("u1", domain.slot_defaults())
    for item in items:
        if isinstance(item, UserUttered) and tracker.latest_action_name != "action_listen":
            tracker.update(ActionExecuted("action_listen"))
        tracker.update(ActionExecuted(item) if isinstance(item, str) else item)
    return tracker


def test_fallback_low_confidence_clarifies_then_second_low_hands_off(domain: Domain) -> None:
    policy = FallbackPolicy()
    tracker = conversation(domain, user("redeem", 0.3))
    assert policy.predict(tracker, domain).action == "action_clarify"
    tracker.update(ActionExecuted("action_clarify"))
    assert policy.predict(tracker, domain).action == "action_listen"
    tracker.update(ActionExecuted("action_listen"))
    tracker.update(user("nav", 0.2))
    prediction = policy.predict(tracker, domain)
    assert (prediction.action, prediction.policy) == ("action_handoff", "FallbackPolicy")


@pytest.mark.parametrize(
    "message",
    [
        user("nlu_fallback", 0.55, ("redeem", 0.5), ("nav", 0.3)),
        user("redeem", 0.46, ("redeem", 0.46), ("purchase", 0.41)),
        user("redeem", 0.39),
    ],
    ids=["nlu-fallback-intent", "ambiguous-top-two", "below-threshold"],
)
def test_fallback_unclear_messages_clarify(domain: Domain, message: UserUttered) -> None:
    assert FallbackPolicy().predict(conversation(domain, message), domain).action == "action_clarify"


def test_fallback_clear_message_after_clarification_abstains(domain: Domain) -> None:
    tracker = conversation(domain, user("redeem", 0.3), "action_clarify", user("redeem", 1.0))
    assert FallbackPolicy().predict(tracker, domain).action is None


def test_fallback_low_after_clear_turn_clarifies_again(domain: Domain) -> None:
    tracker = conversation(
        domain, user("redeem", 0.3), "action_clarify", user("redeem", 1.0), "utter_ask_amount"
    )
    tracker.update(ActionExecuted("action_listen"))
    tracker.update(user("nav", 0.1))
    assert FallbackPolicy().predict(tracker, domain).action == "action_clarify"


def test_fallback_waits_for_active_form_to_reject(domain: Domain) -> None:
    tracker = conversation(domain, ActiveLoop("redeem_form"), "redeem_form", user("inform", 0.2))
    policy = FallbackPolicy()
    assert policy.predict(tracker, domain).action is None
    tracker.update(ActionExecutionRejected("redeem_form"))
    assert policy.predict(tracker, domain).action == "action_clarify"


def test_fallback_persist_load_keeps_thresholds(tmp_path: Path) -> None:
    FallbackPolicy(nlu_threshold=0.55, ambiguity_threshold=0.05).persist(tmp_path)
    loaded = FallbackPolicy.load(tmp_path)
    assert (loaded.nlu_threshold, loaded.ambiguity_threshold) == (0.55, 0.05)
