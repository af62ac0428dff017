"""Churn on simulated logs: AUC and precision@top-10% vs the days-since-last-login rule; batch speed.

Usage::

    python benchmarks/churn.py                 # 20,000 customers, 90 days
    python benchmarks/churn.py --full          # 100,000 customers (batch target: <= 30 s)

Time split (no look-ahead): the model trains on features at day ``D-2H`` labelled by churn
in ``[D-2H, D-H)`` and is tested on features at ``D-H`` labelled by churn in ``[D-H, D)``
(``D`` = days simulated, ``H`` = ``--horizon``). Only customers still active at the cut
count. Systems:
    rule        days since the last login (higher = riskier)
    ours        standardised logistic regression on 15 behaviour features (recommend.churn)
    ours-gbm    HistGradientBoostingClassifier on the same features (for reference)

Then ``score_all`` scores every customer at day ``D`` and writes touch tasks to a SQLite
table in a temporary folder; its wall time is the batch figure.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._common import timer  # noqa: E402


def precision_at(labels: np.ndarray, scores: np.ndarray, share: float = 0.1) -> float:
    k = max(1, int(len(scores) * share))
    top = np.argsort(-scores, kind="stable")[:k]
    return float(labels[top].mean())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=20000)
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--horizon", type=int, default=30)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--full", action="store_true", help="100,000 customers")
    args = parser.parse_args(argv)
    if args.full:
        args.customers = 100_000
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.metrics import roc_auc_score

    from knowledge.catalogue import load_catalogue
    from recommend.churn import TaskStore, churn_features, churn_labels
    from recommend.churn_batch import score_all, train_model
    from recommend.simulate import SimConfig, simulate

    with timer() as took:
        dataset = simulate(
            list(load_catalogue()), SimConfig(n_customers=args.customers, n_days=args.days, seed=args.seed)
        )
    print(
        f"simulated {args.customers} customers x {args.days} days: {len(dataset.events)} events"
        f" [{took['seconds']:.1f}s]"
    )
    cut = args.days - args.horizon
    model = train_model(dataset, cut, args.horizon)
    train_f = churn_features(dataset, cut - args.horizon)
    train_y = churn_labels(dataset, cut - args.horizon, args.horizon)
    gbm = HistGradientBoostingClassifier(max_iter=200, learning_rate=0.05, random_state=0)
    gbm.fit(train_f.values[train_f.active], train_y[train_f.active])
    test_f = churn_features(dataset, cut)
    y = churn_labels(dataset, cut, args.horizon)[test_f.active]
    x = test_f.values[test_f.active]
    systems = {
        "rule": test_f.column("days_since_login")[test_f.active] + 1e-6 * np.arange(len(y)) / len(y),
        "ours": model.score(x),
        "ours-gbm": gbm.predict_proba(x)[:, 1],
    }
    print(f"\ntest: {len(y)} active customers at day {cut}, churn within {args.horizon} days: {y.mean():.2%}")
    print(f"  {'system':<9} {'AUC':>6} {'P@10%':>6}")
    for name, scores in systems.items():
        print(f"  {name:<9} {roc_auc_score(y, scores):6.3f} {precision_at(y, scores):6.3f}")
    with tempfile.TemporaryDirectory() as folder:
        store = TaskStore(f"sqlite:///{Path(folder) / 'tasks.sqlite'}")
        with timer() as took:
            result = score_all(dataset, model, args.days, store=store, jsonl=Path(folder) / "tasks.jsonl")
        channels: dict[str, int] = {}
        for task in result.tasks:
            channels[task.channel] = channels.get(task.channel, 0) + 1
        print(
            f"\nbatch: scored {len(dataset.customers)} customers, {len(result.tasks)} touch tasks {channels},"
            f" {result.capped} capped, written to SQLite + JSONL in {took['seconds']:.2f}s (target <= 30 s)"
        )
        if result.tasks:
            sample = max(result.tasks, key=lambda t: t.churn_score)
            print(
                f"  example: {sample.customer_id} score {sample.churn_score:.2f} {sample.channel}:"
                f" {'；'.join(sample.reasons)}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
