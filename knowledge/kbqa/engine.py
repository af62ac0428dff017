"""KBQA: answer a product question from the knowledge graph, or say clearly that it cannot.

``ProductQA.answer`` normalizes the question with the NLP core, links product mentions,
classifies the attribute, then routes: one product → attribute answer; two or more →
comparison; none → filter/ranking list, an unknown-code reply, a "您是不是想问" with near
misses, or a plain "no answer". An ambiguous mention gets a clarifying question listing
the candidates. Every answer that names a product ends with ``RISK_NOTICE``.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from knowledge.catalogue import Catalogue, Product, load_catalogue
from knowledge.kbqa.answers import STATUS_TEXT, attribute_answer, format_amount, with_notice
from knowledge.kbqa.attributes import Attribute, AttributeGuess, classify_attribute
from knowledge.kbqa.compare import compare_answer, list_answer
from knowledge.kbqa.filters import Filters, apply_filters, parse_filters
from knowledge.kbqa.graph import KnowledgeGraph
from knowledge.kbqa.linker import LinkMethod, Mention, ProductLinker, fold_question
from nlu.message import Message, QuantityKind
from nlu.normalize import Normalizer, find_quantities
from nlu.resources import Resources

__all__ = ["AnswerKind", "KbqaAnswer", "ProductQA", "QuestionType"]

MAX_QUESTION_CHARS = 300  # longer input is cut: product questions are short
_LIST_WORDS = re.compile(r"哪些|哪几|有什么|有啥|推荐|列一下|列出|都有|买啥|买什么|选哪|哪只|哪个|哪款")
_OTHER_INSTITUTION = re.compile(r"[\u4e00-\u9fff]{2,4}(银行|证券)(?!理财)")
_GUARANTEE_WORDS = re.compile(r"保本|保证|稳赚|不会亏|不亏|零风险|本金安全")
_FUTURE_WORDS = re.compile(r"能赚|会赚|能挣|预计|将来|以后|未来|明年|会涨")
_PRODUCT_WORDS = re.compile(r"基金|理财|产品|保险|能买|可以买|买点|的$")
_AFFORD_WORDS = re.compile(r"能买|够买|可以买|买得起|买得了|够不够|能不能买|够吗")


class AnswerKind(StrEnum):
    """The outcome of a question."""

    ANSWER = "answer"
    CLARIFY = "clarify"  # ambiguous mention or "did you mean": candidates listed
    NO_ANSWER = "no_answer"


class QuestionType(StrEnum):
    """What kind of product question it was."""

    ATTRIBUTE = "attribute"
    COMPARE = "compare"
    FILTER = "filter"
    NONE = "none"


@dataclass(frozen=True)
class KbqaAnswer:
    """An answer: its text (risk notice included where products are named) and what it rests on."""

    kind: AnswerKind
    text: str
    question_type: QuestionType = QuestionType.NONE
    products: tuple[str, ...] = ()  # codes the answer is about
    attribute: Attribute | None = None
    candidates: tuple[str, ...] = ()  # codes offered in a clarifying question
    mentions: tuple[Mention, ...] = field(default=(), repr=False)


class ProductQA:
    """Question answering over the product catalogue.

    Args:
        catalogue: the products; the shipped demo catalogue when None.
    """

    def __init__(self, catalogue: Catalogue | None = None) -> None:
        self.catalogue = catalogue if catalogue is not None else load_catalogue()
        self.graph = KnowledgeGraph(self.catalogue)
        self.linker = ProductLinker(self.catalogue)
        self._normalizer = Normalizer(Normalizer.Config(), Resources())
        self._normalizer.initialize()

    def normalize(self, question: str) -> str:
        """Width-folded, simplified, lower-cased question, cut to ``MAX_QUESTION_CHARS``."""
        message = self._normalizer.process(Message(text=str(question)[: MAX_QUESTION_CHARS * 2]))
        return fold_question(message.working_text)[:MAX_QUESTION_CHARS]

    def answer(
        self, question: str, *, product_hint: str | None = None, customer_risk_level: int | None = None
    ) -> KbqaAnswer:
        """Answer one question.

        Args:
            question: the customer's message.
            product_hint: a product name or code from the dialogue (e.g. a ``product`` slot),
                used when the question itself names none ("它的费率呢").
            customer_risk_level: the customer's risk level (1–5); filter lists never show
                products above it.
        """
        text = self.normalize(question)
        if not text.strip():
            return KbqaAnswer(AnswerKind.NO_ANSWER, "请问您想了解哪只产品？可以告诉我产品名称或6位基金代码。")
        mentions = self.linker.link(text)
        masked = _mask(text, mentions)
        guess = classify_attribute(masked)
        if not mentions and product_hint:
            mentions = self.linker.link(fold_question(product_hint))[:1]
        if not mentions:
            return self._without_product(text, masked, guess, customer_risk_level)
        ambiguous = next((m for m in mentions if m.ambiguous), None)
        if ambiguous is not None:
            return self._clarify(ambiguous, guess, mentions)
        products = _distinct(self.catalogue.get(c) for m in mentions for c in m.codes)
        if len(products) >= 2:
            attribute = guess.attribute if guess else None
            text_out = compare_answer(products, attribute, guess.period_days or 365 if guess else 365)
            return KbqaAnswer(
                AnswerKind.ANSWER,
                with_notice(text_out),
                QuestionType.COMPARE,
                tuple(p.code for p in products),
                attribute,
                mentions=tuple(mentions),
            )
        return self._single(products[0], mentions[0], guess, text, customer_risk_level)

    def _single(
        self,
        product: Product,
        mention: Mention,
        guess: AttributeGuess | None,
        text: str,
        customer_level: int | None,
    ) -> KbqaAnswer:
        attribute = guess.attribute if guess else Attribute.OVERVIEW
        if (
            attribute in (Attribute.OVERVIEW, Attribute.STATUS)
            and _AFFORD_WORDS.search(text)
            and _amounts(text)
        ):
            attribute = Attribute.MIN_AMOUNT  # "一千块能买X吗": a question about the minimum amount
        body = attribute_answer(product, attribute, self.graph, (guess.period_days if guess else None) or 365)
        if attribute in (Attribute.MIN_AMOUNT, Attribute.STATUS, Attribute.OVERVIEW):
            body += _affordability(product, text)
        body = _caveats(text, attribute) + body
        if customer_level is not None and product.risk_level > customer_level:
            body += (
                f"\n注意：该产品风险等级{product.risk}高于您的风险承受能力C{customer_level}，"
                "按适当性要求不向您推荐购买。"
            )
        if mention.method in (LinkMethod.PINYIN, LinkMethod.FUZZY):
            body = f"您问的应该是“{product.name}”：{body}"
        return KbqaAnswer(
            AnswerKind.ANSWER,
            with_notice(body),
            QuestionType.ATTRIBUTE,
            (product.code,),
            attribute,
            mentions=(mention,),
        )

    def _clarify(self, mention: Mention, guess: AttributeGuess | None, mentions: list[Mention]) -> KbqaAnswer:
        products = _distinct(self.catalogue.get(c) for c in mention.codes)
        options = "\n".join(f"{i}. {p.name}（{p.code}）" for i, p in enumerate(products, 1))
        body = f"“{mention.surface}”对应多只产品，请问您指的是哪一只？\n{options}"
        return KbqaAnswer(
            AnswerKind.CLARIFY,
            with_notice(body),
            QuestionType.ATTRIBUTE,
            (),
            guess.attribute if guess else None,
            tuple(p.code for p in products),
            tuple(mentions),
        )

    def _without_product(
        self, text: str, masked: str, guess: AttributeGuess | None, customer_level: int | None
    ) -> KbqaAnswer:
        unknown = self.linker.unknown_codes(text)
        if unknown:
            body = f"没有找到代码为{unknown[0]}的产品，请核对代码后再试，或告诉我产品名称。"
            return KbqaAnswer(AnswerKind.NO_ANSWER, body)
        other = _OTHER_INSTITUTION.search(text)
        if other is not None:  # "招商银行的理财": not in this catalogue, so not ours to answer
            body = f"抱歉，我只能查询本平台的产品，没有{other.group()}的产品信息。"
            return KbqaAnswer(AnswerKind.NO_ANSWER, body)
        filters = parse_filters(masked, self.graph)
        if filters.manager and guess is not None and guess.attribute is Attribute.COMPANY:
            return self._manager_company(filters.manager)
        if _is_filter_question(filters, masked):
            return self._list(filters, customer_level)
        suggestions = self.linker.suggest(text)
        if suggestions:
            names = "、".join(f"{p.name}（{p.code}）" for p in suggestions)
            body = f"没有找到您说的产品。您是不是想问：{names}？"
            return KbqaAnswer(
                AnswerKind.CLARIFY,
                with_notice(body),
                QuestionType.NONE,
                (),
                guess.attribute if guess else None,
                tuple(p.code for p in suggestions),
            )
        body = "抱歉，我没有找到您问的产品。您可以告诉我产品名称、简称或6位基金代码，我再帮您查询。"
        return KbqaAnswer(AnswerKind.NO_ANSWER, body, attribute=guess.attribute if guess else None)

    def _manager_company(self, manager: str) -> KbqaAnswer:
        """ "张明是哪家公司的": the manager's company and products."""
        products = self.graph.products_where(manager=manager)
        companies = "、".join(sorted(self.graph.manager_company(manager)))
        names = "、".join(p.name for p in products)
        body = f"{manager}是{companies}的基金经理（投资经理），管理的产品有：{names}。"
        return KbqaAnswer(
            AnswerKind.ANSWER,
            with_notice(body),
            QuestionType.FILTER,
            tuple(p.code for p in products),
            Attribute.COMPANY,
        )

    def _list(self, filters: Filters, customer_level: int | None) -> KbqaAnswer:
        capped = filters
        if customer_level is not None and (filters.risk_max is None or filters.risk_max > customer_level):
            capped = dataclasses.replace(filters, risk_max=customer_level)
        found = apply_filters(list(self.catalogue), capped)
        total = len(apply_filters(list(self.catalogue), dataclasses.replace(capped, limit=None)))
        body = list_answer(found, capped, total)
        if capped is not filters:
            body += f"\n（已按您的风险承受能力C{customer_level}筛选，不展示更高风险等级的产品。）"
        text_out = with_notice(body) if found else body
        return KbqaAnswer(
            AnswerKind.ANSWER if found else AnswerKind.NO_ANSWER,
            text_out,
            QuestionType.FILTER,
            tuple(p.code for p in found),
        )


def _is_filter_question(filters: Filters, masked: str) -> bool:
    if filters.empty:
        return False
    bounds_only = filters == Filters(
        risk_min=filters.risk_min,
        risk_max=filters.risk_max,
        amount_min=filters.amount_min,
        amount_max=filters.amount_max,
        include_closed=filters.include_closed,
    )  # "转账五千", "r2是什么意思": a number alone does not make a product search
    return not bounds_only or bool(_LIST_WORDS.search(masked) or _PRODUCT_WORDS.search(masked))


def _caveats(text: str, attribute: Attribute) -> str:
    """What a promise-seeking question must hear first ("保本吗", "一年能赚多少")."""
    if attribute is Attribute.RISK and _GUARANTEE_WORDS.search(text):
        return "该产品不承诺保本，也不承诺收益，净值可能下跌。"
    if attribute is Attribute.RETURN and _FUTURE_WORDS.search(text):
        return "未来收益无法预测，以下是过往数据："
    return ""


def _affordability(product: Product, text: str) -> str:
    amounts = _amounts(text)
    if not amounts:
        return ""
    budget = max(amounts)
    if budget >= product.min_amount and product.status != "on_sale":
        return f"您说的{format_amount(budget)}达到起购金额，但该产品{STATUS_TEXT[product.status]}。"
    if budget >= product.min_amount:
        return f"您说的{format_amount(budget)}达到起购金额。"
    return f"您说的{format_amount(budget)}低于起购金额，暂时不够购买。"


def _amounts(text: str) -> list[float]:
    return [q.value for q in find_quantities(text) if q.kind is QuantityKind.AMOUNT]


def _mask(text: str, mentions: list[Mention]) -> str:
    chars = list(text)
    for mention in mentions:
        chars[mention.start : mention.end] = " " * (mention.end - mention.start)
    return "".join(chars)


def _distinct(products: Iterable[Product | None]) -> list[Product]:
    seen: dict[str, Product] = {}
    for product in products:
        if product is not None and product.code not in seen:
            seen[product.code] = product
    return list(seen.values())
