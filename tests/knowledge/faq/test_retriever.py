from __future__ import annotations

from datetime import datetime

import pytest

from knowledge.faq import FaqAnswer, FaqEntry, FaqNotFoundError, FaqOutcome, FaqRetriever


@pytest.mark.parametrize(
    ("query", "faq_id"),
    [
        ("交易密码忘记了咋办", "reset_trade_password"),
        ("定头怎么开通", "sip_setup"),  # 语音识别错误：定投 -> 定头
        ("风险测平在哪做", "risk_assessment_how"),  # 同音错字：测评 -> 测平
        ("净值啥时候出", "nav_update_time"),
    ],
    ids=["colloquial", "asr_homophone", "typo", "short_colloquial"],
)
def test_retriever_answers_paraphrases(warm_retriever: FaqRetriever, query: str, faq_id: str) -> None:
    result = warm_retriever.search(query)
    assert result.outcome is FaqOutcome.ANSWER
    assert result.best is not None and result.best.entry.faq_id == faq_id
    assert result.suggestions == ()


@pytest.mark.parametrize(
    ("query", "expected"),
    [("手续费多少", {"purchase_fee_rate", "redemption_fee_rate"}), ("书回多久到帐", {"redeem_arrival"})],
    ids=["ambiguous_fee", "typo_redeem"],
)
def test_retriever_ranks_right_entries_first_for_vague_queries(
    warm_retriever: FaqRetriever, query: str, expected: set[str]
) -> None:
    result = warm_retriever.search(query)
    assert result.outcome in {FaqOutcome.ANSWER, FaqOutcome.SUGGEST}
    top = {h.entry.faq_id for h in result.hits[: len(expected)]}
    assert top == expected


def test_retriever_suggests_at_most_three(warm_retriever: FaqRetriever) -> None:
    suggesting = FaqRetriever(
        warm_retriever.encoder, warm_retriever.matcher, warm_retriever.thresholds.__class__(0.9999, 0.0)
    )
    suggesting.upsert_many(warm_retriever.entries())
    result = suggesting.search("定投")
    assert result.outcome is FaqOutcome.SUGGEST
    assert 1 <= len(result.suggestions) <= 3
    assert result.suggestions[0].entry.faq_id in {"sip_setup", "sip_stop"}


@pytest.mark.parametrize(
    "query",
    [
        "今天天气怎么样",
        "给我讲个笑话",
        "信用卡怎么分期",
        "",
        "   ",
        "长" * 5000,
        "'; DROP TABLE faq; --",
        "？？？",
    ],
    ids=["weather", "joke", "credit_card", "empty", "blank", "5000_chars", "sql_text", "punctuation"],
)
def test_retriever_declines_out_of_scope_and_bad_input(warm_retriever: FaqRetriever, query: str) -> None:
    assert warm_retriever.search(query).outcome is FaqOutcome.NO_ANSWER


def test_retriever_serves_only_published_entries_in_window(warm_retriever: FaqRetriever) -> None:
    in_spring = warm_retriever.search("春节有什么活动", now=datetime(2026, 2, 1))
    assert in_spring.outcome is FaqOutcome.ANSWER and in_spring.best.entry.faq_id == "spring_campaign"
    in_summer = warm_retriever.search("春节有什么活动", now=datetime(2026, 7, 1))
    assert all(h.entry.faq_id != "spring_campaign" for h in in_summer.hits)
    draft = warm_retriever.search("投顾服务费多少")
    assert all(h.entry.faq_id != "draft_entry" for h in draft.hits)


def test_retriever_finds_added_entry_immediately(retriever: FaqRetriever) -> None:
    query = "基金分红方式怎么修改"
    assert retriever.search(query).outcome is FaqOutcome.NO_ANSWER
    retriever.upsert(
        FaqEntry(
            "change_dividend_method",
            "怎么修改分红方式",
            FaqAnswer("进入“我的-持仓”，选择基金后点击“修改分红方式”。"),
            ("分红方式在哪里改", "想把现金分红改成红利再投资", "修改分红方式"),
        )
    )
    result = retriever.search(query)
    assert result.outcome is FaqOutcome.ANSWER and result.best.entry.faq_id == "change_dividend_method"


def test_retriever_edit_replaces_old_questions(
    retriever: FaqRetriever, small_faq: tuple[FaqEntry, ...]
) -> None:
    old = next(e for e in small_faq if e.faq_id == "nav_update_time")
    retriever.upsert(
        old.replace(question="基金分红什么时候到账", paraphrases=("分红几天到账", "现金分红到账时间"))
    )
    assert retriever.search("分红多久能到账").best.entry.faq_id == "nav_update_time"
    assert all(h.entry.faq_id != "nav_update_time" for h in retriever.search("净值几点出来").hits[:1])
    assert len(retriever) == len(small_faq)


def test_retriever_remove_stops_serving(retriever: FaqRetriever) -> None:
    retriever.remove("reset_trade_password")
    result = retriever.search("交易密码忘记了咋办")
    assert all(h.entry.faq_id != "reset_trade_password" for h in result.hits)
    assert "reset_trade_password" not in retriever
    with pytest.raises(FaqNotFoundError):
        retriever.remove("reset_trade_password")
