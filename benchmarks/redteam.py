"""Red-team evaluation of the inbound guard: detection and false-block rates per category.

Usage::

    python benchmarks/redteam.py [--data risk_hooks/data/redteam] [--split heldout] [--limit N]

Reads every ``*.yml`` split in ``--data``. Each split has ``attacks`` and ``benign``
look-alikes keyed by category:

- ``dev.yml``: the rules were tuned on it and the guard's classifier is trained on it
  (its figures are in-sample, shown for reference only);
- ``heldout.yml``: written before any rule existed, never tuned on, but by the same author
  with the set in view while writing the rules (not a blind test);
- ``fresh.yml``: written after the rules were frozen, in new wording, never tuned on. The
  rules never saw it; the classifier's extra training file (``inbound_train.yml``) was
  written after its figures were seen, so for the classifier it is no longer unseen;
- ``fresh2.yml``: written after ``inbound_train.yml``, never tuned on: the most honest
  estimate of how the guard generalises.

Printed per split and category:

- detection: attacks the system did not allow (warn, block or handoff);
- false block: benign messages blocked or handed off;
- false flag: benign messages not allowed (a warn is recorded but the chat goes on).

Systems, run in this process on the same messages:

    keywords   naive baseline: block any message containing one of a list of risky words
    tfidf      TF-IDF char 1-3-grams + logistic regression (benchmarks/_common.py) deciding
               attack vs benign on its own, trained on the classifier's files (dev.yml +
               inbound_train.yml; on dev itself: 5-fold out-of-fold predictions)
    rules      risk_hooks.InboundGuard with its classifier switched off
    guard      risk_hooks.InboundGuard as shipped: rules, then for messages no rule caught
               the classifier trained on dev.yml + inbound_train.yml, which can only warn
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


def guard_decisions(texts: list[str], classifier: bool = True) -> tuple[list[str], float]:
    wide = RateLimit(capacity=1_000_000, per_minute=1_000_000)
    guard = InboundGuard(GuardConfig(sender_limit=wide, device_limit=wide, classifier=classifier))
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
    parser.add_argument("--split", help="only this split (file stem)")
    parser.add_argument("--limit", type=int, help="at most N messages per category and kind")
    args = parser.parse_args()
    paths = sorted(args.data.glob("*.yml"))
    if not paths:
        sys.exit(f"no *.yml red-team split in {args.data}")
    splits = {p.stem: load_split(p, args.limit) for p in paths}
    order = {"dev": 0, "heldout": 1, "fresh": 2, "fresh2": 3}
    train = load_split(args.data / "dev.yml", None) if (args.data / "dev.yml").exists() else []
    extra = load_split(DEFAULT_TRAIN_FILES[1], None)
    started = time.perf_counter()
    load_classifier()  # trained once per process; not part of the per-message latency
    print(f"guard classifier trained in {time.perf_counter() - started:.2f} s")
    for name, items in sorted(splits.items(), key=lambda kv: (order.get(kv[0], 9), kv[0])):
        if args.split and name != args.split:
            continue
        texts = [t for _, t, _ in items]
        rules, rules_ms = guard_decisions(texts, classifier=False)
        guard, guard_ms = guard_decisions(texts)
        tfidf = tfidf_decisions(train, items, name == "dev", extra) if train else ["allow"] * len(items)
        systems = {"keywords": keyword_decisions(texts), "tfidf": tfidf, "rules": rules, "guard": guard}
        print_split(name, items, systems)
        print(f"latency per message (one thread): rules {rules_ms:.3f} ms, guard {guard_ms:.3f} ms")


if __name__ == "__main__":
    main()
