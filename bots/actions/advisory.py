"""The advisory robot's own actions: the risk assessment questionnaire."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from collections.abc import Callable
from typing import Any

from dialogue.sdk import Action, CollectingDispatcher, FormValidationAction, SlotSet, Tracker
from dialogue.sdk.types import DomainDict
from wealth_backend.assessment import QUESTIONS, Question, level_for_score, score_answers, valid_until
from wealth_backend.interface import BackendError, WealthBackend

__all__ = ["LEVEL_NAMES", "ActionRecordRiskAssessment", "ValidateRiskAssessmentForm", "parse_option"]

LETTERS = "ABCD"
LEVEL_NAMES = {1: "保守型", 2: "稳健型", 3: "平衡型", 4: "成长型", 5: "进取型"}
_ORDINALS = {"一": 0, "二": 1, "三": 2, "四": 3, "1": 0, "2": 1, "3": 2, "4": 3}
_LETTER = re.compile(r"^(?:选|选择|我选|答案是?)?\s*([ABCD])\s*(?:[.、:：]|选项|项|吧|$)", re.I)
_ORDINAL = re.compile(r"第\s*([一二三四1-4])\s*(?:个|项|条)")
INVALID_OPTION = "请回答A、B、C、D中的一个选项，也可以直接点选。"
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
