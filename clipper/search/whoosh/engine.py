"""Running a parsed query over a `View`: vectorized, with Whoosh's scoring.

Scores are Whoosh's: TF-IDF (`tf * (log(N / (df + 1)) + 1)`) or BM25 over the same
idf, summed over AND/OR children as Whoosh's matchers sum them; a phrase scores 1 plus
its less common words (as the engine it replaces did); filters are unscored sets. The
top hits come from `argpartition`, and the total is an exact count.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from clipper.search.analysis import PREFIX_MIN
from clipper.search.common import COMMON_WORDS, pair_term
from clipper.search.fields import to_timestamp
from clipper.search.query import Atom, DateRange, FieldTerm, ParsedQuery, Words
from clipper.search.whoosh.arrays import (
    EMPTY,
    NOTHING,
    Docs,
    Floats,
    Scored,
    and_scored,
    exclude,
    expand_ranges,
    intersect,
    member,
    or_scored,
    restrict,
    sum_by_doc,
    top,
    union,
)
from clipper.search.whoosh.view import View

Weighting = Literal["tfidf", "bm25f"]
FilterKey = tuple[str, ...]
ProbeKind = Literal["word", "prefix", "phrase", "note"]
B, K1 = 0.75, 1.2
"""Whoosh's BM25F defaults."""
PREFIX_SLICE = 1 << 19
"""Postings of a broad prefix summed at a time (memory: ~20 bytes each)."""


def _slices(df: npt.NDArray[np.int64], most: int) -> list[tuple[int, int]]:
    """[a, b) ranges of terms whose postings add up to about `most` (at least one term)."""
    if int(df.sum()) <= most:
        return [(0, len(df))]
    ends = np.cumsum(df)
    out: list[tuple[int, int]] = []
    a = 0
    while a < len(df):
        before = int(ends[a - 1]) if a else 0
        b = max(a + 1, int(np.searchsorted(ends, before + most, side="right")))
        out.append((a, b))
        a = b
    return out


@dataclass(frozen=True)
class Probe:
    """A positive word, prefix or phrase, to tell which parts of a hit it matched."""

    kind: ProbeKind
    terms: tuple[str, ...]
    required: bool


@dataclass(frozen=True)
class Outcome:
    total: int
    ranked: list[tuple[int, float]]
    probes: tuple[Probe, ...]
    filter_parts: frozenset[str]


class Engine:
    """Query execution over one view (cheap to make; caches live on the view)."""

    prefix_slice = PREFIX_SLICE

    def __init__(self, view: View, weighting: Weighting = "tfidf") -> None:
        self.view = view
        self.weighting = weighting

    # -- leaves -------------------------------------------------------------------------

    def _weights(
        self, field: str, docs: Docs, freqs: npt.NDArray[np.int64], idf: Floats | float
    ) -> Floats:
        tf = freqs.astype(np.float64)
        if self.weighting == "bm25f":
            lengths = self.view.lengths(field)[docs].astype(np.float64)
            avg = self.view.avg_length(field)
            return np.asarray(idf * ((tf * (K1 + 1)) / (tf + K1 * ((1 - B) + B * lengths / avg))))
        return np.asarray(tf * idf)

    def word(self, field: str, term: str) -> Scored:
        hits = self.view.term(field, term)
        if not hits.df:
            return NOTHING
        docs = hits.docs
        return Scored(docs, self._weights(field, docs, hits.freqs, self.view.idf(hits.df)))

    def prefix(self, field: str, stem: str) -> Scored:
        """Every term starting with `stem`, as Whoosh's `Prefix` (an OR of the terms).

        A broad prefix is summed segment by segment into one dense score array (memory:
        one segment's slice at a time); a narrow one by sorting its few postings."""
        view = self.view
        ranges: list[tuple[int, Any, int, int, list[str] | None]] = []
        df_total: dict[str, int] = defaultdict(int)
        fields = view.fields(field)
        postings = 0
        for i, fd in fields:
            lo, hi = fd.prefix_range(stem)
            if lo == hi:
                continue
            names = fd.term_range(lo, hi) if len(fields) > 1 else None
            if names is not None:  # idf counts a term in every segment
                for name, n in zip(names, fd.df[lo:hi].tolist(), strict=True):
                    df_total[name] += n
            ranges.append((i, fd, lo, hi, names))
            postings += int(fd.pstart[hi - 1]) + int(fd.df[hi - 1]) - int(fd.pstart[lo])
        if not ranges:
            return NOTHING
        size = view.doc_count_all
        dense = postings * 8 >= size
        acc = np.zeros(size if dense else 0, dtype=np.float64)
        present = np.zeros(size if dense else 0, dtype=bool)
        parts: list[tuple[Docs, Floats]] = []
        for i, fd, lo, hi, names in ranges:
            df_all = fd.df[lo:hi].astype(np.int64)
            dfs_all = df_all if names is None else np.array([df_total[n] for n in names], np.int64)
            base = view.bases[i]
            data = view.segments[i]
            # A broad prefix (millions of postings) in slices: bounded temporaries, and
            # the pages read handed back as it goes.
            for a, b in _slices(df_all, self.prefix_slice):
                df, dfs = df_all[a:b], dfs_all[a:b]
                p0 = int(fd.pstart[lo + a])
                p1 = p0 + int(df.sum())
                local = fd.docs[p0:p1].astype(np.int64)
                idf = np.repeat(np.asarray(view.idf(dfs)), df)
                weights = self._weights(field, local + base, fd.freqs[p0:p1], idf)
                if dense:
                    count = data.doc_count
                    acc[base : base + count] += np.bincount(local, weights=weights, minlength=count)
                    present[base + local] = True
                    if b - a < len(df_all):
                        data.release(fd.docs[p0:p1])
                        data.release(fd.freqs[p0:p1])
                else:
                    parts.append((local + base, weights))
        if not dense:
            return sum_by_doc(
                np.concatenate([d for d, _ in parts]), np.concatenate([w for _, w in parts]), size
            )
        docs = np.flatnonzero(present).astype(np.int64)
        return Scored(docs, acc[docs])

    def phrase_counts(
        self, field: str, terms: tuple[str, ...], docs: Docs
    ) -> npt.NDArray[np.int64]:
        """Occurrences of the phrase in each of `docs` (sorted global docnums)."""
        view = self.view
        counts = np.zeros(len(docs), dtype=np.int64)
        if not len(docs):
            return counts
        segs = view.segments_of(docs)
        hits = {t: view.term(field, t, segs) for t in dict.fromkeys(terms)}
        if any(not h.df for h in hits.values()):
            return counts
        lead_at = min(range(len(terms)), key=lambda j: hits[terms[j]].df)
        lead = hits[terms[lead_at]]
        for part in lead.parts:
            fd = view.segments[part.seg].field(field)
            if fd is None or fd.pos is None:
                continue
            lo, hi = np.searchsorted(docs, [part.docs[0], part.docs[-1] + 1])
            cand = docs[lo:hi]
            if not len(cand):
                continue
            idx = np.minimum(np.searchsorted(part.docs, cand), len(part.docs) - 1)
            found = part.docs[idx] == cand
            slot = np.flatnonzero(found)
            idx = idx[found]
            before = np.concatenate(([0], np.cumsum(part.freqs)))
            lengths = part.freqs[idx]
            where = expand_ranges(part.first_pos + before[idx], lengths)
            starts = fd.pos[where].astype(np.int64) - lead_at
            owner = np.repeat(slot, lengths)
            for j, term in enumerate(terms):
                if j == lead_at or not len(starts):
                    continue
                other = next((p for p in hits[term].parts if p.seg == part.seg), None)
                if other is None:
                    starts = starts[:0]
                    break
                span = fd.pos[other.first_pos : other.first_pos + int(other.freqs.sum())]
                target = starts + j
                # Searched as the span's own dtype: a mixed-type search would copy the
                # whole span ("the": 40 MB of positions at 100k clips) to int64 first.
                k = np.searchsorted(span, np.maximum(target, 0).astype(span.dtype))
                k = np.minimum(k, max(len(span) - 1, 0))
                ok = (span[k] == target) & (target >= 0)
                starts, owner = starts[ok], owner[ok]
            if len(owner):
                counts[lo:hi] += np.bincount(owner, minlength=hi - lo)
        return counts

    def phrase_docs(self, field: str, terms: tuple[str, ...]) -> Docs:
        """Every document holding the phrase (cached per view for `content`)."""
        view = self.view
        key = (field, *terms)
        cached = view.phrase_sets.get(key)
        if cached is not None:
            return cached
        pairs = [
            pair_term(a, b)
            for a, b in itertools.pairwise(terms)
            if field == "content" and a in COMMON_WORDS and b in COMMON_WORDS
        ]
        sets = [view.term(field, t).docs for t in dict.fromkeys(terms)]
        sets += [view.term("pairs", p).docs for p in dict.fromkeys(pairs)]
        sets.sort(key=len)
        cand = sets[0]
        for other in sets[1:]:
            if not len(cand):
                break
            cand = intersect(cand, other)
        if len(terms) == 2 and pairs:
            docs = cand  # the pair term is the phrase
        else:
            docs = cand[self.phrase_counts(field, terms, cand) > 0]
        if len(view.phrase_sets) >= 64:
            view.phrase_sets.pop(next(iter(view.phrase_sets)))
        view.phrase_sets[key] = docs
        return docs

    def phrase(self, field: str, terms: tuple[str, ...]) -> Scored:
        docs = self.phrase_docs(field, terms)
        if not len(docs):
            return NOTHING
        scoring = [t for t in dict.fromkeys(terms) if t not in COMMON_WORDS] or [terms[0]]
        result = Scored(docs, np.ones(len(docs), dtype=np.float64))
        for t in scoring:
            result = and_scored(result, self.word(field, t))
        return result

    def words(self, atom: Words) -> Scored:
        terms = atom.terms
        if atom.prefix and len(terms[0]) >= PREFIX_MIN:
            return self.prefix("content", terms[0])
        if len(terms) == 1:
            return self.word("content", terms[0])
        return self.phrase("content", terms)

    # -- filters ------------------------------------------------------------------------

    def filter_set(self, key: FilterKey) -> Docs:
        view = self.view
        cached = view.filters.get(key)
        if cached is None:
            kind = key[0]
            if kind == "date":
                cached = view.date_range(
                    int(key[1]) if key[1] else None, int(key[2]) if key[2] else None
                )
            elif kind == "author":
                terms = key[1:]
                cached = (
                    view.term("author", terms[0]).docs
                    if len(terms) == 1
                    else self.phrase_docs("author", terms)
                )
            elif kind == "has":
                cached = view.term("flags", key[1]).docs
            else:
                cached = view.term(kind, key[1]).docs
            if len(view.filters) >= 128:
                view.filters.pop(next(iter(view.filters)))
            view.filters[key] = cached
        return cached

    # -- queries ------------------------------------------------------------------------

    def atom(self, atom: Atom, probes: list[Probe] | None) -> Scored:
        if isinstance(atom, Words):
            if probes is not None:
                kind: ProbeKind = (
                    "prefix"
                    if atom.prefix and len(atom.terms[0]) >= PREFIX_MIN
                    else ("phrase" if len(atom.terms) > 1 else "word")
                )
                probes.append(Probe(kind, atom.terms, False))
            return self.words(atom)
        if isinstance(atom, FieldTerm) and atom.name == "note":
            if probes is not None:
                probes.append(Probe("note", atom.terms, False))
            terms = atom.terms
            return self.word("note", terms[0]) if len(terms) == 1 else self.phrase("note", terms)
        docs = self.filter_set(filter_key(atom))
        return Scored(docs, np.ones(len(docs), dtype=np.float64))

    def run(
        self, parsed: ParsedQuery, restrict_ids: Docs | None, limit: int, offset: int
    ) -> Outcome:
        view = self.view
        allow: Docs | None = None
        excluded: list[Docs] = []
        texts: list[Scored] = []
        probes: list[Probe] = []
        parts: set[str] = set()
        for clause in parsed.clauses:
            atoms = clause.alternatives
            if not atoms:
                continue
            if all(is_filter(a) for a in atoms):
                keys = [filter_key(a) for a in atoms]  # type: ignore[arg-type]
                sets = union([self.filter_set(k) for k in keys])
                if clause.negated:
                    excluded.append(sets)
                else:
                    allow = sets if allow is None else intersect(allow, sets)
                    if any(k[0] == "tag" for k in keys):
                        parts.add("tag")
                continue
            if clause.negated:
                excluded.append(union([self.atom(a, None).docs for a in atoms]))
                continue
            found: list[Probe] = []
            scored = or_scored([self.atom(a, found) for a in atoms], view.doc_count_all)
            if len(atoms) == 1:
                found = [Probe(p.kind, p.terms, True) for p in found]
            probes.extend(found)
            texts.append(scored)
        if restrict_ids is not None:
            allow = restrict_ids if allow is None else intersect(allow, restrict_ids)
        mask = union(excluded)
        outcome_parts = frozenset(parts)
        if not texts:
            pool = view.live_docs() if allow is None else allow[view.live[allow]]
            pool = pool[~member(pool, mask)] if len(mask) else pool
            ordered = view.date_order(pool)[offset : offset + limit]
            return Outcome(len(pool), [(int(d), 0.0) for d in ordered], (), outcome_parts)
        texts.sort(key=len)
        result = texts[0]
        for other in texts[1:]:
            if not len(result):
                break
            result = and_scored(result, other)
        if allow is not None:
            result = restrict(result, allow)
        result = exclude(result, mask)
        live = view.live[result.docs]
        if not live.all():
            result = Scored(result.docs[live], result.scores[live])
        best = top(result, offset + limit)
        ranked = [
            (int(d), float(s))
            for d, s in zip(best.docs[offset:].tolist(), best.scores[offset:].tolist(), strict=True)
        ]
        return Outcome(len(result), ranked, tuple(probes), outcome_parts)


def is_filter(atom: Atom) -> bool:
    return isinstance(atom, DateRange) or (isinstance(atom, FieldTerm) and atom.name != "note")


def filter_key(atom: FieldTerm | DateRange) -> FilterKey:
    if isinstance(atom, DateRange):
        start = str(to_timestamp(atom.start)) if atom.start else ""
        end = str(to_timestamp(atom.end)) if atom.end else ""
        return ("date", start, end)
    if atom.name == "author":
        return ("author", *atom.terms)
    return (atom.name, atom.value)


__all__ = ["EMPTY", "Engine", "Outcome", "Probe"]
