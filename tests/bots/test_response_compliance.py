"""Every response a robot ships is compliant as written, before the outbound filter touches it.

The filter is the safety net at run time; this test makes sure the robots never lean on it:
no template promises returns, and any template that names a product (a ``{product}`` slot
filled with every catalogue product, or a product written into the text) already carries the
risk notice, so the filter has nothing to rewrite.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
import yaml

from bots.settings import BOTS_DIR, DEFAULT_BOTS
from knowledge.catalogue import load_catalogue
from risk_hooks.notices import has_risk_notice
from risk_hooks.outbound import OutboundFilter

_PLACEHOLDER = re.compile(r"\{(\w+)\}")
# what other slots are filled with: plausible values that name no product
_SLOT_VALUES = {"amount": "三万元", "term": "一年", "risk_level": "R3", "phone": "138****0000"}


def _responses(bot: str) -> Iterator[tuple[str, str]]:
    domain = yaml.safe_load((BOTS_DIR / bot / "domain.yml").read_text(encoding="utf-8")) or {}
    for name, variants in (domain.get("responses") or {}).items():
        for variant in variants or []:
            if isinstance(variant, dict) and variant.get("text"):
                yield name, variant["text"]


BOTS = list(DEFAULT_BOTS)  # the four wealth robots (the Rasa example bot is not one)


@pytest.fixture(scope="module")
def product_names() -> list[str]:
    return [product.name for product in load_catalogue()]


@pytest.fixture(scope="module")
def compliance() -> OutboundFilter:
    return OutboundFilter([name for p in load_catalogue() for name in (p.name, p.code, *p.aliases)])


def _renderings(text: str, product_names: list[str]) -> Iterator[str]:
    slots = set(_PLACEHOLDER.findall(text))
    fill = {slot: _SLOT_VALUES.get(slot, "示例") for slot in slots}
    if "product" not in slots:
        yield text.format_map(fill) if slots else text
        return
    for name in product_names:
        yield text.format_map({**fill, "product": name})


@pytest.mark.parametrize("bot", BOTS)
def test_every_response_passes_the_compliance_filter_unchanged(
    bot: str, compliance: OutboundFilter, product_names: list[str]
) -> None:
    checked, problems = 0, []
    for name, text in _responses(bot):
        for rendered in _renderings(text, product_names):
            checked += 1
            result = compliance.check(rendered)
            if result.action != "allow":
                problems.append(f"{name}: {result.reason} — {rendered[:60]}")
                break
    assert checked >= 20, f"{bot}: only {checked} responses"
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("bot", BOTS)
def test_every_response_that_names_a_product_carries_the_risk_notice(
    bot: str, compliance: OutboundFilter, product_names: list[str]
) -> None:
    naming = [
        (name, text)
        for name, text in _responses(bot)
        if "{product}" in text or compliance.names_product(text)
    ]
    for name, text in naming:
        for rendered in _renderings(text, product_names):
            assert has_risk_notice(rendered), f"{bot} {name}: {rendered}"


def test_the_check_itself_catches_a_promise_and_a_missing_notice(
    compliance: OutboundFilter, product_names: list[str]
) -> None:
    # the two tests above must be able to fail
    assert compliance.check("这款产品保本保收益，稳赚不赔。").action != "allow"
    assert compliance.check(f"为您推荐{product_names[0]}。").action != "allow"
