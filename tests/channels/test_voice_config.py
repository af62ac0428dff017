from __future__ import annotations

import pytest

from channels.voice_config import CallLog, CallOutcome, VoiceConfig


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("low_confidence", 1.5, "low_confidence must be within"),
        ("max_reprompts", -1, "max_reprompts must be >= 0"),
        ("dtmf", {"9x": "/affirm"}, "DTMF digits"),
    ],
    ids=["confidence", "reprompts", "dtmf-key"],
)
def test_voice_config_rejects_bad_values(field: str, value: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        VoiceConfig(**{field: value})


def test_call_log_keeps_recent_outcomes_and_feeds_the_sink() -> None:
    seen: list[str] = []
    log = CallLog(capacity=2, sink=lambda outcome: seen.append(outcome.call_id))
    for call_id in ("a", "b", "c"):
        log.record(CallOutcome(call_id=call_id, bot="outbound", disposition="completed"))
    assert seen == ["a", "b", "c"]
    assert log.get("outbound", "a") is None and log.get("outbound", "c") is not None
    assert log.get("service", "c") is None


def test_call_log_survives_a_failing_sink() -> None:
    def broken(outcome: CallOutcome) -> None:
        raise RuntimeError("warehouse down")

    log = CallLog(sink=broken)
    log.record(CallOutcome(call_id="x", bot="outbound"))
    assert log.get("outbound", "x") is not None
