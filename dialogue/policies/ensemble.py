"""The policy ensemble: every policy gives its opinion, the highest-priority confident one decides.

Order: flows (6) > rules (5) > forms (4) = fallback (4, listed after forms) >
memoization (3) > learned (1); equal priorities go by the order the policies were
given. A prediction counts when it names an action, its confidence reaches
``core_threshold`` and the action was not just rejected. With no such prediction the
ensemble answers ``action_default_fallback`` right after a user message and
``action_listen`` otherwise. A pending ``FollowupAction`` always comes first.
"""

from __future__ import annotations

import importlib
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dialogue.errors import DialogueError
from dialogue.events import ActionExecuted, ActionExecutionRejected, UserUttered
from dialogue.policies.base import Policy, PolicyPrediction
from dialogue.policies.fallback import FallbackPolicy
from dialogue.policies.learned import LearnedPolicy
from dialogue.policies.memoization import MemoizationPolicy
from dialogue.policies.rules import RulePolicy
from dialogue.tracker import ACTION_LISTEN, DialogueStateTracker

if TYPE_CHECKING:
    from dialogue.domain import Domain
    from dialogue.training.graph import StoryGraph

__all__ = ["ACTION_DEFAULT_FALLBACK", "EnsembleDecision", "PolicyEnsemble"]

logger = logging.getLogger(__name__)

ACTION_DEFAULT_FALLBACK = "action_default_fallback"
ENSEMBLE_NAME = "PolicyEnsemble"
_MANIFEST = "ensemble.json"


@dataclass(frozen=True)
class EnsembleDecision:
    """The winning prediction and every policy's opinion (for logs and debugging)."""

    prediction: PolicyPrediction
    candidates: tuple[PolicyPrediction, ...]


class PolicyEnsemble:
    """Asks every policy and picks the winner.

    Args:
        policies: the policies, in any order (sorted by priority, stable).
        core_threshold: the confidence a prediction needs to count.
    """

    def __init__(self, policies: Sequence[Policy], core_threshold: float = 0.3) -> None:
        self.policies: list[Policy] = sorted(policies, key=lambda p: -p.priority)
        self.core_threshold = core_threshold

    @classmethod
    def default(cls, extra: Sequence[Policy] = ()) -> PolicyEnsemble:
        """Rules, memoization, the learned policy and the fallback, plus ``extra`` (flows, forms).

        ``extra`` policies come first among equal priorities, so a form policy tries before the fallback.
        """
        return cls([*extra, RulePolicy(), FallbackPolicy(), MemoizationPolicy(), LearnedPolicy()])

    def train(self, stories: StoryGraph, domain: Domain, *, check: bool = True) -> None:
        """Train every policy, after the training checks.

        Raises:
            StoryError: with ``check``, the first error the training checks found (all are logged).
        """
        if check:
            from dialogue.validation import Severity, validate

            findings = validate(domain, stories)
            for finding in findings:
                log = logger.error if finding.severity is Severity.ERROR else logger.warning
                log("%s", finding)
            errors = [f for f in findings if f.severity is Severity.ERROR]
            if errors:
                raise errors[0].to_error(more=len(errors) - 1)
        for policy in self.policies:
            policy.train(stories, domain)

    def decide(self, tracker: DialogueStateTracker, domain: Domain) -> EnsembleDecision:
        """Every policy's prediction and the winner among them."""
        if tracker.followup_action:
            prediction = PolicyPrediction(tracker.followup_action, 1.0, "FollowupAction")
            return EnsembleDecision(prediction, (prediction,))
        rejected = _rejected_actions(tracker)
        candidates = tuple(policy.predict(tracker, domain) for policy in self.policies)
        for prediction in candidates:
            if (
                prediction.action is not None
                and prediction.action not in rejected
                and prediction.confidence >= self.core_threshold
            ):
                return EnsembleDecision(prediction, candidates)
        after_user = tracker.latest_action_name == ACTION_LISTEN and tracker.latest_message is not None
        action = ACTION_DEFAULT_FALLBACK if after_user else ACTION_LISTEN
        return EnsembleDecision(PolicyPrediction(action, 1.0, ENSEMBLE_NAME), candidates)

    def predict(self, tracker: DialogueStateTracker, domain: Domain) -> PolicyPrediction:
        """The next action; ``prediction.policy`` names the policy that decided."""
        decision = self.decide(tracker, domain)
        logger.debug("next action %s by %s", decision.prediction.action, decision.prediction.policy)
        return decision.prediction

    def persist(self, directory: str | Path) -> None:
        """Write every policy into its own folder under ``directory`` plus a manifest."""
        root = Path(directory)
        root.mkdir(parents=True, exist_ok=True)
        entries: list[dict[str, Any]] = []
        for position, policy in enumerate(self.policies):
            folder = f"{position:02d}_{policy.name}"
            (root / folder).mkdir(exist_ok=True)
            policy.persist(root / folder)
            cls = type(policy)
            entries.append(
                {"name": policy.name, "class": f"{cls.__module__}:{cls.__qualname__}", "folder": folder}
            )
        manifest = {"core_threshold": self.core_threshold, "policies": entries}
        (root / _MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")

    @classmethod
    def load(cls, directory: str | Path) -> PolicyEnsemble:
        """Read an ensemble written by ``persist``.

        Raises:
            DialogueError: no manifest, or it names a class outside the ``dialogue`` package.
        """
        root = Path(directory)
        if not (root / _MANIFEST).is_file():
            raise DialogueError(f"no trained policies in {root} (missing {_MANIFEST})")
        manifest = json.loads((root / _MANIFEST).read_text(encoding="utf-8"))
        policies = [
            _policy_class(entry["class"]).load(root / entry["folder"]) for entry in manifest["policies"]
        ]
        return cls(policies, core_threshold=float(manifest["core_threshold"]))


def _policy_class(path: str) -> Any:
    module_name, _, qualname = path.partition(":")
    if not module_name.startswith("dialogue."):
        raise DialogueError(f"refusing to load policy class {path!r}: only dialogue.* policies are loaded")
    try:
        return getattr(importlib.import_module(module_name), qualname)
    except (ImportError, AttributeError) as exc:
        raise DialogueError(f"policy class {path!r} not found") from exc


def _rejected_actions(tracker: DialogueStateTracker) -> set[str]:
    """Actions rejected since the last action that did run (they must not be predicted again)."""
    rejected: set[str] = set()
    for event in reversed(tracker.applied_events()):
        if isinstance(event, ActionExecutionRejected):
            rejected.add(event.action_name)
        elif isinstance(event, ActionExecuted | UserUttered):
            break
    return rejected
