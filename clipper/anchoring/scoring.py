"""How much a place in a text looks like a remembered passage and its context."""

from __future__ import annotations

from rapidfuzz.distance import Indel

QUOTE_WEIGHT = 0.8
"""Share of the quote's own similarity in a match score; the rest is its context."""
CONTEXT_WEIGHT = 1.0 - QUOTE_WEIGHT


def similarity(a: str, b: str) -> float:
    """1 - normalized insert/delete distance: 1.0 for equal strings."""
    return float(Indel.normalized_similarity(a, b))


def context_score(text: str, start: int, end: int, prefix: str, suffix: str) -> float:
    """How well the text around `start:end` matches the remembered prefix and suffix.

    Each side counts by its length; no context at all is a perfect match.
    """
    total = len(prefix) + len(suffix)
    if total == 0:
        return 1.0
    score = 0.0
    if prefix:
        score += len(prefix) * similarity(prefix, text[max(0, start - len(prefix)) : start])
    if suffix:
        score += len(suffix) * similarity(suffix, text[end : end + len(suffix)])
    return score / total


def combined(quote_score: float, ctx_score: float, has_context: bool) -> float:
    """The match score compared with the threshold.

    Context weighs little: a long, slightly edited quote anchors even where all its
    surroundings were rewritten, but a short quote matched approximately somewhere
    unrelated does not reach the threshold.
    """
    if not has_context:
        return quote_score
    return QUOTE_WEIGHT * quote_score + CONTEXT_WEIGHT * ctx_score


def quote_floor(threshold: float, has_context: bool) -> float:
    """The least quote similarity that can still reach `threshold` with perfect context."""
    if not has_context:
        return threshold
    return max(0.0, (threshold - CONTEXT_WEIGHT) / QUOTE_WEIGHT)
