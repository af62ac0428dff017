"""The service robot's requests: statements and asset certificates, complaints, trade password reset.

Statements (对账单) and certificates (资产证明) are filed on the backend with a ticket; a
complaint is filed too, and the customer's emotion (from the NLU, on the latest message)
decides whether it goes straight to a human. The password reset is guidance only: the robot
never asks for a password or a code, and tells the customer not to send one.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from bots.actions.service import _BackendAction, request_id_since
from dialogue.sdk import Action, CollectingDispatcher, FormValidationAction, SlotSet, Tracker
from dialogue.sdk.types import DomainDict
from nlu.message import NEGATIVE_EMOTIONS
from nlu.normalize import parse_chinese_number
from wealth_backend.interface import BackendError, WealthBackend
from wealth_backend.models import ServiceRequest

__all__ = [
    "SECRET_WARNING",
    "ActionRecordComplaint",
    "ActionRequestDocument",
    "ActionResetTradePasswordGuide",
    "ValidateResetTradePasswordForm",
    "complaint_severity",
    "looks_like_secret",
    "parse_period",
]

SECRET_WARNING = (
    "请不要在对话中发送密码或验证码！我们的工作人员和机器人都不会向您索要密码或验证码，"
    "请只在App的安全页面中输入。"
)
# an angry complaint goes straight to a human: anger this intense, or any negative emotion stronger
ANGER_INTENSITY = 0.6
NEGATIVE_INTENSITY = 0.75
_SECRET = re.compile(
    r"(?:密码|验证码|校验码|动态码|口令|pin)\s*(?:是|为|:|：|=)?\s*[A-Za-z0-9]{4,}"
    r"|^\s*[A-Za-z]{0,3}\d{4,8}[A-Za-z]{0,3}\s*$",
    re.IGNORECASE,
)
_MONTH = re.compile(r"(?:(\d{4})年)?\s*(十[一二]?|[一二三四五六七八九]|1[0-2]|0?[1-9])\s*月(?!底|末)")
_QUARTER = re.compile(r"(?:(\d{4})年)?\s*第?([一二三四1-4])\s*季度?")
_YEAR = re.compile(r"(\d{4})\s*年")
_KIND_BY_INTENT = {"statement_request": "statement", "certificate_request": "certificate"}
_GUIDE_RESPONSES = {"statement": "utter_statement_request", "certificate": "utter_certificate_request"}


def looks_like_secret(text: str) -> bool:
    """Whether ``text`` seems to carry a password or a verification code ("密码是123456", "384920")."""
    return bool(_SECRET.search(str(text or "")))


def _message_id(tracker: Tracker, kind: str, *parts: Any) -> str:
    """One id per user message: a retried action files the same request, not a second one."""
    return request_id_since(tracker, kind, lambda e: e.get("event") == "user", parts)


# ---- statements and certificates ---------------------------------------------------------------


def _previous_month(today: dt.date) -> str:
    last = today.replace(day=1) - dt.timedelta(days=1)
    return f"{last:%Y-%m}"


def parse_period(kind: str, text: str, dates: list[str], today: dt.date) -> str:
    """The period a request means, in the backend's form; a sensible default when none is said.

    A statement: ``2026-10`` (a month; "上个月" by default), ``2026-Q3`` ("第三季度", "上季度"),
    ``2025`` ("2025年", "去年"). A certificate: the as-of day (``2026-11-25``; yesterday by default,
    the last day with confirmed net values; a year's end for "2025年底").
    """
    if kind == "certificate":
        return _certificate_day(text, dates, today)
    if any(word in text for word in ("这个月", "本月", "当月")):
        return f"{today:%Y-%m}"  # not over yet: the backend says so
    quarter = _QUARTER.search(text)
    if "上季度" in text or "上个季度" in text:
        first = dt.date(today.year, (today.month - 1) // 3 * 3 + 1, 1) - dt.timedelta(days=1)
        return f"{first.year}-Q{(first.month - 1) // 3 + 1}"
    if quarter and "季" in quarter.group(0):
        number = int(parse_chinese_number(quarter.group(2)) or 0)
        year = int(quarter.group(1) or (today.year if number <= (today.month - 1) // 3 else today.year - 1))
        return f"{year}-Q{number}"
    month = _MONTH.search(text)
    if month and "上个月" not in text and "上月" not in text:
        number = int(parse_chinese_number(month.group(2)) or 0)
        year = int(month.group(1) or (today.year if number < today.month else today.year - 1))
        return f"{year}-{number:02d}"
    if "去年" in text:
        return str(today.year - 1)
    if "今年" in text:
        return str(today.year)
    if (year := _YEAR.search(text)) and "月" not in text:
        return year.group(1)
    if dates and not any(word in text for word in ("上个月", "上月")):
        return dates[-1][:7]
    return _previous_month(today)


def _certificate_day(text: str, dates: list[str], today: dt.date) -> str:
    year = _YEAR.search(text)
    if year and any(word in text for word in ("年底", "年末", "年终")):
        return f"{year.group(1)}-12-31"
    if any(word in text for word in ("去年底", "去年年底", "去年末")):
        return f"{today.year - 1}-12-31"
    if "今天" in text or "今日" in text:
        return today.isoformat()
    for value in reversed(dates):
        try:
            day = dt.date.fromisoformat(value[:10])
        except ValueError:
            continue
        if re.search(r"\d+\s*[日号]|[一二三四五六七八九十]+\s*[日号]", text):
            return day.isoformat()
    return (today - dt.timedelta(days=1)).isoformat()


def _period_text(kind: str, period: str) -> str:
    if kind == "certificate":
        return f"截至{dt.date.fromisoformat(period):%Y年%m月%d日}"
    if "-Q" in period:
        year, quarter = period.split("-Q")
        return f"{year}年第{quarter}季度"
    if "-" in period:
        year, month = period.split("-")
        return f"{year}年{int(month)}月"
    return f"{period}年度"


def _document_reply(record: ServiceRequest) -> str:
    period = _period_text(record.kind, record.period)
    if record.kind == "certificate":
        return (
            f"已为您申请{period}的资产证明，申请编号{record.ticket}。电子版生成后会发到App“消息中心”，"
            f"并短信通知您{record.notify_phone}的手机；如需纸质版，可在“我的-资产证明”中申请邮寄，约3个工作日寄出。"
        )
    return (
        f"已为您申请{period}的对账单，申请编号{record.ticket}，预计{record.ready_by:%m月%d日}前生成，"
        f"届时发到App“消息中心”并短信通知您{record.notify_phone}的手机。需要其他期间可以直接告诉我，比如“要第三季度的”。"
    )


class ActionRequestDocument(_BackendAction, Action):
    """``action_request_document``: file a statement or certificate request and give its ticket.

    The kind comes from the intent (``statement_request`` / ``certificate_request``), the period
    from the message (see ``parse_period``). Without a logged-in customer: where to get it in the app.
    """

    def __init__(
        self, backend: WealthBackend | None = None, today: Callable[[], dt.date] = dt.date.today
    ) -> None:
        super().__init__(backend)
        self.today = today

    def name(self) -> str:
        return "action_request_document"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list:
        text = str(tracker.latest_message.get("text") or "")
        intent = str((tracker.latest_message.get("intent") or {}).get("name") or "")
        kind = _KIND_BY_INTENT.get(intent) or ("certificate" if "证明" in text else "statement")
        customer_id = self.customer(tracker)
        if customer_id is None:
            dispatcher.utter_message(response=_GUIDE_RESPONSES[kind])
            return []
        assert self.backend is not None
        dates = [str(d) for d in tracker.get_latest_entity_values("date")]
        period = parse_period(kind, text, dates, self.today())
        try:
            record = self.backend.request_document(
                customer_id, kind, period, _message_id(tracker, kind, period)
            )
        except BackendError as exc:
            dispatcher.utter_message(text=f"{exc.message}可以换个期间再试，比如“要上个月的对账单”。")
            return []
        dispatcher.utter_message(text=_document_reply(record))
        return []


# ---- complaints ---------------------------------------------------------------------------------


def complaint_severity(emotion: Any) -> str:
    """``angry`` for intense anger or another strongly negative emotion, else ``mild``."""
    if not isinstance(emotion, dict):
        return "mild"
    label, intensity = emotion.get("label"), float(emotion.get("intensity") or 0.0)
    if label == "anger" and intensity >= ANGER_INTENSITY:
        return "angry"
    return "angry" if label in NEGATIVE_EMOTIONS and intensity >= NEGATIVE_INTENSITY else "mild"


class ActionRecordComplaint(_BackendAction, Action):
    """``action_record_complaint``: apologise, file the complaint, set ``complaint_severity``.

    The apology is ``utter_complain`` or ``utter_complain_angry`` with the ticket as ``{ticket}``.

    The rules go on from the slot: ``angry`` hands over to a human at once, ``mild`` offers one.
    """

    def name(self) -> str:
        return "action_record_complaint"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list:
        text = str(tracker.latest_message.get("text") or "")
        severity = complaint_severity(tracker.latest_message.get("emotion"))
        ticket = ""
        customer_id = self.customer(tracker)
        if customer_id is not None:
            assert self.backend is not None
            try:
                filed = self.backend.record_complaint(
                    customer_id, text, severity, _message_id(tracker, "complaint")
                )
                ticket = f"（投诉编号{filed.ticket}）"
            except BackendError:
                ticket = ""
        response = "utter_complain_angry" if severity == "angry" else "utter_complain"
        dispatcher.utter_message(response=response, ticket=ticket)
        return [SlotSet("complaint_severity", severity)]


# ---- trade password reset ----------------------------------------------------------------------

_NO_SMS = ("收不到", "不能", "没收到", "不行", "换号", "停机", "不用了", "丢了", "没有短信", "接不到")
_SMS_OK = ("能", "可以", "收得到", "收到了", "正常", "没问题", "没有问题", "行")
_STEPS_SMS = (
    "重置交易密码请按以下步骤在App中操作：\n"
    "1. 打开App，进入“我的-设置-安全中心-交易密码”，点击“忘记交易密码”；\n"
    "2. 完成人脸识别，并输入发到您预留手机号的短信验证码；\n"
    "3. 设置新的6位交易密码并再次确认。\n"
    "新密码和验证码只在App安全页面输入，不要告诉任何人，包括客服。"
)
_STEPS_NO_SMS = (
    "预留手机号收不到短信时，需要先更换预留手机号：\n"
    "1. 进入App“设置-个人信息-手机号”，通过人脸识别和身份证验证更换为新手机号；\n"
    "2. 更换成功后，再到“安全中心-交易密码”点击“忘记交易密码”按提示重置。\n"
    "如无法完成人脸识别，可以说“转人工”，由人工客服协助核实身份。"
)


class ValidateResetTradePasswordForm(FormValidationAction):
    """``validate_reset_trade_password_form``: "can you receive SMS?" as yes/no; secrets are refused."""

    def name(self) -> str:
        return "validate_reset_trade_password_form"

    def validate_sms_reachable(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if isinstance(value, bool):
            return {"sms_reachable": value}
        text = str(value or "")
        if looks_like_secret(text):
            dispatcher.utter_message(text=SECRET_WARNING)
            return {"sms_reachable": None}
        if any(word in text for word in _NO_SMS):
            return {"sms_reachable": False}
        if any(word in text for word in _SMS_OK):
            return {"sms_reachable": True}
        dispatcher.utter_message(text="请回答“能”或“不能”，方便我告诉您对应的重置步骤。")
        return {"sms_reachable": None}


class ActionResetTradePasswordGuide(Action):
    """``action_reset_trade_password_guide``: the reset steps for the customer's case, never a password.

    If the customer typed something like a password or a code during the flow, the steps
    start with the warning not to send one.
    """

    def name(self) -> str:
        return "action_reset_trade_password_guide"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list:
        if _secret_since_flow_began(tracker):
            dispatcher.utter_message(text=SECRET_WARNING)
        reachable = tracker.get_slot("sms_reachable")
        dispatcher.utter_message(text=_STEPS_NO_SMS if reachable is False else _STEPS_SMS)
        return [SlotSet("sms_reachable", None)]


def _secret_since_flow_began(tracker: Tracker) -> bool:
    """Whether the message that started the reset flow carried a secret (later ones are checked
    by the form's validator as they come)."""
    said, starter = "", ""
    for event in tracker.events:
        if event.get("event") == "user":
            said = str(event.get("text") or "")
        elif event.get("event") == "active_loop" and event.get("name") == "reset_trade_password_form":
            starter = said
    return looks_like_secret(starter)
