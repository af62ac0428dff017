"""Evaluate a pipeline: cross-validation or a test file -> intent and entity metrics.

Writes a JSON report, a confusion-matrix PNG and lists the misclassified examples.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from nlu.pipeline import Pipeline
from nlu.pipeline_config import ComponentSpec
from nlu.training_data import Example, TrainingData

__all__ = ["EvaluationReport", "cross_validate", "evaluate_on", "write_report"]


@dataclass
class Scores:
    precision: float
    recall: float
    f1: float
    support: int


@dataclass
class EvaluationReport:
    """Intent and entity metrics with the examples the model got wrong."""

    accuracy: float = 0.0
    macro_f1: float = 0.0
    weighted_f1: float = 0.0
    intents: dict[str, Scores] = field(default_factory=dict)
    entities: dict[str, Scores] = field(default_factory=dict)
    labels: list[str] = field(default_factory=list)
    confusion: list[list[int]] = field(default_factory=list)
    misclassified: list[dict[str, object]] = field(default_factory=list)
    n_examples: int = 0
    folds: int = 0


ProgressFn = Callable[[int, int], None]


def cross_validate(
    specs: list[ComponentSpec],
    data: TrainingData,
    folds: int = 5,
    seed: int = 0,
    progress: ProgressFn | None = None,
) -> EvaluationReport:
    """Stratified k-fold: train on k-1 folds, predict the held-out fold, pool predictions."""
    examples = data.intent_examples
    fold_of = _stratified_folds([e.intent or "" for e in examples], folds, seed)
    predictions: list[tuple[Example, str, float, list[tuple[str, int, int]]]] = []
    for fold in range(folds):
        if progress:
            progress(fold, folds)
        train = TrainingData(
            [e for e, f in zip(examples, fold_of, strict=True) if f != fold],
            data.synonyms,
            data.regexes,
            data.lookups,
        )
        test = [e for e, f in zip(examples, fold_of, strict=True) if f == fold]
        pipeline = Pipeline.from_specs(specs)
        pipeline.train(train)
        predictions.extend(_predict(pipeline, test))
    if progress:
        progress(folds, folds)
    report = _score(predictions)
    report.folds = folds
    return report


def evaluate_on(pipeline: Pipeline, test: TrainingData) -> EvaluationReport:
    """Score a trained pipeline on a held-out test set."""
    return _score(_predict(pipeline, test.intent_examples))


def _predict(pipeline: Pipeline, examples: list[Example]) -> list[tuple[Example, str, float, list]]:
    out = []
    for example in examples:
        result = pipeline.parse(example.text)
        entities = [(e.entity, e.start, e.end) for e in result.entities]
        out.append((example, result.intent.name, result.intent.confidence, entities))
    return out


def _stratified_folds(labels: list[str], folds: int, seed: int) -> list[int]:
    rng = np.random.default_rng(seed)
    assignment = [0] * len(labels)
    by_label: dict[str, list[int]] = defaultdict(list)
    for index, label in enumerate(labels):
        by_label[label].append(index)
    offset = 0
    for label in sorted(by_label):
        for rank, index in enumerate(rng.permutation(by_label[label])):
            assignment[int(index)] = (rank + offset) % folds
        offset += len(by_label[label])
    return assignment


def _prf(tp: int, fp: int, fn: int) -> Scores:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Scores(round(precision, 4), round(recall, 4), round(f1, 4), tp + fn)


def _score(predictions: list[tuple[Example, str, float, list]]) -> EvaluationReport:
    gold = [p[0].intent or "" for p in predictions]
    predicted = [p[1] for p in predictions]
    labels = sorted(set(gold) | set(predicted))
    index = {label: i for i, label in enumerate(labels)}
    confusion = np.zeros((len(labels), len(labels)), dtype=int)
    for g, p in zip(gold, predicted, strict=True):
        confusion[index[g], index[p]] += 1
    intents = {
        label: _prf(
            int(confusion[i, i]),
            int(confusion[:, i].sum() - confusion[i, i]),
            int(confusion[i, :].sum() - confusion[i, i]),
        )
        for label, i in index.items()
        if confusion[i, :].sum() > 0
    }
    supports = np.array([s.support for s in intents.values()])
    f1s = np.array([s.f1 for s in intents.values()])
    report = EvaluationReport(
        accuracy=round(float(np.trace(confusion) / max(len(gold), 1)), 4),
        macro_f1=round(float(f1s.mean()) if len(f1s) else 0.0, 4),
        weighted_f1=round(float((f1s * supports).sum() / max(supports.sum(), 1)), 4),
        intents=intents,
        entities=_entity_scores(predictions),
        labels=labels,
        confusion=confusion.tolist(),
        n_examples=len(gold),
    )
    report.misclassified = [
        {
            "text": ex.text,
            "intent": ex.intent,
            "predicted": name,
            "confidence": round(conf, 4),
            "source": str(ex.source) if ex.source else None,
        }
        for ex, name, conf, _ in predictions
        if name != ex.intent
    ]
    return report


def _entity_scores(predictions: list[tuple[Example, str, float, list]]) -> dict[str, Scores]:
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    annotated = {a.entity for ex, *_ in predictions for a in ex.entities}
    for example, _, _, found in predictions:
        gold = {(a.entity, a.start, a.end) for a in example.entities}
        # only types the data annotates are scored: rules also find unannotated amounts
        predicted = {f for f in found if f[0] in annotated}
        for item in predicted & gold:
            tp[item[0]] += 1
        for item in predicted - gold:
            fp[item[0]] += 1
        for item in gold - predicted:
            fn[item[0]] += 1
    return {t: _prf(tp[t], fp[t], fn[t]) for t in sorted(annotated)}


def write_report(report: EvaluationReport, out_dir: str | Path, title: str = "") -> tuple[Path, Path]:
    """Write ``intent_report.json`` and ``confusion_matrix.png`` into ``out_dir``."""
    folder = Path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    json_path = folder / "intent_report.json"
    json_path.write_text(json.dumps(asdict(report), ensure_ascii=False, indent=1), encoding="utf-8")
    png_path = folder / "confusion_matrix.png"
    _plot_confusion(report, png_path, title)
    return json_path, png_path


def _plot_confusion(report: EvaluationReport, path: Path, title: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    matrix = np.array(report.confusion, dtype=float)
    size = max(6.0, 0.3 * len(report.labels) + 3)
    fig, ax = plt.subplots(figsize=(size, size))
    rows = matrix.sum(axis=1, keepdims=True)
    ax.imshow(np.divide(matrix, rows, out=np.zeros_like(matrix), where=rows > 0), cmap="Blues")
    ax.set_xticks(range(len(report.labels)), report.labels, rotation=90, fontsize=7)
    ax.set_yticks(range(len(report.labels)), report.labels, fontsize=7)
    ax.set_xlabel("predicted")
    ax.set_ylabel("true")
    ax.set_title(f"{title} accuracy={report.accuracy:.3f} macro-F1={report.macro_f1:.3f}")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
