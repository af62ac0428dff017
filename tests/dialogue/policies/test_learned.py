"""LearnedPolicy: a small MLP that generalizes to paths no story spelled out."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from dialogue.domain import Domain
from dialogue.events import ActionExecuted, Event, SlotSet, UserUttered
from dialogue.policies.learned import LearnedPolicy
from dialogue.tracker import DialogueStateTracker
from dialogue.training import load_stories

TOY = Path(__file__).parent / "toy_bot"


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(TOY / "domain.yml")


@pytest.fixture(scope="module")
def policy(domain: Domain) -> LearnedPolicy:
    # no story concatenation: the unseen combinations below stay truly unseen
    policy = LearnedPolicy(augmentation=0)
    policy.train(load_stories(TOY), domain)
    return policy


def user(intent: str, **entities: str) -> UserUttered:
    parse = {
        "intent": {"name": intent, "confidence": 0.9},
        "entities": [{"entity": k, "value": v} for k, v in entities.items()],
    }
    return UserUttered("……", parse_data=parse)


def conversation(domain: Domain, *items: str | Event) -> DialogueStateTracker:
    tracker = DialogueStateTracker("u1", domain.slot_defaults())
    for item in items:
        if isinstance(item, UserUttered) and tracker.latest_action_name != "action_listen":
            tracker.update(ActionExecuted("action_listen"))
        tracker.update(ActionExecuted(item) if isinstance(item, str) else item)
    return tracker


def test_learned_generalizes_greet_then_redeem_with_amount(policy: LearnedPolicy, domain: Domain) -> None:
    # no story redeems after a greeting
    tracker = conversation(
        domain, user("greet"), "utter_greet", user("redeem", amount="三万"), SlotSet("amount", "三万")
    )
    prediction = policy.predict(tracker, domain)
    assert (prediction.action, prediction.policy) == ("action_redeem", "LearnedPolicy")
    assert prediction.confidence > 0.5


def test_learned_generalizes_greet_then_redeem_without_amount(policy: LearnedPolicy, domain: Domain) -> None:
    tracker = conversation(domain, user("greet"), "utter_greet", user("redeem"))
    assert policy.predict(tracker, domain).action == "utter_ask_amount"


def test_learned_listens_after_bot_answer(policy: LearnedPolicy, domain: Domain) -> None:
    tracker = conversation(domain, user("greet"), "utter_greet", user("redeem"), "utter_ask_amount")
    assert policy.predict(tracker, domain).action == "action_listen"


def test_learned_never_listens_right_after_user(policy: LearnedPolicy, domain: Domain) -> None:
    assert policy.predict(conversation(domain, user("goodbye")), domain).action != "action_listen"


def test_learned_trains_in_seconds_with_augmentation(domain: Domain) -> None:
    stories = load_stories(TOY)
    started = time.perf_counter()
    policy = LearnedPolicy()
    policy.train(stories, domain)
    assert time.perf_counter() - started < 10.0
    tracker = conversation(domain, user("nav"), "utter_nav", user("redeem"))
    assert policy.predict(tracker, domain).action == "utter_ask_amount"


def test_learned_untrained_abstains(domain: Domain) -> None:
    assert LearnedPolicy().predict(conversation(domain, user("greet")), domain).action is None


def test_learned_persist_load_round_trip(policy: LearnedPolicy, domain: Domain, tmp_path: Path) -> None:
    policy.persist(tmp_path)
    loaded = LearnedPolicy.load(tmp_path)
    tracker = conversation(domain, user("greet"), "utter_greet", user("redeem"))
    before, after = policy.predict(tracker, domain), loaded.predict(tracker, domain)
    assert after.action == before.action
    assert after.confidence == pytest.approx(before.confidence, abs=1e-6)
