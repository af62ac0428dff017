"""PolicyEnsemble: priorities, confidence, rejections, training checks, persistence."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from dialogue.domain import Domain
from dialogue.errors import StoryError
from dialogue.events import (
    ActionExecuted,
    ActionExecutionRejected,
    Event,
    FollowupAction,
    SlotSet,
    UserUttered,
)
from dialogue.policies import (
    FallbackPolicy,
    LearnedPolicy,
    MemoizationPolicy,
    PolicyEnsemble,
    PolicyPrediction,
    Priority,
    RulePolicy,
)
from dialogue.tracker import DialogueStateTracker
from dialogue.training import StoryGraph, load_stories, load_stories_text

TOY = Path(__file__).parent / "toy_bot"


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(TOY / "domain.yml")


@pytest.fixture(scope="module")
def ensemble(domain: Domain) -> PolicyEnsemble:
    ensemble = PolicyEnsemble.default()
    ensemble.train(load_stories(TOY), domain)
    return ensemble


@dataclass
class FixedPolicy:
    """Always predicts the same action."""

    name: str
    priority: int
    action: str | None
    confidence: float = 1.0

    def train(self, stories: StoryGraph, domain: Domain) -> None:
        pass

    def predict(self, tracker: DialogueStateTracker, domain: Domain) -> PolicyPrediction:
        return PolicyPrediction(self.action, self.confidence, self.name)

    def persist(self, directory: Path) -> None:
        pass

    @classmethod
    def load(cls, directory: Path) -> FixedPolicy:
        raise NotImplementedError


def user(intent: str, confidence: float = 0.95, **entities: str) -> UserUttered:
    parse = {
        "intent": {"name": intent, "confidence": confidence},
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


def test_ensemble_rule_beats_memoization_beats_learned(domain: Domain) -> None:
    tracker = conversation(domain, user("greet"))
    learned = FixedPolicy("LearnedPolicy", Priority.LEARNED, "utter_c")
    memo = FixedPolicy("MemoizationPolicy", Priority.MEMOIZATION, "utter_b")
    rule = FixedPolicy("RulePolicy", Priority.RULE, "utter_a")
    assert PolicyEnsemble([learned, memo, rule]).predict(tracker, domain).policy == "RulePolicy"
    assert PolicyEnsemble([learned, memo]).predict(tracker, domain).policy == "MemoizationPolicy"
    assert PolicyEnsemble([learned]).predict(tracker, domain).action == "utter_c"


def test_ensemble_skips_abstentions_and_unconfident_predictions(domain: Domain) -> None:
    policies = [
        FixedPolicy("RulePolicy", Priority.RULE, None),
        FixedPolicy("MemoizationPolicy", Priority.MEMOIZATION, "utter_b", confidence=0.1),
        FixedPolicy("LearnedPolicy", Priority.LEARNED, "utter_c", confidence=0.6),
    ]
    decision = PolicyEnsemble(policies).decide(conversation(domain, user("greet")), domain)
    assert decision.prediction.action == "utter_c"
    assert [c.policy for c in decision.candidates] == ["RulePolicy", "MemoizationPolicy", "LearnedPolicy"]


def test_ensemble_without_confident_policy_falls_back(domain: Domain) -> None:
    ensemble = PolicyEnsemble([FixedPolicy("LearnedPolicy", Priority.LEARNED, "utter_c", confidence=0.1)])
    after_user = ensemble.predict(conversation(domain, user("greet")), domain)
    assert (after_user.action, after_user.policy) == ("action_default_fallback", "PolicyEnsemble")
    after_bot = ensemble.predict(conversation(domain, user("greet"), "utter_greet"), domain)
    assert after_bot.action == "action_listen"


def test_ensemble_does_not_repeat_rejected_action(domain: Domain) -> None:
    policies = [
        FixedPolicy("FormPolicy", Priority.FORM, "redeem_form"),
        FixedPolicy("LearnedPolicy", Priority.LEARNED, "utter_chitchat"),
    ]
    tracker = conversation(domain, user("chitchat"), ActionExecutionRejected("redeem_form"))
    assert PolicyEnsemble(policies).predict(tracker, domain).action == "utter_chitchat"


def test_ensemble_followup_action_comes_first(domain: Domain) -> None:
    tracker = conversation(domain, user("greet"), FollowupAction("utter_nav"))
    prediction = PolicyEnsemble([FixedPolicy("RulePolicy", Priority.RULE, "utter_a")]).predict(
        tracker, domain
    )
    assert prediction.action == "utter_nav"


def test_ensemble_rule_overrides_learned_policy(ensemble: PolicyEnsemble, domain: Domain) -> None:
    # vip does not influence the conversation: the learned policy cannot see it, the rule can
    tracker = conversation(domain, SlotSet("vip", True), user("greet"))
    decision = ensemble.decide(tracker, domain)
    assert (decision.prediction.action, decision.prediction.policy) == ("utter_greet_vip", "RulePolicy")
    learned = next(c for c in decision.candidates if c.policy == "LearnedPolicy")
    assert learned.action == "utter_greet"


def test_ensemble_records_deciding_policy(ensemble: PolicyEnsemble, domain: Domain) -> None:
    story = conversation(domain, user("greet"), "utter_greet", user("nav"))
    assert ensemble.predict(story, domain).policy == "MemoizationPolicy"
    unseen = conversation(
        domain, user("thank"), "utter_thank", user("redeem", amount="一万"), SlotSet("amount", "一万")
    )
    prediction = ensemble.predict(unseen, domain)
    assert (prediction.action, prediction.policy) == ("action_redeem", "LearnedPolicy")
    low = conversation(domain, user("greet"), "utter_greet", user("nav", confidence=0.2))
    assert ensemble.predict(low, domain).action == "action_clarify"  # fallback beats memoization


def test_ensemble_training_checks_stop_bad_data(domain: Domain) -> None:
    bad = load_stories_text(
        """
stories:
- story: 未声明意图
  steps:
  - intent: buy_gold
  - action: utter_greet
""",
        "data/stories.yml",
    )
    with pytest.raises(StoryError) as info:
        PolicyEnsemble.default().train(bad, domain)
    assert info.value.code == "STY101"
    assert (info.value.path, info.value.line) == ("data/stories.yml", 5)


def test_ensemble_persist_load_round_trip(ensemble: PolicyEnsemble, domain: Domain, tmp_path: Path) -> None:
    ensemble.persist(tmp_path / "policies")
    loaded = PolicyEnsemble.load(tmp_path / "policies")
    assert [p.name for p in loaded.policies] == [p.name for p in ensemble.policies]
    assert [type(p) for p in loaded.policies] == [
        RulePolicy,
        FallbackPolicy,
        MemoizationPolicy,
        LearnedPolicy,
    ]
    trackers = [
        conversation(domain, SlotSet("vip", True), user("greet")),
        conversation(domain, user("greet"), "utter_greet", user("nav")),
        conversation(domain, user("thank"), "utter_thank", user("redeem")),
        conversation(domain, user("nav", confidence=0.1)),
    ]
    for tracker in trackers:
        before, after = ensemble.predict(tracker, domain), loaded.predict(tracker, domain)
        assert (after.action, after.policy) == (before.action, before.policy)
        assert after.confidence == pytest.approx(before.confidence, abs=1e-6)


def test_ensemble_load_missing_directory_raises(tmp_path: Path) -> None:
    from dialogue.errors import DialogueError

    with pytest.raises(DialogueError, match="ensemble.json"):
        PolicyEnsemble.load(tmp_path)


def test_ensemble_default_keeps_extra_policies_first_on_equal_priority() -> None:
    form = FixedPolicy("FormPolicy", Priority.FORM, None)
    names = [p.name for p in PolicyEnsemble.default([form]).policies]
    assert names == ["RulePolicy", "FormPolicy", "FallbackPolicy", "MemoizationPolicy", "LearnedPolicy"]
