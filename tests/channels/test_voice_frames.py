from __future__ import annotations

import json

import pytest

from channels.voice_frames import MAX_FRAME_CHARS, AsrFinal, CallStarted, Dtmf, FrameError, parse_frame


def test_parse_frame_reads_a_full_asr_final() -> None:
    frame = parse_frame(
        json.dumps(
            {
                "type": "asr.final",
                "text": "不需要",
                "confidence": 0.42,
                "nbest": [{"text": "不需要", "confidence": 0.42}, {"text": "步需要", "confidence": 0.3}],
                "vendor_field": "ignored",
            },
            ensure_ascii=False,
        )
    )
    assert isinstance(frame, AsrFinal)
    assert frame.text == "不需要" and frame.nbest[1].text == "步需要"


def test_parse_frame_call_started_defaults() -> None:
    frame = parse_frame('{"type": "call.started", "call_id": "fs-9f1c:01"}')
    assert isinstance(frame, CallStarted) and frame.caller == "" and frame.campaign is None


@pytest.mark.parametrize("digits", ["1", "0", "123#", "*9"], ids=["one", "zero", "code", "star"])
def test_parse_frame_accepts_dtmf_digits(digits: str) -> None:
    frame = parse_frame(json.dumps({"type": "dtmf", "digits": digits}))
    assert isinstance(frame, Dtmf) and frame.digits == digits


@pytest.mark.parametrize(
    ("raw", "code", "words"),
    [
        ("{", "bad_json", "not JSON"),
        ('"hi"', "not_an_object", "JSON object"),
        ('{"type": "asr.fnial", "text": "好"}', "unknown_type", "asr.fnial"),
        ('{"text": "好"}', "unknown_type", "None"),
        ('{"type": "asr.final"}', "bad_frame", "asr.final: text"),
        ('{"type": "asr.final", "text": "好", "nbest": [{"text": "好"}]}', "bad_frame", "nbest.0.confidence"),
        ('{"type": "silence", "ms": -5}', "bad_frame", "silence: ms"),
        ('{"type": "dtmf", "digits": "12a"}', "bad_frame", "dtmf: digits"),
    ],
    ids=[
        "json",
        "not-object",
        "typo",
        "no-type",
        "no-text",
        "nbest-confidence",
        "negative-silence",
        "bad-digits",
    ],
)
def test_parse_frame_errors_are_coded_and_name_the_field(raw: str, code: str, words: str) -> None:
    with pytest.raises(FrameError) as error:
        parse_frame(raw)
    assert error.value.code == code and words in error.value.message


def test_parse_frame_refuses_huge_frames() -> None:
    with pytest.raises(FrameError) as error:
        parse_frame(json.dumps({"type": "asr.partial", "text": "好" * MAX_FRAME_CHARS}))
    assert error.value.code == "frame_too_large"
