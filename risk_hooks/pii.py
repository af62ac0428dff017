"""Finds and masks personal data in text for logs, summaries, analytics and exported transcripts.

Kinds: mobile phone numbers (also ``+86``, spaced or dashed: 「138 1234 5678」), ID-card
numbers (18 digits with a birth date, or 15), bank-card numbers (16–19 digits, also in
groups of four), e-mail addresses, names with a title (「张先生」「李女士」「王经理」) or after
「我叫 / 姓名：/ 户名：/ 收款人：」, and street addresses (「北京市朝阳区建国路88号」).

Masks keep what a reader needs to tell items apart and nothing more: the ends of numbers
(``138****5678``), the title of a name (``*先生``), the province/city/district of an address.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["PII_KINDS", "PiiSpan", "find_pii", "mask_pii"]

PII_KINDS = ("email", "id_card", "bank_card", "phone", "name", "address")

_SEP = r"[ \-]?"
_EMAIL = re.compile(
    r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"
)
_PHONE = re.compile(rf"(?<![\d])(?:(?:\+|00)?86{_SEP})?1[3-9]\d{_SEP}\d{{4}}{_SEP}\d{{4}}(?![\d])")
_ID_CARD = re.compile(
    r"(?<![\dXx])[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![\dXx])"
    r"|(?<!\d)[1-9]\d{5}\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}(?!\d)"
)
_BANK_CARD = re.compile(r"(?<!\d)(?:\d{4}[ \-]){3,4}\d{1,7}(?!\d)|(?<!\d)\d{16,19}(?!\d)")

# common surnames (single and double); a name is a surname plus up to two characters
_SURNAMES = (
    "欧阳|司马|上官|诸葛|东方|皇甫|慕容|司徒|令狐|"
    "王|李|张|刘|陈|杨|黄|赵|吴|周|徐|孙|马|朱|胡|郭|何|林|罗|郑|梁|谢|宋|唐|许|韩|冯|邓|曹|彭|曾|萧|肖|田|"
    "董|潘|袁|蔡|蒋|余|于|杜|叶|程|魏|苏|吕|丁|任|卢|姚|沈|钟|姜|崔|谭|陆|范|汪|廖|石|金|韦|贾|夏|付|傅|方|"
    "邹|熊|白|孟|秦|邱|侯|江|尹|薛|闫|严|段|雷|龙|黎|史|陶|贺|毛|郝|顾|龚|邵|万|覃|武|钱|戴|孔|汤|庞|樊|兰|殷|"
    "施|陶|洪|翟|安|颜|倪|高|温|芦|柳|葛|牛|章|鲁|葛|伍|申|尤|毕|聂|柴|焦|车|纪|舒|屈|项|祝|阮|蓝|闵|季|麦"
)
_TITLES = "先生|女士|小姐|经理|老师|总监|主任|阿姨|叔叔|师傅|同学|大爷|大妈|律师|医生|总"
_TITLE_PATTERN = _TITLES.removesuffix("|总") + "|总(?![额共是计部行体量之数价])"
# a title right after a surname; 「王总」 yes, but not 「总额」「总共」「总是」
_TITLED_NAME = re.compile(rf"(?:{_SURNAMES})[\u4e00-\u9fff]{{0,2}}?(?:{_TITLE_PATTERN})")
_INTRODUCED_NAME = re.compile(
    rf"(?:我叫|我的名字是|我的名字叫|本人|姓名[:：]?|户名[:：]?|收款人[:：]?|持卡人[:：]?|开户人[:：]?)\s*"
    rf"((?:{_SURNAMES})[\u4e00-\u9fff]{{1,2}})"
)
_PROVINCES = (
    "北京|天津|上海|重庆|河北|山西|辽宁|吉林|黑龙江|江苏|浙江|安徽|福建|江西|山东|河南|湖北|湖南|广东|海南|"
    "四川|贵州|云南|陕西|甘肃|青海|台湾|内蒙古|广西|西藏|宁夏|新疆|香港|澳门"
)
# characters that start a sentence rather than a place name (「我住在深圳市」)
_PLACE = r"[^\s\d\W我你他她住在是的到寄送往于址了和去从把给请为将按至]"
_ADMIN = rf"(?:(?:{_PROVINCES})(?:省|市|自治区|特别行政区)?|{_PLACE}{{2,6}}?(?:省|市|自治州|地区|盟))"
_ADDRESS = re.compile(
    rf"(?:{_ADMIN}){{0,2}}(?:{_PLACE}{{1,6}}?(?:区|县|旗|镇|乡|街道))?"
    rf"(?:{_PLACE}|\d){{1,12}}?(?:路|街|大道|大街|巷|弄|胡同|里|村|小区|花园|公寓|大厦)"
    rf"(?:[\d一二三四五六七八九十百零甲乙丙A-Za-z\-]+(?:号院|号楼|号|栋|幢|座|单元|楼|层|室|户))*"
)
_ADMIN_PREFIX = re.compile(rf"^(?:{_ADMIN}){{0,2}}(?:{_PLACE}{{1,6}}?(?:区|县|旗))?")


@dataclass(frozen=True)
class PiiSpan:
    """One piece of personal data: ``text[start:end]`` of kind ``kind`` (one of ``PII_KINDS``)."""

    kind: str
    start: int
    end: int
    text: str


def find_pii(text: str) -> list[PiiSpan]:
    """Every piece of personal data in ``text``, in order, without overlaps.

    Where spans overlap the earlier kind in ``PII_KINDS`` wins (an ID-card number is not
    also a bank-card number; an e-mail's digits are not a phone number).

    Args:
        text: any text.

    Returns:
        Typed spans with offsets into ``text``.
    """
    found: list[PiiSpan] = []
    for kind, pattern in (
        ("email", _EMAIL),
        ("id_card", _ID_CARD),
        ("bank_card", _BANK_CARD),
        ("phone", _PHONE),
    ):
        found.extend(PiiSpan(kind, m.start(), m.end(), m.group(0)) for m in pattern.finditer(text))
    found.extend(_names(text))
    found.extend(_addresses(text))
    return _without_overlaps(found)


def mask_pii(text: str) -> str:
    """``text`` with every span of :func:`find_pii` masked.

    ``13812345678`` → ``138****5678``; ID and bank card numbers keep their ends only;
    ``zhang.wei@example.com`` → ``z***@example.com``; ``张先生`` → ``*先生``;
    ``北京市朝阳区建国路88号`` → ``北京市朝阳区******``.
    """
    parts: list[str] = []
    last = 0
    for span in find_pii(text):
        parts.append(text[last : span.start])
        parts.append(_MASKERS[span.kind](span.text))
        last = span.end
    parts.append(text[last:])
    return "".join(parts)


def _names(text: str) -> list[PiiSpan]:
    spans = []
    for m in _TITLED_NAME.finditer(text):
        title = _title_of(m.group(0))
        spans.append(PiiSpan("name", m.start(), m.end() - len(title), m.group(0)[: -len(title)]))
    for m in _INTRODUCED_NAME.finditer(text):
        spans.append(PiiSpan("name", m.start(1), m.end(1), m.group(1)))
    return spans


def _title_of(titled: str) -> str:
    return next(t for t in sorted(_TITLES.split("|"), key=len, reverse=True) if titled.endswith(t))


def _addresses(text: str) -> list[PiiSpan]:
    spans = []
    for m in _ADDRESS.finditer(text):
        # a bare 「人民路」 is a place in a sentence; an address has a number or an admin unit
        if re.search(r"\d|号|栋|室|省|市|区|县", m.group(0)) and len(m.group(0)) >= 5:
            spans.append(PiiSpan("address", m.start(), m.end(), m.group(0)))
    return spans


def _without_overlaps(spans: list[PiiSpan]) -> list[PiiSpan]:
    rank = {kind: i for i, kind in enumerate(PII_KINDS)}
    kept: list[PiiSpan] = []
    for span in sorted(spans, key=lambda s: (rank[s.kind], s.start)):
        if all(span.end <= k.start or span.start >= k.end for k in kept):
            kept.append(span)
    return sorted(kept, key=lambda s: s.start)


def _mask_digits(value: str, keep_start: int, keep_end: int) -> str:
    digits = [i for i, c in enumerate(value) if c.isalnum()]
    hidden = set(digits[keep_start : len(digits) - keep_end])
    return "".join("*" if i in hidden else c for i, c in enumerate(value))


def _mask_phone(value: str) -> str:
    digits = [c for c in value if c.isdigit()]
    keep_start = len(digits) - 8  # the country code and the first three digits of the number
    return _mask_digits(value, keep_start, 4)


def _mask_email(value: str) -> str:
    local, _, domain = value.partition("@")
    return f"{local[0]}***@{domain}"


def _mask_address(value: str) -> str:
    prefix = _ADMIN_PREFIX.match(value)
    keep = prefix.end() if prefix else 0
    return value[:keep] + "*" * (len(value) - keep)


_MASKERS = {
    "email": _mask_email,
    "id_card": lambda v: _mask_digits(v, 6, 4),
    "bank_card": lambda v: _mask_digits(v, 4, 4),
    "phone": _mask_phone,
    "name": lambda v: "*" * len(v),
    "address": _mask_address,
}
