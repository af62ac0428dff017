"""SIGHAN-2015 Chinese spelling correction: sentence-level P/R/F1, false corrections, latency.

Usage::

    .venv/bin/python benchmarks/sighan15.py --data /work/shared/benchmarks/sighan15

``--data`` is a folder laid out like ``/work/shared/benchmarks/sighan15``: ``test.json``
(``original_text``, ``correct_text``, ``wrong_ids``) is used when present, otherwise
``test.tsv`` (``wrong<TAB>correct``), otherwise any other ``*.tsv``; ``--file`` picks one.

Metrics follow the usual sentence-level definitions (SIGHAN 2015, ReaLiSe's script):
a sentence is *detected* when the set of positions the system changed equals the gold
set, *corrected* when the output equals the gold sentence; precision is taken over the
sentences the system changed, recall over the sentences with errors. The false-correction
rate is the share of error-free sentences the system changed.

Systems, all run in this process on the same sentences:

- ``identity``: changes nothing (the floor: zero recall, zero false corrections);
- ``pinyin+unigram``: our candidate search (same windows, same protections), picking the
  most frequent jieba word among the sound-alikes, no language model;
- ``PinyinCorrector``: the component in general-vocabulary mode (LM-scored), at the
  default threshold and at a stricter one that trades recall for fewer false corrections.
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from nlu.correction.corrector import PinyinCorrector  # noqa: E402
from nlu.resources import Resources  # noqa: E402
from nlu.training_data import TrainingData  # noqa: E402


@dataclass(frozen=True)
class Pair:
    """One test sentence and its gold correction (same length)."""

    source: str
    target: str


def load_pairs(data_dir: Path, file_name: str | None) -> tuple[Path, list[Pair]]:
    """Read the test pairs from the first split file that exists."""
    if file_name:
        choices = [data_dir / file_name]
    else:
        choices = [data_dir / "test.json", data_dir / "test.tsv"] + sorted(data_dir.glob("*.tsv"))
    for path in choices:
        if not path.is_file():
            continue
        if path.suffix == ".json":
            rows = json.loads(path.read_text(encoding="utf-8"))
            pairs = [Pair(r["original_text"], r["correct_text"]) for r in rows]
        else:
            pairs = []
            for line in path.read_text(encoding="utf-8").splitlines():
                parts = line.split("\t")
                if len(parts) >= 2:
                    pairs.append(Pair(parts[0], parts[1]))
        return path, [p for p in pairs if len(p.source) == len(p.target)]
    raise SystemExit(f"no test.json or *.tsv under {data_dir}")


def _positions(source: str, other: str) -> set[int]:
    return {i for i, (a, b) in enumerate(zip(source, other, strict=True)) if a != b}


def _prf(hits: int, predicted: int, gold: int) -> tuple[float, float, float]:
    precision = hits / predicted if predicted else 0.0
    recall = hits / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def evaluate(pairs: list[Pair], outputs: list[str]) -> dict[str, float]:
    """Sentence-level detection/correction P/R/F1 and the false-correction rate (percent)."""
    predicted = gold = det_hits = cor_hits = clean = false_changes = 0
    for pair, output in zip(pairs, outputs, strict=True):
        gold_pos = _positions(pair.source, pair.target)
        pred_pos = _positions(pair.source, output) if len(output) == len(pair.source) else {-1}
        predicted += bool(pred_pos)
        gold += bool(gold_pos)
        if gold_pos and pred_pos == gold_pos:
            det_hits += 1
            cor_hits += output == pair.target
        if not gold_pos:
            clean += 1
            false_changes += bool(pred_pos)
    det = _prf(det_hits, predicted, gold)
    cor = _prf(cor_hits, predicted, gold)
    return {
        "det_p": 100 * det[0],
        "det_r": 100 * det[1],
        "det_f1": 100 * det[2],
        "cor_p": 100 * cor[0],
        "cor_r": 100 * cor[1],
        "cor_f1": 100 * cor[2],
        "false_correction_rate": 100 * false_changes / clean if clean else 0.0,
    }


def run(system: Callable[[str], str], pairs: list[Pair]) -> tuple[list[str], list[float]]:
    """Outputs and per-sentence latencies (ms) of ``system`` over ``pairs``."""
    outputs: list[str] = []
    latencies: list[float] = []
    for pair in pairs:
        start = time.perf_counter()
        outputs.append(system(pair.source))
        latencies.append(1000 * (time.perf_counter() - start))
    return outputs, latencies


def unigram_baseline(corrector: PinyinCorrector, min_freq: int = 1000) -> Callable[[str], str]:
    """Sound-alike search without the LM: take the most frequent jieba word per window."""

    def correct(text: str) -> str:
        chars, used = list(text), set[int]()
        ranked = sorted(corrector.candidates(text), key=lambda c: -corrector.word_frequency(c.replacement))
        for candidate in ranked:
            span = set(range(candidate.start, candidate.end))
            if corrector.word_frequency(candidate.replacement) >= min_freq and not span & used:
                chars[candidate.start : candidate.end] = candidate.replacement
                used |= span
        return "".join(chars)

    return correct


def _row(name: str, metrics: dict[str, float], latencies: list[float]) -> str:
    ordered = sorted(latencies)
    p99 = ordered[min(len(ordered) - 1, math.ceil(0.99 * len(ordered)) - 1)]
    return (
        f"{name:<26} {metrics['det_p']:6.2f} {metrics['det_r']:6.2f} {metrics['det_f1']:6.2f}   "
        f"{metrics['cor_p']:6.2f} {metrics['cor_r']:6.2f} {metrics['cor_f1']:6.2f}   "
        f"{metrics['false_correction_rate']:6.2f}   {statistics.mean(latencies):7.3f} {p99:7.3f}"
    )


def main(argv: list[str] | None = None) -> None:
    """Parse arguments, run the systems and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True, help="folder like benchmarks/sighan15")
    parser.add_argument("--file", default=None, help="one split file inside --data")
    parser.add_argument("--limit", type=int, default=0, help="first N sentences only (0: all)")
    parser.add_argument("--min-gain", type=float, default=4.0, help="Config.min_gain of the main run")
    parser.add_argument("--strict-min-gain", type=float, default=7.0, help="min_gain of a low-FCR run")
    args = parser.parse_args(argv)

    path, pairs = load_pairs(args.data, args.file)
    if args.limit:
        pairs = pairs[: args.limit]
    start = time.perf_counter()
    corrector = build_general_corrector(args.min_gain)
    setup_s = time.perf_counter() - start
    strict = build_general_corrector(args.strict_min_gain)
    with_errors = sum(p.source != p.target for p in pairs)
    mean_chars = statistics.mean(len(p.source) for p in pairs)
    print(
        f"data: {path} ({len(pairs)} sentences, {with_errors} with errors, {mean_chars:.1f} chars on average)"
    )
    print(f"corrector setup (jieba LM base + general index + train, first in process): {setup_s:.2f} s")
    header = (
        f"{'system':<26} {'det P':>6} {'det R':>6} {'det F1':>6}   {'cor P':>6} {'cor R':>6} {'cor F1':>6}"
    )
    print(header + f"   {'FCR %':>6}   {'mean ms':>7} {'p99 ms':>7}")
    systems: list[tuple[str, Callable[[str], str]]] = [
        ("identity", lambda text: text),
        ("pinyin+unigram", unigram_baseline(corrector)),
        (f"PinyinCorrector gain>={corrector.config.min_gain:g}", corrector.correct),
        (f"PinyinCorrector gain>={strict.config.min_gain:g}", strict.correct),
    ]
    for name, system in systems:
        outputs, latencies = run(system, pairs)
        print(_row(name, evaluate(pairs, outputs), latencies))


def build_general_corrector(min_gain: float) -> PinyinCorrector:
    """The corrector in general-vocabulary mode (no bot data: jieba words are the targets)."""
    config = PinyinCorrector.Config(
        general_vocabulary=True, glossary=False, protect_char_freq=50000, min_gain=min_gain
    )
    corrector = PinyinCorrector.create(config, Resources())
    corrector.initialize()
    corrector.train(TrainingData(), [])
    return corrector


if __name__ == "__main__":
    main()
