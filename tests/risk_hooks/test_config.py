"""A bot's risk.yml: overrides only, unknown keys and bad values named with the file."""

from __future__ import annotations

import pytest

from risk_hooks.config import RiskConfig, load_risk_config
from risk_hooks.errors import RiskConfigError


def test_config_defaults_without_file(tmp_path) -> None:
    assert load_risk_config(tmp_path) == RiskConfig()


def test_config_reads_overrides(tmp_path) -> None:
    (tmp_path / "risk.yml").write_text(
        "inbound:\n"
        "  mask_stored_text: false\n"
        "  disabled_rules: [abusive_language]\n"
        "  decisions: {injection: warn}\n"
        "  rate_limit: {sender: {capacity: 5, per_minute: 10}}\n"
        "  bonus_hunting: {max_accounts_per_device: 5}\n"
        "outbound: {extra_product_names: [安心宝]}\n"
        "suitability: {elderly_age: 70, concentration_limit: 0.3}\n"
        "aml: {rapid_days: 5}\n",
        encoding="utf-8",
    )
    config = load_risk_config(tmp_path)
    assert config.inbound.mask_stored_text is False
    guard = config.inbound.guard_config()
    assert guard.disabled == frozenset({"abusive_language"}) and guard.decisions == {"injection": "warn"}
    assert (guard.sender_limit.capacity, guard.sender_limit.per_minute) == (5, 10.0)
    assert guard.device_limit.capacity == 30  # default kept
    assert guard.bonus.max_accounts_per_device == 5
    assert config.outbound.extra_product_names == ("安心宝",)
    assert (config.suitability.elderly_age, config.suitability.concentration_limit) == (70, 0.3)
    assert config.aml.rapid_days == 5


def test_config_classifier_thresholds(tmp_path) -> None:
    assert load_risk_config(tmp_path).inbound.guard_config().classifier_block_threshold is None
    (tmp_path / "risk.yml").write_text(
        "inbound: {classifier_threshold: 0.5, classifier_block_threshold: 0.97}\n", encoding="utf-8"
    )
    guard = load_risk_config(tmp_path).inbound.guard_config()
    assert (guard.classifier_threshold, guard.classifier_block_threshold) == (0.5, 0.97)


@pytest.mark.parametrize(
    ("content", "key"),
    [
        ("inbound: {mask_text: true}\n", "inbound.mask_text"),
        ("outbund: {}\n", "outbund"),
        ("inbound: {rate_limit: {sender: {burst: 3}}}\n", "inbound.rate_limit.sender.burst"),
        ("inbound: {enabled: 'yes'}\n", "inbound.enabled"),
        ("suitability: {elderly_age: old}\n", "suitability.elderly_age"),
        ("inbound: {decisions: {abuse: ban}}\n", "inbound.decisions.abuse"),
        ("suitability: {concentration_limit: 2}\n", "suitability"),
        ("inbound: [1, 2]\n", "inbound"),
    ],
    ids=[
        "unknown_key",
        "unknown_section",
        "unknown_nested",
        "bad_bool",
        "bad_number",
        "bad_decision",
        "out_of_range",
        "not_a_mapping",
    ],
)
def test_config_errors_name_file_and_key(tmp_path, content: str, key: str) -> None:
    (tmp_path / "risk.yml").write_text(content, encoding="utf-8")
    with pytest.raises(RiskConfigError) as info:
        load_risk_config(tmp_path)
    assert info.value.key == key
    assert "risk.yml" in str(info.value) and key in str(info.value)


def test_config_invalid_yaml(tmp_path) -> None:
    (tmp_path / "risk.yml").write_text("inbound: [unclosed\n", encoding="utf-8")
    with pytest.raises(RiskConfigError, match="risk.yml"):
        load_risk_config(tmp_path)
