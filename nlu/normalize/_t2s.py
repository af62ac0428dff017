"""Traditional -> simplified Chinese that keeps one output character per input character.

OpenCC's own converter may change the length of a text (phrases such as 「瞭解」 map
through multi-character entries), which would break the offsets the normalizer keeps.
This converter reads the same OpenCC tables (``opencc-python-reimplemented``) but uses
only equal-length entries: phrases first (so 「乾坤」 stays 乾坤 while 「乾淨」 becomes
干净), then the first candidate of each character.
"""

from __future__ import annotations

import functools
from importlib import resources

__all__ = ["T2SConverter", "load_t2s"]


class T2SConverter:
    """Converts traditional characters to simplified ones, one for one.

    Args:
        chars: traditional character -> simplified character.
        phrases: traditional phrase -> simplified phrase of the same length, only where
            it differs from converting character by character.
    """

    def __init__(self, chars: dict[str, str], phrases: dict[str, str]) -> None:
        self._table = str.maketrans(chars)
        self._keys = frozenset(chars) | frozenset(p[0] for p in phrases)
        self._by_start: dict[str, list[tuple[str, str]]] = {}  # first char -> phrases, longest first
        for source in sorted(phrases, key=len, reverse=True):
            self._by_start.setdefault(source[0], []).append((source, phrases[source]))

    def convert(self, text: str) -> str:
        """Return ``text`` simplified; ``len(result) == len(text)``."""
        if self._keys.isdisjoint(text):
            return text
        if self._by_start.keys().isdisjoint(text):
            return text.translate(self._table)
        parts: list[str] = []
        i, n = 0, len(text)
        while i < n:
            for source, target in self._by_start.get(text[i], ()):
                if text.startswith(source, i):
                    parts.append(target)
                    i += len(source)
                    break
            else:
                parts.append(text[i].translate(self._table))
                i += 1
        return "".join(parts)


@functools.lru_cache(maxsize=1)
def load_t2s() -> T2SConverter:
    """Build the converter from OpenCC's dictionaries (once per process, ~10 ms)."""
    folder = resources.files("opencc") / "dictionary"
    chars: dict[str, str] = {}
    for source, target in _read_table(folder.joinpath("TSCharacters.txt").read_text(encoding="utf-8")):
        if len(source) == 1 and len(target) == 1 and source != target:
            chars[source] = target
    phrases: dict[str, str] = {}
    for source, target in _read_table(folder.joinpath("TSPhrases.txt").read_text(encoding="utf-8")):
        by_char = "".join(chars.get(c, c) for c in source)
        if len(source) == len(target) > 1 and target != by_char:
            phrases[source] = target
    return T2SConverter(chars, phrases)


def _read_table(content: str) -> list[tuple[str, str]]:
    """OpenCC text tables: ``source<TAB>candidate [candidate...]``; keep the first candidate."""
    rows: list[tuple[str, str]] = []
    for line in content.splitlines():
        source, _, targets = line.partition("\t")
        if source and targets:
            rows.append((source, targets.split(" ")[0]))
    return rows
