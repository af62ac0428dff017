"""FlowPolicy: runs the bot's ``flows.yml`` call scripts (priority 6, above rules)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from dialogue.flows import FlowExecutor, FlowsList, load_flows, validate_flows
from dialogue.flows.executor import DEFAULT_FALLBACK_ACTION
from dialogue.policies.base import PolicyPrediction, Priority
from dialogue.tracker import DialogueStateTracker

if TYPE_CHECKING:
    from dialogue.domain import Domain
    from dialogue.training.graph import StoryGraph

__all__ = ["FlowPolicy"]

_FLOWS_FILE = "flows.yml"
_CONFIG_FILE = "flow_policy.json"


class FlowPolicy:
    """Starts a flow when the user's intent triggers one and walks it step by step.

    Its progress is the ``flow_stack`` slot, set through ``PolicyPrediction.events``; collect
    steps predict the ask response, then ``action_listen``, then read the answer through the
    domain's slot mappings (see ``dialogue/flows/README.md``).

    Args:
        flows: the bot's flows (none: the policy never has an opinion).
        fallback_action: predicted when a collect step got no value after one re-ask.
        max_reasks: re-asks before the fallback.
    """

    name = "FlowPolicy"
    priority = Priority.FLOW

    def __init__(
        self,
        flows: FlowsList | None = None,
        *,
        fallback_action: str = DEFAULT_FALLBACK_ACTION,
        max_reasks: int = 1,
    ) -> None:
        self.flows = flows if flows is not None else FlowsList({})
        self.fallback_action = fallback_action
        self.max_reasks = max_reasks
        self._executor = FlowExecutor(self.flows, fallback_action=fallback_action, max_reasks=max_reasks)

    @classmethod
    def from_files(cls, paths: str | Path | list[str | Path], domain: Domain | None = None) -> FlowPolicy:
        """A policy for the flows of these files or folders, checked against ``domain`` if given."""
        return cls(load_flows(paths, domain))

    def train(self, stories: StoryGraph, domain: Domain) -> None:
        """Nothing to learn; checks the flows against the domain.

        Raises:
            StoryError: a flow uses an undeclared slot, intent, response or action.
        """
        validate_flows(self.flows, domain)

    def predict(self, tracker: DialogueStateTracker, domain: Domain) -> PolicyPrediction:
        """The running flow's next action (confidence 1.0) with the events to apply first."""
        decision = self._executor.decide(tracker, domain)
        if decision.action is None:
            return PolicyPrediction.abstain(self.name)
        return PolicyPrediction(decision.action, 1.0, self.name, decision.events)

    def persist(self, directory: Path) -> None:
        text = yaml.safe_dump(self.flows.as_yaml(), allow_unicode=True, sort_keys=False)
        (directory / _FLOWS_FILE).write_text(text, encoding="utf-8")
        config = {"fallback_action": self.fallback_action, "max_reasks": self.max_reasks}
        (directory / _CONFIG_FILE).write_text(json.dumps(config), encoding="utf-8")

    @classmethod
    def load(cls, directory: Path) -> FlowPolicy:
        config = json.loads((directory / _CONFIG_FILE).read_text(encoding="utf-8"))
        return cls(
            load_flows(directory / _FLOWS_FILE),
            fallback_action=str(config.get("fallback_action", DEFAULT_FALLBACK_ACTION)),
            max_reasks=int(config.get("max_reasks", 1)),
        )
