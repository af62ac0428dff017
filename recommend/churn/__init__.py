"""Churn: features, risk score with reasons, win-back likelihood, touch plans and touch tasks."""

from __future__ import annotations

from recommend.churn.features import FEATURES, REASONS, ChurnFeatures, churn_features, churn_labels
from recommend.churn.model import ChurnAssessment, ChurnModel, win_back_likelihood
from recommend.churn.tasks import TaskStore, TouchTask, next_tasks, write_jsonl
from recommend.churn.touch import Channel, TouchPlan, TouchPolicy, choose_channel, plan_touch

__all__ = [
    "FEATURES",
    "REASONS",
    "Channel",
    "ChurnAssessment",
    "ChurnFeatures",
    "ChurnModel",
    "TaskStore",
    "TouchPlan",
    "TouchPolicy",
    "TouchTask",
    "choose_channel",
    "churn_features",
    "churn_labels",
    "next_tasks",
    "plan_touch",
    "win_back_likelihood",
    "write_jsonl",
]
