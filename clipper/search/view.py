"""One searcher generation and everything cached on it, dropped when it is replaced.

Columns (id, revision, date) are read once per generation; filter sets, phrase document
sets and the date order are built on first use. After a commit the index makes a new
`View`, so nothing here is ever invalidated piecemeal.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections.abc import Collection

from whoosh.searching import Searcher

from clipper.search.phrase import phrase_docs
from clipper.search.plan import filter_query
from clipper.search.schema import load_column

FILTER_CACHE = 128
"""Filter sets (tag, site, author, date range...) kept per searcher generation."""
PHRASE_CACHE = 64
"""Phrase document sets kept per searcher generation."""
MISSING_DATE = -(2**62)
"""Sort key of a clip with neither published nor clipped date: after all others."""


class View:
    """One searcher generation with everything cached on it (dropped on refresh)."""

    def __init__(self, searcher: Searcher) -> None:
        self.searcher = searcher
        self.filters: dict[tuple[str, ...], set[int]] = {}
        """Cached filter sets: plain sets because Whoosh's `filter=` takes no frozenset;
        never mutated."""
        self._ids: array[int] | None = None
        self._revs: array[int] | None = None
        self._dates: array[int] | None = None
        self._live: list[int] | None = None
        self._docnum_by_id: dict[int, int] | None = None
        self._phrases: dict[tuple[str, ...], frozenset[int]] = {}
        self._by_date: tuple[list[int], list[int]] | None = None
        self.results: dict[tuple[object, ...], tuple[int, list[tuple[int, float]]]] = {}
        """Query key -> (total, ranked (docnum, score) prefix of the results)."""

    def _load(self) -> None:
        ids: array[int] = array("Q")
        revs: array[int] = array("Q")
        dates: array[int] = array("Q")
        live: list[int] = []
        for leaf, base in self.searcher.reader().leaf_readers():
            count = leaf.doc_count_all()
            ids.extend(load_column(leaf, "id", "Q", 2**64 - 1))
            revs.extend(load_column(leaf, "rev", "Q", 0))
            dates.extend(load_column(leaf, "date", "Q", 2**64 - 1))
            deleted = set(leaf.segment().deleted_docs()) if leaf.has_deletions() else set()
            live.extend(base + d for d in range(count) if d not in deleted)
        self._ids, self._revs, self._dates, self._live = ids, revs, dates, live

    @property
    def ids(self) -> array[int]:
        if self._ids is None:
            self._load()
        assert self._ids is not None
        return self._ids

    @property
    def live(self) -> list[int]:
        if self._live is None:
            self._load()
        assert self._live is not None
        return self._live

    def revisions(self) -> dict[int, int]:
        if self._revs is None:
            self._load()
        assert self._ids is not None and self._revs is not None
        ids, revs = self._ids, self._revs
        return {ids[d]: revs[d] for d in self.live}

    def date_key(self, docnum: int) -> int:
        if self._dates is None:
            self._load()
        assert self._dates is not None
        raw = self._dates[docnum]
        return MISSING_DATE if raw == 2**64 - 1 else raw - 2**63

    def docnums_for(self, ids: Collection[int]) -> set[int]:
        if self._docnum_by_id is None:
            idarr = self.ids
            self._docnum_by_id = {idarr[d]: d for d in self.live}
        by_id = self._docnum_by_id
        return {by_id[i] for i in ids if i in by_id}

    def phrase_docs(self, terms: tuple[str, ...]) -> frozenset[int]:
        """Documents holding the phrase in `content` (cached: typing re-runs it)."""
        cached = self._phrases.get(terms)
        if cached is None:
            if len(self._phrases) >= PHRASE_CACHE:
                self._phrases.pop(next(iter(self._phrases)))
            cached = phrase_docs(self.searcher.reader(), "content", terms, "pairs")
            self._phrases[terms] = cached
        return cached

    def filter_set(self, key: tuple[str, ...]) -> set[int]:
        cached = self.filters.get(key)
        if cached is None:
            if key[0] == "date":
                cached = self._date_range(key)
            else:
                cached = set(self.searcher.docs_for_query(filter_query(key)))
            if len(self.filters) >= FILTER_CACHE:
                self.filters.pop(next(iter(self.filters)))
            self.filters[key] = cached
        return cached

    def _date_range(self, key: tuple[str, ...]) -> set[int]:
        """Docnums dated in [start, end): a bisection over the date column, not a
        NumericRange query (that expands to dozens of terms: 300 ms at 20k clips)."""
        if self._by_date is None:
            pairs = sorted((self.date_key(d), d) for d in self.live)
            self._by_date = ([k for k, _ in pairs], [d for _, d in pairs])
        keys, docnums = self._by_date
        lo = bisect_left(keys, int(key[1])) if key[1] else bisect_left(keys, MISSING_DATE + 1)
        hi = bisect_left(keys, int(key[2])) if key[2] else len(keys)
        return set(docnums[lo:hi])
