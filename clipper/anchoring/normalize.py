"""A whitespace- and typography-insensitive view of a text that maps back to offsets."""

from __future__ import annotations

import bisect
import re

_FOLD = str.maketrans(
    "\u2018\u2019\u201a\u201b\u2032\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb"
    "\u2010\u2011\u2012\u2013\u2014\u2015\u2212",
    '\'\'\'\'\'"""""""-------',
)
"""Look-alike characters folded one to one (typographic quotes, dashes), keeping offsets."""
_INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
_SQUEEZE = re.compile(rf"[\s{_INVISIBLE}]+")


class NormalizedText:
    """A text with whitespace runs collapsed to one space and look-alikes folded.

    Re-extraction of the same page may join lines differently or swap a curly
    apostrophe for a straight one; in this view such texts are equal. `origin[i]` is
    the original offset of normalized character `i`, so spans map back exactly.
    """

    def __init__(self, text: str) -> None:
        parts: list[str] = []
        origin: list[int] = []
        pos = 0
        for match in _SQUEEZE.finditer(text):
            start, end = match.span()
            parts.append(text[pos:start].translate(_FOLD))
            origin.extend(range(pos, start))
            if any(c not in _INVISIBLE for c in match.group()):
                parts.append(" ")
                origin.append(start)
            pos = end
        parts.append(text[pos:].translate(_FOLD))
        origin.extend(range(pos, len(text)))
        self.text = "".join(parts)
        self.origin = origin
        self.original_length = len(text)

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """The original span covering normalized `start:end`."""
        if end <= start:
            at = self.origin[start] if start < len(self.origin) else self.original_length
            return at, at
        return self.origin[start], self.origin[end - 1] + 1

    def from_original(self, offset: int) -> int:
        """The normalized offset of the first character at or after original `offset`."""
        return bisect.bisect_left(self.origin, offset)


def squeeze(text: str) -> str:
    """Normalize a selector string the way `NormalizedText` normalizes the text."""
    return NormalizedText(text).text


def occurrences(text: str, needle: str) -> list[int]:
    """Start offsets of every (possibly overlapping) occurrence of a non-empty `needle`."""
    found: list[int] = []
    at = text.find(needle)
    while at >= 0:
        found.append(at)
        at = text.find(needle, at + 1)
    return found
