"""Events to and from stored JSON text."""

from __future__ import annotations

import json

import pytest

from dialogue.errors import StoreError
from dialogue.events import BotUttered, SlotSet
from dialogue.stores import decode_event, encode_event


def test_encode_event_keeps_rasa_shape_and_chinese() -> None:
    text = encode_event(SlotSet("risk_level", "稳健型", timestamp=7.0))
    assert "稳健型" in text
    assert json.loads(text) == {
        "event": "slot",
        "name": "risk_level",
        "value": "稳健型",
        "timestamp": 7.0,
        "metadata": {},
    }


def test_decode_event_inverts_encode() -> None:
    event = BotUttered("您好", data={"buttons": [{"title": "赎回", "payload": "/redeem"}]}, timestamp=1.0)
    assert decode_event(encode_event(event)) == event


@pytest.mark.parametrize("value", [object(), float("nan"), b"bytes"], ids=["object", "nan", "bytes"])
def test_encode_event_rejects_non_json_values(value: object) -> None:
    with pytest.raises(StoreError, match="STO106"):
        encode_event(SlotSet("bad", value))


@pytest.mark.parametrize(
    "text",
    ["not json", "[1, 2]", '{"event": "no_such_event"}'],
    ids=["not-json", "not-object", "unknown-event"],
)
def test_decode_event_rejects_unreadable_text(text: str) -> None:
    with pytest.raises(StoreError, match="STO105"):
        decode_event(text)
