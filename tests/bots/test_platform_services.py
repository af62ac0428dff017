"""The shared services: the knowledge indexes are built before the first customer needs them."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from bots.services import PlatformServices
from knowledge.faq import defaults as faq_defaults
from knowledge.reading.actions import ActionReadDocument


def test_warm_up_builds_the_faq_index_and_the_document_reader(tmp_path: Path) -> None:
    services = PlatformServices(tmp_path)

    services.warm_up_in_background().join(timeout=300)

    assert str(faq_defaults.DEFAULT_FAQ_PATH) in faq_defaults._CACHE
    (reader_action,) = [a for a in services.shared_actions if isinstance(a, ActionReadDocument)]
    assert reader_action._reader is not None


def test_a_failing_warm_up_is_logged_and_the_server_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(*_: object) -> None:
        raise OSError("FAQ 文件不可读")

    monkeypatch.setattr(faq_defaults, "default_retriever", broken)

    with caplog.at_level(logging.ERROR, logger="bots.services"):
        PlatformServices(tmp_path).warm_up()

    assert "warming up the knowledge services failed" in caplog.text


def test_profile_slots_hold_a_valid_assessed_level_and_nothing_for_expired_or_missing(tmp_path: Path) -> None:
    services = PlatformServices(tmp_path)  # the seeded demo backend

    valid = services.profile_slots("C10003")  # C1, assessed, valid
    assert valid["risk_level"] == "C1" and valid["risk_assessment_valid_until"] >= "2026-01-01"
    assert services.profile_slots("C10017") == {}  # assessment expired
    assert services.profile_slots("C10021") == {}  # never assessed
    assert services.profile_slots("C99999") == {}  # unknown customer
