"""Errors raised by the NLU core.

Hierarchy::

    NLUError
    ├── TrainingDataError     bad nlu.yml / config.yml content (file:line:col, code, hint)
    ├── ComponentConfigError  unknown component or setting in a pipeline
    ├── ModelNotTrainedError  parse() before train() or a missing model directory
    └── EncoderError          a sentence encoder failed to load or run
"""

from __future__ import annotations

__all__ = [
    "ComponentConfigError",
    "EncoderError",
    "ModelNotTrainedError",
    "NLUError",
    "TrainingDataError",
]


class NLUError(Exception):
    """Base class of every error the NLU core raises on purpose."""


class TrainingDataError(NLUError):
    """Invalid training data or config, located in its file.

    Args:
        message: what is wrong.
        path: the file.
        line: 1-based line, if known.
        column: 1-based column, if known.
        code: a stable code users can search for (``NLU001``...).
        hint: how to fix it.
    """

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        line: int | None = None,
        column: int | None = None,
        code: str = "NLU000",
        hint: str = "",
    ) -> None:
        self.path = path
        self.line = line
        self.column = column
        self.code = code
        self.hint = hint
        self.detail = message
        where = path or "<data>"
        if line is not None:
            where += f":{line}"
            if column is not None:
                where += f":{column}"
        text = f"{where}: [{code}] {message}"
        if hint:
            text += f" (hint: {hint})"
        super().__init__(text)


class ComponentConfigError(TrainingDataError):
    """A pipeline names an unknown component or an unknown/invalid setting."""


class ModelNotTrainedError(NLUError):
    """The pipeline has no trained model to parse with."""


class EncoderError(NLUError):
    """A sentence encoder could not be loaded or failed while encoding."""
