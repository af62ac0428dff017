from __future__ import annotations

import pytest

from channels.voice_speech import options_phrase, plain_text, spoken_text, to_ssml


@pytest.mark.parametrize(
    ("titles", "phrase"),
    [
        (["是的", "不是"], "请说是的或者不是。"),
        (["赎回", "申购", "转人工"], "请说赎回、申购或者转人工。"),
        (["好的"], "请说好的。"),
        ([], ""),
    ],
    ids=["two", "three", "one", "none"],
)
def test_options_phrase_reads_titles_as_a_choice(titles: list[str], phrase: str) -> None:
    assert options_phrase(titles) == phrase


def test_spoken_text_reads_buttons_after_the_text() -> None:
    buttons = [{"title": "是的", "payload": "/affirm"}, {"title": "不是", "payload": "/deny"}]
    assert spoken_text("请问是张先生本人吗？", buttons) == "请问是张先生本人吗？请说是的或者不是。"
    assert spoken_text(None, buttons) == "请说是的或者不是。"


@pytest.mark.parametrize(
    ("text", "spoken"),
    [
        ("**您好**，欢迎致电", "您好，欢迎致电。"),
        ("详情见[产品说明书](https://example.com/p.pdf)", "详情见产品说明书。"),
        ("链接 https://m.example.com/a?b=1 已发送", "链接已发送。"),
        ("好的😀👍", "好的。"),
        ("第一条\n- 第二条\n\n第三条", "第一条。第二条。第三条。"),
        ("稳健一号 Plus 产品", "稳健一号Plus产品。"),
    ],
    ids=["markdown", "link", "url", "emoji", "lines", "spaces"],
)
def test_spoken_text_cleans_chat_markup(text: str, spoken: str) -> None:
    assert spoken_text(text) == spoken


def test_to_ssml_pauses_between_sentences_only() -> None:
    assert to_ssml("您好。请问是本人吗？", 300) == '<speak>您好。<break time="300ms"/>请问是本人吗？</speak>'
    assert to_ssml("您好。请问是本人吗？", 0) == "<speak>您好。请问是本人吗？</speak>"


def test_to_ssml_keeps_explicit_pauses_and_escapes_text() -> None:
    ssml = to_ssml("请稍等[停顿800]收益<5% & 风险R2", 300)
    assert ssml == '<speak>请稍等<break time="800ms"/>收益&lt;5% &amp; 风险R2</speak>'
    assert plain_text("请稍等[停顿800]好的") == "请稍等好的"
