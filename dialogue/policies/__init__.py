"""Dialogue policies: rules, memoized stories, a learned policy, fallback, and their ensemble."""

from __future__ import annotations

from dialogue.policies.base import Policy, PolicyPrediction, Priority
from dialogue.policies.ensemble import ACTION_DEFAULT_FALLBACK, EnsembleDecision, PolicyEnsemble
from dialogue.policies.fallback import ACTION_CLARIFY, ACTION_HANDOFF, FallbackPolicy, is_unclear
from dialogue.policies.learned import LearnedPolicy
from dialogue.policies.memoization import MemoizationPolicy
from dialogue.policies.rules import RulePolicy, RuleSnippet
from dialogue.policies.state import State, event_states, tracker_states

__all__ = [
    "ACTION_CLARIFY",
    "ACTION_DEFAULT_FALLBACK",
    "ACTION_HANDOFF",
    "EnsembleDecision",
    "FallbackPolicy",
    "LearnedPolicy",
    "MemoizationPolicy",
    "Policy",
    "PolicyEnsemble",
    "PolicyPrediction",
    "Priority",
    "RulePolicy",
    "RuleSnippet",
    "State",
    "event_states",
    "is_unclear",
    "tracker_states",
]
