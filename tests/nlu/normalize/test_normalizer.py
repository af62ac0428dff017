"""The normalizer component (nlu/normalize/normalizer.py)."""

from __future__ import annotations

import pytest

from nlu.message import Message, QuantityKind
from nlu.normalize import Normalizer
from nlu.resources import Resources


@pytest.fixture(scope="module")
def normalizer() -> Normalizer:
    component = Normalizer.create(Normalizer.Config(), Resources())
    component.initialize()
    return component


def _check_alignment(message: Message) -> None:
    assert len(message.offsets) == len(message.normalized) + 1
    assert message.offsets[-1] == len(message.text)
    assert message.offsets[:-1] == sorted(set(message.offsets[:-1]))  # strictly increasing


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("１０万", "10万", id="fullwidth_digits"),
        pytest.param("ＡＢＣ，？！：", "abc,?!:", id="fullwidth_letters_punct"),
        pytest.param("我想買基金", "我想买基金", id="traditional"),
        pytest.param("年化３．２％", "年化3.2%", id="fullwidth_percent"),
        pytest.param("￥５０００", "¥5000", id="fullwidth_yen"),
        pytest.param("你好。【通知】", "你好。【通知】", id="chinese_punct_kept"),
        pytest.param("R3 Fund", "r3 fund", id="lowercase"),
        pytest.param("五\u200b万\ufeff块", "五万块", id="zero_width_and_bom"),
        pytest.param("\u202e赎回\u202c", "赎回", id="bidi_marks"),
        pytest.param("a\x00b\x07c\x9f", "abc", id="c0_c1_controls"),
        pytest.param("  你好 \t\n  世界  ", "你好 世界", id="whitespace"),
        pytest.param("你好\u3000世界", "你好 世界", id="ideographic_space"),
        pytest.param("👍\ufe0f好", "👍好", id="variation_selector"),
        pytest.param("", "", id="empty"),
        pytest.param(" \u200b ", "", id="only_invisible"),
    ],
)
def test_normalizer_normalizes_text(normalizer: Normalizer, text: str, expected: str) -> None:
    message = normalizer.process(Message(text))
    assert message.normalized == expected
    assert message.working_text == expected
    _check_alignment(message)


def test_normalizer_offsets_skip_deleted_characters(normalizer: Normalizer) -> None:
    message = normalizer.process(Message("  a\u200bB  \t c\ufeff "))
    assert message.normalized == "ab c"
    assert message.offsets == [2, 4, 5, 9, 12]


def test_normalizer_offsets_map_spans_back(normalizer: Normalizer) -> None:
    text = "我想買\u200b１０萬　的基金"
    message = normalizer.process(Message(text))
    start = message.normalized.index("10万")
    assert message.original_span_text(start, start + 3) == "１０萬"


@pytest.mark.parametrize(
    ("text", "kind", "value", "surface"),
    [
        pytest.param(
            "我想買１０萬", QuantityKind.AMOUNT, 100000, "１０萬", id="fullwidth_traditional_amount"
        ),
        pytest.param("投資五\u200b萬塊", QuantityKind.AMOUNT, 50000, "五\u200b萬塊", id="zero_width_inside"),
        pytest.param("年化３．２％", QuantityKind.PERCENT, 3.2, "３．２％", id="fullwidth_percent"),
        pytest.param("期限三個月", QuantityKind.DURATION, 3, "三個月", id="traditional_duration"),
        pytest.param(
            "  ＲＭＢ５０００", QuantityKind.AMOUNT, 5000, "ＲＭＢ５０００", id="leading_space_prefix"
        ),
    ],
)
def test_normalizer_quantities_point_into_original_text(
    normalizer: Normalizer, text: str, kind: QuantityKind, value: float, surface: str
) -> None:
    message = normalizer.process(Message(text))
    assert len(message.quantities) == 1
    quantity = message.quantities[0]
    assert (quantity.kind, quantity.value) == (kind, pytest.approx(value))
    assert quantity.text == surface
    assert text[quantity.start : quantity.end] == surface


def test_normalizer_config_can_turn_steps_off() -> None:
    config = Normalizer.Config(
        fold_width=False, lowercase=False, traditional_to_simplified=False, read_quantities=False
    )
    component = Normalizer.create(config, Resources())
    component.initialize()
    message = component.process(Message("買１０Ｗ"))
    assert message.normalized == "買１０Ｗ"
    assert message.quantities == []


def test_normalizer_works_without_initialize() -> None:
    component = Normalizer.create(Normalizer.Config(), Resources())
    assert component.process(Message("買基金")).normalized == "买基金"


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("😀😀👨\u200d👩\u200d👧", id="emoji_zwj"),
        pytest.param("Hello世界123ﾊﾝｶｸ", id="mixed_scripts"),
        pytest.param("\ud800孤立", id="lone_surrogate"),
        pytest.param("\ue000私用", id="private_use"),
        pytest.param("x" * 2000, id="long"),
    ],
)
def test_normalizer_handles_odd_input(normalizer: Normalizer, text: str) -> None:
    _check_alignment(normalizer.process(Message(text)))
