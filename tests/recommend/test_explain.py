from __future__ import annotations

from recommend.explain import Explanation


def test_explanation_text_lists_sources_features_and_rules() -> None:
    e = Explanation(
        "P001",
        ["近期热销"],
        ["资产类别：固收"],
        ["市场观点：当前对固收类资产看好（权重×1.05）"],
        "适当性校验通过",
    )
    text = e.text()
    assert (
        text.startswith("推荐理由：")
        and "近期热销" in text
        and "资产类别：固收" in text
        and "市场观点" in text
    )
    assert e.to_dict()["text"] == text and e.to_dict()["product_code"] == "P001"
