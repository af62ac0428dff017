"""KBQA accuracy and latency on the shipped question set, next to an exact-match baseline.

Usage:
    python benchmarks/kbqa.py [--questions knowledge/data/kbqa_eval.yml] [--rounds 5] [--limit N]

Reports, for the full system and for a baseline that links a product only by its exact full
name or code and reads the attribute only from its exact term ("风险等级", "起购金额", ...):
linking accuracy (attribute, comparison and clarification questions: the linked product set
equals the gold set), attribute accuracy (attribute and comparison questions), end-to-end
answer accuracy (all questions: the right product(s) and attribute, the right filter result,
the right candidates for an ambiguous name, "no answer" where there is none) and the latency
of one query (each question's median over ``--rounds`` runs, then p50/p95 over the questions;
one thread). The data is the
project's own fictional question set, so there is no ``--data`` folder.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from knowledge.catalogue import Catalogue, Product, load_catalogue  # noqa: E402
from knowledge.kbqa import AnswerKind, ProductQA, QuestionType  # noqa: E402

# the baseline's attribute terms: the attribute's own name only
_EXACT_TERMS = {
    "业绩比较基准": "benchmark", "赎回费": "fee_redemption", "申购费": "fee_subscription",
    "管理费": "fee_management", "费率": "fees", "风险等级": "risk", "起购金额": "min_amount",
    "期限": "term", "净值": "nav", "收益": "return", "基金经理": "manager", "基金公司": "company",
    "类型": "type", "在售": "status",
}  # fmt: skip


class ExactBaseline:
    """Links a product only by its exact full name or code; the attribute only by its exact term."""

    def __init__(self, catalogue: Catalogue) -> None:
        self.surfaces = sorted(((p.name, p.code) for p in catalogue), key=lambda s: -len(s[0]))
        self.surfaces += [(p.code, p.code) for p in catalogue]

    def link(self, question: str) -> list[str]:
        found, text = [], question.upper()
        for surface, code in self.surfaces:
            if surface.upper() in text and code not in found:
                found.append(code)
                text = text.replace(surface.upper(), " ")
        return found

    def attribute(self, question: str) -> str:
        return next((value for term, value in _EXACT_TERMS.items() if term in question), "overview")


def gold_filter(products: list[Product], spec: dict) -> tuple[list[Product], str | None, int | None]:
    """Products meeting ``spec`` (on sale), plus the ranking key and limit, computed independently."""

    def ok(p: Product) -> bool:
        return (
            p.status == "on_sale"
            and spec.get("risk_min", 1) <= p.risk_level <= spec.get("risk_max", 5)
            and spec.get("term_min", 0) <= p.term_days <= spec.get("term_max", 10**6)
            and spec.get("amount_min", 0) <= p.min_amount <= spec.get("amount_max", 10**12)
            and p.type in spec.get("types", [p.type])
            and p.asset_class in spec.get("asset_classes", [p.asset_class])
            and spec.get("company", p.company) == p.company
            and spec.get("manager", p.manager) == p.manager
        )

    return [p for p in products if ok(p)], spec.get("rank"), spec.get("limit")


def _rank_value(p: Product, rank: str) -> float:
    if rank.startswith("risk"):
        return -p.risk_level if rank == "risk_desc" else p.risk_level
    if rank == "min_amount":
        return p.min_amount
    return p.fees.management + p.fees.custody + p.fees.sales_service


def filter_correct(catalogue: Catalogue, item: dict, codes: tuple[str, ...]) -> bool:
    expected, rank, limit = gold_filter(list(catalogue), item["filter"])
    predicted = [catalogue.get(c) for c in codes]
    if rank is None:
        return {p.code for p in expected} == set(codes)
    # no number in the question ("门槛最低的理财"): one to three results are fine
    if not (len(codes) == limit if limit else 1 <= len(codes) <= 3):
        return False
    gold_values = sorted(_rank_value(p, rank) for p in expected)[: len(codes)]
    got = sorted(_rank_value(p, rank) for p in predicted if p is not None and p in expected)
    return got == gold_values


def judge(qa: ProductQA, item: dict) -> tuple[bool | None, bool | None, bool]:
    """(linking right, attribute right, answer right) for the full system; None: not scored."""
    answer = qa.answer(item["question"])
    kind, gold_codes = item["type"], item.get("codes") or []
    linked = [c for m in answer.mentions for c in m.codes]
    attribute = answer.attribute.value if answer.attribute else "overview"
    link_ok = set(linked) == set(gold_codes) if kind in ("attribute", "compare", "clarify") else None
    attr_ok = attribute == item["attribute"] if kind in ("attribute", "compare") else None
    if kind == "attribute":
        right = answer.kind is AnswerKind.ANSWER and answer.products == tuple(gold_codes) and bool(attr_ok)
    elif kind == "compare":
        right = answer.question_type is QuestionType.COMPARE and set(answer.products) == set(gold_codes)
        right = right and bool(attr_ok)
    elif kind == "filter":
        right = answer.question_type is QuestionType.FILTER and filter_correct(
            qa.catalogue, item, answer.products
        )
    elif kind == "clarify":
        right = answer.kind is AnswerKind.CLARIFY and set(answer.candidates) == set(gold_codes)
    else:
        right = answer.kind is AnswerKind.NO_ANSWER
    return link_ok, attr_ok, right


def judge_baseline(base: ExactBaseline, item: dict) -> tuple[bool | None, bool | None, bool]:
    kind, gold_codes = item["type"], item.get("codes") or []
    linked, attribute = base.link(item["question"]), base.attribute(item["question"])
    link_ok = set(linked) == set(gold_codes) if kind in ("attribute", "compare", "clarify") else None
    attr_ok = attribute == item["attribute"] if kind in ("attribute", "compare") else None
    if kind in ("attribute", "compare"):
        right = bool(link_ok and attr_ok and len(linked) == (1 if kind == "attribute" else len(gold_codes)))
    else:  # the baseline cannot filter or clarify; it says "no answer" when it links nothing
        right = kind == "no_answer" and not linked
    return link_ok, attr_ok, right


def _rate(values: list[bool | None]) -> str:
    scored = [v for v in values if v is not None]
    return f"{100 * sum(scored) / len(scored):5.1f}% ({sum(scored)}/{len(scored)})" if scored else "n/a"


def _latency(fn: object, questions: list[str], rounds: int) -> tuple[float, float]:
    """p50/p95 over questions of each question's median time over ``rounds`` (damps CPU contention)."""
    per_question = []
    for question in questions:
        times = []
        for _ in range(rounds):
            started = time.perf_counter()
            fn(question)  # type: ignore[operator]
            times.append((time.perf_counter() - started) * 1000)
        per_question.append(statistics.median(times))
    per_question.sort()
    return statistics.median(per_question), per_question[int(0.95 * (len(per_question) - 1))]


def _report(items: list[dict], rows: dict[str, list[tuple[bool | None, bool | None, bool]]]) -> None:
    """Print the accuracy table, then the system's figures by split, question type and spelling."""
    print(f"{'system':22} {'linking':>18} {'attribute':>18} {'end-to-end':>18}")
    for name, results in rows.items():
        link, attr, right = zip(*results, strict=True)
        print(f"{name:22} {_rate(list(link)):>18} {_rate(list(attr)):>18} {_rate(list(right)):>18}")
    for split in ("template", "heldout", "fresh"):
        picked_rows = [r for i, r in zip(items, rows["KBQA"], strict=True) if i.get("split") == split]
        base_rows = [
            r for i, r in zip(items, rows["exact-match baseline"], strict=True) if i.get("split") == split
        ]
        if picked_rows:
            link, attr, right = zip(*picked_rows, strict=True)
            print(f"  {split} split ({len(picked_rows)}): KBQA linking {_rate(list(link))}, attribute "
                  f"{_rate(list(attr))}, end-to-end {_rate(list(right))}; baseline end-to-end "
                  f"{_rate([r[2] for r in base_rows])}")  # fmt: skip
    for kind in ("attribute", "compare", "filter", "clarify", "no_answer"):
        picked = [r[2] for i, r in zip(items, rows["KBQA"], strict=True) if i["type"] == kind]
        print(f"  KBQA end-to-end, {kind:10} {_rate(list(picked))}")
    for how in ("name", "alias", "code", "typo", "pinyin"):
        picked = [r[0] for i, r in zip(items, rows["KBQA"], strict=True) if i.get("link") == how]
        print(f"  KBQA linking, written as {how:7} {_rate(list(picked))}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=Path, default=ROOT / "knowledge" / "data" / "kbqa_eval.yml")
    parser.add_argument("--rounds", type=int, default=5, help="timed passes over the question set")
    parser.add_argument("--limit", type=int, default=0, help="use only the first N questions (0: all)")
    parser.add_argument("--errors", action="store_true", help="print the questions the system gets wrong")
    args = parser.parse_args()
    items = yaml.safe_load(args.questions.read_text(encoding="utf-8"))["questions"]
    items = items[: args.limit] if args.limit else items
    started = time.perf_counter()
    catalogue = load_catalogue()
    qa, base = ProductQA(catalogue), ExactBaseline(catalogue)
    qa.answer("预热")  # first call pays for lazy tables (t2s, pinyin)
    print(f"{len(items)} questions {dict(Counter(i['type'] for i in items))}; {len(catalogue)} products; "
          f"load {time.perf_counter() - started:.2f}s")  # fmt: skip
    rows = {
        "KBQA": [judge(qa, i) for i in items],
        "exact-match baseline": [judge_baseline(base, i) for i in items],
    }
    _report(items, rows)
    questions = [i["question"] for i in items]
    p50, p95 = _latency(qa.answer, questions, args.rounds)
    b50, b95 = _latency(lambda q: (base.link(q), base.attribute(q)), questions, args.rounds)
    print(f"latency per query (ms): KBQA p50 {p50:.2f} p95 {p95:.2f}; baseline p50 {b50:.3f} p95 {b95:.3f}")
    if args.errors:
        for item, (_, _, right) in zip(items, rows["KBQA"], strict=True):
            if not right:
                answer = qa.answer(item["question"])
                print(f"WRONG {item['type']}: {item['question']} -> {answer.kind.value} {answer.products} "
                      f"{answer.attribute} {answer.candidates}")  # fmt: skip


if __name__ == "__main__":
    main()
