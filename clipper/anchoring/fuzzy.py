"""Approximate search for an edited passage, fast enough for a 50 KB text.

rapidfuzz finds windows of the quote's length that look most like it (for a long quote,
windows around its best-matching 64-character probes, since aligning the whole quote
costs time quadratic in its length); each window is then refined to the passage's real
bounds and scored with the context.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from rapidfuzz import fuzz
from rapidfuzz.distance import Indel

from clipper.anchoring.scoring import combined, context_score, quote_floor, similarity

LOCAL_RADIUS = 2000
"""Characters around the old position searched on their own, besides the whole text."""
PROBE = 64
"""Probe length for long quotes (rapidfuzz's bit-parallel path covers 64 characters)."""
LONG_QUOTE = 256
PROBE_COUNT = 5
ANCHOR_BLOCK = 8
"""A matching block at least this long pins the alignment (shorter ones may be chance)."""
INTACT = 0.8
"""A quote's head (or tail) this similar to the text next to the pinned middle is kept."""
MAX_EDGE = 400
"""An unpinned head or tail longer than this is not searched for (it costs quadratic time)."""
_MAX_SNAP = 40

Match = tuple[int, int, float]
"""(start, end, score) in the searched text."""


def best_match(
    text: str,
    exact: str,
    prefix: str,
    suffix: str,
    old_start: int | None,
    threshold: float,
) -> Match | None:
    """The best approximate match of `exact` in `text` (both normalized), or None.

    The score may be below `threshold` (it tells how close an orphan came); None means
    nothing was even close.
    """
    has_context = bool(prefix or suffix)
    cutoff = max(0.0, quote_floor(threshold, has_context) - 0.1) * 100
    regions = [(0, len(text))]
    if old_start is not None:
        radius = max(LOCAL_RADIUS, 2 * len(exact))
        regions.append((max(0, old_start - radius), min(len(text), old_start + radius)))
    tried: set[tuple[int, int]] = set()
    seen: set[tuple[int, int]] = set()
    candidates: list[Match] = []
    for lo, hi in regions:
        for window in _windows(text, exact, lo, hi, cutoff):
            if window in tried:
                continue
            tried.add(window)
            rough = Indel.normalized_similarity(exact, text[window[0] : window[1]])
            if rough * 100 < cutoff - 10:
                continue
            start, end = _refine(text, exact, (prefix, suffix), window)
            if end <= start or (start, end) in seen:
                continue
            seen.add((start, end))
            score = combined(
                similarity(exact, text[start:end]),
                context_score(text, start, end, prefix, suffix),
                has_context,
            )
            candidates.append((start, end, score))
    if not candidates:
        return None

    def key(item: Match) -> tuple[float, int]:
        distance = abs(item[0] - old_start) if old_start is not None else 0
        return (-round(item[2], 3), distance)

    return min(candidates, key=key)


def _windows(text: str, exact: str, lo: int, hi: int, cutoff: float) -> Iterator[tuple[int, int]]:
    """Quote-length windows in `text[lo:hi]` that resemble the quote."""
    region = text[lo:hi]
    if len(region) <= len(exact):
        if region:
            yield lo, hi
        return
    if len(exact) <= LONG_QUOTE:
        found = fuzz.partial_ratio_alignment(exact, region, score_cutoff=cutoff)
        if found is not None:
            yield lo + found.dest_start, lo + found.dest_end
        return
    step = (len(exact) - PROBE) / (PROBE_COUNT - 1)
    for i in range(PROBE_COUNT):
        offset = round(i * step)
        probe = exact[offset : offset + PROBE]
        found = fuzz.partial_ratio_alignment(probe, region, score_cutoff=cutoff)
        if found is None:
            continue
        start = max(0, lo + found.dest_start - offset)
        yield start, min(len(text), start + len(exact))


def _refine(
    text: str, exact: str, context: tuple[str, str], window: tuple[int, int]
) -> tuple[int, int]:
    """The passage's bounds near a window that resembles the quote.

    An edit inside the passage changes its length, so the window is only a guess.
    Aligning quote and window (plus a margin) gives long matching blocks that pin the
    passage's middle; each bound is then where the unpinned head (or tail) of the quote
    is found again, or, where that part was rewritten, right after the prefix (before
    the suffix). Finally the span widens to whole words unless the quote cut a word.
    """
    margin = max(16, len(exact) // 4)
    lo = max(0, window[0] - margin)
    hi = min(len(text), window[1] + margin)
    least = min(ANCHOR_BLOCK, len(exact))
    blocks = [
        (b.a, lo + b.b, b.size)
        for b in Indel.opcodes(exact, text[lo:hi]).as_matching_blocks()
        if b.size >= least
    ]
    blocks = _consistent(blocks)
    if not blocks:
        return _snap_to_words(text, exact, context, *window)
    head_a, head_b, _ = blocks[0]
    tail_a, tail_b, tail_size = blocks[-1]
    start = _start_bound(text, exact[:head_a], context[0], head_b, margin)
    end = _end_bound(text, exact[tail_a + tail_size :], context[1], tail_b + tail_size, margin)
    return _snap_to_words(text, exact, context, start, end)


def _start_bound(text: str, head: str, prefix: str, pin: int, margin: int) -> int:
    """Where the passage starts, given that the quote's `head` ends at `pin`.

    Where the head is still recognizable, it starts the passage (so words inserted
    between prefix and passage are left out); where it was rewritten, everything after
    the last character that aligns with the prefix belongs to the passage.
    """
    if not head:
        return pin
    if len(head) > MAX_EDGE:
        return max(0, pin - len(head))
    after_prefix: int | None = None
    if prefix:
        lo = max(0, pin - len(prefix) - len(head) - margin)
        boundary = len(prefix)
        for op in Indel.opcodes(prefix + head, text[lo:pin]):
            if op.tag == "equal" and op.src_start < boundary:
                after_prefix = lo + op.dest_start + min(op.src_end, boundary) - op.src_start
    lowest = max(0, pin - len(head) - margin)
    if after_prefix is not None and after_prefix >= lowest:
        lowest = after_prefix
    else:
        after_prefix = None
    start = _best(range(lowest, pin + 1), pin - len(head), lambda s: similarity(head, text[s:pin]))
    if after_prefix is not None and similarity(head, text[start:pin]) < INTACT:
        return after_prefix
    return start


def _end_bound(text: str, tail: str, suffix: str, pin: int, margin: int) -> int:
    """Where the passage ends, given that the quote's `tail` starts at `pin` (see above)."""
    if not tail:
        return pin
    if len(tail) > MAX_EDGE:
        return min(len(text), pin + len(tail))
    before_suffix: int | None = None
    if suffix:
        hi = min(len(text), pin + len(tail) + len(suffix) + margin)
        boundary = len(tail)
        for op in Indel.opcodes(tail + suffix, text[pin:hi]):
            if op.tag == "equal" and op.src_end > boundary:
                before_suffix = pin + op.dest_start + max(0, boundary - op.src_start)
                break
    highest = min(len(text), pin + len(tail) + margin)
    if before_suffix is not None and before_suffix <= highest:
        highest = before_suffix
    else:
        before_suffix = None
    end = _best(range(pin, highest + 1), pin + len(tail), lambda e: similarity(tail, text[pin:e]))
    if before_suffix is not None and similarity(tail, text[pin:end]) < INTACT:
        return before_suffix
    return end


def _consistent(blocks: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """The run of blocks whose span is most like the quote.

    An alignment with extra text around may match stray pieces far from the passage;
    including blocks i..j costs the text between them and gains their matches, so the
    best run minimizes (end_j - 2 * matched_through_j) - (start_i - 2 * matched_before_i).
    """
    if len(blocks) < 2:
        return blocks
    best: tuple[int, int, int] | None = None
    best_i, matched, lowest_i_cost = 0, 0, None
    for j, (_, b, size) in enumerate(blocks):
        i_cost = 2 * matched - b
        if lowest_i_cost is None or i_cost < lowest_i_cost:
            lowest_i_cost, best_i = i_cost, j
        matched += size
        cost = (b + size - 2 * matched) + lowest_i_cost
        if best is None or cost < best[0]:
            best = (cost, best_i, j)
    assert best is not None
    return blocks[best[1] : best[2] + 1]


def _best(bounds: range, expected: int, score: Callable[[int], float]) -> int:
    """The bound with the highest score; ties go to the one nearest `expected`."""
    return max(bounds, key=lambda bound: (score(bound), -abs(bound - expected)))


def _snap_to_words(
    text: str, exact: str, context: tuple[str, str], start: int, end: int
) -> tuple[int, int]:
    """Keep whole words at the span's ends, unless the quote itself cut a word there."""
    prefix, suffix = context
    if not (prefix[-1:].isalnum() and exact[:1].isalnum()):
        limit = max(0, start - _MAX_SNAP)
        while start > limit and text[start - 1].isalnum() and text[start : start + 1].isalnum():
            start -= 1
    if not (exact[-1:].isalnum() and suffix[:1].isalnum()):
        limit = min(len(text), end + _MAX_SNAP)
        while end < limit and text[end].isalnum() and text[end - 1 : end].isalnum():
            end += 1
    while start < end and text[start] == " ":
        start += 1
    while end > start and text[end - 1] == " ":
        end -= 1
    return start, end
