"""Errors of the touch adapters.

Hierarchy::

    TouchError                 base of everything raised here
    ├── TemplateError          a bad template file or render (names file, line, template, variable)
    └── TouchConfigError       a frequency cap, quiet-hours or adapter setting is wrong

A failed delivery (webhook down, HTTP 500) is not an exception: it is a ``TouchResult``
with ``status == "failed"``, recorded like every other outcome.
"""

from __future__ import annotations

__all__ = ["TemplateError", "TouchConfigError", "TouchError"]


class TouchError(Exception):
    """Base of the touch adapters' errors."""


class TemplateError(TouchError):
    """A template file that does not load, or a render with a missing variable."""


class TouchConfigError(TouchError):
    """A bad policy (caps, quiet hours) or adapter setting."""
