"""Exact phrases, fast: documents are resolved once per phrase, then matched as a set.

Whoosh's own `Phrase` checks positions through its span machinery, ~0.1 ms per candidate
document in Python: "the government" took 60 ms over 2,000 clips (3 s at 100,000). Here
candidates come from the phrase's rarest word or common-word pair, the others are
skipped to, and positions are compared as sets (a few microseconds). The resulting
document set becomes a `DocSetQuery` ANDed with the phrase's words, so ranking still
comes from the words.
"""

from __future__ import annotations

import itertools
from bisect import bisect_left
from collections.abc import Callable, Collection, Sequence
from typing import Any

from whoosh import query as wq
from whoosh.matching import ListMatcher, Matcher, NullMatcher
from whoosh.reading import IndexReader, TermNotFound
from whoosh.searching import Searcher

from clipper.search.common import COMMON_WORDS, pair_term


def advance(matcher: Matcher, docnum: int) -> bool:
    """Move to `docnum` (ascending calls only); True if the matcher is on it."""
    if not matcher.is_active():
        return False
    if matcher.id() < docnum:
        matcher.skip_to(docnum)
        if not matcher.is_active():
            return False
    return bool(matcher.id() == docnum)


def _starts(positions: Sequence[Sequence[int]]) -> set[int]:
    """Positions where the whole phrase starts, given each word's positions."""
    starts = set(positions[0])
    for offset, pos in enumerate(positions[1:], start=1):
        starts &= {p - offset for p in pos}
        if not starts:
            break
    return starts


def _matchers(reader: IndexReader, fieldname: str, terms: Sequence[str]) -> dict[str, Matcher]:
    out: dict[str, Matcher] = {}
    for term in dict.fromkeys(terms):
        out[term] = reader.postings(fieldname, term)
    return out


def phrase_counts(
    reader: IndexReader, fieldname: str, terms: Sequence[str], docnums: Sequence[int]
) -> dict[int, int]:
    """Occurrences of the phrase in each of `docnums` (ascending) that has it."""
    try:
        matchers = _matchers(reader, fieldname, terms)
    except TermNotFound:
        return {}
    out: dict[int, int] = {}
    for docnum in docnums:
        positions: dict[str, list[int]] = {}
        for term, matcher in matchers.items():
            if not advance(matcher, docnum):
                break
            positions[term] = matcher.value_as("positions")
        else:
            starts = _starts([positions[t] for t in terms])
            if starts:
                out[docnum] = len(starts)
    return out


def phrase_docs(
    reader: IndexReader, fieldname: str, terms: Sequence[str], pairs_field: str | None = None
) -> frozenset[int]:
    """Every (live) document holding the phrase, as global docnums.

    Candidates come from the rarest of the phrase's words and common-word pairs (see
    `clipper.search.common`); a two-word phrase of common words is its pair term alone.
    """
    pairs = [
        pair_term(a, b)
        for a, b in itertools.pairwise(terms)
        if pairs_field and a in COMMON_WORDS and b in COMMON_WORDS
    ]
    try:
        words = _matchers(reader, fieldname, terms)
        pair_matchers = {p: reader.postings(pairs_field, p) for p in dict.fromkeys(pairs)}
    except TermNotFound:
        return frozenset()
    if len(terms) == 2 and pairs:
        return frozenset(pair_matchers[pairs[0]].all_ids())
    sized = [(reader.doc_frequency(fieldname, t), m) for t, m in words.items()]
    sized += [(reader.doc_frequency(pairs_field, p), m) for p, m in pair_matchers.items()]
    sized.sort(key=lambda item: item[0])
    lead = sized[0][1]
    others = [m for _size, m in sized[1:]]
    found: list[int] = []
    while lead.is_active():
        docnum = lead.id()
        if all(advance(m, docnum) for m in others):
            positions = [words[t].value_as("positions") for t in terms]
            if _starts(positions):
                found.append(docnum)
        lead.next()
    return frozenset(found)


class _SortedListMatcher(ListMatcher):
    """A ListMatcher whose skip_to bisects instead of stepping one id at a time."""

    _i: int
    _ids: list[int]

    def skip_to(self, id: int) -> None:
        if self.is_active() and id > self.id():
            self._i = bisect_left(self._ids, id, self._i)


class DocSetQuery(wq.Query):
    """Matches a fixed set of global docnums of one searcher (constant score 1.0)."""

    def __init__(self, docnums: Collection[int], top: Searcher) -> None:
        self.docnums = sorted(docnums)
        self._top = top

    def __repr__(self) -> str:
        return f"DocSetQuery({len(self.docnums)} docs)"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DocSetQuery) and other.docnums == self.docnums

    def __hash__(self) -> int:
        return hash(tuple(self.docnums))

    def is_leaf(self) -> bool:
        return True

    def estimate_size(self, ixreader: IndexReader) -> int:
        return len(self.docnums)

    def estimate_min_size(self, ixreader: IndexReader) -> int:
        return len(self.docnums)

    def _offset_and_count(self, searcher: Searcher) -> tuple[int, int]:
        reader = searcher.reader()
        for sub, offset in self._top.leaf_searchers():
            if sub.reader() is reader:
                return offset, reader.doc_count_all()
        return 0, reader.doc_count_all()

    def matcher(self, searcher: Searcher, context: Any = None) -> Matcher:
        offset, count = self._offset_and_count(searcher)
        lo = bisect_left(self.docnums, offset)
        hi = bisect_left(self.docnums, offset + count)
        ids = [d - offset for d in self.docnums[lo:hi]]
        if not ids:
            return NullMatcher()
        return _SortedListMatcher(ids, all_weights=1.0)


def resolve_phrases(
    q: wq.Query,
    fieldname: str,
    docs_for: Callable[[tuple[str, ...]], frozenset[int]],
    top: Searcher,
) -> wq.Query:
    """Replace each `Phrase` on `fieldname` with its document set ANDed with its words."""

    def visit(node: wq.Query) -> wq.Query:
        if isinstance(node, wq.Phrase) and node.fieldname == fieldname:
            terms = tuple(node.words)
            # Scored by its less common words: skipping through "the" to each phrase
            # document costs more than it adds to the ranking.
            scoring = [t for t in dict.fromkeys(terms) if t not in COMMON_WORDS] or [terms[0]]
            words: list[wq.Query] = [wq.Term(fieldname, t) for t in scoring]
            return wq.And([DocSetQuery(docs_for(terms), top), *words])
        return node

    result: wq.Query = q.accept(visit)
    return result
