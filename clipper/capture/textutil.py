"""Small helpers of the extraction rules (comparing texts is `clipper.rules.text_key`)."""

from __future__ import annotations


def word_set(text: str) -> frozenset[str]:
    """A set of words written as one string (long vocabularies stay readable)."""
    return frozenset(text.split())


__all__ = ["word_set"]
