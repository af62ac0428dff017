"""Training time, parse latency (one core) and peak memory of the NLU pipeline.

Usage:
    python benchmarks/speed.py --data ../shared/benchmarks/smp2017_ecdt_task1
    python benchmarks/speed.py --bot bots/service

Trains the full default pipeline (all cores, as `wealthbot train` would), then times
parsing in a child process pinned to one core with one OpenMP thread: the full
pipeline, and the same pipeline with a sparse-only intent classifier.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def load_texts_and_data(args: argparse.Namespace):  # noqa: ANN201
    from benchmarks._common import read_jsonl
    from bots.bot_project import load_bot_project
    from nlu.training_data import Example, TrainingData

    if args.bot:
        project = load_bot_project(args.bot)
        return (project.specs, *_hold_out(project.data))
    rows = []
    for stem in ("train", "develop", "dev"):
        path = args.data / f"{stem}.jsonl"
        if path.exists():
            rows += read_jsonl(path)
    if not rows:
        sys.exit(f"no train/develop jsonl in {args.data}")
    data = TrainingData([Example(r["text"], r["label"]) for r in rows])
    test = args.data / "test.jsonl"
    if test.exists():
        return None, data, [r["text"] for r in read_jsonl(test)]
    return (None, *_hold_out(data))


def _hold_out(data):  # noqa: ANN001, ANN202
    """Every fifth example is timed, not trained on: seen texts would flatter the latency."""
    from nlu.training_data import TrainingData

    train = [e for i, e in enumerate(data.examples) if i % 5]
    timed = [e.text for i, e in enumerate(data.examples) if not i % 5]
    return TrainingData(train, data.synonyms, data.regexes, data.lookups), timed


def train_phase(args: argparse.Namespace, workdir: Path) -> None:
    from benchmarks._common import peak_rss_mb, timer
    from nlu.pipeline import Pipeline
    from nlu.pipeline_config import specs_from_list

    specs, data, texts = load_texts_and_data(args)
    specs = specs or specs_from_list(None)
    for name, encoder in (("full", None), ("sparse", "none")):
        chosen = [
            type(s)(s.name, {**s.overrides, "encoder": encoder}) if encoder and "intent" in s.name else s
            for s in specs
        ]
        pipeline = Pipeline.from_specs(chosen)
        with timer() as took:
            report = pipeline.train(data)
        pipeline.persist(workdir / name)
        slowest = sorted(report.seconds_per_component.items(), key=lambda kv: -kv[1])[:3]
        print(
            f"train [{name:6s}] {len(data.intent_examples)} examples, {len(data.intents)} intents: "
            f"{took['seconds']:.1f}s on {os.cpu_count()} cores  (slowest: "
            + ", ".join(f"{k} {v:.1f}s" for k, v in slowest)
            + ")"
        )
    (workdir / "texts.json").write_text(json.dumps(texts[: args.n], ensure_ascii=False), encoding="utf-8")
    print(f"peak RSS while training: {peak_rss_mb():.0f} MB")


def parse_phase(workdir: Path) -> None:
    import numpy as np

    from benchmarks._common import peak_rss_mb
    from nlu.pipeline import Pipeline

    texts = json.loads((workdir / "texts.json").read_text(encoding="utf-8"))
    import time

    for name in ("full", "sparse"):
        pipeline = Pipeline.load(workdir / name)
        for text in texts[:20]:  # warm caches and lazy imports
            pipeline.parse(text + "。")
        timings = []
        for text in texts:
            started = time.perf_counter()
            pipeline.parse(text)
            timings.append((time.perf_counter() - started) * 1000)
        p50, p99 = np.percentile(timings, [50, 99])
        print(f"parse [{name:6s}] one core, {len(texts)} texts: p50={p50:.2f} ms  p99={p99:.2f} ms")
    print(f"peak RSS serving both pipelines: {peak_rss_mb():.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path)
    parser.add_argument("--bot", type=Path)
    parser.add_argument("--n", type=int, default=1000, help="texts to time")
    parser.add_argument("--parse-only", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.parse_only:
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
        parse_phase(args.parse_only)
        return
    if not args.data and not args.bot:
        parser.error("give --data or --bot")
    with tempfile.TemporaryDirectory() as tmp:
        train_phase(args, Path(tmp))
        env = {**os.environ, "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
        subprocess.run([sys.executable, __file__, "--parse-only", tmp], env=env, check=True)


if __name__ == "__main__":
    main()
