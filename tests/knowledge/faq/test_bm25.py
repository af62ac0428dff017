from __future__ import annotations

from knowledge.faq.bm25 import Bm25Index


def _terms(text: str) -> list[str]:
    return [text[i : i + 2] for i in range(len(text) - 1)]


def test_bm25_ranks_overlap_first_and_scores_positive() -> None:
    index = Bm25Index()
    index.add(1, _terms("赎回多久到账"))
    index.add(2, _terms("申购费率是多少"))
    index.add(3, _terms("赎回费率是多少"))
    ids, scores = index.search(_terms("赎回费率"), k=5)
    assert ids.tolist()[0] == 3 and set(ids.tolist()) == {1, 2, 3}
    assert (scores > 0).all() and list(scores) == sorted(scores, reverse=True)


def test_bm25_add_remove_and_replace_are_live() -> None:
    index = Bm25Index()
    index.add(1, _terms("赎回多久到账"))
    index.add(2, _terms("定投怎么设置"))
    index.remove(1)
    assert index.search(_terms("赎回到账"), k=5)[0].tolist() == []
    index.add(2, _terms("赎回到账时间"))  # same id: replaced
    assert index.search(_terms("赎回到账"), k=5)[0].tolist() == [2]
    assert index.search(_terms("定投"), k=5)[0].tolist() == []
    index.remove(99)  # unknown ids are ignored
    assert len(index) == 1


def test_bm25_merge_keeps_results() -> None:
    index = Bm25Index(merge_every=4)
    texts = {i: f"问题{i}号关于赎回" if i % 2 else f"问题{i}号关于定投" for i in range(1, 12)}
    for doc_id, text in texts.items():
        index.add(doc_id, _terms(text))
    index.remove(3)
    ids, _ = index.search(_terms("赎回"), k=20)
    assert sorted(ids.tolist()) == [1, 5, 7, 9, 11]
    assert index.document_frequency("赎回") == 5


def test_bm25_unknown_terms_and_empty_index_give_nothing() -> None:
    index = Bm25Index()
    assert index.search(["赎回"], k=3)[0].size == 0
    index.add(1, ["赎回"])
    assert index.search(["火星"], k=3)[0].size == 0
    assert index.search([], k=3)[0].size == 0
