"""Batch churn scoring: score every customer, plan touches, emit tasks for the robots.

``score_all(...)`` needs no running wealthbot: a dataset (simulated or loaded), a trained
:class:`~recommend.churn.ChurnModel`, and optionally a :class:`~recommend.churn.TaskStore`
and/or a JSONL path. As a script it simulates a population, trains and scores::

    python -m recommend.churn_batch --customers 100000 --db sqlite:///touch.sqlite --jsonl tasks.jsonl
"""

from __future__ import annotations

import argparse
import datetime as dt
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from recommend.churn import (
    ChurnModel,
    TaskStore,
    TouchPolicy,
    TouchTask,
    churn_features,
    churn_labels,
    plan_touch,
    win_back_likelihood,
    write_jsonl,
)
from recommend.schema import Dataset

__all__ = ["BatchResult", "main", "score_all", "train_model"]


@dataclass
class BatchResult:
    """Scores of every customer (NaN for inactive ones) and the tasks emitted."""

    scores: np.ndarray
    tasks: list[TouchTask] = field(default_factory=list)
    capped: int = 0  # customers above the threshold a frequency cap held back
    seconds: float = 0.0


def train_model(dataset: Dataset, day: int, horizon: int = 30) -> ChurnModel:
    """Fit on features at ``day - horizon`` and churn within ``[day - horizon, day)``: no look-ahead."""
    start = max(1, day - horizon)
    return ChurnModel().fit(churn_features(dataset, start), churn_labels(dataset, start, day - start))


def score_all(
    dataset: Dataset,
    model: ChurnModel,
    day: int,
    *,
    now: dt.datetime | None = None,
    policy: TouchPolicy | None = None,
    store: TaskStore | None = None,
    jsonl: str | Path | None = None,
) -> BatchResult:
    """Score all customers at ``day`` and emit a touch task for each one at risk.

    Args:
        dataset: customers and their logs.
        model: a trained churn model.
        day: score with the events before this day.
        now: planning time (default: the calendar date of ``day`` at 10:00).
        policy: channel thresholds, caps, quiet hours and the score threshold.
        store: the task table to write to (also read for frequency caps).
        jsonl: also write the tasks to this JSONL file.
    """
    started = time.perf_counter()
    policy = policy or TouchPolicy()
    now = now or dt.datetime.combine(dataset.date_of(day), dt.time(10))
    features = churn_features(dataset, day)
    scores = np.full(len(dataset.customers), np.nan)
    scores[features.active] = model.score(features.values[features.active])
    at_risk = np.flatnonzero(features.active & (np.nan_to_num(scores) >= policy.min_score))
    history = store.touches_since(now - dt.timedelta(days=30)) if store else {}
    tasks, capped = _plan_tasks(dataset, model, features, scores, at_risk, history, now, policy)
    if store is not None:
        store.add(tasks)
    if jsonl is not None:
        write_jsonl(tasks, jsonl)
    return BatchResult(scores, tasks, capped, time.perf_counter() - started)


def _plan_tasks(
    dataset, model, features, scores, at_risk, history, now, policy
) -> tuple[list[TouchTask], int]:
    """Touch tasks for the customers ``at_risk`` (rows), and how many a frequency cap held back."""
    values = features.values[at_risk]
    reasons = model.reasons(values)
    win_back = win_back_likelihood(values)
    c = dataset.customers
    since = features.column("days_since_login")
    tasks, capped = [], 0
    for k, row in enumerate(at_risk):
        customer_id = str(c.customer_id[row])
        plan = plan_touch(
            aum=float(c.aum[row]), phone_reachable=bool(c.phone_reachable[row]),
            app_reachable=bool(c.app_reachable[row]), days_since_login=float(since[row]),
            previous=history.get(customer_id, []), now=now, policy=policy,
        )  # fmt: skip
        if plan is None:
            capped += 1
            continue
        tasks.append(
            TouchTask(
                task_id=uuid.uuid4().hex, customer_id=customer_id, channel=plan.channel.value,
                scheduled_at=plan.scheduled_at, churn_score=float(scores[row]), win_back=float(win_back[k]),
                reasons=reasons[k], channel_reason=plan.reason,
                priority=float(scores[row] * win_back[k] * np.log10(max(float(c.aum[row]), 10.0))),
            )
        )  # fmt: skip
    return tasks, capped


def main(argv: list[str] | None = None) -> None:
    """Simulate, train on the earlier days, score at the last day, write the tasks."""
    from knowledge.catalogue import load_catalogue
    from recommend.simulate import SimConfig, simulate

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--customers", type=int, default=5000)
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--products", type=Path, help="products.yml (default: the shipped catalogue)")
    parser.add_argument("--db", default=None, help="SQLAlchemy URL of the task table")
    parser.add_argument("--jsonl", type=Path, default=None)
    args = parser.parse_args(argv)
    products = list(load_catalogue(args.products))
    dataset = simulate(products, SimConfig(n_customers=args.customers, n_days=args.days, seed=args.seed))
    model = train_model(dataset, args.days)
    store = TaskStore(args.db) if args.db else None
    result = score_all(dataset, model, args.days, store=store, jsonl=args.jsonl)
    by_channel: dict[str, int] = {}
    for task in result.tasks:
        by_channel[task.channel] = by_channel.get(task.channel, 0) + 1
    print(
        f"scored {len(dataset.customers)} customers in {result.seconds:.2f}s; "
        f"tasks {by_channel}; capped {result.capped}"
    )


if __name__ == "__main__":
    main()
