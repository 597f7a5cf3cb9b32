"""Comparing texts the way a reader would: case, spacing and punctuation do not count."""

from __future__ import annotations

import re
import unicodedata

_NON_WORD = re.compile(r"[\W_]+")


def fold(text: str) -> str:
    """Lower-cased words joined by single spaces, accents and punctuation kept apart."""
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
    return _NON_WORD.sub(" ", text.casefold()).strip()


def same_text(a: str, b: str) -> bool:
    """True when two texts read the same (ignoring case, spacing and punctuation)."""
    fa, fb = fold(a), fold(b)
    return bool(fa) and fa == fb


def collapse(text: str) -> str:
    """Whitespace runs to single spaces, trimmed."""
    return " ".join(text.split())


def word_set(text: str) -> frozenset[str]:
    """A set of words written as one string (long vocabularies stay readable)."""
    return frozenset(text.split())


__all__ = ["collapse", "fold", "same_text", "word_set"]
