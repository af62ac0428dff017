"""PII spans and masks: numbers in every usual spelling, e-mail, names with titles, addresses."""

from __future__ import annotations

import pytest

from risk_hooks.pii import find_pii, mask_pii

SPANS = [
    ("phone_plain", "我的手机13812345678", "phone", "13812345678"),
    ("phone_spaced", "电话 138 1234 5678 谢谢", "phone", "138 1234 5678"),
    ("phone_dashed_country", "打+86-139-1234-5678找我", "phone", "+86-139-1234-5678"),
    ("id_card", "身份证号11010119900307123X", "id_card", "11010119900307123X"),
    ("bank_card_grouped", "卡号6222 0202 0011 2233 445", "bank_card", "6222 0202 0011 2233 445"),
    ("bank_card_dashed", "卡号6217-0012-3456-7890", "bank_card", "6217-0012-3456-7890"),
    ("email", "邮箱zhang.wei@example.com", "email", "zhang.wei@example.com"),
    ("name_mr", "张先生您好", "name", "张"),
    ("name_manager", "请王经理回电", "name", "王"),
    ("name_full_ms", "李晓梅女士的预约", "name", "李晓梅"),
    ("name_introduced", "我叫刘洋，想开户", "name", "刘洋"),
    ("name_payee", "收款人：欧阳娜娜", "name", "欧阳娜娜"),
    ("address_city", "寄到北京市朝阳区建国路88号", "address", "北京市朝阳区建国路88号"),
    (
        "address_full",
        "我住在广东省深圳市南山区科技园路1号3栋201室",
        "address",
        "广东省深圳市南山区科技园路1号3栋201室",
    ),
]


@pytest.mark.parametrize(("text", "kind", "value"), [s[1:] for s in SPANS], ids=[s[0] for s in SPANS])
def test_find_pii_types_the_span(text: str, kind: str, value: str) -> None:
    spans = find_pii(text)
    assert [(s.kind, s.text) for s in spans] == [(kind, value)]
    span = spans[0]
    assert text[span.start : span.end] == value


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("13812345678", "138****5678"),
        ("138 1234 5678", "138 **** 5678"),
        ("身份证110101199003071234", "身份证110101********1234"),
        ("卡号6217001234567890123", "卡号6217***********0123"),
        ("邮箱li.na@example.com", "邮箱l***@example.com"),
        ("张先生和李女士", "*先生和*女士"),
        ("修改地址为上海市浦东新区世纪大道100号", "修改地址为上海市浦东新区********"),
    ],
    ids=["phone", "phone_spaced", "id_card", "bank_card", "email", "names", "address"],
)
def test_mask_pii_keeps_only_what_tells_items_apart(text: str, masked: str) -> None:
    assert mask_pii(text) == masked


@pytest.mark.parametrize(
    "text",
    [
        "金额5000元，年化3.5%",
        "订单号20231101123456",
        "产品代码970401",
        "理财经理什么时候回电",
        "总额是多少，总共几笔",
        "人民路上有家网点吗",
        "高收益产品有哪些",
    ],
    ids=["amount_rate", "order_number", "fund_code", "job_title_only", "zong_words", "bare_road", "gao_word"],
)
def test_find_pii_leaves_ordinary_text_alone(text: str) -> None:
    assert find_pii(text) == []
    assert mask_pii(text) == text


def test_find_pii_several_kinds_in_order_without_overlap() -> None:
    text = "张先生，手机13900001111，邮箱a1@b.cn，卡号6222020200112233445"
    spans = find_pii(text)
    assert [s.kind for s in spans] == ["name", "phone", "email", "bank_card"]
    assert all(a.end <= b.start for a, b in zip(spans, spans[1:], strict=False))
    masked = mask_pii(text)
    assert "13900001111" not in masked and "6222020200112233445" not in masked and "a1@" not in masked
