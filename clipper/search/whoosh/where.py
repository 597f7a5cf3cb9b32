"""Which parts of a hit matched (title, text, caption, note, tag), for the shown hits.

`content` holds every part and each small part field is analysed the same way, so a
word (phrase, prefix) is in the body or subtitle ("text") exactly when it occurs in
`content` more often than in the part fields together. Counting is a binary search of
the shown documents in each probe's postings.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from clipper.search.whoosh.arrays import Docs
from clipper.search.whoosh.engine import Engine, Probe
from clipper.search.whoosh.segment import Postings

PART_FIELDS: dict[str, str] = {
    "title": "title",
    "caption": "caption",
    "note": "note",
    "tag": "tagtext",
}
"""`where` name -> the small field that records which words a part holds."""
ORDER = ("title", "text", "caption", "note", "tag")
FEW_TERMS = 8
"""Words of a prefix up to which each word's postings are searched for the shown hits."""
SMALL_RANGE = 4096
"""Postings of a prefix below which a membership test beats a slot table."""

Counts = npt.NDArray[np.int64]


Shown = dict[int, tuple[int, int, npt.NDArray[np.uint32]]]
"""Segment index -> the slice (a, b) of the shown documents in it, and them as its local
numbers in the postings' own dtype (a mixed-type search would copy the postings)."""


def _shown(engine: Engine, docs: Docs) -> Shown:
    """Where the shown documents (sorted, global) lie, per segment holding any: worked
    out once per page of hits, not once per probe and field."""
    view = engine.view
    out: Shown = {}
    bounds = np.searchsorted(docs, [*view.bases, view.doc_count_all])
    for i, base in enumerate(view.bases):
        a, b = int(bounds[i]), int(bounds[i + 1])
        if a < b:
            out[i] = (a, b, (docs[a:b] - base).astype(np.uint32))
    return out


def _add_found(out: Counts, a: int, b: int, shown: npt.NDArray[np.uint32], p: Postings) -> None:
    """Add one term's frequencies in the shown documents `shown` (= docs[a:b], local)."""
    idx = np.minimum(np.searchsorted(p.docs, shown), len(p.docs) - 1)
    found = p.docs[idx] == shown
    out[a:b][found] += p.freqs[idx[found]]


def _term_counts(engine: Engine, field: str, term: str, n: int, where: Shown) -> Counts:
    """How often `term` occurs in each shown document: a binary search of the shown
    documents in the term's postings, read where they lie in the mapped file."""
    out = np.zeros(n, dtype=np.int64)
    for i, fd in engine.view.fields(field):
        if i not in where:
            continue
        t = fd.find(term)
        if t >= 0:
            _add_found(out, *where[i], fd.postings(t))
    return out


def _prefix_counts(engine: Engine, field: str, stem: str, n: int, where: Shown) -> Counts:
    """Words starting with `stem` per shown document. A short range of postings is
    tested for membership at once; a long one, of a few words, is searched word by word;
    a long one of many words is read once (in slices, pages handed back as it goes),
    the shown documents picked out through a slot table (no search per posting)."""
    view = engine.view
    out = np.zeros(n, dtype=np.int64)
    for i, fd in view.fields(field):
        if i not in where:
            continue
        a, b, shown = where[i]
        lo, hi = fd.prefix_range(stem)
        if lo == hi:
            continue
        p0 = int(fd.pstart[lo])
        p1 = int(fd.pstart[hi - 1]) + int(fd.df[hi - 1])
        if p1 - p0 < SMALL_RANGE:
            postings = fd.docs[p0:p1]
            hit = np.isin(postings, shown)
            which = np.searchsorted(shown, postings[hit]) + a
            out += np.bincount(which, weights=fd.freqs[p0:p1][hit], minlength=n).astype(np.int64)
            continue
        if hi - lo <= FEW_TERMS:  # a long stem: each word's postings searched
            for t in range(lo, hi):
                _add_found(out, a, b, shown, fd.postings(t))
            continue
        data = view.segments[i]
        slot = np.full(data.doc_count, -1, dtype=np.int64)
        slot[shown] = np.arange(a, b)  # docs are sorted and distinct: docs[k] is slot k
        step = engine.prefix_slice
        for s0 in range(p0, p1, step):
            s1 = min(p1, s0 + step)
            which = slot[fd.docs[s0:s1]]
            hit = which >= 0
            out += np.bincount(which[hit], weights=fd.freqs[s0:s1][hit], minlength=n).astype(
                np.int64
            )
            if p1 - p0 > step:
                data.release(fd.docs[s0:s1])
                data.release(fd.freqs[s0:s1])
    return out


def occurrences(
    engine: Engine, field: str, kind: str, terms: tuple[str, ...], docs: Docs, where: Shown
) -> Counts:
    """How often a probe occurs in `field` of each of `docs` (sorted)."""
    if kind == "prefix":
        return _prefix_counts(engine, field, terms[0], len(docs), where)
    if len(terms) == 1:
        return _term_counts(engine, field, terms[0], len(docs), where)
    return engine.phrase_counts(field, terms, docs)


def where_matched(
    engine: Engine, probes: Sequence[Probe], docnums: Sequence[int], extra: frozenset[str]
) -> dict[int, tuple[str, ...]]:
    """Parts matched per document, in ORDER; `extra` is added to all (e.g. "tag")."""
    found: dict[int, set[str]] = {d: set(extra) for d in docnums}
    if not found:
        return {}
    docs = np.array(sorted(set(docnums)), dtype=np.int64)
    listed = docs.tolist()
    where = _shown(engine, docs)
    for probe in probes:
        if probe.kind == "note":
            counts = occurrences(engine, "note", "word", probe.terms, docs, where)
            for d, n in zip(listed, counts.tolist(), strict=True):
                if n:
                    found[d].add("note")
            continue
        in_parts = np.zeros(len(docs), dtype=np.int64)
        for part, field in PART_FIELDS.items():
            counts = occurrences(engine, field, probe.kind, probe.terms, docs, where)
            in_parts += counts
            for d, n in zip(listed, counts.tolist(), strict=True):
                if n:
                    found[d].add(part)
        content = occurrences(engine, "content", probe.kind, probe.terms, docs, where)
        for d, n, p in zip(listed, content.tolist(), in_parts.tolist(), strict=True):
            if n > p:
                found[d].add("text")
    return {d: tuple(p for p in ORDER if p in found[d]) for d in docnums}
