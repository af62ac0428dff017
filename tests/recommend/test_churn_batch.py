from __future__ import annotations

import datetime as dt

import numpy as np

from recommend.churn import TaskStore, TouchPolicy
from recommend.churn_batch import score_all


def test_score_all_scores_everyone_and_emits_capped_tasks(dataset, churn_model, tmp_path) -> None:
    model = churn_model
    store = TaskStore(f"sqlite:///{tmp_path / 'tasks.sqlite'}")
    policy = TouchPolicy(min_score=0.1)
    result = score_all(dataset, model, 30, store=store, jsonl=tmp_path / "tasks.jsonl", policy=policy)
    active = ~np.isnan(result.scores)
    assert active.sum() > 0.7 * len(dataset.customers)
    assert result.tasks and store.count() == len(result.tasks)
    assert len((tmp_path / "tasks.jsonl").read_text(encoding="utf-8").splitlines()) == len(result.tasks)
    for task in result.tasks:
        assert task.churn_score >= 0.1 and 9 <= task.scheduled_at.hour < 21
    # a second run the same day: each customer was touched an hour ago, so the 48 h gap defers them
    again = score_all(
        dataset,
        model,
        30,
        store=store,
        policy=policy,
        now=dt.datetime.combine(dataset.date_of(30), dt.time(11)),
    )
    assert all(t.scheduled_at >= dt.datetime.combine(dataset.date_of(32), dt.time(9)) for t in again.tasks)
    due = store.next_tasks("outbound_robot", 1000, now=dt.datetime.combine(dataset.date_of(30), dt.time(12)))
    assert all(t.channel == "outbound_robot" for t in due)


def test_churn_batch_cli_writes_tasks_to_sqlite(tmp_path, capsys) -> None:
    from recommend.churn_batch import main

    url = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    main(["--customers", "1500", "--days", "60", "--db", url, "--jsonl", str(tmp_path / "t.jsonl")])
    out = capsys.readouterr().out
    assert out.startswith("scored 1500 customers")
    assert TaskStore(url).count() == len((tmp_path / "t.jsonl").read_text(encoding="utf-8").splitlines())
