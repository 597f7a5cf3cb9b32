"""Which segments a background merge takes: tiers of similar size, never big ones.

Segments are grouped by powers of ten of clips; when `merge_factor` of one tier exist,
the smallest of them are merged, up to `merge_max_docs` clips (a rebuild's big segments
are never merged behind the user's back: that is `optimize` or `compact`).
"""

from __future__ import annotations

from collections.abc import Iterable

from clipper.search.whoosh.codec import ArraySegment
from clipper.search.whoosh.options import IndexOptions


def _tier(docs: int) -> int:
    return len(str(max(docs, 1))) - 1


def merge_candidates(
    segments: Iterable[ArraySegment], options: IndexOptions, everything: bool = False
) -> list[ArraySegment]:
    """The segments to merge next (none: an empty list)."""
    segs = list(segments)
    if everything:
        return segs if len(segs) > 1 or any(s.has_deletions() for s in segs) else []
    tiers: dict[int, list[ArraySegment]] = {}
    cap = options.merge_max_docs
    for seg in segs:
        tiers.setdefault(_tier(seg.doc_count_all()), []).append(seg)
    for tier in sorted(tiers):
        group = sorted(tiers[tier], key=lambda s: s.doc_count_all())
        if len(group) < options.merge_factor:
            continue
        chosen: list[ArraySegment] = []
        for seg in group[: options.merge_factor]:
            if sum(s.doc_count_all() for s in chosen) + seg.doc_count_all() > cap:
                break
            chosen.append(seg)
        if len(chosen) >= 2:
            return chosen
    return []
