"""LCSTS Part III (Weibo news -> headline): our extractive summarizer vs lead baselines, char-level ROUGE.

Usage::

    python benchmarks/lcsts.py --data /work/shared/benchmarks [--budget 30] [--limit N]

Reads ``<data>/lcsts_part3/*.jsonl`` (fields ``text``, ``summary``, ``human_label``; or
``--data`` pointing at that folder): every file present is scored, and the subset with
human label >= 3 (the usual 725-pair test set) is reported apart when labels exist.
ROUGE-1/2/L are F1 over characters (whitespace removed), written here (no package).

Systems (all within ``--budget`` characters):
    lead-N       the first N characters of the text
    lead-1       the first sentence (cut at the budget)
    ours         knowledge.summarize.summarize_text: TextRank over char 1-2-gram TF-IDF
                 similarity of clauses, position prior, MMR under the budget

No training: the summarizer is unsupervised, so all pairs are scored.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._common import read_jsonl  # noqa: E402
from knowledge.reading.documents import split_sentences  # noqa: E402
from knowledge.summarize.news import summarize_text  # noqa: E402


def _chars(text: str) -> list[str]:
    return [c for c in text if not c.isspace()]


def rouge_n(reference: str, candidate: str, n: int) -> float:
    """ROUGE-N F1 over character n-grams."""
    ref, cand = _chars(reference), _chars(candidate)
    ref_grams = Counter(tuple(ref[i : i + n]) for i in range(len(ref) - n + 1))
    cand_grams = Counter(tuple(cand[i : i + n]) for i in range(len(cand) - n + 1))
    overlap = sum((ref_grams & cand_grams).values())
    if not overlap:
        return 0.0
    precision, recall = overlap / sum(cand_grams.values()), overlap / sum(ref_grams.values())
    return 2 * precision * recall / (precision + recall)


def rouge_l(reference: str, candidate: str) -> float:
    """ROUGE-L F1 over characters (longest common subsequence)."""
    ref, cand = _chars(reference), _chars(candidate)
    if not ref or not cand:
        return 0.0
    previous = [0] * (len(cand) + 1)
    for x in ref:
        current = [0] * (len(cand) + 1)
        for j, y in enumerate(cand):
            current[j + 1] = previous[j] + 1 if x == y else max(previous[j + 1], current[j])
        previous = current
    lcs = previous[-1]
    if not lcs:
        return 0.0
    precision, recall = lcs / len(cand), lcs / len(ref)
    return 2 * precision * recall / (precision + recall)


def lead_sentence(text: str, budget: int) -> str:
    spans = split_sentences(text)
    return text[spans[0][0] : min(spans[0][1], spans[0][0] + budget)] if spans else ""


def score(rows: list[dict], predictions: list[str]) -> tuple[float, float, float]:
    r1 = np.mean([rouge_n(r["summary"], p, 1) for r, p in zip(rows, predictions, strict=True)])
    r2 = np.mean([rouge_n(r["summary"], p, 2) for r, p in zip(rows, predictions, strict=True)])
    rl = np.mean([rouge_l(r["summary"], p) for r, p in zip(rows, predictions, strict=True)])
    return 100 * r1, 100 * r2, 100 * rl


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--budget", type=int, default=30, help="summary length in characters")
    parser.add_argument("--limit", type=int, default=None)
    args = parser.parse_args()
    folder = args.data / "lcsts_part3" if (args.data / "lcsts_part3").is_dir() else args.data
    files = sorted(folder.glob("*.jsonl"))
    if not files:
        raise SystemExit(f"no jsonl under {folder}")
    for path in files:
        rows = read_jsonl(path)[: args.limit]
        subsets = [(path.name, rows)]
        if all("human_label" in r for r in rows) and any(int(r["human_label"]) < 3 for r in rows):
            subsets.append((f"{path.name} label>=3", [r for r in rows if int(r["human_label"]) >= 3]))
        for name, subset in subsets:
            systems = {
                f"lead-{args.budget}": [r["text"][: args.budget] for r in subset],
                "lead-1": [lead_sentence(r["text"], args.budget) for r in subset],
                "ours": [summarize_text(r["text"], max_chars=args.budget, clauses=True).text for r in subset],
            }
            print(f"{name} (n={len(subset)}, budget {args.budget} chars)")
            for system, predictions in systems.items():
                r1, r2, rl = score(subset, predictions)
                print(f"  {system:<10} ROUGE-1 {r1:5.1f}  ROUGE-2 {r2:5.1f}  ROUGE-L {rl:5.1f}")


if __name__ == "__main__":
    main()
