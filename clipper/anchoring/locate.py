"""Finding a passage in a text: by position, by quote, by context, approximately."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from clipper.anchoring.fuzzy import best_match
from clipper.anchoring.normalize import NormalizedText, occurrences, squeeze
from clipper.anchoring.scoring import combined, context_score
from clipper.anchoring.selectors import TextPositionSelector, TextQuoteSelector

AnchorState = Literal["anchored", "moved", "orphaned"]
AnchorMethod = Literal["position", "quote", "context", "fuzzy", "none"]

POSITION_STICKINESS = 0.1
"""Context bonus of the old place: an exact quote there moves only for clearly better context."""
MIN_FUZZY_LENGTH = 4
"""Shorter quotes are only matched exactly (an approximate 3-letter match means nothing)."""


@dataclass(frozen=True)
class Anchor:
    """Where a passage is in a text now, and how sure we are.

    `score` is in [0, 1]: the similarity of quote and context at the place found (for an
    orphan, the best score seen, below the threshold).
    """

    start: int | None
    end: int | None
    state: AnchorState
    method: AnchorMethod
    score: float


def _orphan(score: float = 0.0) -> Anchor:
    return Anchor(None, None, "orphaned", "none", round(score, 4))


def _pick(
    spans: list[tuple[int, int, float]], old_start: int | None, sticky: tuple[int, int] | None
) -> tuple[int, int, float]:
    """The best (start, end, context score): by context, then closeness to the old place."""

    def key(item: tuple[int, int, float]) -> tuple[float, int]:
        start, end, ctx = item
        bonus = POSITION_STICKINESS if sticky == (start, end) else 0.0
        distance = abs(start - old_start) if old_start is not None else 0
        return (-round(ctx + bonus, 2), distance)

    return min(spans, key=key)


def find_quote(text: str, exact: str, prefix: str = "", suffix: str = "") -> list[tuple[int, int]]:
    """Every place where `exact` occurs, preceded by `prefix` and followed by `suffix`.

    Whitespace-insensitive (a quote typed on one line finds a passage spanning a line
    break) and strict about the context: `prefix` must end right before the passage and
    `suffix` begin right after it (spaces between aside), as in a W3C TextQuoteSelector.
    In text order: e.g. for `clipper annotate --quote`, where several results mean
    "ambiguous, give a prefix or suffix".
    """
    norm = NormalizedText(text)
    needle = squeeze(exact).strip()
    if not needle:
        return []
    want_before = squeeze(prefix).rstrip()
    want_after = squeeze(suffix).lstrip()
    spans: list[tuple[int, int]] = []
    for start in occurrences(norm.text, needle):
        end = start + len(needle)
        if want_before and not norm.text[:start].rstrip().endswith(want_before):
            continue
        if want_after and not norm.text[end:].lstrip().startswith(want_after):
            continue
        spans.append(norm.to_original(start, end))
    return spans


def anchor(
    text: str,
    quote: TextQuoteSelector,
    position: TextPositionSelector | None,
    *,
    threshold: float = 0.8,
) -> Anchor:
    """Find the passage described by `quote` (and `position`, if known) in `text`.

    See the package docstring for the order of attempts. A "moved" result's span may
    differ from `quote.exact` (whitespace, or edits for "fuzzy"): callers that keep the
    passage should store new selectors with `describe(text, start, end)`.
    """
    if (
        position is not None
        and 0 <= position.start <= position.end <= len(text)
        and text[position.start : position.end] == quote.exact
    ):
        return _at_position(text, quote, position)
    if not quote.exact.strip():
        return _orphan()

    norm = NormalizedText(text)
    exact = squeeze(quote.exact).strip()
    prefix = squeeze(quote.prefix)
    suffix = squeeze(quote.suffix)
    has_context = bool(prefix or suffix)
    old_start = norm.from_original(position.start) if position is not None else None

    starts = occurrences(norm.text, exact)
    if starts:
        spans = [
            (s, s + len(exact), context_score(norm.text, s, s + len(exact), prefix, suffix))
            for s in starts
        ]
        start, end, ctx = _pick(spans, old_start, None)
        method: AnchorMethod = "quote" if len(spans) == 1 else "context"
        return _result(norm, (start, end), position, method, combined(1.0, ctx, has_context))

    if len(exact) < MIN_FUZZY_LENGTH:
        return _orphan()
    best = best_match(norm.text, exact, prefix, suffix, old_start, threshold)
    if best is None:
        return _orphan()
    start, end, score = best
    if score < threshold:
        return _orphan(score)
    return _result(norm, (start, end), position, "fuzzy", score)


def _at_position(text: str, quote: TextQuoteSelector, position: TextPositionSelector) -> Anchor:
    """The old place, which still holds the quote, unless its context clearly moved.

    After an edit, a short repeated quote may sit at the old offsets by coincidence:
    another occurrence whose context is clearly better then wins.
    """
    start, end = position.start, position.end
    if not quote.exact:
        return Anchor(start, end, "anchored", "position", 1.0)
    here = context_score(text, start, end, quote.prefix, quote.suffix)
    if here >= 0.999:
        return Anchor(start, end, "anchored", "position", 1.0)
    length = len(quote.exact)
    spans = [
        (s, s + length, context_score(text, s, s + length, quote.prefix, quote.suffix))
        for s in occurrences(text, quote.exact)
    ]
    best_start, best_end, ctx = _pick(spans, start, (start, end))
    score = round(combined(1.0, ctx, bool(quote.prefix or quote.suffix)), 4)
    if (best_start, best_end) == (start, end):
        return Anchor(start, end, "anchored", "position", score)
    return Anchor(best_start, best_end, "moved", "context", score)


def _result(
    norm: NormalizedText,
    span: tuple[int, int],
    position: TextPositionSelector | None,
    method: AnchorMethod,
    score: float,
) -> Anchor:
    """Map a normalized span back; the same offsets as before count as anchored."""
    start, end = norm.to_original(*span)
    same = position is not None and (position.start, position.end) == (start, end)
    return Anchor(start, end, "anchored" if same else "moved", method, round(score, 4))
