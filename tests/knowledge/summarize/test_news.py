"""Extractive news summaries: length budget, salient sentences, order kept."""

from __future__ import annotations

import pytest

from knowledge.reading import load_documents
from knowledge.summarize import summarize_text

NEWS = (
    "中国人民银行宣布下调金融机构存款准备金率0.5个百分点，释放长期流动性约1万亿元。"
    "分析人士认为，降准有助于降低银行资金成本，支持实体经济。"
    "受降准消息影响，债券市场收益率小幅下行。"
    "另外，某地今天天气晴朗。"
    "人民银行表示，降准后金融机构加权平均存款准备金率约为6.2%。"
)


@pytest.mark.parametrize("budget", [30, 60, 100], ids=["b30", "b60", "b100"])
def test_summarize_text_respects_the_budget(budget: int) -> None:
    summary = summarize_text(NEWS, max_chars=budget)
    assert 0 < len(summary.text) <= budget


def test_summarize_text_picks_the_gist_and_keeps_order() -> None:
    summary = summarize_text(NEWS, max_chars=80)
    assert summary.text.startswith("中国人民银行宣布下调")
    assert "天气" not in summary.text
    assert list(summary.spans) == sorted(summary.spans)
    assert summary.text == "".join(NEWS[s:e] for s, e in summary.spans)


def test_summarize_text_cuts_a_single_long_sentence() -> None:
    summary = summarize_text("很长" * 100, max_chars=20)
    assert summary.text == ("很长" * 100)[:20]


def test_summarize_text_clauses_for_short_posts() -> None:
    summary = summarize_text(
        "本文总结了十个设计原则，这些原则同样是行业最吸引人的地方，值得一读", max_chars=12, clauses=True
    )
    assert len(summary.text) <= 12 and summary.text


def test_summarize_text_edge_cases() -> None:
    assert summarize_text("").text == ""
    with pytest.raises(ValueError, match="max_chars"):
        summarize_text(NEWS, max_chars=0)


def test_summarize_shipped_news() -> None:
    news = next(d for d in load_documents() if d.id == "news_rrr_cut")
    summary = summarize_text(news.text, max_chars=100)
    assert "降准" in summary.text or "存款准备金率" in summary.text
