from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from knowledge.faq import Channel, FaqAnswer, FaqEntry, FaqStatus, FaqValidationError


def _entry(**changes: object) -> FaqEntry:
    base = FaqEntry(
        "redeem_arrival", "赎回多久到账", FaqAnswer("一般 T+1 至 T+4 个工作日到账。"), ("赎回几天到",)
    )
    return base.replace(**changes)


@pytest.mark.parametrize(
    "changes",
    [
        {"faq_id": ""},
        {"faq_id": "赎回"},
        {"faq_id": "a b"},
        {"question": "  "},
        {"answer": FaqAnswer("")},
        {"question": "长" * 501},
        {"valid_from": datetime(2026, 2, 1), "valid_until": datetime(2026, 1, 1)},
    ],
    ids=[
        "empty_id",
        "chinese_id",
        "space_in_id",
        "blank_question",
        "empty_answer",
        "long_question",
        "window",
    ],
)
def test_entry_rejects_bad_values(changes: dict) -> None:
    with pytest.raises(FaqValidationError):
        _entry(**changes)


def test_entry_drops_blank_and_repeated_paraphrases() -> None:
    entry = _entry(paraphrases=("赎回几天到", " ", "赎回几天到", "赎回多久到账", "钱多久回来"))
    assert entry.paraphrases == ("赎回几天到", "钱多久回来")
    assert entry.questions == ("赎回多久到账", "赎回几天到", "钱多久回来")


def test_entry_is_servable_only_published_inside_window() -> None:
    seasonal = _entry(valid_from=datetime(2026, 1, 20), valid_until=datetime(2026, 2, 20))
    assert not seasonal.is_servable(datetime(2026, 1, 19, 23, 59))
    assert seasonal.is_servable(datetime(2026, 1, 20))
    assert not seasonal.is_servable(datetime(2026, 2, 20))
    assert not _entry(status=FaqStatus.DRAFT).is_servable(datetime(2026, 1, 1))
    assert _entry().is_servable()


def test_entry_compares_aware_times_in_utc() -> None:
    beijing = timezone(timedelta(hours=8))
    entry = _entry(valid_from=datetime(2026, 1, 20, 8, 0, tzinfo=beijing))  # 00:00 UTC
    assert entry.valid_from == datetime(2026, 1, 20, tzinfo=UTC)
    assert entry.is_servable(datetime(2026, 1, 20, 0, 0, 1))


def test_entry_answer_for_uses_channel_variant() -> None:
    entry = _entry(channel_answers={"voice": "语音版答案"})
    assert entry.answer_for(Channel.VOICE) == "语音版答案"
    assert entry.answer_for("sms") == entry.answer.text
    assert entry.answer_for("unknown_channel") == entry.answer.text
    assert entry.answer_for(None) == entry.answer.text
