"""Identifier-like entities: phone, ID card, bank card, fund code, risk level.

Texts are lower-case ASCII (the normalizer's output, or ``rules`` lowers them).
Values are strings: digits only for phones and cards, upper-case ``X`` for an ID
card's check character, "R1".."R5" for risk levels.
"""

from __future__ import annotations

import re
from datetime import date

from nlu.entities._rules_candidate import Candidate

__all__ = [
    "find_bank_cards",
    "find_fund_codes",
    "find_id_cards",
    "find_phones",
    "find_risk_levels",
    "is_valid_id_card",
    "luhn_valid",
]

_PHONE_RE = re.compile(r"(?<![0-9])(?:\+?86[ -]?)?(1[3-9][0-9])([ -]?)([0-9]{4})\2([0-9]{4})(?![0-9])")
_ID_RE = re.compile(r"(?<![0-9a-z])[1-9][0-9]{16}[0-9x](?![0-9a-z])")
_CARD_RE = re.compile(r"(?<![0-9])(?:[0-9]{16,19}|[0-9]{4}(?:([ -])[0-9]{4}){3}(?:\1[0-9]{1,3})?)(?![0-9])")
_FUND_RE = re.compile(r"(?<![0-9.,+\-])[0-9]{6}(?![0-9]|[.,][0-9]|[份个人次股手只位元块%万千wk年月日号天])")
_FUND_CONTEXT_RE = re.compile(r"基金|代码|产品|编号|申购|认购|赎回|定投|买|卖")
_NOT_FUND_CONTEXT_RE = re.compile(
    r"(?:验证码|密码|口令|动态码|校验码|邮编|邮政编码|工号|尾号|卡号|账号)\D{0,3}$"
)
_RISK_CODE_RE = re.compile(r"(?<![0-9a-z])[rc]([1-5])(?![0-9a-z])")
_RISK_WORDS: dict[str, str] = {  # customer types (C) and product levels (R), both mapped to R
    "保守型": "R1",
    "谨慎型": "R2",
    "稳健型": "R2",
    "平衡型": "R3",
    "成长型": "R4",
    "积极型": "R4",
    "进取型": "R5",
    "激进型": "R5",
    # the five product levels as banks name them: 低 中低 中 中高 高
    "中低风险": "R2",
    "较低风险": "R2",
    "中高风险": "R4",
    "较高风险": "R4",
    "中等风险": "R3",
    "中风险": "R3",
    "低风险": "R1",
    "高风险": "R5",
}
_RISK_WORD_RE = re.compile("|".join(sorted(_RISK_WORDS, key=len, reverse=True)))
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10x98765432"


def luhn_valid(digits: str) -> bool:
    """Whether a digit string passes the Luhn check used by bank cards."""
    if not digits.isdigit():
        return False
    total = 0
    for i, char in enumerate(reversed(digits)):
        value = int(char) * (2 if i % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def is_valid_id_card(number: str) -> bool:
    """Whether an 18-character PRC resident ID has a real birth date and a valid check character."""
    number = number.lower()
    if len(number) != 18 or not number[:17].isdigit():
        return False
    try:
        birth = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    if birth.year < 1900:
        return False
    total = sum(int(c) * w for c, w in zip(number[:17], _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11] == number[17]


def find_phones(text: str) -> list[Candidate]:
    """Mainland mobile numbers: "13812345678", "138 1234 5678", "+86-138-1234-5678"."""
    return [
        Candidate("phone", m.group(1) + m.group(3) + m.group(4), m.start(), m.end())
        for m in _PHONE_RE.finditer(text)
    ]


def find_id_cards(text: str) -> list[Candidate]:
    """18-digit resident IDs whose birth date and check character are valid."""
    return [
        Candidate("id_card", m.group().upper(), m.start(), m.end())
        for m in _ID_RE.finditer(text)
        if is_valid_id_card(m.group())
    ]


def find_bank_cards(text: str) -> list[Candidate]:
    """16-19 digit card numbers (optionally in groups of four) that pass Luhn."""
    found: list[Candidate] = []
    for match in _CARD_RE.finditer(text):
        digits = re.sub(r"[ -]", "", match.group())
        if 16 <= len(digits) <= 19 and luhn_valid(digits):
            found.append(Candidate("bank_card", digits, match.start(), match.end()))
    return found


def find_fund_codes(text: str) -> list[Candidate]:
    """Six-digit codes standing alone; surer when a fund word is near, never after 验证码/密码."""
    found: list[Candidate] = []
    for match in _FUND_RE.finditer(text):
        before = text[max(0, match.start() - 8) : match.start()]
        if _NOT_FUND_CONTEXT_RE.search(before):
            continue
        confidence = 0.9 if _FUND_CONTEXT_RE.search(before) else 0.7
        found.append(Candidate("fund_code", match.group(), match.start(), match.end(), confidence))
    return found


def find_risk_levels(text: str) -> list[Candidate]:
    """Risk levels: "R3", "C4" (customer level, mapped to R4), "稳健型" (R2), "中高风险" (R4)."""
    found = [
        Candidate("risk_level", f"R{m.group(1)}", m.start(), m.end()) for m in _RISK_CODE_RE.finditer(text)
    ]
    found += [
        Candidate("risk_level", _RISK_WORDS[m.group()], m.start(), m.end(), 0.9)
        for m in _RISK_WORD_RE.finditer(text)
    ]
    return found
