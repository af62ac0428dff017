"""CMRC 2018 (Chinese span-extraction reading comprehension): our offline span ranker vs baselines.

Usage::

    python benchmarks/cmrc2018.py --data /work/shared/benchmarks [--limit N] [--save-ranker FILE]

Reads every SQuAD-format ``*.json`` under ``<data>/cmrc2018`` (or ``--data`` itself).
Articles are split 2-fold by their position in the file (even positions / odd positions):
the ranker is trained on one fold and scores the other, so no scored question's article
was seen in training; figures are over both folds. Scoring follows the official
``cmrc2018_evaluate.py``: EM after removing punctuation, F1 over the longest common
substring of mixed segments (Chinese characters one by one, ASCII words whole).

Systems:
    best-sentence   the context sentence that shares most question bigrams
    best-clause     the clause (between ，。；etc.) that shares most question bigrams
    ours-linear     knowledge.reading.SpanExtractor: candidate spans of the 3 best sentences
                    scored by a logistic regression trained on the other fold
    ours            the same candidates scored by gradient-boosted trees (the shipped kind)

Also printed: the no-answer curve of ours (answer only when the ranker's probability is
at least t: share answered and EM/F1 over the answered ones).

``--domain FILE`` (``knowledge/data/documents/prospectus_qa.json``) also scores the whole
DocumentReader (retrieval + spans) on templated questions about the shipped prospectuses,
2-fold by product, and tunes the no-answer threshold there (with off-topic questions).
``--save-ranker FILE`` trains on all CMRC articles (+ all domain questions) and writes the
ranker JSON with that threshold: this is how the shipped ranker was made.

Reference (dev, full set): BERT-base-chinese 63.5 / 83.6 (cmrc2018 baseline README).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from knowledge.reading.documents import Document, chunk_document, load_documents, split_sentences  # noqa: E402
from knowledge.reading.extractive import SpanExtractor, question_overlap  # noqa: E402
from knowledge.reading.ranker import SpanRanker, train_ranker  # noqa: E402
from knowledge.reading.reader import DocumentReader  # noqa: E402

_SP_CHARS = set("-:_*^/\\~`+=，。：？！“”；’《》……·、「」（）－～『』")
_CJK_RE = re.compile(r"[\u4e00-\u9fa5]")
_NEGATIVES_PER_QUESTION = 30


def mixed_segmentation(text: str, remove_punct: bool = False) -> list[str]:
    """CMRC's segmentation: each Chinese character alone, runs of other characters as words."""
    out: list[str] = []
    pending = ""
    for char in str(text).lower().strip():
        if remove_punct and char in _SP_CHARS:
            continue
        if _CJK_RE.match(char) or char in _SP_CHARS:
            out.extend(re.findall(r"\w+|[^\w\s]", pending))
            pending = ""
            out.append(char)
        else:
            pending += char
    out.extend(re.findall(r"\w+|[^\w\s]", pending))
    return out


def _lcs(a: list[str], b: list[str]) -> int:
    """Length of the longest common substring of two segment lists."""
    best = 0
    previous = [0] * (len(b) + 1)
    for x in a:
        current = [0] * (len(b) + 1)
        for j, y in enumerate(b):
            if x == y:
                current[j + 1] = previous[j] + 1
                best = max(best, current[j + 1])
        previous = current
    return best


def f1_score(answers: list[str], prediction: str) -> float:
    """The official CMRC F1 (best over the reference answers)."""
    scores = []
    pred = mixed_segmentation(prediction, remove_punct=True)
    for answer in answers:
        gold = mixed_segmentation(answer, remove_punct=True)
        common = _lcs(gold, pred)
        if common == 0:
            scores.append(0.0)
            continue
        precision, recall = common / len(pred), common / len(gold)
        scores.append(2 * precision * recall / (precision + recall))
    return max(scores) if scores else 0.0


def _strip(text: str) -> str:
    return "".join(c for c in str(text).lower().strip() if c not in _SP_CHARS)


def em_score(answers: list[str], prediction: str) -> float:
    """The official CMRC exact match (punctuation removed)."""
    return float(any(_strip(a) == _strip(prediction) for a in answers))


def load_articles(data: Path, limit: int | None) -> list[list[dict]]:
    """Articles as lists of ``{"context", "question", "answers"}``, from every json file found."""
    folder = data / "cmrc2018" if (data / "cmrc2018").is_dir() else data
    articles: list[list[dict]] = []
    for path in sorted(folder.glob("*.json")):
        for article in json.loads(path.read_text(encoding="utf-8"))["data"]:
            items = [
                {
                    "context": p["context"],
                    "question": q["question"],
                    "answers": [a["text"] for a in q["answers"]],
                }
                for p in article["paragraphs"]
                for q in p["qas"]
            ]
            if items:
                articles.append(items)
    if not articles:
        raise SystemExit(f"no SQuAD json under {folder}")
    return articles[:limit] if limit else articles


def question_rows(
    extractor: SpanExtractor, item: dict, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray] | None:
    """One question's candidate features with labels (exact gold text), negatives subsampled."""
    golds = {_strip(a) for a in item["answers"]}
    rows, marks = [], []
    for _, group in extractor.candidates(item["question"], item["context"]):
        spans = zip(group.starts.tolist(), group.ends.tolist(), strict=True)
        marks.extend(_strip(group.text[s:e]) in golds for s, e in spans)
        rows.append(group.features)
    if not rows:
        return None
    block, mark = np.vstack(rows), np.asarray(marks, dtype=bool)
    negatives = np.flatnonzero(~mark)
    sampled = rng.choice(negatives, min(len(negatives), _NEGATIVES_PER_QUESTION), replace=False)
    keep = np.concatenate([np.flatnonzero(mark), sampled])
    return block[keep], mark[keep].astype(int)


def stack(rows: list[tuple[np.ndarray, np.ndarray] | None]) -> tuple[np.ndarray, np.ndarray]:
    """Training matrices from ``question_rows`` results."""
    present = [r for r in rows if r is not None]
    return np.vstack([r[0] for r in present]), np.concatenate([r[1] for r in present])


def best_sentence(item: dict) -> str:
    sentences = split_sentences(item["context"])
    s, e = max(
        sentences, key=lambda span: question_overlap(item["question"], item["context"][span[0] : span[1]])
    )
    return item["context"][s:e]


def best_clause(item: dict) -> str:
    clauses = [c for c in re.split(r"[，。；！？,;!?：:\n]", item["context"]) if c.strip()]
    return max(clauses, key=lambda c: question_overlap(item["question"], c)) if clauses else ""


def report(name: str, items: list[dict], predictions: list[str]) -> None:
    em = 100 * np.mean([em_score(i["answers"], p) for i, p in zip(items, predictions, strict=True)])
    f1 = 100 * np.mean([f1_score(i["answers"], p) for i, p in zip(items, predictions, strict=True)])
    print(f"{name:<16} EM {em:5.1f}  F1 {f1:5.1f}  (n={len(items)})")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--limit", type=int, default=None, help="use only the first N articles")
    parser.add_argument("--domain", type=Path, default=None, help="in-domain SQuAD json (see below)")
    parser.add_argument("--save-ranker", type=Path, default=None)
    args = parser.parse_args()
    articles = load_articles(args.data, args.limit)
    rng = np.random.default_rng(0)
    extractor = SpanExtractor()
    started = time.perf_counter()
    rows = [[question_rows(extractor, q, rng) for q in article] for article in articles]
    scored: list[dict] = []
    ours: list[tuple[str, float]] = []
    linear: list[str] = []
    fold_rankers = []
    for k in (0, 1):
        training = stack([r for a in rows[1 - k :: 2] for r in a])
        fold_rankers.append(train_ranker(*training))
        for name, ranker in (("gbdt", fold_rankers[-1]), ("linear", train_ranker(*training, kind="linear"))):
            extractor.ranker = ranker
            for item in (q for a in articles[k::2] for q in a):
                best = extractor.best(item["question"], item["context"])
                if name == "linear":
                    linear.append(best[0].text if best else "")
                else:
                    ours.append((best[0].text, best[0].probability) if best else ("", 0.0))
                    scored.append(item)
    seconds = time.perf_counter() - started
    print(f"CMRC2018: {len(articles)} articles, {len(scored)} questions, 2-fold by article position")
    report("best-sentence", scored, [best_sentence(i) for i in scored])
    report("best-clause", scored, [best_clause(i) for i in scored])
    report("ours-linear", scored, linear)
    report("ours", scored, [text for text, _ in ours])
    print(f"{seconds:.1f} s for candidates, training both folds (both rankers) and reading twice")
    no_answer_curve(scored, ours)
    cmrc_rows = [r for a in rows for r in a]
    domain_rows: list[tuple[np.ndarray, np.ndarray] | None] = []
    threshold = float(np.quantile([p for _, p in ours], 0.2))  # without domain data: answer 80%
    if args.domain:
        domain_rows, threshold = domain_benchmark(args.domain, cmrc_rows, fold_rankers[0], rng)
    if args.save_ranker:
        ranker = train_ranker(*stack(cmrc_rows + domain_rows))
        ranker.with_threshold(threshold).save(args.save_ranker)
        print(f"saved the ranker (CMRC + {len(domain_rows)} domain questions) to {args.save_ranker}")


OFF_TOPIC = (
    "今天天气怎么样", "帮我订一张去北京的机票", "你叫什么名字", "推荐一部好看的电影", "红烧肉怎么做",
    "明天会下雨吗", "给我讲个笑话", "附近有什么好吃的餐厅", "我的快递到哪了", "感冒了吃什么药",
    "昨晚的足球比赛谁赢了", "新款手机多少钱", "怎么学好英语", "去上海的高铁几点发车", "周末去哪里玩",
    "信用卡额度怎么提升", "房贷提前还款要什么手续", "车险怎么买最划算", "如何开通网上银行", "密码忘了怎么办",
)  # fmt: skip


def domain_items(path: Path) -> list[list[dict]]:
    """In-domain questions per product, each with the passage (of the shipped chunking) holding its answer."""
    articles = []
    for article in json.loads(path.read_text(encoding="utf-8"))["data"]:
        paragraph = article["paragraphs"][0]
        document = Document(
            id=article["title"], title=article["title"], kind="prospectus", text=paragraph["context"]
        )
        passages = chunk_document(document)
        items = []
        for qa in paragraph["qas"]:
            start = qa["answers"][0]["answer_start"]
            passage = next((p for p in passages if p.start <= start < p.end), None)
            if passage is not None:
                answers = [a["text"] for a in qa["answers"]]
                items.append({"context": passage.text, "question": qa["question"], "answers": answers})
        articles.append(items)
    return articles


def dev_outcomes(reader: DocumentReader, path: Path) -> list[tuple[bool, float, bool]]:
    """(right answer, confidence, answerable) for each hand-written question of ``path``."""
    import yaml

    outcomes = []
    for item in yaml.safe_load(path.read_text(encoding="utf-8"))["questions"]:
        answer = reader.answer(item["question"])
        outcomes.append((answer.text in item["answers"], answer.confidence, bool(item["answers"])))
    return outcomes


def domain_benchmark(
    path: Path,
    cmrc_rows: list[tuple[np.ndarray, np.ndarray] | None],
    cmrc_only: SpanRanker,
    rng: np.random.Generator,
) -> tuple[list[tuple[np.ndarray, np.ndarray] | None], float]:
    """The full DocumentReader (retrieval + spans) on the shipped prospectuses, 2-fold by product.

    Prints EM with a CMRC-only ranker (trained on one CMRC fold) and with all CMRC + the other
    fold's in-domain questions; then tunes the no-answer threshold to maximize (right answers -
    2 x wrong answers - 2 x answers to unanswerable questions) over the held-out templated
    questions, the hand-written notice/news questions of ``reading_dev.yml`` (never trained
    on; some unanswerable) and off-topic questions, and prints the outcome at that threshold.
    Returns every in-domain training row (for ``--save-ranker``) and the tuned threshold.
    """
    articles = domain_items(path)
    extractor = SpanExtractor()
    rows = [[question_rows(extractor, q, rng) for q in a] for a in articles]
    reader = DocumentReader(load_documents(), extractor=extractor, min_confidence=0.0)
    results: dict[str, list[tuple[bool, float]]] = {"cmrc-only": [], "cmrc+domain": []}
    off_topic: list[float] = []
    for k in (0, 1):
        mixed = train_ranker(*stack(cmrc_rows + [r for a in rows[1 - k :: 2] for r in a]))
        for name, ranker in (("cmrc-only", cmrc_only), ("cmrc+domain", mixed)):
            extractor.ranker = ranker
            for item in (q for a in articles[k::2] for q in a):
                answer = reader.answer(item["question"])
                results[name].append((answer.text in item["answers"], answer.confidence))
        off_topic.extend(reader.answer(q).confidence for q in OFF_TOPIC)  # the cmrc+domain ranker
    dev = dev_outcomes(reader, path.parent / "reading_dev.yml")
    print(f"in-domain (shipped prospectuses, {len(results['cmrc-only'])} questions, 2-fold by product):")
    for name, outcomes in results.items():
        print(f"  {name:<12} EM {100 * np.mean([ok for ok, _ in outcomes]):5.1f}")
    threshold = tune_threshold(results["cmrc+domain"], dev, off_topic)
    return [r for a in rows for r in a], threshold


def tune_threshold(
    templated: list[tuple[bool, float]], dev: list[tuple[bool, float, bool]], off_topic: list[float]
) -> float:
    """The no-answer threshold with the best utility; prints what it does to each question set."""
    # a wrong answer, or any answer to an unanswerable question, costs twice a right one
    outcomes = templated + [(ok, c) for ok, c, _ in dev]
    best = max(
        sorted({0.0, *(c for _, c in outcomes)}),
        key=lambda t: (
            sum((1 if ok else -2) for ok, c in outcomes if c >= t) - 2 * sum(c >= t for c in off_topic)
        ),
    )
    kept = [ok for ok, c in templated if c >= best]
    share = 100 * len(kept) / len(templated)
    em = 100 * np.mean(kept) if kept else 0.0
    print(
        f"  no-answer threshold {best:.3f} (tuned on held-out templated, hand-written, off-topic questions)"
    )
    print(f"  templated: answers {share:.1f}%, EM {em:.1f} on those")
    right = sum(ok and c >= best for ok, c, a in dev if a)
    wrong = sum(not ok and c >= best for ok, c, a in dev if a)
    answerable = sum(a for _, _, a in dev)
    false_answers = sum(c >= best for _, c, a in dev if not a)
    print(
        f"  hand-written notices/news: {right} right, {wrong} wrong, {answerable - right - wrong} no answer"
        f" of {answerable} answerable; {false_answers} of {len(dev) - answerable} unanswerable answered"
    )
    print(f"  off-topic answered {sum(c >= best for c in off_topic)}/{len(off_topic)}")
    print(f"  hand-written answerable, right at threshold 0: {sum(ok for ok, _, a in dev if a)}/{answerable}")
    return best


def no_answer_curve(items: list[dict], ours: list[tuple[str, float]]) -> None:
    """Share answered and EM/F1 over answered questions for several probability thresholds."""
    probabilities = np.asarray([p for _, p in ours])
    for quantile in (0.0, 0.2, 0.4, 0.6):
        threshold = float(np.quantile(probabilities, quantile))
        kept = [i for i, p in enumerate(probabilities) if p >= threshold]
        em = 100 * np.mean([em_score(items[i]["answers"], ours[i][0]) for i in kept])
        f1 = 100 * np.mean([f1_score(items[i]["answers"], ours[i][0]) for i in kept])
        share = 100 * len(kept) / len(items)
        print(f"  threshold {threshold:.3f}: answers {share:5.1f}%  EM {em:5.1f}  F1 {f1:5.1f}")


if __name__ == "__main__":
    main()
