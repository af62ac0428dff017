"""CLUENER2020 fine-grained NER: the CRF entity tagger next to a dictionary baseline.

Usage::

    python benchmarks/cluener.py --data /work/shared/benchmarks/cluener2020 [--tune]

Uses ``train.jsonl``/``test.jsonl`` when present; otherwise splits ``dev.jsonl``
80/20 with ``--seed``. Scores are entity-level (exact span and type), micro and
macro over types. ``--tune`` picks c1/c2 on a held-out slice of the training part
only (never on the test part) before the final fit.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from nlu.entities.crf_tagger import CRFEntityTagger  # noqa: E402
from nlu.message import Message  # noqa: E402
from nlu.resources import Resources  # noqa: E402
from nlu.training_data import AnnotatedEntity, Example, TrainingData  # noqa: E402

Span = tuple[str, int, int]  # type, start, end (exclusive)
Record = tuple[str, set[Span]]


def load_jsonl(path: Path) -> list[Record]:
    """CLUENER records as (text, gold spans with exclusive ends)."""
    records: list[Record] = []
    for line in path.read_text("utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        spans: set[Span] = set()
        for entity, mentions in (row.get("label") or {}).items():
            for positions in mentions.values():
                spans.update((entity, start, end + 1) for start, end in positions)
        records.append((row["text"], spans))
    return records


def load_splits(data: Path, seed: int) -> tuple[list[Record], list[Record], str]:
    """Train and test records, and a description of where they came from."""
    train_file, test_file, dev_file = data / "train.jsonl", data / "test.jsonl", data / "dev.jsonl"
    if train_file.exists():
        test = test_file if test_file.exists() else dev_file
        if test.exists() and _has_labels(test):
            return load_jsonl(train_file), load_jsonl(test), f"{train_file.name} / {test.name}"
        records, source = load_jsonl(train_file), train_file.name
    elif dev_file.exists():
        records, source = load_jsonl(dev_file), dev_file.name
    else:
        raise SystemExit(f"no train.jsonl or dev.jsonl under {data}")
    shuffled = list(records)
    random.Random(seed).shuffle(shuffled)
    cut = int(len(shuffled) * 0.8)
    return shuffled[:cut], shuffled[cut:], f"{source} split 80/20 (seed {seed})"


def _has_labels(path: Path) -> bool:
    first = next((line for line in path.read_text("utf-8").splitlines() if line.strip()), "{}")
    return bool(json.loads(first).get("label"))


def to_training_data(records: list[Record]) -> TrainingData:
    examples = []
    for text, spans in records:
        entities = tuple(
            AnnotatedEntity(entity=t, value=text[s:e], start=s, end=e) for t, s, e in sorted(spans, key=_key)
        )
        examples.append(Example(text=text, intent=None, entities=entities))
    return TrainingData(examples=examples)


def _key(span: Span) -> tuple[int, int, str]:
    return span[1], span[2], span[0]


def train_crf(records: list[Record], **overrides: object) -> tuple[CRFEntityTagger, float]:
    config = CRFEntityTagger.Config(**overrides)  # type: ignore[arg-type]
    tagger = CRFEntityTagger.create(config, Resources())
    tagger.initialize()
    tagger.features("预热")  # load jieba before timing training
    data = to_training_data(records)
    started = time.perf_counter()
    tagger.train(data, [Message(e.text) for e in data.examples])
    return tagger, time.perf_counter() - started


def crf_predictor(tagger: CRFEntityTagger) -> Callable[[str], set[Span]]:
    def predict(text: str) -> set[Span]:
        message = tagger.process(Message(text))
        return {(e.entity, e.start, e.end) for e in message.entities}

    return predict


def dictionary_predictor(records: list[Record]) -> Callable[[str], set[Span]]:
    """Baseline: memorise training mentions, tag them longest-first (most frequent type)."""
    types: dict[str, Counter[str]] = defaultdict(Counter)
    for text, spans in records:
        for entity, start, end in spans:
            types[text[start:end]][entity] += 1
    lexicon = {surface: counts.most_common(1)[0][0] for surface, counts in types.items()}
    lengths = sorted({len(s) for s in lexicon}, reverse=True)

    def predict(text: str) -> set[Span]:
        found: set[Span] = set()
        i = 0
        while i < len(text):
            for length in lengths:
                entity = lexicon.get(text[i : i + length])
                if entity is not None:
                    found.add((entity, i, i + length))
                    i += length - 1
                    break
            i += 1
        return found

    return predict


def evaluate(predict: Callable[[str], set[Span]], records: list[Record]) -> dict[str, object]:
    """Entity-level scores (exact span and type) and per-sentence latency."""
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    latencies = []
    for text, gold in records:
        started = time.perf_counter()
        pred = predict(text)
        latencies.append(time.perf_counter() - started)
        for span in pred & gold:
            tp[span[0]] += 1
        for span in pred - gold:
            fp[span[0]] += 1
        for span in gold - pred:
            fn[span[0]] += 1
    types = sorted(set(tp) | set(fn))
    per_type = {t: _prf(tp[t], fp[t], fn[t]) for t in types}
    macro = tuple(statistics.fmean(s[i] for s in per_type.values()) for i in range(3))
    micro = _prf(sum(tp.values()), sum(fp.values()), sum(fn.values()))
    latencies.sort()
    return {
        "micro": micro,
        "macro": macro,
        "per_type": per_type,
        "support": {t: tp[t] + fn[t] for t in types},
        "latency_ms_mean": 1000 * statistics.fmean(latencies),
        "latency_ms_p95": 1000 * latencies[int(0.95 * (len(latencies) - 1))],
    }


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return 100 * precision, 100 * recall, 100 * f1


def tune(records: list[Record], seed: int) -> dict[str, float]:
    """Best c1/c2 by macro F1 on a 20% slice of the training part."""
    shuffled = list(records)
    random.Random(seed + 1).shuffle(shuffled)
    cut = int(len(shuffled) * 0.8)
    fit, held_out = shuffled[:cut], shuffled[cut:]
    best: tuple[float, dict[str, float]] = (-1.0, {})
    for c1 in (0.0, 0.02, 0.05, 0.1, 0.2):
        for c2 in (0.001, 0.01, 0.05):
            tagger, _ = train_crf(fit, c1=c1, c2=c2)
            macro_f1 = evaluate(crf_predictor(tagger), held_out)["macro"][2]  # type: ignore[index]
            print(f"  tune c1={c1:<5} c2={c2:<6} macro F1 {macro_f1:.2f} on {len(held_out)} held-out")
            if macro_f1 > best[0]:
                best = (macro_f1, {"c1": c1, "c2": c2})
    return best[1]


def report(name: str, scores: dict[str, object], train_seconds: float | None) -> None:
    micro, macro = scores["micro"], scores["macro"]
    timing = f"train {train_seconds:.2f}s, " if train_seconds is not None else ""
    print(
        f"{name:<28} micro P/R/F1 {micro[0]:5.2f}/{micro[1]:5.2f}/{micro[2]:5.2f}  "  # type: ignore[index]
        f"macro P/R/F1 {macro[0]:5.2f}/{macro[1]:5.2f}/{macro[2]:5.2f}  "  # type: ignore[index]
        f"({timing}tag {scores['latency_ms_mean']:.2f} ms/sent mean, {scores['latency_ms_p95']:.2f} p95)"
    )


def print_per_type(columns: dict[str, dict[str, object]]) -> None:
    names = list(columns)
    first = columns[names[0]]
    print(f"\n{'type':<14}{'support':>8}  " + "  ".join(f"{n + ' P/R/F1':>26}" for n in names))
    for entity in first["per_type"]:  # type: ignore[attr-defined]
        cells = []
        for name in names:
            p, r, f = columns[name]["per_type"].get(entity, (0.0, 0.0, 0.0))  # type: ignore[attr-defined]
            cells.append(f"{p:8.2f}/{r:6.2f}/{f:6.2f}     ")
        print(f"{entity:<14}{first['support'][entity]:>8}  " + "  ".join(cells))  # type: ignore[index]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True, help="folder with CLUENER jsonl files")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--tune", action="store_true", help="pick c1/c2 on a slice of the train part")
    args = parser.parse_args()

    train, test, source = load_splits(args.data, args.seed)
    print(f"CLUENER2020 from {source}: {len(train)} train / {len(test)} test sentences")
    params = {}
    if args.tune:
        params = tune(train, args.seed)
        print(f"chosen on the train slice: {params}")

    dictionary = dictionary_predictor(train)
    chars_only, chars_seconds = train_crf(train, use_words=False, use_pos=False, **params)
    tagger, crf_seconds = train_crf(train, **params)
    columns = {
        "dictionary": evaluate(dictionary, test),
        "crf_chars_only": evaluate(crf_predictor(chars_only), test),
        "crf": evaluate(crf_predictor(tagger), test),
    }
    print()
    report("baseline: dictionary", columns["dictionary"], None)
    report("ablation: CRF chars only", columns["crf_chars_only"], chars_seconds)
    report("CRF tagger (full features)", columns["crf"], crf_seconds)
    print_per_type(columns)


if __name__ == "__main__":
    main()
