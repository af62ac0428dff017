"""Flows: call scripts in ``flows.yml`` (format in ``README.md``), their loader and runner."""

from __future__ import annotations

from dialogue.flows.conditions import Condition, ConditionError
from dialogue.flows.executor import FLOW_STACK_SLOT, FlowDecision, FlowExecutor, FlowFrame
from dialogue.flows.loader import FlowError, load_flows, parse_flows, validate_flows
from dialogue.flows.model import END, Branch, Flow, FlowsList, FlowStep, StepKind

__all__ = [
    "END",
    "FLOW_STACK_SLOT",
    "Branch",
    "Condition",
    "ConditionError",
    "Flow",
    "FlowDecision",
    "FlowError",
    "FlowExecutor",
    "FlowFrame",
    "FlowStep",
    "FlowsList",
    "StepKind",
    "load_flows",
    "parse_flows",
    "validate_flows",
]
