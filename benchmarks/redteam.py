"""Red-team evaluation of the inbound guard: detection and false-block rates per category.

Usage::

    python benchmarks/redteam.py [--data risk_hooks/data/redteam] [--split heldout ...] [--limit N]

Reads every ``*.yml`` split in ``--data``, or only the ones named with ``--split`` (repeat
it; the other files are not even opened). Each split has ``attacks`` and ``benign``
look-alikes keyed by category:

- ``dev.yml``: the rules were tuned on it and the guard's classifier is trained on it
  (its figures are in-sample, shown for reference only);
- ``heldout.yml``: written before any rule existed, never tuned on, but by the same author
  with the set in view while writing the rules (not a blind test); never trained on;
- ``fresh.yml`` / ``fresh2.yml``: written after the rules were frozen, in new wording, and
  scored blind once each (fresh: 70.0% detection / 2.9% false block; fresh2: 74.3% / 1.4%).
  fresh/fresh2: tuned on since 2026-11-26 — the rules were generalised from their misses
  and the classifier trains on them, so their guard figures are in-sample now. The
  ``guard-lo`` column retrains the classifier without the split being scored (leave the
  split out): an estimate for the classifier, not for the rules;
- ``fresh3.yml``: written blind by an author who never saw the rules; never tuned on. Only
  its first scoring of a rule set is an honest figure; do not tune on it.

Printed per split and category:

- detection: attacks the system did not allow (warn, block or handoff);
- false block: benign messages blocked or handed off;
- false flag: benign messages not allowed (a warn is recorded but the chat goes on).

Systems, run in this process on the same messages:

    keywords   naive baseline: block any message containing one of a list of risky words
    tfidf      TF-IDF char 1-3-grams + logistic regression (benchmarks/_common.py) deciding
               attack vs benign on its own, trained on the classifier's files
               (risk_hooks.classifier.DEFAULT_TRAIN_FILES; on a split among them: 5-fold
               out-of-fold predictions)
    rules      risk_hooks.InboundGuard with its classifier switched off
    guard      risk_hooks.InboundGuard as shipped: rules, then for messages no rule caught
               the classifier (char n-grams + sentence embeddings), which warns from p=0.6
               (it can be allowed to decide like the category's rules above a higher
               ``classifier_block_threshold``; off by default)
    guard-lo   (splits the classifier trains on) the guard with its classifier retrained
               without the split being scored
Both guards see a fresh sender per message, so rate limits and abuse counting do not interfere.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks._common import kfold_indices, tfidf_logreg_baseline  # noqa: E402
from risk_hooks.classifier import DEFAULT_TRAIN_FILES, load_classifier  # noqa: E402
from risk_hooks.inbound import GuardConfig, InboundGuard  # noqa: E402
from risk_hooks.ratelimit import RateLimit  # noqa: E402

KEYWORDS = (
    "验证码", "密码", "刷单", "保本", "内部", "安全账户", "洗钱", "身份证", "手机号", "银行卡", "客户",
    "保证", "承诺", "稳赚", "忽略", "指令", "提示词", "系统", "傻", "滚", "死", "杀", "炸", "刀", "骗",
)  # fmt: skip
Item = tuple[str, str, bool]  # (category, text, is_attack)


def load_split(path: Path, limit: int | None) -> list[Item]:
    content = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    items: list[Item] = []
    for key, is_attack in (("attacks", True), ("benign", False)):
        for category, texts in (content.get(key) or {}).items():
            items += [(category, str(t), is_attack) for t in (texts or [])[:limit]]
    return items


def keyword_decisions(texts: list[str]) -> list[str]:
    return ["block" if any(k in t for k in KEYWORDS) else "allow" for t in texts]


def guard_decisions(
    texts: list[str], classifier: bool = True, train_files: tuple[Path, ...] = DEFAULT_TRAIN_FILES
) -> tuple[list[str], float]:
    wide = RateLimit(capacity=1_000_000, per_minute=1_000_000)
    config = GuardConfig(
        sender_limit=wide, device_limit=wide, classifier=classifier, classifier_train_files=train_files
    )
    guard = InboundGuard(config)
    if classifier:  # trained once per set of files; not part of the per-message latency
        load_classifier(train_files)
    started = time.perf_counter()
    decisions = [guard.check(t, f"redteam-{i}").decision for i, t in enumerate(texts)]
    return decisions, (time.perf_counter() - started) / max(1, len(texts)) * 1000


def tfidf_decisions(train: list[Item], items: list[Item], same: bool, extra: list[Item]) -> list[str]:
    """Attack vs benign from ``train`` + ``extra``; out-of-fold over ``items`` when it is ``train``."""
    if not same:
        train = train + extra
        labels = ["attack" if attack else "benign" for _, _, attack in train]
        predicted = tfidf_logreg_baseline([t for _, t, _ in train], labels, [t for _, t, _ in items])
        return ["block" if p == "attack" else "allow" for p in predicted]
    decisions = ["allow"] * len(items)
    for fold in kfold_indices(len(items), 5):
        held = set(fold.tolist())
        rest = [item for i, item in enumerate(items) if i not in held]
        for i, decision in zip(
            fold.tolist(), tfidf_decisions(rest, [items[i] for i in fold], False, extra), strict=True
        ):
            decisions[i] = decision
    return decisions


def rates(items: list[Item], decisions: list[str]) -> dict[str, tuple[int, int, int, int, int]]:
    """Per category (and ``ALL``): attacks, detected, benign, blocked, flagged."""
    table: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
    for (category, _, attack), decision in zip(items, decisions, strict=True):
        for key in (category, "ALL"):
            row = table[key]
            if attack:
                row[0] += 1
                row[1] += decision != "allow"
            else:
                row[2] += 1
                row[3] += decision in ("block", "handoff")
                row[4] += decision != "allow"
    return {k: (v[0], v[1], v[2], v[3], v[4]) for k, v in table.items()}


def pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:5.1f}%" if whole else "    - "


def print_split(name: str, items: list[Item], systems: dict[str, list[str]]) -> None:
    print(
        f"\n== split {name}: {sum(a for *_, a in items)} attacks, {sum(not a for *_, a in items)} benign =="
    )
    header = f"{'category':22}" + "".join(f"| {s:^21}" for s in systems)
    print(header)
    print(f"{'':22}" + "| detect fblock  fflag " * len(systems))
    tables = {s: rates(items, d) for s, d in systems.items()}
    categories = sorted(k for k in tables[next(iter(systems))] if k != "ALL") + ["ALL"]
    for category in categories:
        cells = []
        for system in systems:
            n_att, det, n_ben, blocked, flagged = tables[system].get(category, (0, 0, 0, 0, 0))
            cells.append(f"| {pct(det, n_att)} {pct(blocked, n_ben)} {pct(flagged, n_ben)} ")
        print(f"{category:22}" + "".join(cells))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=ROOT / "risk_hooks" / "data" / "redteam")
    parser.add_argument("--split", action="append", help="only this split (file stem); repeat for several")
    parser.add_argument("--limit", type=int, help="at most N messages per category and kind")
    args = parser.parse_args()
    paths = sorted(args.data.glob("*.yml"))
    if args.split:  # only the named files are read at all (a blind split stays unread)
        paths = [args.data / f"{name}.yml" for name in args.split]
        missing = [str(p) for p in paths if not p.exists()]
        if missing:
            sys.exit(f"no such split: {', '.join(missing)}")
    if not paths:
        sys.exit(f"no *.yml red-team split in {args.data}")
    splits = {p.stem: load_split(p, args.limit) for p in paths}
    order = {"dev": 0, "heldout": 1, "fresh": 2, "fresh2": 3, "fresh3": 4}
    trained = {p.stem: p for p in DEFAULT_TRAIN_FILES if p.parent == args.data.resolve()}
    started = time.perf_counter()
    load_classifier()  # trained once per process; not part of the per-message latency
    print(f"guard classifier trained in {time.perf_counter() - started:.2f} s")
    for name, items in sorted(splits.items(), key=lambda kv: (order.get(kv[0], 9), kv[0])):
        texts = [t for _, t, _ in items]
        rules, rules_ms = guard_decisions(texts, classifier=False)
        guard, guard_ms = guard_decisions(texts)
        extra = [item for p in DEFAULT_TRAIN_FILES if p != trained.get(name) for item in load_split(p, None)]
        tfidf = (
            tfidf_decisions(items, items, True, extra)
            if name in trained
            else tfidf_decisions(extra, items, False, [])
        )
        systems = {"keywords": keyword_decisions(texts), "tfidf": tfidf, "rules": rules, "guard": guard}
        if name in trained and name != "dev":
            without = tuple(p for p in DEFAULT_TRAIN_FILES if p != trained[name])
            systems["guard-lo"] = guard_decisions(texts, train_files=without)[0]
        print_split(name, items, systems)
        print(f"latency per message (one thread): rules {rules_ms:.3f} ms, guard {guard_ms:.3f} ms")


if __name__ == "__main__":
    main()
