"""One generation of the index as arrays: every segment mapped, columns concatenated.

A `View` is immutable: after a commit the index builds a new one (cheap: segments are
shared, only the deletion masks and the concatenated columns are rebuilt) and the old
one's caches go with it. Document numbers are global: a segment's base plus its local
number, so every set below is a sorted int64 array.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from clipper.search.whoosh.segment import NO_DATE, FieldData, SegmentData

Docs = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]
EMPTY: Docs = np.zeros(0, dtype=np.int64)
EMPTY_F: Floats = np.zeros(0, dtype=np.float64)

FILTER_CACHE = 128
PHRASE_CACHE = 64


@dataclass(frozen=True)
class Part:
    """One segment's share of a term: global docs, frequencies, where positions start."""

    seg: int
    docs: Docs
    freqs: npt.NDArray[np.int64]
    first_pos: int


@dataclass(frozen=True)
class TermHits:
    parts: tuple[Part, ...]
    df: int
    """Documents holding the term, deleted ones included (Whoosh's idf counts them)."""

    @property
    def docs(self) -> Docs:
        if not self.parts:
            return EMPTY
        if len(self.parts) == 1:
            return self.parts[0].docs
        return np.concatenate([p.docs for p in self.parts])

    @property
    def freqs(self) -> npt.NDArray[np.int64]:
        if not self.parts:
            return np.zeros(0, dtype=np.int64)
        if len(self.parts) == 1:
            return self.parts[0].freqs
        return np.concatenate([p.freqs for p in self.parts])


NO_HITS = TermHits((), 0)


class View:
    """The index as of one commit: segments, deletions, columns and caches."""

    def __init__(
        self, segments: Sequence[tuple[SegmentData, frozenset[int]]], generation: int
    ) -> None:
        self.generation = generation
        self.toc: Any = None
        """Whoosh's table of contents this view was made from (set by the index)."""
        self.data: dict[str, SegmentData] = {}
        """segment id -> mapped segment (set by the index)."""
        self.segments = [s for s, _ in segments]
        self.bases: list[int] = []
        total = 0
        for seg in self.segments:
            self.bases.append(total)
            total += seg.doc_count
        self.doc_count_all = total
        live = np.ones(total, dtype=bool)
        for base, (_seg, deleted) in zip(self.bases, segments, strict=True):
            if deleted:
                live[base + np.fromiter(deleted, dtype=np.int64)] = False
        self.live = live
        self.doc_count = int(live.sum())
        self.ids = self._column("ids")
        self.revs = self._column("revs")
        self.dates = self._column("dates")
        self.filters: dict[tuple[str, ...], Docs] = {}
        self.phrase_sets: dict[tuple[str, ...], Docs] = {}
        self.results: dict[tuple[object, ...], Any] = {}
        """Query key -> the engine's `Outcome` (total, ranked prefix, probes)."""
        self._by_id: tuple[npt.NDArray[np.uint64], Docs] | None = None
        self._avg: dict[str, float] = {}
        self._lengths: dict[str, npt.NDArray[np.int64]] = {}
        self._fields: dict[str, list[tuple[int, FieldData]]] = {}

    def _column(self, name: str) -> npt.NDArray[np.int64]:
        cols = [getattr(s, name) for s in self.segments]
        if not cols:
            return np.zeros(0, dtype=np.int64)
        return np.concatenate(cols).astype(np.int64, copy=False)

    # -- ids ------------------------------------------------------------------------

    def live_docs(self) -> Docs:
        return np.flatnonzero(self.live).astype(np.int64)

    def revisions(self) -> dict[int, int]:
        live = self.live
        return dict(zip(self.ids[live].tolist(), self.revs[live].tolist(), strict=True))

    def docnums_for(self, ids: Collection[int]) -> Docs:
        """Live docnums of the given clip ids, sorted."""
        if self._by_id is None:
            docs = self.live_docs()
            keys = self.ids[docs].astype(np.uint64)
            order = np.argsort(keys, kind="stable")
            self._by_id = (keys[order], docs[order])
        keys, docs = self._by_id
        wanted = np.fromiter((i for i in ids if 0 <= i < 2**64), dtype=np.uint64)
        if not len(wanted) or not len(keys):
            return EMPTY
        idx = np.minimum(np.searchsorted(keys, wanted), len(keys) - 1)
        found = keys[idx] == wanted
        return np.unique(docs[idx[found]])

    # -- terms ----------------------------------------------------------------------

    def fields(self, name: str) -> list[tuple[int, FieldData]]:
        """(segment index, field) of every segment holding the field (asked ~20 times
        a query: kept)."""
        out = self._fields.get(name)
        if out is None:
            found = ((i, seg.field(name)) for i, seg in enumerate(self.segments))
            out = [(i, fd) for i, fd in found if fd is not None]
            self._fields[name] = out
        return out

    def segments_of(self, docs: Docs) -> frozenset[int]:
        """Indexes of the segments holding these global docnums."""
        if not len(docs):
            return frozenset()
        where = np.searchsorted(np.asarray(self.bases), docs, side="right") - 1
        return frozenset(np.unique(where).tolist())

    def term(self, field: str, term: str, segs: frozenset[int] | None = None) -> TermHits:
        """A term's postings in every segment (or only in `segs`: then `df` counts
        only those)."""
        parts = []
        df = 0
        for i, fd in self.fields(field):
            if segs is not None and i not in segs:
                continue
            t = fd.find(term)
            if t < 0:
                continue
            p = fd.postings(t)
            df += len(p.docs)
            parts.append(
                Part(
                    i,
                    p.docs.astype(np.int64) + self.bases[i],
                    p.freqs.astype(np.int64),
                    p.first_pos,
                )
            )
        return TermHits(tuple(parts), df) if parts else NO_HITS

    def idf(self, df: int | npt.NDArray[np.int64]) -> float | Floats:
        """Whoosh's idf: log(N / (df + 1)) + 1 over all documents, deleted included."""
        n = max(self.doc_count_all, 1)
        if isinstance(df, np.ndarray):
            return np.log(n / (df + 1.0)) + 1.0
        return math.log(n / (df + 1)) + 1.0

    def lengths(self, field: str) -> npt.NDArray[np.int64]:
        """Words per document (global docnums) in a positional field."""
        cached = self._lengths.get(field)
        if cached is None:
            chunks = []
            for seg in self.segments:
                fd = seg.field(field)
                chunks.append(
                    fd.lengths() if fd is not None else np.zeros(seg.doc_count, dtype=np.int64)
                )
            cached = np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.int64)
            self._lengths[field] = cached
        return cached

    def avg_length(self, field: str) -> float:
        if field not in self._avg:
            lengths = self.lengths(field)
            self._avg[field] = float(lengths.sum()) / max(len(lengths), 1) or 1.0
        return self._avg[field]

    def date_range(self, start: int | None, end: int | None) -> Docs:
        """Docnums dated in [start, end); clips with no date are in no range."""
        dates = self.dates
        mask = dates != NO_DATE
        if start is not None:
            mask &= dates >= start
        if end is not None:
            mask &= dates < end
        return np.flatnonzero(mask).astype(np.int64)

    def date_order(self, docs: Docs) -> Docs:
        """`docs` newest first (no date last), ties by docnum descending."""
        keys = self.dates[docs]
        newest_first = np.where(keys == NO_DATE, np.iinfo(np.int64).max, -keys)
        return docs[np.lexsort((-docs, newest_first))]
