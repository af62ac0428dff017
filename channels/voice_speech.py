"""Bot text made speakable: cleaned for TTS, buttons read as options, SSML-lite pauses.

A chat reply carries markdown, links, emoji and buttons that a phone cannot show. Here
``spoken_text`` keeps what a listener needs (button titles become "请说是的或者不是") and
``to_ssml`` adds ``<break time="..ms"/>`` pauses between sentences, the only SSML the
gateway emits (SSML-lite: ``<speak>``, ``<break>``, escaped text), which every TTS engine
that reads SSML understands.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any
from xml.sax.saxutils import escape

__all__ = ["options_phrase", "plain_text", "spoken_text", "to_ssml"]

_MD_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_URL = re.compile(r"https?://[^\s，。！？、]+")
_MD_MARKS = re.compile(r"(\*\*|__|`+|~~|^#+\s*|^\s*[-*•]\s+)", re.M)
_EMOJI = re.compile("[\U0001f000-\U0001faff\u2600-\u27bf\ufe0f\u200d]")
_BREAK_MARK = re.compile(r"\[\s*(?:停顿|pause)\s*(\d{1,5})\s*(?:ms)?\s*\]", re.I)
_SENTENCE_END = re.compile(r"(?<=[。！？；!?;])")
_SPACES = re.compile(r"[ \t\u3000]+")
# a space next to a Chinese character or punctuation is layout, not a word break
_CJK = r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]"
_CJK_SPACE = re.compile(rf"(?<={_CJK}) | (?={_CJK})")
_END_PUNCTUATION = "。！？；!?;，,、：:"
_BREAK_TOKEN = "\x00"


def options_phrase(titles: Sequence[str], lead: str = "请说") -> str:
    """Button titles as a spoken choice: ``["是的", "不是"]`` -> ``"请说是的或者不是。"``.

    Args:
        titles: the buttons' titles, in order (empty titles are skipped).
        lead: the words before the options.

    Returns:
        The sentence, or ``""`` when there is no title.
    """
    names = [t.strip() for t in titles if t and t.strip()]
    if not names:
        return ""
    if len(names) == 1:
        return f"{lead}{names[0]}。"
    return f"{lead}{'、'.join(names[:-1])}或者{names[-1]}。"


def spoken_text(text: str | None, buttons: Iterable[dict[str, Any]] | None = None, lead: str = "请说") -> str:
    """What TTS should read for one bot message.

    Markdown marks, links' targets, bare URLs and emoji go; line breaks become sentence
    breaks; pause marks ``[停顿500]`` are kept for ``to_ssml``; button titles are read as
    options after the text.

    Args:
        text: the bot's text (may be ``None`` for a buttons-only message).
        buttons: the message's buttons (``{"title", "payload"}``).
        lead: the words before the options.
    """
    cleaned = _MD_LINK.sub(r"\1", text or "")
    cleaned = _URL.sub("", cleaned)
    cleaned = _MD_MARKS.sub("", cleaned)
    cleaned = _EMOJI.sub("", cleaned)
    sentences = [_CJK_SPACE.sub("", _SPACES.sub(" ", line)).strip() for line in cleaned.splitlines()]
    sentences = [_close(s) for s in sentences if s]
    titles = [str(b.get("title") or "") for b in buttons or () if isinstance(b, dict)]
    options = options_phrase(titles, lead)
    if options:
        sentences.append(options)
    return _close("".join(sentences)) if sentences else ""


def to_ssml(text: str, sentence_pause_ms: int = 300) -> str:
    """SSML-lite for ``text``: escaped, a pause after every sentence but the last.

    ``[停顿800]`` (or ``[pause 800ms]``) in the text becomes an 800 ms pause instead.

    Args:
        text: speakable text (from ``spoken_text``).
        sentence_pause_ms: the pause between sentences; 0: none.
    """
    pauses: list[int] = []

    def mark(match: re.Match[str]) -> str:
        pauses.append(min(int(match.group(1)), 10_000))
        return _BREAK_TOKEN

    marked = _BREAK_MARK.sub(mark, text)
    parts = [p for p in _SENTENCE_END.split(marked) if p]
    body: list[str] = []
    for index, part in enumerate(parts):
        pieces = part.split(_BREAK_TOKEN)
        for position, piece in enumerate(pieces):
            if position:
                body.append(f'<break time="{pauses.pop(0)}ms"/>')
            body.append(escape(piece))
        last = index == len(parts) - 1
        if sentence_pause_ms and not last and not part.endswith(_BREAK_TOKEN):
            body.append(f'<break time="{sentence_pause_ms}ms"/>')
    return f"<speak>{''.join(body)}</speak>"


def plain_text(text: str) -> str:
    """``text`` without pause marks (the ``say`` frame's ``text`` for engines without SSML)."""
    return _BREAK_MARK.sub("", text)


def _close(sentence: str) -> str:
    """End a sentence with punctuation so the TTS pauses and intonates."""
    sentence = sentence.strip()
    if not sentence or sentence[-1] in _END_PUNCTUATION or _BREAK_MARK.search(sentence[-12:]):
        return sentence
    return sentence + "。"
