"""The package's public API resolves lazily and completely."""

from __future__ import annotations

import pytest

import risk_hooks


@pytest.mark.parametrize("name", risk_hooks.__all__)
def test_package_exports_resolve(name: str) -> None:
    assert getattr(risk_hooks, name) is not None


def test_package_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no_such_thing"):
        risk_hooks.no_such_thing  # noqa: B018
