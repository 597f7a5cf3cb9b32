"""Set algebra on sorted document-number arrays, the engine's only data structure.

A result is a `Scored`: sorted unique docnums with a score each. AND is a binary
search of the smaller list in the larger one, OR a dense sum (`bincount`) over the
index's document range, NOT a membership mask. No step walks postings in Python.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

Docs = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]
EMPTY: Docs = np.zeros(0, dtype=np.int64)


@dataclass(frozen=True)
class Scored:
    docs: Docs
    scores: Floats

    def __len__(self) -> int:
        return len(self.docs)


NOTHING = Scored(EMPTY, np.zeros(0, dtype=np.float64))


def member(a: Docs, b: Docs) -> npt.NDArray[np.bool_]:
    """For each of sorted `a`, whether it is in sorted `b`."""
    if not len(a) or not len(b):
        return np.zeros(len(a), dtype=bool)
    idx = np.searchsorted(b, a)
    idx[idx == len(b)] = len(b) - 1
    return np.asarray(b[idx] == a)


def intersect(a: Docs, b: Docs) -> Docs:
    if len(a) > len(b):
        a, b = b, a
    return a[member(a, b)]


def and_scored(a: Scored, b: Scored) -> Scored:
    """Documents in both, scores added (Whoosh's AND sums its children)."""
    if len(a) > len(b):
        a, b = b, a
    if not len(a):
        return NOTHING
    idx = np.searchsorted(b.docs, a.docs)
    idx[idx == len(b.docs)] = max(len(b.docs) - 1, 0)
    hit = b.docs[idx] == a.docs if len(b.docs) else np.zeros(len(a.docs), dtype=bool)
    return Scored(a.docs[hit], a.scores[hit] + b.scores[idx[hit]])


def restrict(s: Scored, allowed: Docs) -> Scored:
    keep = member(s.docs, allowed)
    return Scored(s.docs[keep], s.scores[keep])


def exclude(s: Scored, excluded: Docs) -> Scored:
    if not len(excluded):
        return s
    keep = ~member(s.docs, excluded)
    return Scored(s.docs[keep], s.scores[keep])


def or_scored(items: Sequence[Scored], size: int) -> Scored:
    """Documents in any, scores added over the items that hold each."""
    items = [s for s in items if len(s)]
    if not items:
        return NOTHING
    if len(items) == 1:
        return items[0]
    docs = np.concatenate([s.docs for s in items])
    return sum_by_doc(docs, np.concatenate([s.scores for s in items]), size)


def sum_by_doc(docs: Docs, weights: Floats, size: int) -> Scored:
    """Scores summed per document (docs may repeat, any order)."""
    if len(docs) * 8 < size:  # sparse: sorting beats a pass over every document
        uniq, inverse = np.unique(docs, return_inverse=True)
        return Scored(
            uniq, np.asarray(np.bincount(inverse.reshape(-1), weights=weights), np.float64)
        )
    present = np.bincount(docs, minlength=size) > 0
    acc = np.asarray(np.bincount(docs, weights=weights, minlength=size), dtype=np.float64)
    out = np.flatnonzero(present).astype(np.int64)
    return Scored(out, acc[out])


def union(sets: Sequence[Docs]) -> Docs:
    sets = [s for s in sets if len(s)]
    if not sets:
        return EMPTY
    if len(sets) == 1:
        return sets[0]
    return np.unique(np.concatenate(sets))


def exclusive_cumsum(counts: npt.NDArray[np.integer[Any]]) -> Docs:
    """Where each of consecutive runs of `counts` items starts: [0, c0, c0 + c1, ...]."""
    out: Docs = np.zeros(len(counts), dtype=np.int64)
    if len(counts) > 1:
        np.cumsum(counts[:-1], out=out[1:])
    return out


def expand_ranges(starts: Docs, lengths: Docs) -> Docs:
    """Concatenated ranges [start, start + length) as one index array."""
    total = int(lengths.sum())
    if not total:
        return EMPTY
    ends = np.cumsum(lengths)
    shift = np.repeat(starts - (ends - lengths), lengths)
    out: Docs = np.arange(total, dtype=np.int64) + shift
    return out


def top(s: Scored, k: int) -> Scored:
    """The k best, score descending then docnum ascending (Whoosh's order)."""
    if k <= 0 or not len(s):
        return NOTHING
    scores = s.scores
    if len(s) > k:
        kth = np.partition(scores, len(scores) - k)[len(scores) - k]
        keep = scores >= kth
        s = Scored(s.docs[keep], scores[keep])
    order = np.lexsort((s.docs, -s.scores))[:k]
    return Scored(s.docs[order], s.scores[order])
