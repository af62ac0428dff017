"""Recommendation on simulated logs: Recall@10, NDCG@10, ranker AUC, coverage, diversity, latency.

Usage::

    python benchmarks/recommend.py                      # 5,000 customers, the catalogue's products
    python benchmarks/recommend.py --full               # 100,000 customers x 1,000 products

No public data set exists for this task: a seeded population is simulated
(recommend/simulate.py) and split by time: everything is trained on days before the
split (``--test-days`` before the end) and judged on the purchases of the later days.

Systems (same KYC filter, same customers, same held products excluded):
    random       uniformly random suitable products
    popularity   the best sellers of the last 14 days before the split, suitable only
    ours         recall (8 sources) -> FTRL rank P(click) x P(convert) -> rerank

Also printed: the ranker's AUC on the later days' views (click) and clicks (conversion)
next to the popularity decile as a score; recommendation latency (one request, one
thread) p50/p95; suitability violations of ours over ALL customers (must be 0).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._common import timer  # noqa: E402


def load_products(n_products: int | None, seed: int):  # noqa: ANN201
    from knowledge.catalogue import load_catalogue
    from recommend.simulate import synthesize_products

    base = list(load_catalogue())
    return synthesize_products(base, n_products, seed) if n_products and n_products > len(base) else base


def truth_sets(dataset, split: int) -> dict[int, set[int]]:
    """Products each customer bought on the later days."""
    from recommend.schema import EventKind

    e = dataset.events.between(split, dataset.n_days)
    buys = e.kind == EventKind.PURCHASE
    out: dict[int, set[int]] = {}
    for row, prod in zip(e.customer[buys].tolist(), e.product[buys].tolist(), strict=True):
        out.setdefault(row, set()).add(prod)
    return out


def metrics(
    lists: list[list[int]], truths: list[set[int]], asset: np.ndarray, n_products: int
) -> dict[str, float]:
    recall, ndcg, classes = [], [], []
    discounts = 1 / np.log2(np.arange(2, 12))
    for recs, truth in zip(lists, truths, strict=True):
        hits = [p in truth for p in recs[:10]]
        recall.append(sum(hits) / len(truth))
        ideal = discounts[: min(len(truth), 10)].sum()
        ndcg.append(float(np.dot(hits, discounts[: len(hits)])) / ideal)
        classes.append(len({int(asset[p]) for p in recs[:10]}))
    shown = {p for recs in lists for p in recs[:10]}
    return {
        "Recall@10": float(np.mean(recall)),
        "NDCG@10": float(np.mean(ndcg)),
        "coverage": len(shown) / n_products,
        "classes/list": float(np.mean(classes)),
    }


def baselines(recommender, profile, today, rng: np.random.Generator) -> tuple[list[int], list[int]]:
    from recommend.engine import Request

    ctx = recommender.context(profile, Request(), today)
    usable = np.flatnonzero(ctx.usable())
    popular = usable[np.argsort(-recommender.index.hot[usable], kind="stable")][:10].tolist()
    random = rng.permutation(usable)[:10].tolist() if usable.size else []
    return popular, random


def evaluate(dataset, recommender, split: int, max_users: int, seed: int) -> None:
    from recommend.engine import Request

    today = dataset.date_of(split)
    truths = truth_sets(dataset, split)
    rng = np.random.default_rng(seed)
    users = [r for r in sorted(truths) if dataset.customers.risk_level[r] > 0]
    users = sorted(rng.choice(users, size=min(max_users, len(users)), replace=False).tolist())
    lists: dict[str, list[list[int]]] = {"random": [], "popularity": [], "ours": []}
    kept: list[set[int]] = []
    for row in users:
        profile = dataset.profile(row, recommender.index.holdings_of(row, dataset.product_arrays.codes))
        result = recommender.recommend(profile, Request(n=10), today)
        if result.status != "ok":
            continue
        truth = truths[row] - {recommender.by_code[c] for c in profile.holdings}
        if not truth:
            continue
        popular, random = baselines(recommender, profile, today, rng)
        lists["ours"].append([recommender.by_code[i.product.code] for i in result.items])
        lists["popularity"].append(popular)
        lists["random"].append(random)
        kept.append(truth)
    print(f"\nranking quality: {len(kept)} customers with purchases on days {split}-{dataset.n_days - 1}")
    print(f"  {'system':<11} {'Recall@10':>9} {'NDCG@10':>8} {'coverage':>9} {'classes/list':>13}")
    for name, recs in lists.items():
        m = metrics(recs, kept, dataset.product_arrays.asset, len(dataset.products))
        print(
            f"  {name:<11} {m['Recall@10']:9.3f} {m['NDCG@10']:8.3f} {m['coverage']:9.3f}"
            f" {m['classes/list']:13.2f}"
        )


def ranker_auc(dataset, recommender, split: int) -> None:
    from sklearn.metrics import roc_auc_score

    from recommend.rank import customer_block
    from recommend.rank.ranker import _samples
    from recommend.schema import EventKind

    events = dataset.events.between(split, dataset.n_days)
    print("\nranker AUC on the later days")
    for name, source, target in (
        ("click", EventKind.VIEW, EventKind.CLICK),
        ("convert", EventKind.CLICK, EventKind.PURCHASE),
    ):
        rows, prod, labels = _samples(events, source, target, len(dataset.products), len(dataset.customers))
        if labels.min() == labels.max():
            continue
        block = customer_block(dataset, recommender.index, rows, prod)
        scores = recommender.ranker.score(block, prod, dataset.product_arrays, recommender.popularity)
        ours = scores.p_click if name == "click" else scores.p_convert
        popular = recommender.index.hot[prod] + 1e-9 * np.random.default_rng(0).random(prod.size)
        print(
            f"  {name:<8} n={labels.size:>8}  ours {roc_auc_score(labels, ours):.3f}"
            f"  popularity {roc_auc_score(labels, popular):.3f}"
        )


def latency(dataset, recommender, split: int, requests: int, seed: int) -> None:
    from recommend.engine import Request

    today = dataset.date_of(split)
    c = dataset.customers
    valid = np.flatnonzero((c.risk_level > 0) & (c.valid_until_day >= split))
    rows = np.random.default_rng(seed).choice(valid, size=min(requests, valid.size), replace=False)
    seconds = []
    for row in rows:
        profile = dataset.profile(int(row))
        started = time.perf_counter()
        recommender.recommend(profile, Request(n=5), today)
        seconds.append(time.perf_counter() - started)
    ms = np.array(seconds) * 1000
    print(
        f"\nlatency of one recommendation ({len(dataset.customers)} customers,"
        f" {len(dataset.products)} products,"
        f" {len(ms)} requests): p50 {np.percentile(ms, 50):.2f} ms  p95 {np.percentile(ms, 95):.2f} ms"
        "  (target p50 <= 10 ms)"
    )


def suitability_sweep(dataset, recommender, split: int, limit: int | None) -> None:
    from recommend.engine import Request
    from risk_hooks.suitability import check_suitability

    today = dataset.date_of(split)
    n = len(dataset.customers) if limit is None else min(limit, len(dataset.customers))
    violations = offered = assess_first = 0
    with timer() as took:
        for row in range(n):
            profile = dataset.profile(row)
            result = recommender.recommend(profile, Request(n=5), today)
            assess_first += result.status == "assess_first"
            for item in result.items:
                offered += 1
                level = profile.risk_level or 0
                ok = check_suitability(profile, item.product, today=today).allowed
                violations += (item.product.risk_level > level) or not ok
    scope = "ALL" if n == len(dataset.customers) else f"the first {n}"
    print(
        f"\nsuitability over {scope} customers ({n}): {offered} products offered,"
        f" {assess_first} asked to assess first, violations {violations} (must be 0)"
        f"  [{took['seconds']:.0f}s]"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=5000)
    parser.add_argument("--products", type=int, default=None, help="synthesize up to this many products")
    parser.add_argument("--days", type=int, default=60)
    parser.add_argument("--test-days", type=int, default=14)
    parser.add_argument("--eval-users", type=int, default=2000)
    parser.add_argument("--latency-requests", type=int, default=300)
    parser.add_argument("--suitability-limit", type=int, default=None, help="default: every customer")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--full", action="store_true", help="100,000 customers x 1,000 products")
    args = parser.parse_args(argv)
    if args.full:
        args.customers, args.products = 100_000, 1000
    from recommend.engine import Recommender
    from recommend.simulate import SimConfig, simulate

    products = load_products(args.products, args.seed)
    with timer() as took:
        dataset = simulate(products, SimConfig(n_customers=args.customers, n_days=args.days, seed=args.seed))
    print(
        f"simulated {args.customers} customers x {len(products)} products x {args.days} days:"
        f" {len(dataset.events)} events [{took['seconds']:.1f}s]"
    )
    split = args.days - args.test_days
    with timer() as took:
        recommender = Recommender.train(dataset, split)
    print(f"trained on days < {split} (index + 2 FTRL models) [{took['seconds']:.1f}s]")
    evaluate(dataset, recommender, split, args.eval_users, args.seed)
    ranker_auc(dataset, recommender, split)
    from threadpoolctl import threadpool_limits

    with threadpool_limits(1):  # one request, one thread: BLAS threads only contend on a small matvec
        latency(dataset, recommender, split, args.latency_requests, args.seed)
        suitability_sweep(dataset, recommender, split, args.suitability_limit)
    return 0


if __name__ == "__main__":
    sys.exit(main())
