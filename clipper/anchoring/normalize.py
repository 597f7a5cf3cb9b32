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
_IRREGULAR = re.compile(rf"[\s{_INVISIBLE}]{{2,}}|[^\S ]|[{_INVISIBLE}]")
"""Whitespace that normalization changes: runs, single non-space whitespace, invisibles."""


class NormalizedText:
    """A text with whitespace runs collapsed to one space and look-alikes folded.

    Re-extraction of the same page may join lines differently or swap a curly
    apostrophe for a straight one; in this view such texts are equal. Offsets map back
    exactly: between two changed runs, normalized and original text differ by a
    constant shift, recorded at each run's end (`_norm_breaks`, `_orig_breaks`).
    """

    def __init__(self, text: str) -> None:
        folded = text.translate(_FOLD)
        parts: list[str] = []
        self._norm_breaks = [0]
        self._orig_breaks = [0]
        pos = 0
        length = 0
        for match in _IRREGULAR.finditer(folded):
            start, end = match.span()
            replacement = " " if any(c not in _INVISIBLE for c in match.group()) else ""
            parts.append(folded[pos:start])
            parts.append(replacement)
            length += start - pos + len(replacement)
            pos = end
            self._norm_breaks.append(length)
            self._orig_breaks.append(end)
        parts.append(folded[pos:])
        self.text = "".join(parts)
        self.original_length = len(text)

    def _origin(self, index: int) -> int:
        """The original offset of normalized character `index` (a space: its run's start)."""
        k = bisect.bisect_right(self._norm_breaks, index) - 1
        return self._orig_breaks[k] + index - self._norm_breaks[k]

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """The original span covering normalized `start:end`."""
        if end <= start:
            at = self._origin(start) if start < len(self.text) else self.original_length
            return at, at
        return self._origin(start), self._origin(end - 1) + 1

    def from_original(self, offset: int) -> int:
        """The normalized offset of original `offset` (inside a collapsed run: its end)."""
        k = bisect.bisect_right(self._orig_breaks, offset) - 1
        guess = self._norm_breaks[k] + offset - self._orig_breaks[k]
        if k + 1 < len(self._norm_breaks):
            guess = min(guess, self._norm_breaks[k + 1])
        return min(guess, len(self.text))


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
