"""MemoizationPolicy: replays the recent history of stories exactly."""

from __future__ import annotations

from pathlib import Path

import pytest

from dialogue.domain import Domain
from dialogue.events import ActionExecuted, Event, SlotSet, UserUttered
from dialogue.policies.memoization import MemoizationPolicy
from dialogue.tracker import DialogueStateTracker
from dialogue.training import load_stories, load_stories_text

TOY = Path(__file__).parent / "toy_bot"


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(TOY / "domain.yml")


@pytest.fixture(scope="module")
def policy(domain: Domain) -> MemoizationPolicy:
    policy = MemoizationPolicy()
    policy.train(load_stories(TOY / "stories.yml"), domain)
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


def test_memoization_replays_story(policy: MemoizationPolicy, domain: Domain) -> None:
    tracker = conversation(domain, user("redeem"), "utter_ask_amount", user("inform", amount="两千"))
    tracker.update(SlotSet("amount", "两千"))
    prediction = policy.predict(tracker, domain)
    assert (prediction.action, prediction.confidence, prediction.policy) == (
        "action_redeem",
        1.0,
        "MemoizationPolicy",
    )
    tracker.update(ActionExecuted("action_redeem"))
    assert policy.predict(tracker, domain).action == "action_listen"


def test_memoization_abstains_on_unseen_history(policy: MemoizationPolicy, domain: Domain) -> None:
    tracker = conversation(domain, user("thank"))  # no story starts with thanks
    assert policy.predict(tracker, domain).action is None


def test_memoization_slot_featurization_distinguishes_paths(
    policy: MemoizationPolicy, domain: Domain
) -> None:
    without = conversation(domain, user("redeem"))
    assert policy.predict(without, domain).action == "utter_ask_amount"
    with_amount = conversation(domain, user("redeem", amount="五万"), SlotSet("amount", "五万"))
    assert policy.predict(with_amount, domain).action == "action_redeem"


def test_memoization_forgets_contradicting_stories(domain: Domain) -> None:
    stories = load_stories_text(
        """
stories:
- story: a
  steps:
  - intent: greet
  - action: utter_greet
- story: b
  steps:
  - intent: greet
  - action: utter_greet_vip
""",
        "stories.yml",
    )
    policy = MemoizationPolicy()
    policy.train(stories, domain)
    assert policy.predict(conversation(domain, user("greet")), domain).action is None


def test_memoization_persist_load_round_trip(
    policy: MemoizationPolicy, domain: Domain, tmp_path: Path
) -> None:
    policy.persist(tmp_path)
    loaded = MemoizationPolicy.load(tmp_path)
    assert loaded.lookup == policy.lookup
    tracker = conversation(domain, user("greet"), "utter_greet", user("nav"))
    assert loaded.predict(tracker, domain).action == "utter_nav"
