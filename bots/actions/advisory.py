"""The advisory robot's own actions: the risk assessment questionnaire and the customer's level."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from collections.abc import Callable
from typing import Any

from dialogue.sdk import Action, CollectingDispatcher, FormValidationAction, SlotSet, Tracker
from dialogue.sdk.types import DomainDict
from recommend.slots import parse_date, parse_risk_level
from risk_hooks.profile import CustomerProfile
from wealth_backend.assessment import QUESTIONS, Question, level_for_score, score_answers, valid_until
from wealth_backend.interface import BackendError, WealthBackend

ProfileProvider = Callable[[str], CustomerProfile | None]

__all__ = [
    "LEVEL_NAMES",
    "ActionAskMyRiskLevel",
    "ActionRecordRiskAssessment",
    "ValidateRiskAssessmentForm",
    "customer_profile",
    "parse_option",
]

LETTERS = "ABCD"
LEVEL_NAMES = {1: "保守型", 2: "稳健型", 3: "平衡型", 4: "成长型", 5: "进取型"}
_ORDINALS = {"一": 0, "二": 1, "三": 2, "四": 3, "1": 0, "2": 1, "3": 2, "4": 3}
_LETTER = re.compile(r"^(?:选|选择|我选|答案是?)?\s*([ABCD])\s*(?:[.、:：]|选项|项|吧|$)", re.I)
_ORDINAL = re.compile(r"第\s*([一二三四1-4])\s*(?:个|项|条)")
INVALID_OPTION = "请回答A、B、C、D中的一个选项，也可以直接点选。"
ASSESS_BUTTON = {"title": "开始风险测评", "payload": "/start_risk_assessment"}
EXPIRING_DAYS = 30  # an assessment this close to expiry gets a reminder
CANCELLED = "好的，测评先到这里，本次作答不会保存。需要时说“开始风险测评”即可重新开始。"


def parse_option(question: Question, text: str) -> int | None:
    """The option index (0–3) a reply means: a letter, "第二个", or the option's own words."""
    value = unicodedata.normalize("NFKC", str(text or "")).strip().upper()  # full width → half width
    if not value:
        return None
    if match := _LETTER.match(value):
        return LETTERS.index(match.group(1).upper())
    if value in _ORDINALS:
        return _ORDINALS[value]
    if match := _ORDINAL.search(value):
        return _ORDINALS[match.group(1)]
    options = [option.upper() for option in question.options]
    hits = [i for i, option in enumerate(options) if option in value or value in option]
    return hits[0] if len(hits) == 1 else None


def customer_profile(tracker: Tracker, provider: ProfileProvider | None) -> CustomerProfile:
    """The backend's profile of the logged-in customer, else what this conversation assessed.

    A risk level the customer only stated ("我是稳健型") has no assessment date and counts as none.
    """
    customer_id = tracker.get_slot("customer_id")
    if customer_id and provider is not None:
        found = provider(str(customer_id))
        if found is not None:
            return found
    valid_until = parse_date(tracker.get_slot("risk_assessment_valid_until"))
    level = parse_risk_level(tracker.get_slot("risk_level")) if valid_until else None
    return CustomerProfile(
        customer_id=str(customer_id or tracker.sender_id),
        risk_level=level,
        assessment_valid_until=valid_until,
    )


class ValidateRiskAssessmentForm(FormValidationAction):
    """``validate_risk_assessment_form``: each answer becomes a letter A–D, or is asked again."""

    def name(self) -> str:
        return "validate_risk_assessment_form"

    def __getattr__(self, attribute: str) -> Callable[..., dict[str, Any]]:
        # one validator per question, named validate_q_<key> as the SDK looks them up
        key = attribute.removeprefix("validate_q_")
        question = next((q for q in QUESTIONS if q.key == key), None)
        if not attribute.startswith("validate_q_") or question is None:
            raise AttributeError(attribute)

        def validate(
            value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
        ) -> Any:
            index = parse_option(question, value)
            if index is None:
                dispatcher.utter_message(text=INVALID_OPTION)
                return {f"q_{key}": None}
            return {f"q_{key}": LETTERS[index]}

        return validate


class ActionRecordRiskAssessment(Action):
    """``action_record_risk_assessment``: score the answers, store the result, tell the customer.

    With a backend and a known ``customer_id`` the result is recorded there (idempotent per
    answer set and day); otherwise it lives in the conversation only.
    """

    def __init__(
        self, backend: WealthBackend | None = None, today: Callable[[], dt.date] = dt.date.today
    ) -> None:
        self.backend = backend
        self.today = today

    def name(self) -> str:
        return "action_record_risk_assessment"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list:
        letters = [tracker.get_slot(f"q_{q.key}") for q in QUESTIONS]
        if any(letter not in tuple(LETTERS) for letter in letters):  # the form was cancelled midway
            dispatcher.utter_message(text=CANCELLED)
            return [SlotSet(f"q_{q.key}", None) for q in QUESTIONS]
        answers = [LETTERS.index(letter) for letter in letters]
        level, until = self._record(tracker, answers)
        dispatcher.utter_message(
            text=(
                f"测评完成！您的风险承受能力为C{level}（{LEVEL_NAMES[level]}），有效期至{until:%Y年%m月%d日}。"
                f"按照适当性要求，我们只会向您推荐风险等级不高于R{level}的产品。"
            )
        )
        reset = [SlotSet(f"q_{q.key}", None) for q in QUESTIONS]
        valid = SlotSet("risk_assessment_valid_until", until.isoformat())  # the recommender checks it
        return [SlotSet("risk_level", f"C{level}"), valid, *reset]

    def _record(self, tracker: Tracker, answers: list[int]) -> tuple[int, dt.date]:
        customer_id = tracker.get_slot("customer_id")
        today = self.today()
        if self.backend is not None and customer_id:
            digest = hashlib.sha256(f"{customer_id}:{answers}:{today}".encode()).hexdigest()[:16]
            try:
                record = self.backend.record_assessment(str(customer_id), answers, f"assess-{digest}", today)
                return record.level, record.valid_until
            except BackendError:
                pass  # an unknown customer still gets the result in the conversation
        return level_for_score(score_answers(answers)), valid_until(today)


class ActionAskMyRiskLevel(Action):
    """``action_ask_my_risk_level``: the customer's assessed level and how long it is valid.

    The level comes from the backend profile of the logged-in customer (``profile_provider``),
    else from an assessment done in this conversation. Expired or missing: say so and offer the
    questionnaire. A valid level is also put into the slots, so a recommendation does not ask.
    """

    def __init__(
        self, profile_provider: ProfileProvider | None = None, today: Callable[[], dt.date] = dt.date.today
    ) -> None:
        self.profile_provider = profile_provider
        self.today = today

    def name(self) -> str:
        return "action_ask_my_risk_level"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list:
        profile = customer_profile(tracker, self.profile_provider)
        level, until, today = profile.risk_level, profile.assessment_valid_until, self.today()
        if level is None:
            dispatcher.utter_message(
                text="您还没有做过风险测评，暂时没有风险等级。测评共10道题，大约3分钟，做完就能看到适合您的产品范围。",
                buttons=[ASSESS_BUTTON],
            )
            return []
        name = f"C{level}（{LEVEL_NAMES[level]}）"
        if until is not None and until < today:
            dispatcher.utter_message(
                text=(
                    f"您上次的风险测评结果是{name}，但已于{until:%Y年%m月%d日}过期。"
                    "按照适当性要求，测评过期后需要重新测评才能为您推荐产品，现在重新测评吗？"
                ),
                buttons=[ASSESS_BUTTON],
            )
            return []
        validity = f"，有效期至{until:%Y年%m月%d日}" if until is not None else ""
        text = f"您的风险承受能力为{name}{validity}，可以购买风险等级R{level}及以下的产品。"
        if until is not None and (until - today).days <= EXPIRING_DAYS:
            text += "测评快到期了，到期后记得重新测评。"
        elif until is not None:
            text += "如果收入、资产或投资目标有变化，可以随时重新测评。"
        dispatcher.utter_message(text=text)
        events = [SlotSet("risk_level", f"C{level}")]
        if until is not None:
            events.append(SlotSet("risk_assessment_valid_until", until.isoformat()))
        return events
