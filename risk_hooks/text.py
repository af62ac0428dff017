"""The form of a text the rules match on: one spelling per meaning, no evasive spacing.

Customers (and attackers) write 「驗證碼」, 「ＯＴＰ」, 「验 证 码」 or 「验.证.码」; the rules are
written once against simplified, half-width, lower-case text with whitespace and filler
punctuation between Chinese characters removed.
"""

from __future__ import annotations

import functools
import re
import unicodedata

__all__ = ["match_form"]

# zero-width and other invisible characters that split a word without showing
_INVISIBLE = re.compile(r"[\u200b-\u200f\u2060-\u2064\ufeff\u00ad]")
_SPACES = re.compile(r"\s+")
# 「验.证.码」「验-证-码」「验*证*码」: filler between two Chinese characters
_FILLER = re.compile(r"(?<=[\u4e00-\u9fff])[\s.\-_*·~]+(?=[\u4e00-\u9fff])")


@functools.lru_cache(maxsize=1)
def _t2s() -> object:
    from opencc import OpenCC  # opencc-python-reimplemented, a project dependency

    return OpenCC("t2s")


@functools.lru_cache(maxsize=4096)
def match_form(text: str) -> str:
    """``text`` simplified, NFKC-folded, lower-cased, with spacing tricks removed.

    Args:
        text: a message as sent.

    Returns:
        The form the inbound rules are matched against (offsets differ from ``text``).
    """
    folded = unicodedata.normalize("NFKC", text).lower()
    folded = _INVISIBLE.sub("", folded)
    folded = _FILLER.sub("", folded)
    folded = _t2s().convert(folded)  # type: ignore[attr-defined]
    return _SPACES.sub(" ", folded).strip()
