"""Filter and ranking questions: "R2以下、一年以内的有哪些", "起购1000元以下的债券基金", "风险最低的三只".

Risk levels, amounts ("一千块", "1k", "5w") and terms ("半年", "90天") come from the NLP
core's rule extractor and normalizer; the direction ("以下", "以内", "以上") is read from the
words around them. Companies, managers, types and asset classes are matched against the
knowledge graph's names (managers also by pinyin, "张敏" → "张明").
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum

from knowledge.catalogue import Product
from knowledge.kbqa.answers import annual_fee
from knowledge.kbqa.attributes import return_period_days
from knowledge.kbqa.graph import KnowledgeGraph, NodeKind, company_short_name
from nlu.entities._gazetteer_index import pinyin_key
from nlu.entities.rules import extract_rule_entities
from nlu.message import Message
from nlu.normalize import parse_chinese_number

__all__ = ["Filters", "RankKey", "apply_filters", "parse_filters"]

_REFERENCE_DAY = dt.date(2026, 11, 20)
_BELOW = re.compile(r"^\s*(及|或)?(以下|以内|之内|内|之下|下面|及以下|或以下|以下的)")
_ABOVE = re.compile(r"^\s*(及|或)?(以上|之上|起|往上|以上的)")
_BEFORE_BELOW = re.compile(r"(不超过|不高于|不到|低于|小于|少于|最多|预算|只有|手上有|手里有|有)\s*$")
_BEFORE_ABOVE = re.compile(r"(超过|高于|大于|不低于|至少|多于)\s*$")
_TYPE_WORDS: tuple[tuple[str, str], ...] = (
    ("货币基金|货基|货币型|货币类", "货币"),
    ("债券基金|债基|纯债|债券型|短债|债券类", "债券"),
    ("混合基金|混合型|混合类基金", "混合"),
    ("股票基金|股票型|股基", "股票"),
    ("指数基金|指数型|etf|指数", "指数基金"),
    ("银行理财|理财产品|理财", "银行理财"),
    ("保险|年金险|寿险|万能险|两全险|投连险", "保险"),
)
_ASSET_WORDS: tuple[tuple[str, str], ...] = (
    ("现金类|现金管理", "现金"),
    ("固收类|固定收益|固收", "固收"),
    ("权益类|偏股", "权益"),
    ("另类|商品类|黄金|reits", "另类"),
    ("保障类|保障型", "保障"),
)
_OPEN_ENDED = re.compile(r"随时.{0,2}(取|赎|卖|用)|随存随取|活期|灵活存取|不锁定|没有封闭|无封闭|流动性好")
_PAST_PERIOD = re.compile(r"(近|最近|过去|这|上)\s*$")  # "近一年收益": a look-back, not a term
_LIMIT = re.compile(
    r"(前)?([一二两三四五六七八九十\d]{1,3})\s*(只|个|款|支|种|名)(?!月|星期|小时|工作日|交易日)"
)


class RankKey(StrEnum):
    """What a "最…的" question ranks by."""

    RISK = "risk"
    FEE = "fee"
    MIN_AMOUNT = "min_amount"
    TERM = "term"
    RETURN = "return"


_RANKS: tuple[tuple[re.Pattern[str], RankKey, bool], ...] = tuple(
    (re.compile(pattern), key, descending)
    for pattern, key, descending in (
        (r"风险(最|比较)?(低|小)|最(低|小)风险|最安全|最稳", RankKey.RISK, False),
        (r"风险最(高|大)|最(高|大)风险", RankKey.RISK, True),
        (r"(费率|费用|手续费|管理费)最(低|少)|最便宜|最省钱", RankKey.FEE, False),
        (r"(起购|起投|门槛).{0,4}最(低|少)|门槛最低|最低起购", RankKey.MIN_AMOUNT, False),
        (r"期限最短|最短期|最灵活|流动性最好", RankKey.TERM, False),
        (r"(收益|业绩|回报|涨幅)最(高|好|多)|涨得最多|表现最好|赚得最多", RankKey.RETURN, True),
    )
)


@dataclass(frozen=True)
class Filters:
    """Constraints on products; a field left None does not constrain."""

    risk_min: int | None = None
    risk_max: int | None = None
    term_min: int | None = None
    term_max: int | None = None  # open-ended products (term 0) pass any maximum
    amount_min: float | None = None
    amount_max: float | None = None
    types: tuple[str, ...] = ()
    asset_classes: tuple[str, ...] = ()
    company: str | None = None
    manager: str | None = None
    include_closed: bool = False
    rank: RankKey | None = None
    rank_descending: bool = False
    limit: int | None = None
    return_days: int = 365  # the look-back of a RankKey.RETURN ranking (a past figure)

    @property
    def empty(self) -> bool:
        """Whether nothing constrains or ranks (a bare count, "推荐一个", constrains nothing)."""
        return self == Filters(
            include_closed=self.include_closed, limit=self.limit, return_days=self.return_days
        )


def parse_filters(question: str, graph: KnowledgeGraph) -> Filters:
    """Read the constraints of a filter/ranking question (folded text, product mentions masked).

    Args:
        question: the question, ASCII lower-cased, with product names blanked out.
        graph: the knowledge graph whose companies and managers may be named.
    """
    found = _bounds(question)
    if _OPEN_ENDED.search(question):
        found["term_max"] = 0
    elif "短期" in question and "term_max" not in found:
        found["term_max"] = 90
    rank = next(((key, desc) for pattern, key, desc in _RANKS if pattern.search(question)), None)
    return Filters(
        **found,  # type: ignore[arg-type]
        types=_words(question, _TYPE_WORDS),
        asset_classes=_words(question, _ASSET_WORDS),
        company=_company(question, graph),
        manager=_manager(question, graph),
        include_closed=bool(re.search(r"停售|暂停|封闭中|所有|全部", question)),
        rank=rank[0] if rank else None,
        rank_descending=rank[1] if rank else False,
        limit=_limit(question, rank is not None),
        return_days=return_period_days(question) if rank and rank[0] is RankKey.RETURN else 365,
    )


def _bounds(question: str) -> dict[str, object]:
    """Risk, amount and term bounds with their direction ("r2以下", "1k以内", "一年以上")."""
    message = Message(
        text=question, normalized=question, working_text=question, offsets=list(range(len(question) + 1))
    )
    found: dict[str, object] = {}
    for entity in extract_rule_entities(message, _REFERENCE_DAY, {"risk_level", "amount", "term"}):
        after, before = (
            question[entity.end : entity.end + 6],
            question[max(0, entity.start - 6) : entity.start],
        )
        direction = _direction(before, after)
        if entity.entity == "risk_level":
            level = int(str(entity.value)[1])
            if direction == 0 and question[entity.end - 1 : entity.end] == "型":  # 稳健型: what suits them
                direction = -1
            strict = 1 if re.search(r"(低于|小于)\s*$", before) else 0
            _bound(found, "risk", level - strict, direction)
        elif entity.entity == "amount":
            _bound(found, "amount", float(entity.value), 1 if direction == 1 else -1)  # type: ignore[arg-type]
        elif entity.entity == "term" and not _PAST_PERIOD.search(before):
            _bound(found, "term", int(entity.value["days"]), direction)  # type: ignore[index]
    return found


def _direction(before: str, after: str) -> int:
    if _BELOW.search(after) or _BEFORE_BELOW.search(before):
        return -1
    if _ABOVE.search(after) or _BEFORE_ABOVE.search(before):
        return 1
    return 0


def _bound(found: dict[str, object], name: str, value: float, direction: int) -> None:
    if direction <= 0:
        found[f"{name}_max"] = value
    if direction >= 0:
        found[f"{name}_min"] = value


def _words(question: str, table: tuple[tuple[str, str], ...]) -> tuple[str, ...]:
    return tuple(value for pattern, value in table if re.search(pattern, question))


def _company(question: str, graph: KnowledgeGraph) -> str | None:
    for company in sorted(graph.names(NodeKind.COMPANY), key=len, reverse=True):
        if company in question or company_short_name(company) in question:
            return company
    return None


def _manager(question: str, graph: KnowledgeGraph) -> str | None:
    managers = graph.names(NodeKind.MANAGER)
    for manager in managers:
        if manager in question:
            return manager
    if not re.search(r"管理|经理|管的|负责", question):
        return None
    spoken = {pinyin_key(m): m for m in managers}
    for length in sorted({len(m) for m in managers}, reverse=True):
        for start in range(len(question) - length + 1):
            key = pinyin_key(question[start : start + length])
            if key is not None and key in spoken:
                return spoken[key]
    return None


def _limit(question: str, ranked: bool) -> int | None:
    match = _LIMIT.search(question)
    if match is not None:
        number = parse_chinese_number(match.group(2))
        if number is not None and 0 < number <= 100:
            return int(number)
    if ranked:
        return 1 if re.search(r"哪(一|个|只|款|支)|是什么|是哪", question) else 3
    return None


def apply_filters(products: list[Product], filters: Filters) -> list[Product]:
    """The products that pass ``filters``, ranked and cut to its limit when it asks."""
    kept = [p for p in products if _passes(p, filters)]
    if filters.rank is not None:
        rank, days = filters.rank, filters.return_days
        kept.sort(key=lambda p: _rank_value(p, rank, days), reverse=filters.rank_descending)
        if rank is RankKey.RETURN:
            kept = [p for p in kept if p.past_return(days) is not None]
    return kept[: filters.limit] if filters.limit else kept


def _passes(product: Product, f: Filters) -> bool:
    checks = (
        f.include_closed or product.status == "on_sale",
        f.risk_min is None or product.risk_level >= f.risk_min,
        f.risk_max is None or product.risk_level <= f.risk_max,
        f.term_min is None or product.term_days >= f.term_min,
        f.term_max is None or product.term_days <= f.term_max,
        f.amount_min is None or product.min_amount >= f.amount_min,
        f.amount_max is None or product.min_amount <= f.amount_max,
        not f.types or product.type in f.types,
        not f.asset_classes or product.asset_class in f.asset_classes,
        f.company is None or product.company == f.company,
        f.manager is None or product.manager == f.manager,
    )
    return all(checks)


def _rank_value(product: Product, key: RankKey, return_days: int) -> float:
    if key is RankKey.RISK:
        return product.risk_level + annual_fee(product)  # ties: the cheaper first
    if key is RankKey.FEE:
        return annual_fee(product) + product.fees.subscription / 10
    if key is RankKey.MIN_AMOUNT:
        return product.min_amount
    if key is RankKey.TERM:
        return product.term_days
    past = product.past_return(return_days)
    return past if past is not None else -1.0
